import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core.calendar_notice import parse_notice
from core.exceptions import ApplicationError
from core.services.calendar import (
    calendar_differences_from_prediction,
    calendar_load_from_package,
    calendar_load_recompute,
    calendar_year_load,
    package_years,
)


class Command(BaseCommand):
    help = (
        "Load the working calendar. With --notice FILE: a year from the State Council's "
        "notice text (--dry-run shows what it means without loading; --format json prints "
        '{"year", "holidays", "workdays", ...}). Without it: from chinese-calendar for every '
        "year it covers, or the given --year; years already loaded are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--notice", type=Path, help="国务院办公厅放假安排通知全文（UTF-8 文本文件）")
        parser.add_argument("--dry-run", action="store_true", help="只解析并显示，不载入")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--year", type=int, action="append", dest="years")
        parser.add_argument("--force", action="store_true")

    def handle(self, *args, notice=None, dry_run=False, format="text", years=None, force=False, **options):
        if notice is not None:
            return self._from_notice(notice, dry_run=dry_run, as_json=format == "json")
        written = calendar_load_from_package(years=years, force=force)
        available = package_years()
        if years:
            for year in sorted(set(years) - set(available)):
                self.stderr.write(
                    self.style.WARNING(
                        f"{year} 年不在 chinese-calendar 的数据中（覆盖 {available[0]}–{available[-1]}），"
                        "请用 --notice 载入国务院办公厅的放假安排通知，或在“载入年度节假日安排”页面粘贴通知。"
                    )
                )
        self.stdout.write(self.style.SUCCESS(f"已载入年度：{', '.join(map(str, written)) or '无新增'}"))

    def _from_notice(self, path: Path, *, dry_run: bool, as_json: bool) -> None:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"无法读取通知文件 {path}：{exc}") from exc
        try:
            parsed = parse_notice(text)
        except ApplicationError as exc:
            raise CommandError(str(exc.message)) from exc
        holidays, workdays = list(parsed.holidays), list(parsed.workdays)
        differences = calendar_differences_from_prediction(year=parsed.year, holidays=holidays, workdays=workdays)
        result: dict[str, Any] = {
            "year": parsed.year,
            "holidays": [d.isoformat() for d in holidays],
            "workdays": [d.isoformat() for d in workdays],
            "differences_from_prediction": [d.as_dict() for d in differences],
        }
        if not dry_run:
            with transaction.atomic():
                load = calendar_year_load(
                    year=parsed.year,
                    holidays=holidays,
                    workdays=workdays,
                    actor=None,
                    source="国务院办公厅通知",
                    notice_text=text,
                    check_permission=False,  # shell access to the server is the permission
                    recompute_in_background=False,
                )
            load = calendar_load_recompute(load_id=load.pk)
            result["recompute"] = {
                "total": load.total,
                "moved_earlier": load.moved_earlier,
                "moved_later": load.moved_later,
                "now_overdue": load.now_overdue,
                "settled": load.settled,
            }
        if as_json:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(f"{parsed.year} 年：放假 {len(holidays)} 天，调休上班 {len(workdays)} 天。")
        for item in parsed.items:
            rest = "、".join(d.strftime("%m-%d") for d in item.rest_days)
            work = "、".join(d.strftime("%m-%d") for d in item.workdays)
            self.stdout.write(f"  {item.name}：放假 {rest}" + (f"；上班 {work}" if work else ""))
        self.stdout.write(f"与预测日历不同的日期：{len(differences)} 天")
        for diff in differences:
            self.stdout.write(
                f"  {diff.date.isoformat()} 通知为{'上班' if diff.official_working else '休息'}，"
                f"预测为{'上班' if diff.predicted_working else '休息'}"
            )
        if dry_run:
            self.stdout.write("（试解析，未载入）")
            return
        report = result["recompute"]
        self.stdout.write(
            self.style.SUCCESS(
                f"已载入 {parsed.year} 年。重算期限 {report['total']} 个：提前 {report['moved_earlier']}，"
                f"推后 {report['moved_later']}，因此超期 {report['now_overdue']}，不再暂定 {report['settled']}。"
            )
        )
