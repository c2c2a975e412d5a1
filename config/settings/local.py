"""Development and demo profile (what ``manage.py`` uses by default): SQLite unless
``DATABASE_URL`` says otherwise, DEBUG on, a development secret key, local hosts only, and the
demo company allowed. Never serve the public with it."""

import os

from .base import *  # noqa: F403
from .base import env_bool, env_list

SECRET_KEY = os.environ.get("SECRET_KEY") or "dev-only-insecure-key-change-me"
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
DEMO_DATA_ALLOWED = True
# Password-reset e-mails are printed on the console of the development server.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
