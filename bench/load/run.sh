#!/usr/bin/env bash
# The load test: gunicorn (deploy/gunicorn.conf.py, production profile) on a PostgreSQL
# database filled by generate.py, then locust at 32 and 128 concurrent officials.
#
#   bench/load/run.sh [database] [seconds per level]     default: bench_1m 120
#
# Set-up once (about 6 minutes for a million matters):
#   createdb -h 127.0.0.1 -U postgres bench_1m && createdb -h 127.0.0.1 -U postgres bench_1m_vault
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/dutdiem migrate
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/dutdiem migrate --database vault
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/python bench/load/generate.py --matters 1000000
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/python bench/load/prepare.py
# Results: var/load/u<users>_stats.csv and a summary printed at the end.
set -euo pipefail
cd "$(dirname "$0")/../.."
DB=${1:-bench_1m}
SECONDS_PER_LEVEL=${2:-120}
PORT=${PORT:-8731}
OUT=var/load
APP=config.wsgi:application
mkdir -p "$OUT"
[ -x .venv/bin/locust ] || .venv/bin/pip install -q "locust>=2.30"

export DUTDIEM_ENV=production DUTDIEM_SSL_REDIRECT=0 DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_SECRET_KEY=load-test-secret-key-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DUTDIEM_VAULT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DUTDIEM_AUDIT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
export DUTDIEM_DATA_DIR=$(mktemp -d) DUTDIEM_LOG_LEVEL=WARNING DUTDIEM_BIND=127.0.0.1:$PORT
export PROMETHEUS_MULTIPROC_DIR=$DUTDIEM_DATA_DIR/prometheus
.venv/bin/dutdiem collectstatic --noinput -v 0 --skip-checks 2>/dev/null || .venv/bin/dutdiem collectstatic --noinput -v 0
.venv/bin/gunicorn --config deploy/gunicorn.conf.py "$APP" >"$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; wait $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.5; done

for users in 32 128; do
  echo "== $users concurrent officials, ${SECONDS_PER_LEVEL}s"
  .venv/bin/locust -f bench/load/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
    --users "$users" --spawn-rate 16 --run-time "${SECONDS_PER_LEVEL}s" --stop-timeout 10 \
    --csv "$OUT/u$users" --only-summary --loglevel WARNING >"$OUT/u$users.txt" 2>&1 || true
done
curl -fsS "http://127.0.0.1:$PORT/metrics" >"$OUT/metrics.txt" || true
.venv/bin/python bench/load/summary.py "$OUT"
