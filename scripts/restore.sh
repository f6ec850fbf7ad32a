#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh into a FRESH database (and, with the files archive, into empty
# MEDIA_ROOT / PRIVATE_MEDIA_ROOT folders):
#   scripts/restore.sh var/backups/neem-<stamp>.dump postgres://user@host:5432/neem_restored [files.tar.gz]
# The database is created when it does not exist; one that already holds tables is refused, so a restore never
# mixes with live data. The checksums beside the dump are verified first. Then point DATABASE_URL at it and run
# `manage.py migrate` (a no-op when the code is the backup's version).
set -euo pipefail

dump=${1:?usage: restore.sh DUMP TARGET_DATABASE_URL [FILES_TAR]}
target=${2:?usage: restore.sh DUMP TARGET_DATABASE_URL [FILES_TAR]}
files=${3:-}
media=${MEDIA_ROOT:-var/media}
private=${PRIVATE_MEDIA_ROOT:-var/private}

sums="${dump%.dump}.sha256"
if [ -f "$sums" ]; then
  (cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$sums")")
fi

name=${target##*/}
name=${name%%\?*}
maintenance="${target%/*}/postgres"
exists=$(psql "$maintenance" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")
if [ "$exists" = "1" ]; then
  tables=$(psql "$target" -tAc "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")
  if [ "$tables" != "0" ]; then
    echo "restore.sh: $name already holds $tables tables; restore into a fresh database" >&2
    exit 2
  fi
else
  psql "$maintenance" -qc "CREATE DATABASE \"$name\""
fi

pg_restore --no-owner --no-acl --exit-on-error --single-transaction --dbname="$target" "$dump"
echo "database restored into $name" >&2

if [ -n "$files" ]; then
  for dir in "$media" "$private"; do
    mkdir -p "$dir"
    if [ -n "$(ls -A "$dir")" ]; then
      echo "restore.sh: $dir is not empty; restore the files into empty folders" >&2
      exit 2
    fi
  done
  tar --extract --gzip --file="$files" -C "$media" --strip-components=1 media
  tar --extract --gzip --file="$files" -C "$private" --strip-components=1 private
  echo "files restored into $media and $private" >&2
fi
