#!/usr/bin/env bash
# First start of the PostgreSQL container: the application's own login role. The
# schema belongs to $POSTGRES_USER (migrations run as it); `manage.py grant_app_role`
# (the compose `migrate` service) then gives this role what it may do.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE zhixing_app LOGIN PASSWORD '${APP_DB_PASSWORD}';
GRANT CONNECT ON DATABASE ${POSTGRES_DB} TO zhixing_app;
SQL
