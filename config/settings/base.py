"""Settings shared by every profile, driven by environment variables.

Profiles: ``local`` (development and the demo: SQLite by default, DEBUG on, a public
development key — what ``manage.py`` uses unless told otherwise), ``test`` (the suite) and
``production`` (what ``config/wsgi.py`` and ``config/asgi.py`` use unless told otherwise; it
refuses to start without its secrets). This module fails closed: DEBUG off, no secret key, no
allowed host, no demo data — a profile has to turn each on.

Every value that differs between machines comes from the environment:

``SECRET_KEY``, ``DEBUG``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` (defaults to ``db.sqlite3``
in the project folder outside production), ``CSRF_TRUSTED_ORIGINS``, ``TIME_ZONE``,
``MEDIA_ROOT``, ``PRIVATE_MEDIA_ROOT``, ``COMPANY_NAME``, ``COMPANY_NAME_EN``,
``LETTER_NUMBER_PREFIX``, ``SITE_URL`` (printed in letters' verification QR codes),
``ADMIN_URL`` (where the admin lives, default ``admin/``), ``LOG_LEVEL``; sign-in and accounts
(docs/security.md): ``AXES_FAILURE_LIMIT``, ``AXES_COOLOFF_MINUTES``, ``AXES_CLIENT_IP_HEADER``,
``API_TOKEN_TTL_HOURS``, ``SESSION_IDLE_TIMEOUT``, ``SESSION_ABSOLUTE_LIFETIME``,
``TWO_FACTOR_REQUIRED``, ``TWO_FACTOR_ROLES``, ``TWO_FACTOR_ISSUER``; mail (password reset):
``EMAIL_BACKEND``, ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
``EMAIL_USE_TLS``, ``EMAIL_USE_SSL``, ``EMAIL_TIMEOUT``, ``EMAIL_SUBJECT_PREFIX``,
``DEFAULT_FROM_EMAIL``; notifications (docs/notifications.md): ``NOTIFY_WEBHOOK_URL``,
``NOTIFY_WEBHOOK_STYLE``, ``NOTIFY_WEBHOOK_ALLOWED_HOSTS``, ``NOTIFY_RETRY_BASE_SECONDS``,
``NOTIFY_MAX_ATTEMPTS``, ``NOTIFY_REMIND_DAYS_BEFORE``; background work (docs/deploy.md):
``TASKS_BACKEND``, ``REDIS_URL``, ``RQ_JOB_TIMEOUT``, ``JOBS_WORKER_STALE_MINUTES``; sessions:
``SESSION_STORE``; PostgreSQL: ``CONN_MAX_AGE``, ``DATABASE_PREPARE_THRESHOLD``.
"""

import datetime as dt
import json
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# ``manage.py seed_demo`` builds the fictitious demo company only where a profile allows it.
DEMO_DATA_ALLOWED = False
# The admin's path (without the leading slash); moving it off ``admin/`` keeps scanners away.
ADMIN_URL = os.environ.get("ADMIN_URL", "admin/").strip("/") + "/"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks",
    "django_tasks_db",
    "csp",
    "core",
    "accounts",
    "org",
    "notifications",
    "competency",
    "kpi",
    "training",
    "committee",
    "certification",
    "reappointment",
    "ranking",
    "pay",
    "jobs",
    "letters",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads the body; after SecurityMiddleware so its refusals carry the
    # security headers too.
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Around everything that may refuse a signed-in or anonymous request (the account gates,
    # the views, DRF — whose token user it reads once the view has run).
    "core.middleware.AccessDenialLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "accounts.middleware.AccountGateMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    # Last, so that it sees the lockout flag set during authentication and answers it.
    "axes.middleware.AxesMiddleware",
]

