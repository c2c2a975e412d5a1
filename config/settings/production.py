"""Production profile: passes ``manage.py check --deploy`` with no warnings.

Required environment — the profile refuses to start without it: ``SECRET_KEY`` (50+ random
characters), ``ALLOWED_HOSTS``, ``DATABASE_URL`` (PostgreSQL).
``config/wsgi.py`` and ``config/asgi.py`` use this profile
unless ``DJANGO_SETTINGS_MODULE`` says otherwise. TLS is expected to end at this process or a
proxy that sets ``X-Forwarded-Proto``.
"""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
DEMO_DATA_ALLOWED = False
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("Set SECRET_KEY to a random string of at least 50 characters.")
if not ALLOWED_HOSTS:  # noqa: F405
    raise ImproperlyConfigured("Set ALLOWED_HOSTS to the host names this site answers to.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("Set DATABASE_URL to the PostgreSQL database (postgres://…).")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

WHITENOISE_USE_FINDERS = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind the nginx of docs/deploy.md every request comes from the proxy's address: django-axes
# reads the client's address from the header nginx sets (and overwrites) instead.
AXES_CLIENT_IP_HEADER = os.environ.get("AXES_CLIENT_IP_HEADER", "HTTP_X_REAL_IP")
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    (AXES_CLIENT_IP_HEADER, "REMOTE_ADDR") if AXES_CLIENT_IP_HEADER else ("REMOTE_ADDR",)
)
