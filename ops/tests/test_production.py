"""The production profile, checked in a fresh process with DUTDIEM_ENV=production."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'mfa': s.REQUIRE_MFA, 'hsts': s.SECURE_HSTS_SECONDS, "
    "'ssl_redirect': s.SECURE_SSL_REDIRECT, 'session_secure': s.SESSION_COOKIE_SECURE, "
    "'csrf_secure': s.CSRF_COOKIE_SECURE, 'csp': bool(s.SECURE_CSP), "
    "'log_format': s.LOGGING['handlers']['console']['formatter'], "
    "'engine': s.DATABASES['default']['ENGINE'], 'vault': s.DATABASES['vault']['NAME']}))"
)


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DUTDIEM_", "DATABASE", "VAULT_"))
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    secret = tmp_path / "secret_key"
    secret.write_text(secrets.token_urlsafe(64))
    env.update(
        DUTDIEM_ENV="production",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY_FILE=str(secret),
        DJANGO_ALLOWED_HOSTS="dutdiem.example.vn",
        DATABASE_URL="postgres://dutdiem@127.0.0.1:5432/dutdiem",
        DUTDIEM_VAULT_KEY=secrets.token_hex(32),
        DUTDIEM_AUDIT_KEY=secrets.token_hex(32),
        DUTDIEM_DATA_DIR=str(tmp_path / "data"),
    )
    env.update(extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_in_production(tmp_path):
    result = run(
        ["-m", "config.cli", "check", "--deploy", "--fail-level", "WARNING"],
        production_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_production_turns_on_the_second_factor_secure_cookies_hsts_csp_and_json_logs(tmp_path):
    result = run(["-c", PROBE], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    assert got["mfa"] is True
    assert got["hsts"] >= 31536000
    assert (
        got["ssl_redirect"] is True and got["session_secure"] is True and got["csrf_secure"] is True
    )
    assert got["csp"] is True
    assert got["log_format"] == "json"
    assert got["engine"] == "django.db.backends.postgresql"
    assert got["vault"] == "dutdiem_vault"


def test_secrets_come_from_files(tmp_path):
    key_file = tmp_path / "vault.key"
    key_file.write_text(secrets.token_hex(32))
    env = production_env(tmp_path, DUTDIEM_VAULT_KEY_FILE=str(key_file))
    del env["DUTDIEM_VAULT_KEY"]
    probe = (
        "import django; django.setup(); from django.conf import settings as s; "
        f"print(s.SECRET_KEY == open({env['DJANGO_SECRET_KEY_FILE']!r}).read().strip(), "
        f"s.VAULT_KEY == open({str(key_file)!r}).read().strip())"
    )
    result = run(["-c", probe], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "True"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "Production needs PostgreSQL"),
        ({"DATABASE_URL": ""}, "Production needs PostgreSQL"),
        ({"VAULT_DATABASE_URL": "sqlite:////tmp/v.sqlite3"}, "PostgreSQL for the vault too"),
        (
            {"DJANGO_SECRET_KEY_FILE": ""},
            "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set",
        ),
        ({"DUTDIEM_VAULT_KEY": ""}, "No vault key"),
        ({"DUTDIEM_AUDIT_KEY": ""}, "No audit key"),
    ],
)
def test_production_refuses_to_start_without_what_it_needs(tmp_path, change, message):
    result = run(["-m", "config.cli", "check"], production_env(tmp_path, **change))
    assert result.returncode != 0
    assert message in result.stderr
