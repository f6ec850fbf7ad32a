"""Settings shared by every environment. Values come from the environment (django-environ)."""

from pathlib import Path

import environ

from neem import languages

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("SECRET_KEY", default="dev-only-not-secret-neem-0123456789abcdefghijklmnopqrstuvwxyz")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "neem",
    "coaching",
    "loans",
    "plans",
    "healthchecks",
    "portfolio",
    "outcomes",
    "participants",
    "api",
    "banking",
    "privacy",
    "cms",
    "perf",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_fsm",
    "simple_history",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_tasks",
    "django_tasks_db",
    "django.forms",  # Django's widget templates for FORM_RENDERER
    "ninja",  # the REST API's Swagger UI from its own static files (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "neem.csp.ContentSecurityPolicyMiddleware",
    "neem.middleware.RefuseNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "neem.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "neem.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "neem.middleware.StaffMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# Widgets render with the project's template engine, so templates/django/forms/ can override Django's widget
# templates; "django.forms" in INSTALLED_APPS provides the rest. The common ones (input, textarea, select) are
# written in Python with the same markup, unless overridden (neem/forms.py; manage.py bench).
FORM_RENDERER = "neem.forms.NeemFormRenderer"

ROOT_URLCONF = "neem.urls"
WSGI_APPLICATION = "neem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "neem.context_processors.navigation",
            ],
            # {% field_row %} and {% fields %} on every page without a {% load %}.
            "builtins": ["neem.templatetags.neem_fields"],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'neem.sqlite3'}"),
}


def tune_sqlite(databases: dict) -> None:
    """A server and a task worker share the SQLite file: WAL, a busy timeout, immediate transactions."""
    for db in databases.values():
        if db["ENGINE"] == "django.db.backends.sqlite3":
            options = db.setdefault("OPTIONS", {})
            options.setdefault("transaction_mode", "IMMEDIATE")
            options.setdefault("timeout", 20)
            options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        else:
            db.setdefault("CONN_MAX_AGE", 60)
            db.setdefault("CONN_HEALTH_CHECKS", True)
        if db["ENGINE"] == "django.db.backends.postgresql":
            # JIT compilation costs a second or more on the aggregate queries of the figures pages and
            # pays off only on long analytical queries (manage.py bench).
            db.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
            # Every select of a form (ModelChoiceField) reads its choices with `.iterator()`, which on PostgreSQL
            # is a server-side cursor WITH HOLD: DECLARE, FETCH and CLOSE, three round trips where one does (and
            # not usable behind a transaction-pooling PgBouncer). Nothing here streams a result too big to hold.
            db.setdefault("DISABLE_SERVER_SIDE_CURSORS", True)


tune_sqlite(DATABASES)

# The caseload's covering index (`INCLUDE`, coaching/0010) is a PostgreSQL one: SQLite builds it on its key columns
# alone, which is all `make run` needs; its warning would greet every start of the demo.
SILENCED_SYSTEM_CHECKS = ["models.W040"] if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3" else []

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "neem.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Languages -------------------------------------------------------------------------------
LANGUAGE_CODE = "en"
# English (the source) and every language with a directory in locale/ (see neem/languages.py and the
# README, "Adding a language"): a new language needs its catalogue, nothing else. NEEM_LANGUAGES narrows it.
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGES = languages.discover(LOCALE_PATHS[0], only=env.list("NEEM_LANGUAGES", default=[]))
RTL_LANGUAGES = languages.RTL_LANGUAGES
LANGUAGES_BIDI = sorted(RTL_LANGUAGES)
USE_I18N = True
TIME_ZONE = "Europe/Stockholm"
USE_TZ = True

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Participants' documents: outside MEDIA_ROOT and the web root, served only through a checking view.
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=str(VAR_DIR / "private"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": "/no-public-url/"},
}
STORAGES["private"] = PRIVATE_STORAGE


def s3_storages(bucket: str) -> dict:
    """Uploads on S3-compatible object storage (django-storages), so several app servers share them.

    Public media under `media/`, participants' documents under `private/` (never public: served through the
    checking view, or by short-lived signed URLs). Credentials come from boto3's usual places
    (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or an instance role); AWS_S3_ENDPOINT_URL points at MinIO,
    Ceph, Scaleway, ...
    """
    common = {
        "bucket_name": bucket,
        "endpoint_url": env("AWS_S3_ENDPOINT_URL", default="") or None,
        "region_name": env("AWS_S3_REGION_NAME", default="") or None,
        "default_acl": None,  # the bucket's policy decides (private)
        "querystring_auth": True,
        "querystring_expire": 300,
        "file_overwrite": False,
    }
    backend = "storages.backends.s3.S3Storage"
    return {
        "default": {"BACKEND": backend, "OPTIONS": {**common, "location": "media"}},
        "private": {"BACKEND": backend, "OPTIONS": {**common, "location": "private"}},
    }


NEEM_S3_BUCKET = env("NEEM_S3_BUCKET", default="")
if NEEM_S3_BUCKET:
    STORAGES.update(s3_storages(NEEM_S3_BUCKET))
    PRIVATE_STORAGE = STORAGES["private"]

