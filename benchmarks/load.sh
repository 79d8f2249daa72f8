#!/usr/bin/env bash
# The load test of docs/benchmarks.md: gunicorn on PostgreSQL (seeded with
# `seed_demo --workers 1000000`), the background import worker, and 50 Locust users for 2 min.
#
#   LOAD_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ledger_seed bash benchmarks/load.sh
#
# Needs Locust in its own virtualenv (LOCUST, default /tmp/loadvenv/bin/locust):
#   python3 -m venv /tmp/loadvenv && /tmp/loadvenv/bin/pip install locust==2.47.0
# Results: artifacts/load/ (Locust's CSV files and the log); the summary is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL=${LOAD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ledger_seed}
export DJANGO_SETTINGS_MODULE=benchmarks.settings_load
export DEBUG=false SECRET_KEY=load-test-only ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=WARNING
export LOAD_PASSWORD=load-test-password-2026
LOCUST=${LOCUST:-/tmp/loadvenv/bin/locust}
USERS=${LOAD_USERS:-50}
DURATION=${LOAD_DURATION:-2m}
WORKERS=${WEB_CONCURRENCY:-4}
RAMP=${LOAD_RAMP:-2}
PORT=8400
OUT=artifacts/load
mkdir -p "$OUT"

.venv/bin/python manage.py migrate --noinput -v0
.venv/bin/python manage.py collectstatic --noinput -v0
# Fresh planner statistics, as autovacuum keeps them on a server that has been running a while.
.venv/bin/python manage.py dbshell -- -c "ANALYZE" >/dev/null
.venv/bin/python manage.py shell -c "
from base.models import Region
from base.roles import Role
from base.services import staff_user_upsert
import os
password = os.environ['LOAD_PASSWORD']
counties = '330282,330726,330205,330683,330604,330108,330212,331004,330383,330213,330303,331003'
for code in counties.split(','):
    region = Region.objects.get(code=code)
    staff_user_upsert(username=f'load_clerk_{code}', role=Role.CLERK, region=region, password=password)
    staff_user_upsert(username=f'load_welfare_{code}', role=Role.WELFARE, region=region, password=password)
for code in ('330100', '330200', '330300', '330600', '330700', '331000'):
    staff_user_upsert(username=f'load_viewer_{code}', role=Role.VIEWER, region=Region.objects.get(code=code), password=password)
staff_user_upsert(username='load_viewer_province', role=Role.VIEWER, region=Region.objects.get(code='330000'), password=password)
"
# As `make serve` runs it.
.venv/bin/gunicorn config.wsgi:application --workers "$WORKERS" --timeout 120 \
    --bind 127.0.0.1:$PORT --access-logfile /dev/null --error-logfile "$OUT/gunicorn.log" &
server=$!
.venv/bin/python manage.py db_worker --interval 1 --no-reload > "$OUT/worker.log" 2>&1 &
worker=$!
trap 'kill $server $worker 2>/dev/null || true' EXIT
for _ in $(seq 60); do curl -fs -o /dev/null "http://127.0.0.1:$PORT/admin/login/" && break; sleep 1; done

"$LOCUST" -f benchmarks/locustfile.py --headless -u "$USERS" -r "$RAMP" -t "$DURATION" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/load" --only-summary --reset-stats 2>&1 | tee "$OUT/locust.log"