# --- Sign-in and accounts (docs/security.md, "Sign-in and accounts") ---------------------
# django-axes watches the login page, the API token endpoint and the admin login.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.RolesModelBackend",
]
# Lockout per account + IP address after AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The client's address: REMOTE_ADDR, or first a header that the proxy in front sets itself
# (production: nginx's ``X-Real-IP``, docs/deploy.md) — never one a client could send through.
AXES_CLIENT_IP_HEADER = os.environ.get("AXES_CLIENT_IP_HEADER", "")
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    (AXES_CLIENT_IP_HEADER, "REMOTE_ADDR") if AXES_CLIENT_IP_HEADER else ("REMOTE_ADDR",)
)
# Attempts during a lockout do not push its end further: the time the message gives holds.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_VERBOSE = False
# API tokens (django-rest-knox): one per sign-in, expiring after API_TOKEN_TTL_HOURS.
REST_KNOX = {
    "TOKEN_TTL": dt.timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "10"))),
    "AUTH_HEADER_PREFIX": "Token",
}
# Sessions: signed out after SESSION_IDLE_TIMEOUT seconds without a request and, whatever
# the activity, SESSION_ABSOLUTE_LIFETIME seconds after sign-in.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(30 * 60)))
SESSION_ABSOLUTE_LIFETIME = int(os.environ.get("SESSION_ABSOLUTE_LIFETIME", str(12 * 3600)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME
# Two-factor authentication (TOTP, django-otp): required for these roles, optional for others.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
TWO_FACTOR_ROLES = env_list(
    "TWO_FACTOR_ROLES", "certification_office,leadership_group,administrator"
)
TWO_FACTOR_ISSUER = os.environ.get("TWO_FACTOR_ISSUER", "Ladder")
OTP_TOTP_ISSUER = TWO_FACTOR_ISSUER
# The mail server that sends password-reset links and notifications (local profile: printed
# on the console; tests: the in-memory outbox).
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ladder@localhost")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# Seconds before an unanswering mail server fails the attempt (the worker retries it later).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
EMAIL_SUBJECT_PREFIX = os.environ.get("EMAIL_SUBJECT_PREFIX", "[Ladder] ")

# Content-Security-Policy (django-csp): scripts, styles, fonts and images from this site only —
# no inline script anywhere (page scripts live in static files), no plug-ins, no framing. Inline
# ``style`` attributes stay allowed: server-rendered SVG charts and a few layout tweaks use them,
# and they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
}

ROOT_URLCONF = "config.urls"

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
                "core.context_processors.navigation",
                "org.context_processors.my_staff",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (the dev server, the worker) wait for the lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements (docs/deploy.md, the settings table): the parameters are bound on
    # the server, and a connection prepares a statement once it has run it
    # DATABASE_PREPARE_THRESHOLD times (psycopg's automatic preparation, default 5), so that
    # PostgreSQL no longer parses and plans the queries every request repeats — the signed-in
    # user's staff record: 0.6 ms → 0.2 ms. It pays off with persistent connections
    # (CONN_MAX_AGE). ``0`` (or ``off``) keeps Django's client-side binding: the setting behind
    # a pooler in transaction mode that cannot keep prepared statements.
    _prepare = os.environ.get("DATABASE_PREPARE_THRESHOLD", "5").strip().lower()
    _prepare_threshold = 0 if _prepare in ("", "off") else int(_prepare)
    if _prepare_threshold < 0:
        raise ImproperlyConfigured("DATABASE_PREPARE_THRESHOLD must be 0 (off) or more.")
    if _prepare_threshold:
        DATABASES["default"].setdefault("OPTIONS", {}).update(
            {"server_side_binding": True, "prepare_threshold": _prepare_threshold}
        )
if os.environ.get("TEST_DATABASE_NAME"):
    # Lets parallel test runs on one PostgreSQL server use separate test databases.
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files through the finders until ``collectstatic`` has run (development, tests,
# the fuzz server); production turns this off and serves the collected, hashed files.
WHITENOISE_USE_FINDERS = True
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Application materials and issued letters live outside the web root and are served only
# through views that check scope.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))

# Files, imports and requests (docs/security.md, "Files, imports and exports").
MIB = 1024 * 1024
# A request whose Content-Length is larger is refused with 413 before its body is read
# (core.middleware.RequestSizeLimitMiddleware); gunicorn and nginx enforce the same.
REQUEST_MAX_BYTES = int(os.environ.get("REQUEST_MAX_BYTES", 12 * MIB))
# A non-file request body (form fields, JSON) larger than this is refused by Django.
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * MIB // 2))
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploads above this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * MIB))
FILE_UPLOAD_PERMISSIONS = 0o640
# An uploaded image with more pixels is refused before it is decoded (core.uploads).
UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("UPLOAD_MAX_IMAGE_PIXELS", 40_000_000))
# A DOCX/XLSX whose members unpack to more is refused before anything is decompressed.
UPLOAD_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("UPLOAD_MAX_UNCOMPRESSED_BYTES", 100 * MIB))
# Imports (KPI actuals, training ledger): the file's size and its data rows.
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 10 * MIB))
IMPORT_MAX_ROWS = int(os.environ.get("IMPORT_MAX_ROWS", 50_000))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", 64 * MIB))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

