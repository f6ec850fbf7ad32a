#!/usr/bin/env bash
# Back up Neem: the PostgreSQL database (pg_dump custom format) and the uploaded files (MEDIA_ROOT and the
# participants' private documents, PRIVATE_MEDIA_ROOT) into DEST (default var/backups), timestamped:
#   neem-<UTC stamp>.dump        the database (restore with scripts/restore.sh)
#   neem-<UTC stamp>-files.tar.gz   media/ and private/
#   neem-<UTC stamp>.sha256      checksums of both
# Reads DATABASE_URL (postgres://...), MEDIA_ROOT and PRIVATE_MEDIA_ROOT from the environment (defaults: var/media,
# var/private, as in the settings). Prints the stamp on the last line. Where uploads live on S3-compatible
# storage (NEEM_S3_BUCKET), the bucket is backed up by its own versioning/replication and the tar is left out.
set -euo pipefail
cd "$(dirname "$0")/.."

dest=${1:-var/backups}
: "${DATABASE_URL:?Set DATABASE_URL to the PostgreSQL database to back up}"
case "$DATABASE_URL" in
  postgres://* | postgresql://*) ;;
  *) echo "backup.sh: DATABASE_URL is not PostgreSQL ($DATABASE_URL)" >&2; exit 2 ;;
esac
media=${MEDIA_ROOT:-var/media}
private=${PRIVATE_MEDIA_ROOT:-var/private}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dest"

# A consistent snapshot of the whole database (pg_dump runs in one repeatable-read transaction).
pg_dump --format=custom --no-owner --no-acl --file="$dest/neem-$stamp.dump" "$DATABASE_URL"

files=()
if [ -z "${NEEM_S3_BUCKET:-}" ]; then
  staging=$(mktemp -d)
  trap 'rm -rf "$staging"' EXIT
  mkdir -p "$media" "$private"
  ln -s "$(cd "$media" && pwd)" "$staging/media"
  ln -s "$(cd "$private" && pwd)" "$staging/private"
  tar --create --gzip --dereference --file="$dest/neem-$stamp-files.tar.gz" -C "$staging" media private
  files=("neem-$stamp-files.tar.gz")
fi

(cd "$dest" && sha256sum "neem-$stamp.dump" "${files[@]}" > "neem-$stamp.sha256")
echo "backup written to $dest: neem-$stamp.dump ${files[*]}" >&2
echo "$stamp"
