"""scripts/backup.sh and scripts/restore.sh: a backup restored into a fresh database has the same rows and
balances, and the uploaded files come back byte for byte (PostgreSQL only)."""

from __future__ import annotations

import os
import subprocess
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from perf.dataset import generate

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL"),
]

SCRIPTS = Path(settings.BASE_DIR) / "scripts"


def url_of(name: str) -> str:
    s = connection.settings_dict
    user = s["USER"] or "postgres"
    password = f":{s['PASSWORD']}" if s["PASSWORD"] else ""
    return f"postgres://{user}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def table_counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as db:
        tables = [r[0] for r in db.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # noqa: S608


def balances(url: str) -> dict[int, tuple]:
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT loan_id, sum(principal), sum(interest), sum(fee), sum(penalty), sum(credit) "
            "FROM loans_ledgerentry GROUP BY loan_id"
        )
        return {row[0]: row[1:] for row in rows}


def test_a_backup_restores_into_a_fresh_database_with_the_same_rows_balances_and_files(tmp_path):
    generate(0.002, progress=StringIO().write)  # participants, cases, timeline, loans, ledger
    media, private = tmp_path / "media", tmp_path / "private"
    (media / "images").mkdir(parents=True)
    (media / "images" / "story.jpg").write_bytes(b"\xff\xd8 a picture")
    (private / "documents").mkdir(parents=True)
    (private / "documents" / "id.pdf").write_bytes(b"%PDF-1.7 her papers")
    source = url_of(connection.settings_dict["NAME"])
    backups = tmp_path / "backups"
    env = {**os.environ, "DATABASE_URL": source, "MEDIA_ROOT": str(media), "PRIVATE_MEDIA_ROOT": str(private)}
    env.pop("NEEM_S3_BUCKET", None)

    stamp = subprocess.run(  # noqa: S603
        [SCRIPTS / "backup.sh", backups], env=env, check=True, capture_output=True, text=True
    ).stdout.split()[-1]

    dump, files = backups / f"neem-{stamp}.dump", backups / f"neem-{stamp}-files.tar.gz"
    assert dump.exists() and files.exists() and (backups / f"neem-{stamp}.sha256").exists()
    fresh = f"{connection.settings_dict['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    target = url_of(fresh)
    restored_media, restored_private = tmp_path / "r-media", tmp_path / "r-private"
    restore_env = {**env, "MEDIA_ROOT": str(restored_media), "PRIVATE_MEDIA_ROOT": str(restored_private)}
    try:
        subprocess.run([SCRIPTS / "restore.sh", dump, target, files], env=restore_env, check=True)  # noqa: S603

        counts = table_counts(target)
        assert counts == table_counts(source)
        assert counts["coaching_casefile"] > 0 and counts["loans_ledgerentry"] > 0
        assert balances(target) == balances(source)
        assert (restored_media / "images" / "story.jpg").read_bytes() == b"\xff\xd8 a picture"
        assert (restored_private / "documents" / "id.pdf").read_bytes() == b"%PDF-1.7 her papers"

        # A second restore into a database that now holds data is refused: nothing is mixed.
        again = subprocess.run(  # noqa: S603
            [SCRIPTS / "restore.sh", dump, target], env=restore_env, capture_output=True, text=True
        )
        assert again.returncode == 2 and "fresh database" in again.stderr
    finally:
        connection.close()
        with psycopg.connect(url_of("postgres"), autocommit=True) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