COMPANY_NAME = os.environ.get("COMPANY_NAME", "粤海通信股份有限公司")
COMPANY_NAME_EN = os.environ.get("COMPANY_NAME_EN", "Yuehai Telecom Co., Ltd.")

# Appointment letters (letters app): images are paths under the static folders, the number
# reads ``{prefix}〔{year}〕{seq}号``, and the QR code opens ``{SITE_URL}/letters/verify/{code}/``.
LETTER_LOGO = os.environ.get("LETTER_LOGO", "letters/logo.svg")


def _json_env(name: str) -> dict:
    return json.loads(os.environ.get(name, "") or "{}")


# No seal is drawn: a letter leaves a blank space for the company's stamp unless an
# administrator uploads an electronic seal (letters.LetterSeal, in the admin).
# The signatory block per kind of letter ("default" applies to every kind without its own
# entry); ``LETTER_SIGNATORIES`` in the environment is JSON of the same shape, merged per kind.
LETTER_SIGNATORIES: dict[str, dict[str, str]] = {
    "default": {
        "title": "人力资源部总经理",
        "title_en": "General Manager, Human Resources",
        "name": "",
        "name_en": "",
    },
}
for _kind, _signatory in _json_env("LETTER_SIGNATORIES").items():
    LETTER_SIGNATORIES[_kind] = {**LETTER_SIGNATORIES.get(_kind, {}), **_signatory}
LETTER_NUMBER_PREFIX = os.environ.get("LETTER_NUMBER_PREFIX", "粤海人聘")


# Each kind of letter numbers in the series of its prefix ({prefix}〔{year}〕{seq}号, gapless
# per prefix and year); kinds without an entry use LETTER_NUMBER_PREFIX. Env: JSON, merged.
LETTER_NUMBER_PREFIXES: dict[str, str] = {
    "demotion": "粤海人通",
    "elimination": "粤海人通",
    "recertification": "粤海人认",
    **_json_env("LETTER_NUMBER_PREFIXES"),
}
# The reference to the decision each kind of letter rests on ("default" for kinds without their
# own), per language, where "{meeting}" stands for the leadership group's meeting when the
# letters are issued with one (LETTER_MEETING: "{year}" and "{number}"), else for nothing;
# the copy-to line (抄送), per language; the appeal route printed on
# demotion and elimination notices. Env: JSON of the same shape, merged.
LETTER_DECISION_LINES: dict[str, dict[str, str]] = {
    "default": {
        "zh-hans": "经公司认证领导小组{meeting}研究决定",
        "en": "By decision of the company's certification leadership group{meeting}",
    },
    "renewal": {
        "zh-hans": "经公司聘期届满考核，报认证领导小组{meeting}研究决定",
        "en": "Following the term-end review and by decision of the certification leadership "
        "group{meeting}",
    },
    **_json_env("LETTER_DECISION_LINES"),
}
# Kinds of letter that end with a receipt slip (送达回执) the staff member signs and hands back
# to HR for the file — the adverse notices, whose appeal window runs from their delivery.
# Env: a JSON list that replaces the default.
LETTER_RECEIPT_KINDS: list[str] = json.loads(
    os.environ.get("LETTER_RECEIPT_KINDS", "") or '["demotion", "elimination"]'
)
LETTER_MEETING: dict[str, str] = {
    "zh-hans": "{year}年第{number}次会议",
    "en": " at its meeting no. {number} of {year}",
    **_json_env("LETTER_MEETING"),
}
LETTER_CC: dict[str, str] = {
    "zh-hans": "公司人力资源部，本人所在部门",
    "en": "Human Resources Department; the staff member's department",
    **_json_env("LETTER_CC"),
}
LETTER_APPEAL_ROUTE: dict[str, str] = {
    "zh-hans": "以书面形式向公司认证办公室提出申诉（可在系统“复核认证”页面提交）",
    "en": "in writing to the company's certification office (or on the re-certification page "
    "of the system)",
    **_json_env("LETTER_APPEAL_ROUTE"),
}
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Effective scorers (members minus recusals) a committee panel needs before scoring starts.
COMMITTEE_MIN_PANEL = int(os.environ.get("COMMITTEE_MIN_PANEL", "3"))

