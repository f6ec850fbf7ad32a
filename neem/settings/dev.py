"""Development: the default for manage.py. E-mail to the console, MFA not required."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
NEEM_ENFORCE_STAFF_MFA = env.bool("NEEM_ENFORCE_STAFF_MFA", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]", "testserver"])
ACCOUNT_RATE_LIMITS = {"login_failed": "100/m/ip,20/5m/key"}
