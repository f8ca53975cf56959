"""Publish the outbox now (what the ``core-relay-outbox`` beat entry does every
minute): tasks the broker never got or lost, e-mails nobody delivered. For an
operator after a broker outage, or a deployment without beat."""

from django.core.management.base import BaseCommand

from core.outbox.outbox import outbox_purge, outbox_relay


class Command(BaseCommand):
    help = "发布事务发件箱中未送达的任务与邮件（Redis 故障恢复后使用）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=float, default=None,
            help="只发布登记超过该秒数仍未发送的任务（默认 OUTBOX_RELAY_AFTER_SECONDS）",
        )
        parser.add_argument(
            "--redeliver-after", type=float, default=None,
            help="已发送但超过该秒数仍未完成的任务视为丢失并重发（默认 OUTBOX_REDELIVER_AFTER_SECONDS）",
        )
        parser.add_argument("--purge", action="store_true", help="同时删除超过保留期的已完成记录")

    def handle(self, *args, older_than=None, redeliver_after=None, purge=False, **options):
        published = outbox_relay(older_than=older_than, redeliver_after=redeliver_after)
        self.stdout.write(f"published {published}")
        if purge:
            self.stdout.write(f"purged {outbox_purge()}")
