import importlib
import importlib.util

from django.core.management.base import BaseCommand

from core.demo import DEMO_PASSWORD, seed_demo_people


class Command(BaseCommand):
    help = "Create the demo province (Shandong courts, one user per role). Idempotent."

    def handle(self, *args, **options):
        logins = seed_demo_people()
        # Later issues add cases, funds and reviews through their own seeders.
        # dualcheck last: its demo takes up the petition the supervision demo flags.
        for app in ("enforcement", "custody_funds", "supervision", "dualcheck", "documents"):
            if importlib.util.find_spec(f"{app}.demo") is not None:
                importlib.import_module(f"{app}.demo").seed()
        self.stdout.write(self.style.SUCCESS("演示数据已就绪。登录地址 http://127.0.0.1:8000/login/"))
        self.stdout.write(f"所有演示账号的密码：{DEMO_PASSWORD}")
        self.stdout.write(f"{'用户名':<22}{'法院':<10}{'角色':<14}姓名")
        for login in logins:
            self.stdout.write(f"{login.username:<25}{login.court:<12}{login.role:<14}{login.name}")
