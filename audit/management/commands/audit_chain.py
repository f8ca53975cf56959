"""Seal node events and verify the hash chain (the nightly check, by hand).

    manage.py audit_chain            # seal what is unsealed, then verify; exit 1 if broken
    manage.py audit_chain --seal     # seal only
"""

from django.core.management.base import BaseCommand, CommandError

from audit.services import node_events_nightly_check, node_events_seal


class Command(BaseCommand):
    help = "封存节点事件并校验哈希链，报告第一条不一致的记录。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seal", action="store_true", help="只封存，不校验")

    def handle(self, *args, seal: bool, **options) -> None:
        if seal:
            self.stdout.write(f"sealed {node_events_seal(full=True)}")
            return
        result = node_events_nightly_check()
        if not result.ok:
            raise CommandError(
                f"chain broken at node event {result.broken_event_id} (seal {result.broken_seal_id}); "
                f"{result.checked} rows good before it"
            )
        self.stdout.write(f"chain ok: {result.checked} node events, {result.unsealed} unsealed")
