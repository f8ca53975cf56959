from django.core.management.base import BaseCommand

from core.services.calendar import calendar_load_from_package, package_years


class Command(BaseCommand):
    help = (
        "Load the working calendar (holidays and 调休 make-up days) from chinese-calendar "
        "for every year it covers, or the given years. Years already loaded are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", dest="years")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, years=None, force=False, **options):
        written = calendar_load_from_package(years=years, force=force)
        available = package_years()
        if years:
            missing = sorted(set(years) - set(available))
            for year in missing:
                self.stderr.write(
                    self.style.WARNING(
                        f"{year} 年不在 chinese-calendar 的数据中（覆盖 {available[0]}–{available[-1]}），"
                        "请在管理后台按国务院通知录入该年节假日并标记为已载入。"
                    )
                )
        self.stdout.write(self.style.SUCCESS(f"已载入年度：{', '.join(map(str, written)) or '无新增'}"))
