# 产改台账 — the two commands a newcomer needs are `make run` and `make test`.
# Everything else (virtualenv, installs, migrations, demo data) happens inside them.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
LOCK := requirements.lock
# uv compiles the lock (`make lock` only); installing needs nothing but pip.
UV_VERSION := 0.13.8
UV := $(VENV)/uv-$(UV_VERSION)/bin/uv
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve backup restore test lint typecheck migrations-check pytest install lock messages check-messages clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)

# Installs exactly the lock, every file checked against its hash; again only when the lock or
# pyproject.toml changes, so a second `make run` starts at once. A lock older than the pins in
# pyproject.toml is refused (scripts/check_lock.py says which and to run `make lock`).
$(STAMP): $(LOCK) pyproject.toml | $(PY)
	@$(PY) scripts/check_lock.py
	$(PY) -m pip install --disable-pip-version-check --quiet --require-hashes -r $(LOCK)
	@touch $(STAMP)

install: $(STAMP)

# Recompiles requirements.lock from the pins in pyproject.toml (runtime and the dev extra) for
# Python 3.11 on Linux x86_64, from PyPI alone, with the hashes of every file of each release.
# Indirect dependencies keep their locked versions unless `make lock UPGRADE=1`.
$(UV): | $(PY)
	$(PY) -m pip install --disable-pip-version-check --quiet --target $(VENV)/uv-$(UV_VERSION) uv==$(UV_VERSION)

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev --generate-hashes $(if $(UPGRADE),--upgrade) \
		--python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
		--no-config --default-index https://pypi.org/simple \
		--custom-compile-command 'make lock' --output-file $(LOCK) > /dev/null
	@$(PY) scripts/check_lock.py
	@if git diff --quiet -- $(LOCK); then echo "$(LOCK) is the same as the committed one."; else \
		echo "$(LOCK) differs from the committed one (- committed, + new):"; \
		git diff -U0 -- $(LOCK) | grep -E '^[-+][a-z0-9]' | sed 's/ \\$$//'; \
		echo "Next: make install, then commit $(LOCK) with pyproject.toml."; fi

# The web server and, beside it, the worker that runs large imports in the background; stopping
# the server (Ctrl-C) stops the worker too.
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@$(PY) manage.py db_worker --interval 1 --no-reload > $(VENV)/worker.log 2>&1 & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Background import worker running (log: $(VENV)/worker.log)"; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# Production: DEBUG=false with SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL in the environment
# (see .env.example). Refuses to start unless `check --deploy` is clean; collects the static
# files (served by whitenoise), migrates, then runs gunicorn with WEB_CONCURRENCY workers and,
# beside it, the background import worker; stopping gunicorn stops the worker too.
serve: $(STAMP)
	$(PY) manage.py check --deploy --fail-level WARNING
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py migrate --noinput
	@$(PY) manage.py db_worker --interval 1 --no-reload >> $(VENV)/worker.log 2>&1 & \
	worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	echo "Background import worker running (log: $(VENV)/worker.log)"; \
	$(BIN)/gunicorn config.wsgi:application --bind $(HOST):$(PORT) \
		--workers $${WEB_CONCURRENCY:-3} --timeout 120 --access-logfile - --forwarded-allow-ips "$${FORWARDED_ALLOW_IPS:-127.0.0.1}"

# A backup of the whole database into backups/ (pg_dump -Fc for PostgreSQL, a copy for SQLite).
backup: $(STAMP)
	$(PY) manage.py backup_db

# make restore FILE=backups/ledger-20260101-020000.dump — replaces everything in the database.
restore: $(STAMP)
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/<file>"; exit 2; }
	$(PY) manage.py restore_db "$(FILE)"

test: lint typecheck migrations-check pytest

lint: $(STAMP)
	$(PY) scripts/check_lock.py
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

migrations-check: $(STAMP)
	$(PY) manage.py makemigrations --check --dry-run

# The browser tests (tests/browser) drive Debian's Chromium; without it they are skipped, and
# pytest's -rs summary repeats why.
pytest: $(STAMP)
	@command -v $${CHROMIUM:-chromium} >/dev/null 2>&1 || \
		echo "*** Chromium not found: the browser tests in tests/browser are SKIPPED (apt-get install chromium fonts-noto-cjk)"
	$(BIN)/pytest -rs $(PYTEST_ARGS)

# Regenerate the zh_Hans catalogue from the code (needs GNU gettext) and compile it.
messages: $(STAMP)
	$(PY) manage.py makemessages --locale zh_Hans --no-obsolete --no-location --ignore '.venv/*'
	$(PY) scripts/compile_messages.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache
