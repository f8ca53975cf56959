from django.core.management.base import BaseCommand, CommandError

from core.models.api import BACKDATE_WINDOW_MAX_HOURS
from core.selectors import court_get_by_code
from core.services.people import api_client_create


class Command(BaseCommand):
    help = "Create an API client bound to a court. The key is the last word of the last line."

    def add_arguments(self, parser):
        parser.add_argument("--court", required=True, help="法院代字, e.g. 鲁0102")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--backdate-window-hours",
            type=int,
            default=None,
            help="how late the system's nodes may arrive and still take effect at their source time "
            "(default 24, max 72; 322号 §12)",
        )

    def handle(self, *args, court: str, name: str, **options):
        bound = court_get_by_code(court)
        if bound is None:
            raise CommandError(f"法院代字不存在：{court}")
        window = options.get("backdate_window_hours")
        if window is not None and not 0 <= window <= BACKDATE_WINDOW_MAX_HOURS:
            raise CommandError(f"--backdate-window-hours 须在 0 至 {BACKDATE_WINDOW_MAX_HOURS} 之间")
        user, key = api_client_create(court=bound, name=name, backdate_window_hours=window)
        self.stdout.write(f"接口客户端 {user.username} 已创建，绑定 {bound.name}（{bound.code}）。")
        self.stdout.write("密钥只显示这一次，请妥善保存。")
        self.stdout.write(f"Key: {key}")