# --- Accounts (django-allauth) -----------------------------------------------------------------
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_ADAPTER = "neem.adapters.AccountAdapter"
# allauth's own limits are the only login throttle (README, "Security"): they count in the cache, so
# production needs a shared CACHE_URL (Redis) for the counts to hold across gunicorn workers.
ACCOUNT_RATE_LIMITS = {
    # Failed logins: 5 per 5 minutes per account stops guessing one password, and a lock-out an
    # attacker causes lasts minutes, not a day; 20 a minute per address leaves room for a coaching
    # session whose participants share one Wi-Fi address and mistype. allauth counts failed TOTP
    # codes under this limit too.
    "login_failed": "20/m/ip,5/5m/key",
    # Successful logins: a cohort of 30-40 logging in together from one venue.
    "login": "60/m/ip",
    # Password-reset e-mails: 3 an hour to one address, so the form cannot be used to flood her inbox.
    "reset_password": "20/m/ip,3/h/key",
    "reset_password_from_key": "20/m/ip",
    # Re-entering the password before changing the TOTP device or e-mail: as allauth, per user.
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
}
# Participants join through an invitation or a workshop sign-up, not an open form.
NEEM_OPEN_SIGNUP = env.bool("NEEM_OPEN_SIGNUP", default=False)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Neem"
# Staff must set up TOTP before using the app when this is on and their programme requires it.
NEEM_ENFORCE_STAFF_MFA = env.bool("NEEM_ENFORCE_STAFF_MFA", default=True)

# --- E-mail ------------------------------------------------------------------------------------
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Neem <no-reply@neem.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail -----------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Neem"
WAGTAILADMIN_BASE_URL = env("WAGTAILADMIN_BASE_URL", default="http://127.0.0.1:8000")
# Wagtail's own login URL is served by neem.views.admin_login_door, which sends people on to allauth.
WAGTAILADMIN_LOGIN_URL = "wagtailadmin_login"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
# The public site in every language of LANGUAGES: editors add a locale in Settings → Locales and
# translate pages with "Translate" (wagtail.contrib.simple_translation). URLs are /en/..., /sv/...
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# Every image needs its alt text (Wagtail's "description" field, made required by this form).
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Passwords and e-mail addresses are changed and reset through allauth (its rate limits, re-entering
# the password, verified addresses), not Wagtail's own account forms; no staff e-mail hashes to
# Gravatar, no call home for Wagtail's update check (and no outside origin in the CSP).
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "key", "odt", "pdf", "pptx", "rtf", "txt", "xlsx", "zip"]

# --- Caches and sessions -----------------------------------------------------------------------
CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}
# Aggregate figures (portfolio, outcomes dashboard) are cached this long at most; any committed write makes
# them stale at once (perf/figcache.py). 0 turns the cache off.
NEEM_FIGURE_CACHE_SECONDS = env.int("NEEM_FIGURE_CACHE_SECONDS", default=600)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Upload limits. A request body other than files is refused (400) beyond 5 MB; uploaded files are
# kept in memory up to 2.5 MB and streamed to a temporary file beyond; at most 20 files and 2,000 fields
# in one request. Each upload form has its own limit on top: documents NEEM_DOCUMENT_MAX_BYTES,
# curriculum files NEEM_CURRICULUM_FILE_MAX_BYTES, the participant import 2 MB, Wagtail images
# WAGTAILIMAGES_MAX_UPLOAD_SIZE. The proxy in front caps the whole request (README, "Security").
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = int(2.5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20

# --- Background tasks (django-tasks backport; `manage.py db_worker` runs them) ------------------
# Wagtail's own tasks (reference index, file clean-up) use this backend too: the worker runs them.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# --- Reminders and SMS ---------------------------------------------------------------------------
# Links in e-mails sent from the daily run and tasks (no request to build them from).
NEEM_BASE_URL = env("NEEM_BASE_URL", default=WAGTAILADMIN_BASE_URL)
SMS_BACKEND = env("SMS_BACKEND", default="participants.sms.ConsoleBackend")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env("SMS_GATEWAY_TOKEN", default="")
NEEM_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
NEEM_CURRICULUM_FILE_MAX_BYTES = 20 * 1024 * 1024
NEEM_CHECK_IN_LINK_DAYS = 60

# --- Neem --------------------------------------------------------------------------------------
NEEM_CASELOAD_PAGE_SIZE = 25
# Public sign-up forms: at most this many sign-ups per hour from one IP address and for one e-mail address,
# and none sent faster than this many seconds after the form was shown (people need longer; bots do not).
NEEM_SIGNUP_LIMIT_PER_IP = env.int("NEEM_SIGNUP_LIMIT_PER_IP", default=20)
NEEM_SIGNUP_LIMIT_PER_EMAIL = env.int("NEEM_SIGNUP_LIMIT_PER_EMAIL", default=5)
NEEM_SIGNUP_MIN_SECONDS = 1.5

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- Online repayments (Stripe) ------------------------------------------------------------------
# Without the keys Neem works as before and simply does not offer online payment.
STRIPE_SECRET_KEY = env("STRIPE_SECRET_KEY", default="")
STRIPE_PUBLISHABLE_KEY = env("STRIPE_PUBLISHABLE_KEY", default="")
STRIPE_WEBHOOK_SECRET = env("STRIPE_WEBHOOK_SECRET", default="")
# Another Stripe-protocol server (localstripe in tests); empty means Stripe itself.
STRIPE_API_BASE = env("STRIPE_API_BASE", default="")
STRIPE_JS_URL = env("STRIPE_JS_URL", default="https://js.stripe.com/v3/")
# The API version of the installed SDK (stripe 16.1.0). Webhook events of any other version are refused:
# create the webhook endpoint with this version so its payloads have the shape the handlers read.
STRIPE_API_VERSION = "2026-10-28.endive"
