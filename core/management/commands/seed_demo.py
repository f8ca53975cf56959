import importlib
import importlib.util

from django.core.management.base import BaseCommand
from django.utils import translation

from core.demo import DEMO_PASSWORD, demo_logins, demo_logins_markdown, demo_logins_table, seed_demo_people


class Command(BaseCommand):
    help = "Create the demo province (Shandong courts, one user per role). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--readme-table",
            action="store_true",
            help="Print the README's Markdown table of demo logins and change nothing.",
        )
        parser.add_argument("--port", type=int, default=8000, help="The port the login address names.")

    def handle(self, *args, **options):
        # The logins table is for a Chinese court: role names in Chinese whatever the shell's locale.
        with translation.override("zh-hans"):
            if options["readme_table"]:
                self.stdout.write(demo_logins_markdown(demo_logins()), ending="")
                return
            logins = seed_demo_people()
            # Later issues add cases, funds and reviews through their own seeders.
            # dualcheck last: its demo takes up the petition the supervision demo flags.
            for app in ("enforcement", "custody_funds", "supervision", "dualcheck", "documents"):
                if importlib.util.find_spec(f"{app}.demo") is not None:
                    importlib.import_module(f"{app}.demo").seed()
            self.stdout.write(
                self.style.SUCCESS(f"演示数据已就绪。登录地址 http://127.0.0.1:{options['port']}/login/")
            )
            self.stdout.write(f"所有演示账号的密码：{DEMO_PASSWORD}")
            for line in demo_logins_table(logins):
                self.stdout.write(line)
