"""Settings come from the environment; each case runs Django in a clean subprocess."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": db["ENGINE"],
    "NAME": str(db["NAME"]),
    "HOST": db.get("HOST"),
    "PORT": db.get("PORT"),
    "USER": db.get("USER"),
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "LANGUAGE_CODE": settings.LANGUAGE_CODE,
    "LANGUAGES": [code for code, _ in settings.LANGUAGES],
    "TIME_ZONE": settings.TIME_ZONE,
    "USE_TZ": settings.USE_TZ,
    "SECRET_KEY": settings.SECRET_KEY,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
}))
"""


def run_django(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean_env = {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=clean_env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def settings_with(**env: str) -> dict:
    result = run_django(["-c", PROBE], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_no_environment_gives_development_settings_on_sqlite():
    settings = settings_with()
    assert settings["DEBUG"] is True
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(BASE_DIR / "db.sqlite3")
    assert settings["ALLOWED_HOSTS"] == ["localhost", "127.0.0.1", "testserver"]
    assert settings["LANGUAGE_CODE"] == "zh-hans"
    assert "en" in settings["LANGUAGES"]
    assert settings["TIME_ZONE"] == "Asia/Shanghai"
    assert settings["USE_TZ"] is True


def test_postgres_url_selects_postgresql():
    settings = settings_with(DATABASE_URL="postgres://ledger@db.internal:5433/ledger")
    assert settings["ENGINE"] == "django.db.backends.postgresql"
    assert (settings["NAME"], settings["HOST"], settings["PORT"], settings["USER"]) == (
        "ledger",
        "db.internal",
        5433,
        "ledger",
    )


def test_sqlite_url_selects_another_file(tmp_path):
    path = tmp_path / "other.sqlite3"
    settings = settings_with(DATABASE_URL=f"sqlite:///{path}")
    assert settings["ENGINE"] == "django.db.backends.sqlite3"
    assert settings["NAME"] == str(path)


def test_allowed_hosts_and_secret_key_come_from_environment():
    settings = settings_with(
        DEBUG="false", SECRET_KEY="k" * 60, ALLOWED_HOSTS="ledger.zjftu.internal, 10.1.2.3"
    )
    assert settings["DEBUG"] is False
    assert settings["SECRET_KEY"] == "k" * 60
    assert settings["ALLOWED_HOSTS"] == ["ledger.zjftu.internal", "10.1.2.3"]
    assert settings["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_secret_key():
    result = run_django(["-c", PROBE], DEBUG="false", ALLOWED_HOSTS="ledger.example")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_debug_must_be_a_boolean():
    result = run_django(["-c", PROBE], DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be a boolean" in result.stderr


def test_production_configuration_passes_deploy_check():
    result = run_django(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY="x7#kq!9-production-secret-for-the-deploy-check-only-2f8a1c5e3b7d",
        ALLOWED_HOSTS="ledger.zjftu.internal",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_env_example_lists_every_variable_the_settings_read():
    example = (BASE_DIR / ".env.example").read_text()
    listed = {
        line.split("=", 1)[0].lstrip("# ").strip() for line in example.splitlines() if "=" in line
    }
    source = (BASE_DIR / "config" / "settings" / "base.py").read_text()
    read = set(re.findall(r'env_(?:str|bool|int|list)\(\s*"([A-Z_]+)"', source))
    assert read, "the settings read no variables: the pattern above no longer matches"
    assert read <= listed, f"missing from .env.example: {sorted(read - listed)}"


PRODUCTION_PROBE = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "HSTS": settings.SECURE_HSTS_SECONDS,
    "SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "axes_last": settings.MIDDLEWARE[-1],
}))
"""


def test_production_serves_hashed_static_files_over_https_only():
    result = run_django(
        ["-c", PRODUCTION_PROBE],
        DEBUG="false",
        SECRET_KEY="k" * 60,
        ALLOWED_HOSTS="ledger.zjftu.internal",
    )
    assert result.returncode == 0, result.stderr
    production = json.loads(result.stdout)
    assert production["HSTS"] >= 31_536_000
    assert production["SSL_REDIRECT"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_SECURE"]
    assert production["whitenoise"]
    assert production["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert production["axes_last"] == "axes.middleware.AxesMiddleware"


def test_development_keeps_runserver_static_files_and_plain_http():
    result = run_django(["-c", PRODUCTION_PROBE])
    assert result.returncode == 0, result.stderr
    development = json.loads(result.stdout)
    assert development["HSTS"] == 0 and not development["SESSION_COOKIE_SECURE"]
    assert not development["whitenoise"]
    assert development["static_storage"].endswith("StaticFilesStorage")
    assert "Manifest" not in development["static_storage"]
