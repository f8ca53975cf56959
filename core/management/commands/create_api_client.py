from django.core.management.base import BaseCommand, CommandError

from core.selectors import court_get_by_code
from core.services.people import api_client_create


class Command(BaseCommand):
    help = "Create an API client bound to a court. The key is the last word of the last line."

    def add_arguments(self, parser):
        parser.add_argument("--court", required=True, help="法院代字, e.g. 鲁0102")
        parser.add_argument("--name", required=True)

    def handle(self, *args, court: str, name: str, **options):
        bound = court_get_by_code(court)
        if bound is None:
            raise CommandError(f"法院代字不存在：{court}")
        user, key = api_client_create(court=bound, name=name)
        self.stdout.write(f"接口客户端 {user.username} 已创建，绑定 {bound.name}（{bound.code}）。")
        self.stdout.write("密钥只显示这一次，请妥善保存。")
        self.stdout.write(f"Key: {key}")
