"""Fill a database with a province of matters for the dashboard benchmark.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/reports_bench \
        .venv/bin/python bench/dashboard/generate.py --matters 1000000

Creates Hưng Yên's provincial units, a people's committee for each of its 104 communes,
a leader of the province and the heads of ten communes, then ``--matters`` synthetic matters
over three years (reports.synthetic), then rebuilds the dashboard's counts and prints how
long each step took. Writes the session cookies and API tokens the load run uses to
``var/bench-dashboard-<vendor>.json`` (``--credentials-only`` writes them again). Run it on an empty, migrated database.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from accounts.models import ApiToken, User, hash_token  # noqa: E402
from areas.models import Area  # noqa: E402
from reports.dashboard import dashboard_refresh  # noqa: E402
from reports.synthetic import synthetic_matters  # noqa: E402
from units.models import Unit  # noqa: E402
from units.services import unit_create  # noqa: E402

PROVINCE = "33"
UNITS = [
    ("HY-TU", "Tỉnh ủy Hưng Yên", "party_committee", None),
    ("HY-UBND", "Ủy ban nhân dân tỉnh Hưng Yên", "peoples_committee", "HY-TU"),
    ("HY-CA", "Công an tỉnh Hưng Yên", "police", "HY-UBND"),
    ("HY-TTR", "Thanh tra tỉnh Hưng Yên", "inspectorate", "HY-UBND"),
    ("HY-BTCD", "Ban Tiếp công dân tỉnh Hưng Yên", "reception_office", "HY-UBND"),
    ("HY-STC", "Sở Tài chính", "department", "HY-UBND"),
    ("HY-SNNMT", "Sở Nông nghiệp và Môi trường", "department", "HY-UBND"),
    ("HY-SXD", "Sở Xây dựng", "department", "HY-UBND"),
    ("HY-SNV", "Sở Nội vụ", "department", "HY-UBND"),
]


def official(username: str, unit: Unit, roles: list[str]) -> User:
    user = User.objects.create_user(
        username, password="bench-password-2026", unit=unit, roles=roles, full_name=username
    )
    if "head" in roles:
        unit.head = user
        unit.save(update_fields=["head"])
    return user


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--matters", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--credentials-only",
        action="store_true",
        help="only write fresh sessions and tokens (sessions end after 15 idle minutes)",
    )
    args = parser.parse_args()
    if args.credentials_only:
        users = list(
            User.objects.filter(username__startswith="bench.")
            .exclude(username="bench-admin")
            .order_by("username")
        )
        users.sort(key=lambda u: u.username != "bench.leader")
        write_credentials(users)
        return
    if Unit.objects.filter(code="HY-UBND").exists():
        sys.exit("the database already has the benchmark province; use a fresh one")
    admin = User.objects.create_superuser("bench-admin", "", "bench-password-2026")
    started = time.monotonic()
    for code, name, kind, parent in UNITS:
        unit_create(actor=admin, code=code, name=name, kind=kind, parent=parent, area=PROVINCE)
    communes = []
    for area in Area.objects.filter(parent_id=PROVINCE).order_by("code"):
        communes.append(
            unit_create(
                actor=admin,
                code=f"UBND-{area.code}",
                name=f"UBND {area.name}",
                kind="peoples_committee",
                parent="HY-UBND",
                area=area.code,
            )
        )
    owners = [Unit.objects.get(code=c) for c, *_ in UNITS[2:]] + communes
    users = [official("bench.leader", Unit.objects.get(code="HY-UBND"), ["leader"])]
    users += [official(f"bench.xa{i}", unit, ["head"]) for i, unit in enumerate(communes[:10])]
    print(f"units: {Unit.objects.count()} ({time.monotonic() - started:.1f} s)", flush=True)
    started = time.monotonic()
    made = synthetic_matters(
        count=args.matters, owners=owners, until=date.today(), seed=args.seed, batch_size=10_000
    )
    print(f"matters: {made} in {time.monotonic() - started:.1f} s", flush=True)
    snapshot = dashboard_refresh()
    print(f"dashboard refresh: {snapshot.duration_ms} ms", flush=True)
    snapshot = dashboard_refresh()
    print(f"dashboard refresh (again): {snapshot.duration_ms} ms", flush=True)
    write_credentials(users)


def write_credentials(users: list[User]) -> None:
    """Session cookies and API tokens of the benchmark's officials, leader first."""
    credentials = []
    for user in users:
        client = Client()
        client.force_login(user)
        raw = f"bench-token-{user.username}"
        ApiToken.objects.get_or_create(user=user, key_hash=hash_token(raw))
        assert user.unit is not None
        credentials.append(
            {
                "username": user.username,
                "unit": user.unit.code,
                "children": list(
                    Unit.objects.filter(parent=user.unit).values_list("code", flat=True)
                ),
                "session": client.cookies["sessionid"].value,
                "token": raw,
            }
        )
    out = ROOT / "var" / f"bench-dashboard-{connection.vendor}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(credentials, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"credentials: {out}")


if __name__ == "__main__":
    main()
