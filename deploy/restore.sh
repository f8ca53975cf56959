#!/usr/bin/env bash
# Restore a dump from deploy/backup.sh into an EMPTY database, bring the schema to the
# code's version, re-grant the application role, and verify the node-event hash chain.
#   DATABASE_URL=postgres://…/zhixing_restored deploy/restore.sh backups/zhixing-….dump [app_role]
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL of the empty target database}"
dump="${1:?dump file}"
role="${2:-}"
here="$(cd "$(dirname "$0")/.." && pwd)"
python="${PYTHON:-$here/.venv/bin/python}"
[ -x "$python" ] || python=python
pg_restore --exit-on-error --no-owner --no-privileges --dbname="$DATABASE_URL" "$dump"
"$python" "$here/manage.py" migrate --noinput
if [ -n "$role" ]; then "$python" "$here/manage.py" grant_app_role "$role"; fi
"$python" "$here/manage.py" audit_chain
