from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.exceptions import ApplicationError
from core.services.courts import courts_load_csv


class Command(BaseCommand):
    help = "Load courts from a CSV file with columns code,name,level,parent (UTF-8)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"文件不存在：{file}")
        try:
            count = courts_load_csv(file=file)
        except (ApplicationError, KeyError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 {count} 个法院。"))
