"""Settings for 产改台账, read from the environment (see `.env.example`).

With no environment variable set, development settings apply: DEBUG on, a SQLite file in the
project, localhost only. Setting DEBUG=false switches on the production hardening below, and then
SECRET_KEY and ALLOWED_HOSTS must be given.
"""

import datetime
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=True)

_DEV_SECRET_KEY = "dev-only-not-secret-0f3c9a1e7b2d4c5f8a6e9b1d3c7f2a4e6b8d0c1f3a5e7b9d"  # noqa: S105 (development only; never used with DEBUG off)
SECRET_KEY = env_str("SECRET_KEY", "" if not DEBUG else _DEV_SECRET_KEY)
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "testserver"] if DEBUG else []
)
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
# A reverse proxy in front terminates TLS and sets X-Forwarded-Proto and X-Forwarded-For.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", default=False)

INSTALLED_APPS = [
    # The stock admin with the ledger's own site (a work page per role, the person search).
    "adminsite.apps.LedgerAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "import_export",
    "django_tasks",
    "django_tasks_db",
    "simple_history",
    "base",
    "workforce",
    "programs",
    "training",
    "welfare",
    "dashboards",
    "reporting",
    "sheets",
    "audit",
    "ops",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.PreferredLanguageMiddleware",
    "config.middleware.RefuseNulMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

if not DEBUG:
    # Production (gunicorn, `make serve`): the collected static files are served by whitenoise,
    # straight after the security headers and before sessions and the database. Development
    # keeps runserver's own static serving, which needs no collectstatic.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                # LANGUAGE_CODE for <html lang>: screen readers read Chinese pages as Chinese.
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# DATABASE_URL: sqlite:////absolute/path.sqlite3 or postgres://user@host:port/name.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the background import worker write to the same file: WAL lets readers
    # carry on during a write, IMMEDIATE takes the write lock up front instead of failing midway.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # A county's recount and a cold province scan group hundreds of thousands of rows: at the
    # server's default work_mem (4 MB) their hashes spill to disk (docs/benchmarks.md). Per
    # connection, so no server configuration is needed; a sort or hash may use this much each.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"]["options"] = "-c work_mem=" + env_str("DB_WORK_MEM", "32MB")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is even checked.
    "base.accounts.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Staff accounts open ID numbers and hardship files: 12 characters at least, not like the
# user's own name, not a common or an all-digit password.
PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", default=12)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Login throttling (django-axes and base/accounts.py). Two locks with their own messages: an
# account is locked after AXES_FAILURE_LIMIT failures in a row for its user name, from any
# address (a guesser spreading attempts over many addresses is stopped); an address is refused
# after AXES_ADDRESS_FAILURE_LIMIT failures from it within the cool-off time, over all user
# names (one machine trying many names is stopped). The address limit is higher, so colleagues
# behind one office address who mistype now and then do not lock each other out; a success
# clears that account's failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5)
# 0 minutes: locked until an admin unlocks the account.
AXES_COOLOFF_TIME = (
    datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=30))
    if env_int("AXES_COOLOFF_MINUTES", default=30) > 0
    else None
)
AXES_ADDRESS_FAILURE_LIMIT = env_int("AXES_ADDRESS_FAILURE_LIMIT", default=20)
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes warns (W006) that its parameters leave out the address; the address is counted, by
# base.accounts.address_locked with its own limit and message, not by axes.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "base.accounts.lockout_response"
# Attempts hold user names and addresses of every region: no unscoped admin pages for them.
# Admins unlock the accounts of their own scope from the staff list instead.
AXES_ENABLE_ADMIN = False
# Behind a reverse proxy every request comes from the proxy's address; the client's is the one
# the proxy appended to X-Forwarded-For (see base.accounts.client_address).
AXES_CLIENT_IP_CALLABLE = "base.accounts.client_address"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# A record's history is read, never replayed: a past version is shown read-only and nothing
# offers 还原 (an old ID number or case status must come back through an edit with its reason).
SIMPLE_HISTORY_REVERT_DISABLED = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names from `collectstatic` for production (whitenoise serves them with
    # far-future caching); development serves the files as they are.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

LOGIN_URL = "admin:login"

CACHES = {
    # Computed dashboards (dashboards/cache.py). In the database, so that every server process
    # shares one cache and its invalidation, without another service to run; the table is
    # created by a migration (dashboards 0001).
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "ledger_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}

TASKS = {
    # Large imports run in the background: a queue in the database, worked by `db_worker`
    # (started by `make run`), so no broker is needed on an intranet server.
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}
# Uploads larger than this are checked and imported in the background (about 3 000 rows).
SHEETS_BACKGROUND_BYTES = env_int("SHEETS_BACKGROUND_BYTES", default=200_000)
# Uploads larger than this are refused with a message (Django's own limit is lower).
SHEETS_MAX_UPLOAD_BYTES = env_int("SHEETS_MAX_UPLOAD_BYTES", default=30 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = SHEETS_MAX_UPLOAD_BYTES
# What one sheet may hold, checked while the file is streamed and before any value is parsed
# (sheets/reader.py), so a small file that unpacks to a huge text or grid is refused cheaply.
# Real sheets stay far below: a cell is a name, a number or a short note.
SHEETS_MAX_CELL_CHARS = env_int("SHEETS_MAX_CELL_CHARS", default=2000)
SHEETS_MAX_TOTAL_CHARS = env_int("SHEETS_MAX_TOTAL_CHARS", default=100_000_000)
SHEETS_MAX_ROWS = env_int("SHEETS_MAX_ROWS", default=1_000_000)
SHEETS_MAX_COLUMNS = env_int("SHEETS_MAX_COLUMNS", default=500)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# A login ends after this many seconds without a request (every request renews it), and when
# the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy: scripts only from our own static files, never inline (templates pass
# data with json_script, which the browser does not run); no framing, no plugins, forms post
# only here. Style attributes stay allowed (style-src-attr) because ECharts draws its tooltips
# with them; <style> elements and style sheets come only from our own files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

if not DEBUG:
    # Production: served over HTTPS, usually behind a reverse proxy on the intranet.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    if BEHIND_TLS_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}
