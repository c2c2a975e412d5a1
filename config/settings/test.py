"""Test profile: fast hashing, in-memory e-mail; the database comes from ``DATABASE_URL``."""

import warnings

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LANGUAGE_CODE = "zh-hans"

# WhiteNoise warns once per middleware instance when STATIC_ROOT has not been collected yet;
# tests serve static files through the finders instead.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
