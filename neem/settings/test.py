"""Tests: fast hashing, in-memory mail, no MFA unless a test turns it on."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
NEEM_ENFORCE_STAFF_MFA = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ACCOUNT_RATE_LIMITS = False
ALLOWED_HOSTS = ["*"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    # The scale-out test queues jobs here for two `db_worker --backend database` processes.
    "database": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
SMS_BACKEND = "participants.sms.LocmemBackend"
# Tests read figures right after writing them inside one transaction (no commit, so no cache bump).
NEEM_FIGURE_CACHE_SECONDS = 0
NEEM_BASE_URL = "http://testserver"
WHITENOISE_AUTOREFRESH = True
SECRET_KEY = env("SECRET_KEY", default="test-only-not-secret-neem-0123456789abcdefghijklmnopqrstuvwxyz")
