#!/usr/bin/env bash
# Follow docs/deploy.md sections 1.1-1.8 on this machine, as a new operator would: a fresh
# clone of this repository, a fresh PostgreSQL role and databases, nginx from Debian with a
# self-signed certificate. Where the guide says `systemctl enable --now`, this script starts
# the units' ExecStart lines by hand (systemd is not PID 1 in a container), with the same
# environment and credentials; `systemd-analyze verify` checks the unit files.
#
#   sudo PYTHON=/opt/python3.12/bin/python3.12 drills/deploy_walkthrough.sh
#                              (as root; removes what it made at the end, unless KEEP=1)
#
# PYTHON must be a Python >= 3.12 that the dutdiem user can run. On this Debian 12 machine the
# only 3.12 is a pyenv build under /root, which other users cannot reach; the walk-through
# used a copy of it (cp -a /root/.pyenv/versions/3.12.1 /opt/python3.12, and
# /opt/python3.12/lib in /etc/ld.so.conf.d/ for its libpython) - what "install a 3.12 build"
# in docs/deploy.md 1.1 means on Debian 12. Debian 13's own python3 (3.13) needs none of it.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
HOST=dutdiem.test
BIND=127.0.0.1:8090
KEEP=${KEEP:-0}
step() { printf '\n== %s\n' "$*"; }

cleanup() {
  [ "$KEEP" = 1 ] && return
  step "cleaning up"
  [ -n "${WEB:-}" ] && kill "$WEB" 2>/dev/null || true
  [ -n "${WORKER:-}" ] && kill "$WORKER" 2>/dev/null || true
  rm -f /etc/nginx/sites-enabled/dutdiem && nginx -s reload 2>/dev/null || true
  runuser -u postgres -- dropdb --if-exists --force dutdiem_walk || true
  runuser -u postgres -- dropdb --if-exists --force dutdiem_walk_vault || true
  runuser -u postgres -- psql -qc "DROP ROLE IF EXISTS dutdiem_walk" || true
}
trap cleanup EXIT

step "1.1 packages"
apt-get install -y -qq postgresql-15 postgresql-client-15 nginx git make openssl >/dev/null
pg_ctlcluster 15 main start 2>/dev/null || true

step "1.2 user, code, virtualenv"
id dutdiem >/dev/null 2>&1 || adduser --system --group --home /var/lib/dutdiem dutdiem >/dev/null
rm -rf /opt/dutdiem && install -d /opt/dutdiem
if [ "${FROM_WORKTREE:-0}" = 1 ]; then
  # A copy of the working tree instead of a clone (when HEAD is between two commits of a change).
  install -d /opt/dutdiem/app
  tar -C "$REPO" --exclude=./.venv --exclude=./var --exclude=./.git -cf - . | tar -C /opt/dutdiem/app -xf -
else
  git clone -q "$REPO" /opt/dutdiem/app
fi
cd /opt/dutdiem/app
PY=${PYTHON:-$(scripts/find-python)}
"$PY" -m venv /opt/dutdiem/venv
/opt/dutdiem/venv/bin/pip install -q --disable-pip-version-check -e /opt/dutdiem/app --config-settings editable_mode=compat
install -d -o dutdiem -g dutdiem -m 0750 /var/lib/dutdiem /var/backups/dutdiem
chmod o+rx /opt/dutdiem /opt/dutdiem/app

step "1.3 PostgreSQL"
PASS=$(openssl rand -hex 24)
runuser -u postgres -- psql -qc "DROP ROLE IF EXISTS dutdiem_walk" 2>/dev/null || true
runuser -u postgres -- psql -qc "CREATE ROLE dutdiem_walk LOGIN PASSWORD '$PASS'"
runuser -u postgres -- createdb -O dutdiem_walk dutdiem_walk
runuser -u postgres -- createdb -O dutdiem_walk dutdiem_walk_vault

step "1.4 secrets and settings"
install -d -m 0750 -g dutdiem /etc/dutdiem
install -d -m 0700 /etc/dutdiem/secrets
cd /etc/dutdiem/secrets
openssl rand -base64 48 > secret_key
openssl rand -hex 32 > vault_key
openssl rand -hex 32 > audit_key
openssl rand -hex 32 > backup_key
openssl rand -hex 24 > metrics_token
echo "postgres://dutdiem_walk:$PASS@127.0.0.1:5432/dutdiem_walk" > database_url
echo "postgres://dutdiem_walk:$PASS@127.0.0.1:5432/dutdiem_walk_vault" > vault_database_url
chmod 0400 ./*
sed -e "s/dutdiem.example.gov.vn/$HOST/g" -e "s/^DUTDIEM_BIND=.*/DUTDIEM_BIND=$BIND/" \
  /opt/dutdiem/app/deploy/dutdiem.env.example > /etc/dutdiem/dutdiem.env
