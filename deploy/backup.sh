#!/usr/bin/env bash
# A compressed custom-format dump of the database (pg_dump -Fc), named by the time it
# was taken, kept for BACKUP_KEEP_DAYS. Run daily (the compose `backup` service does,
# at BACKUP_AT); restore with deploy/restore.sh. Usage:
#   DATABASE_URL=postgres://… BACKUP_DIR=/backups deploy/backup.sh
set -euo pipefail
: "${DATABASE_URL:?DATABASE_URL}"
dir="${BACKUP_DIR:-./backups}"
keep="${BACKUP_KEEP_DAYS:-30}"
mkdir -p "$dir"
file="$dir/zhixing-$(date -u +%Y%m%dT%H%M%SZ).dump"
pg_dump --format=custom --no-owner --no-privileges --file="$file.partial" "$DATABASE_URL"
pg_restore --list "$file.partial" >/dev/null  # a dump that cannot be read is no backup
mv "$file.partial" "$file"
find "$dir" -name 'zhixing-*.dump' -mtime +"$keep" -delete
echo "$file"
