"""Test profile: fast hashing, in-memory e-mail; the database comes from ``DATABASE_URL``."""

from .local import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "zh-hans"

# Every response says how many queries it took (the browser journeys cap it per page).
MIDDLEWARE = ["core.query_count.QueryCountHeaderMiddleware", *MIDDLEWARE]  # noqa: F405

# Hundreds of tests sign in with ``force_login``: two-factor authentication is off here and
# switched on (override_settings) by the tests of tests/accounts that prove it.
TWO_FACTOR_REQUIRED = False