# Length of a defence (述职答辩) slot when the office gives no end time, in minutes.
DEFENCE_DEFAULT_MINUTES = int(os.environ.get("DEFENCE_DEFAULT_MINUTES", "30"))

# Re-certification (ranking app): working days a proposed outcome is published for objections,
# and working days after the leadership's approval in which the staff member may appeal (申诉).
RECERT_PUBLICITY_WORKDAYS = int(os.environ.get("RECERT_PUBLICITY_WORKDAYS", "5"))
RECERT_APPEAL_WORKDAYS = int(os.environ.get("RECERT_APPEAL_WORKDAYS", "5"))

# Notifications (docs/notifications.md): an enterprise IM group robot (``wecom`` or
# ``dingtalk`` message format) posted to only when its host is allowed; failed deliveries are
# retried after NOTIFY_RETRY_BASE_SECONDS × 2ⁿ⁻¹, NOTIFY_MAX_ATTEMPTS times in all; reminders
# go out the given numbers of days before a due date.
NOTIFY_WEBHOOK_URL = os.environ.get("NOTIFY_WEBHOOK_URL", "")
NOTIFY_WEBHOOK_STYLE = os.environ.get("NOTIFY_WEBHOOK_STYLE", "wecom")
NOTIFY_WEBHOOK_ALLOWED_HOSTS = env_list("NOTIFY_WEBHOOK_ALLOWED_HOSTS")
NOTIFY_RETRY_BASE_SECONDS = int(os.environ.get("NOTIFY_RETRY_BASE_SECONDS", "60"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "5"))
NOTIFY_REMIND_DAYS_BEFORE = [int(d) for d in env_list("NOTIFY_REMIND_DAYS_BEFORE", "3,1")]

# Background jobs: the Django tasks API (django-tasks, the backport of ``django.tasks``).
# ``TASKS_BACKEND`` chooses where the queue lives (docs/deploy.md, "Background work"):
#   ``database`` (default)  django-tasks' database backend; ``manage.py db_worker`` runs it
#   ``rq``                  Redis at ``REDIS_URL`` through django-tasks-rq; the worker is
#                           ``manage.py rqworker --job-class django_tasks_rq.Job default``
# The code that queues and runs tasks is the same for both.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip().lower()
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# A chunk of a job (20 letters) gets this many seconds on an RQ worker before it is stopped.
RQ_JOB_TIMEOUT = int(os.environ.get("RQ_JOB_TIMEOUT", "1800"))
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": RQ_JOB_TIMEOUT}}
# The queues are watched from the job pages and the worker's log, not from the admin.
RQ_SHOW_ADMIN_LINK = False
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
elif TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be 'database' or 'rq', not {TASKS_BACKEND!r}.")

