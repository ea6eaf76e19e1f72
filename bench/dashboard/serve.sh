#!/usr/bin/env bash
# Serve a dashboard benchmark database as production would (gunicorn with
# deploy/gunicorn.conf.py: 3 workers x 4 threads on 2 cores), for bench/dashboard/load.py.
#
#   bench/dashboard/serve.sh postgres://postgres@127.0.0.1:5432/reports_bench /tmp/bench-pg
#   bench/dashboard/serve.sh "" /tmp/bench-sqlite          # SQLite in that data directory
#
# PostgreSQL: the production profile, with the second factor off (the load uses session
# cookies made by generate.py) and no TLS redirect (plain HTTP on the loopback). SQLite:
# production refuses it, so the development profile (DEBUG stays off) with the same server.
set -euo pipefail
cd "$(dirname "$0")/../.."
URL=${1:-}
DATA=${2:?data directory}
PORT=${PORT:-8077}
export DUTDIEM_SSL_REDIRECT=0 DUTDIEM_REQUIRE_MFA=0
export DJANGO_ALLOWED_HOSTS=127.0.0.1 DUTDIEM_LOG_LEVEL=WARNING DUTDIEM_DATA_DIR=$DATA
# The key generate.py's sessions were signed with (the data directory's key file).
export DJANGO_SECRET_KEY_FILE=$DATA/secret_key
export DUTDIEM_VAULT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DUTDIEM_AUDIT_KEY=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DUTDIEM_BIND=127.0.0.1:$PORT PROMETHEUS_MULTIPROC_DIR=$DATA/prometheus
if [ -n "$URL" ]; then export DATABASE_URL=$URL DUTDIEM_ENV=production; fi
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
.venv/bin/dutdiem collectstatic --noinput -v 0
exec .venv/bin/gunicorn --config deploy/gunicorn.conf.py config.wsgi:application
