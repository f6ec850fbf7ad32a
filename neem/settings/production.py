"""Production: SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL are required; the rest has safe defaults."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASES, NEEM_S3_BUCKET, PRIVATE_STORAGE, env, s3_storages, tune_sqlite

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
    if not env.str(_name, default=""):
        raise ImproperlyConfigured(f"Set the {_name} environment variable to run Neem in production.")

DEBUG = False
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES["default"] = env.db("DATABASE_URL")
tune_sqlite(DATABASES)

NEEM_ENFORCE_STAFF_MFA = env.bool("NEEM_ENFORCE_STAFF_MFA", default=True)

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Neem runs behind one TLS proxy that appends the client's address to X-Forwarded-For: allauth's
# per-address login limits must count the client, not the proxy (else one address for everybody).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=1)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
if NEEM_S3_BUCKET:  # several app servers: uploads on S3-compatible storage (base.s3_storages)
    STORAGES.update(s3_storages(NEEM_S3_BUCKET))
SMS_BACKEND = env("SMS_BACKEND", default="participants.sms.HttpGatewayBackend")
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
LOGGING["root"]["level"] = env("LOG_LEVEL", default="INFO")  # noqa: F405
