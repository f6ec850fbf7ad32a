"""The app keeps no state of its own: sessions in the database, cache and rate limits in CACHE_URL (Redis),
uploads on S3-compatible storage when NEEM_S3_BUCKET is set (configuration only: no S3 server here)."""

from __future__ import annotations

import environ
from django.conf import settings
from django.core.files.storage import storages

from neem.settings import base


def test_sessions_live_in_the_database_not_in_a_process():
    assert settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cache",
        "django.contrib.sessions.backends.cached_db",
    }


def test_a_redis_cache_url_gives_djangos_own_redis_cache():
    config = environ.Env.cache_url_config("redis://127.0.0.1:6379/5")
    assert config == {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/5"}


def test_an_s3_bucket_puts_media_and_private_documents_on_object_storage(monkeypatch):
    monkeypatch.setenv("AWS_S3_ENDPOINT_URL", "https://s3.example.org")
    monkeypatch.setenv("AWS_S3_REGION_NAME", "eu-north-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test-secret")
    config = base.s3_storages("neem-uploads")

    media = storages.create_storage(config["default"])
    private = storages.create_storage(config["private"])

    assert type(media).__name__ == "S3Storage"
    assert (media.bucket_name, media.location, media.endpoint_url) == (
        "neem-uploads",
        "media",
        "https://s3.example.org",
    )
    assert (private.bucket_name, private.location) == ("neem-uploads", "private")
    assert private.default_acl is None and private.querystring_auth and not private.file_overwrite
    # Links to a private document are signed and expire (made offline, no request to S3).
    url = private.url("documents/id.pdf")
    assert url.startswith("https://s3.example.org/neem-uploads/private/documents/id.pdf?")
    assert "Signature=" in url or "X-Amz-Signature=" in url


def test_production_settings_put_uploads_on_s3_when_a_bucket_is_set():
    import json
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "neem.settings.production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "neem.example.org",
        "DATABASE_URL": "postgres://neem@db.example.org:5432/neem",
        "NEEM_S3_BUCKET": "neem-uploads",
    }
    code = "import django, json; django.setup(); from django.conf import settings; print(json.dumps(settings.STORAGES))"
    out = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=env, cwd=settings.BASE_DIR, check=True, capture_output=True, text=True
    ).stdout
    configured = json.loads(out)
    assert configured["default"]["BACKEND"] == configured["private"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert configured["private"]["OPTIONS"]["location"] == "private"
    assert configured["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
