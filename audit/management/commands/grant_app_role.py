"""Give the application's database role what it needs and no more.

The schema belongs to the migration role (the one ``migrate`` runs as); the running
application connects as ``ROLE`` and gets SELECT/INSERT/UPDATE/DELETE on the tables, but
only SELECT and INSERT on the append-only ones (every model with a pgtrigger ``Protect``
on UPDATE and DELETE: node events, their seals, the audit trail, ledger postings and legs,
confidential reads). So even a dropped trigger would not let the application rewrite
history. Run after every ``migrate``; idempotent.

    manage.py grant_app_role zhixing_app
"""

import pgtrigger
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from psycopg2 import sql


def append_only_tables() -> list[str]:
    tables = []
    for model in apps.get_models():
        for trigger in getattr(model._meta, "triggers", []):
            if isinstance(trigger, pgtrigger.Protect) and {"UPDATE", "DELETE"} <= set(
                str(trigger.operation).split(" OR ")
            ):
                tables.append(model._meta.db_table)
                break
    return sorted(tables)


class Command(BaseCommand):
    help = "为应用数据库角色授权：只追加的表只给 SELECT 和 INSERT。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("role")

    def handle(self, *args, role: str, **options) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role needs PostgreSQL")
        name = sql.Identifier(role)
        protected = append_only_tables()
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"role {role} does not exist (CREATE ROLE {role} LOGIN PASSWORD '…')")
            cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name))
            cursor.execute(
                sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(name)
            )
            cursor.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name))
            for table in protected:
                cursor.execute(
                    sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(sql.Identifier(table), name)
                )
        self.stdout.write(f"granted {role}; append-only: {', '.join(protected)}")