# Sessions (docs/deploy.md, "Scaling out"): ``SESSION_STORE`` chooses where they are read from.
#   ``database`` (default)  the database alone (Django's ``db`` session engine)
#   ``cache``               Redis at ``REDIS_URL``, written through to the database (Django's
#                           ``cached_db``): every request reads its session from Redis instead
#                           of a query; a session Redis has lost is read from the database
SESSION_STORE = os.environ.get("SESSION_STORE", "database").strip().lower()
if SESSION_STORE == "cache":
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "sessions"
elif SESSION_STORE != "database":
    raise ImproperlyConfigured(
        f"SESSION_STORE must be 'database' or 'cache', not {SESSION_STORE!r}."
    )

# The job pages say "the background worker is not running" when a queued task has waited this
# many minutes while no task started or finished (the database backend keeps no heartbeat).
JOBS_WORKER_STALE_MINUTES = int(os.environ.get("JOBS_WORKER_STALE_MINUTES", "5"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Ladder API",
    "DESCRIPTION": "Staff competency, performance and certification management — REST API v1.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and Swagger UI are for signed-in users (session or token), not the public.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Unambiguous component names for choice sets whose field names recur across apps.
    "ENUM_NAME_OVERRIDES": {
        "LetterKindEnum": "letters.models.Letter.Kind",
        "LetterLanguageEnum": "letters.models.Letter.Language",
        "JobStatusEnum": "jobs.models.Job.Status",
        "StaffStatusEnum": "org.models.Staff.Status",
        "CompetencyModelStatusEnum": "competency.models.CompetencyModel.Status",
        "CompetencyCategoryEnum": "competency.models.Competency.Category",
        "CourseCategoryEnum": "training.models.Course.Category",
        "CompetencyKindEnum": "competency.models.Competency.Kind",
        "AssessmentRoundStatusEnum": "competency.models.AssessmentRound.Status",
        "AssessmentStatusEnum": "competency.models.Assessment.Status",
        "IndicatorKindEnum": "kpi.models.Indicator.Kind",
        "PeriodStatusEnum": "kpi.models.Period.Status",
        "QuotaGradeEnum": "kpi.models.QuotaGrant.Grade",
        "AnnualGradeEnum": "kpi.models.AnnualScore.Grade",
        "KpiStageEnum": "kpi.models.Stage",
        "KpiPlannedStageEnum": "kpi.models.PLANNED_STAGE_CHOICES",
        "QuotaAllocationStatusEnum": "kpi.models.QuotaAllocation.Status",
        "QuotaBasisEnum": "kpi.models.QuotaAllocation.Basis",
        "KpiRaterTypeEnum": "kpi.models.RaterType",
        "CompetencyRaterTypeEnum": "competency.models.RaterType",
        "TrainingSessionStatusEnum": "training.models.TrainingSession.Status",
        "ExternalCertificateStatusEnum": "training.models.ExternalCertificate.Status",
        "TrainingPackageStatusEnum": "training.models.TrainingPackage.Status",
        "TrainingActivityKindEnum": "training.models.TrainingActivity.Kind",
        "TrainingPlanStatusEnum": "training.models.TrainingPlan.Status",
        "CycleStatusEnum": "certification.models.Cycle.Status",
        "ApplicationStatusEnum": "certification.models.Application.Status",
        "MaterialKindEnum": "certification.models.Material.Kind",
        "DeclaredConflictKindEnum": "certification.models.DeclaredConflict.Kind",
        "SheetStatusEnum": "certification.models.ScoringSheet.Status",
        "ObjectionStatusEnum": "certification.models.Objection.Status",
        "ReappointmentCaseStatusEnum": "reappointment.models.ReappointmentCase.Status",
        "RankingRunStatusEnum": "ranking.models.RankingRun.Status",
        "RecertificationCaseStatusEnum": "ranking.models.RecertificationCase.Status",
        "PayRunStatusEnum": "pay.models.PayRun.Status",
        "DeferredInstalmentStatusEnum": "pay.models.DeferredInstalment.Status",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
    },
}