chgrp dutdiem /etc/dutdiem/dutdiem.env && chmod 0640 /etc/dutdiem/dutdiem.env
cat > /usr/local/bin/dutdiem-admin <<'EOF'
#!/bin/sh
set -a; . /etc/dutdiem/dutdiem.env; set +a
S=/etc/dutdiem/secrets
exec runuser -u dutdiem -- env DJANGO_SECRET_KEY="$(cat $S/secret_key)" \
  DUTDIEM_VAULT_KEY="$(cat $S/vault_key)" DUTDIEM_BACKUP_KEY="$(cat $S/backup_key)" \
  DUTDIEM_AUDIT_KEY="$(cat $S/audit_key)" \
  DATABASE_URL="$(cat $S/database_url)" VAULT_DATABASE_URL="$(cat $S/vault_database_url)" \
  "$@"
EOF
chmod 0700 /usr/local/bin/dutdiem-admin

step "1.5 first set-up"
cd /opt/dutdiem/app
D=/opt/dutdiem/venv/bin/dutdiem
dutdiem-admin $D check --deploy
dutdiem-admin $D migrate --noinput -v 0
dutdiem-admin $D migrate --database vault --noinput -v 0
$D compilemessages --ignore=.venv -v 0
dutdiem-admin $D collectstatic --noinput -v 0
chmod 0711 /var/lib/dutdiem && chmod -R a+rX /var/lib/dutdiem/static   # nginx serves these
dutdiem-admin env DJANGO_SUPERUSER_USERNAME=admin DJANGO_SUPERUSER_PASSWORD="walk-$(openssl rand -hex 8)" \
  $D createsuperuser --noinput

step "1.6 the services (unit files checked; ExecStart run by hand)"
cp deploy/systemd/dutdiem-*.service deploy/systemd/dutdiem-*.timer /etc/systemd/system/
systemd-analyze verify /etc/systemd/system/dutdiem-web.service /etc/systemd/system/dutdiem-worker.service \
  /etc/systemd/system/dutdiem-backup.service /etc/systemd/system/dutdiem-backup.timer
CRED=$(mktemp -d) && cp /etc/dutdiem/secrets/* "$CRED"/ && chown -R dutdiem "$CRED"
run_unit() {  # what systemd would do: env file, credentials as files, the unit's user
  runuser -u dutdiem -- env $(grep -v '^#' /etc/dutdiem/dutdiem.env | xargs) \
    DJANGO_SECRET_KEY_FILE="$CRED/secret_key" DUTDIEM_VAULT_KEY_FILE="$CRED/vault_key" \
    DUTDIEM_AUDIT_KEY_FILE="$CRED/audit_key" \
    DATABASE_URL_FILE="$CRED/database_url" VAULT_DATABASE_URL_FILE="$CRED/vault_database_url" \
    DUTDIEM_METRICS_TOKEN_FILE="$CRED/metrics_token" RUNTIME_DIRECTORY="$CRED" "$@"
}
run_unit /opt/dutdiem/venv/bin/gunicorn --config /opt/dutdiem/app/deploy/gunicorn.conf.py config.wsgi:application \
  >/tmp/walk-web.log 2>&1 &
WEB=$!
run_unit /opt/dutdiem/venv/bin/dutdiem db_worker --interval 2 >/tmp/walk-worker.log 2>&1 &
WORKER=$!
for _ in $(seq 1 60); do curl -fsS -o /dev/null -H "Host: $HOST" "http://$BIND/healthz" && break; sleep 1; done

step "1.7 nginx and TLS"
cp deploy/nginx/dutdiem.conf /etc/nginx/sites-available/dutdiem
cp deploy/nginx/dutdiem-proxy.conf /etc/nginx/snippets/
sed -i -e "s/dutdiem.example.gov.vn/$HOST/" -e "s/server 127.0.0.1:8000;/server $BIND;/" /etc/nginx/sites-available/dutdiem
ln -sf /etc/nginx/sites-available/dutdiem /etc/nginx/sites-enabled/dutdiem
rm -f /etc/nginx/sites-enabled/default
install -d -m 0750 /etc/ssl/dutdiem
openssl req -x509 -newkey rsa:3072 -nodes -days 30 -subj "/CN=$HOST" \
  -keyout /etc/ssl/dutdiem/privkey.pem -out /etc/ssl/dutdiem/fullchain.pem 2>/dev/null
nginx -t
if pgrep -x nginx >/dev/null; then nginx -s reload; else nginx; fi
sleep 1

step "1.8 health, security headers, logs and metrics through nginx"
R="--resolve $HOST:443:127.0.0.1 --resolve $HOST:80:127.0.0.1 -k -sS"
curl $R -o /dev/null -w "http://  -> %{http_code} %{redirect_url}\n" "http://$HOST/accounts/login/"
curl $R -o /dev/null -w "https:// readyz -> %{http_code}\n" "https://$HOST/readyz"
curl $R -D - -o /dev/null "https://$HOST/accounts/login/" | grep -iE "^(HTTP|strict-transport|content-security|x-frame|x-content-type|x-request-id|set-cookie)" | cut -c1-120
curl $R -o /dev/null -w "https:// /metrics from outside -> %{http_code}\n" "https://$HOST/metrics"
curl -sS "http://$BIND/metrics" | grep -E '^dutdiem_database_up' | head -3
curl $R -o /dev/null -w "static through nginx -> %{http_code}\n" "https://$HOST/static/css/app.css"
tail -2 /tmp/walk-web.log | cut -c1-200
step "walk-through done"
