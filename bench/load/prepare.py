"""Officials and API tokens for the load test, on a database filled by generate.py.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_1m .venv/bin/python bench/load/prepare.py

Builds the dashboard's counts and writes var/load/tokens.json: for 300 commune units a
clerk-handler token and the unit's head token, and the tokens of the 34 province leaders
(each sees a whole province). Tokens are made directly (hash stored, as accounts does), so
the run does not start with 300 scrypt logins.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402

from accounts.models import ApiToken, User, hash_token  # noqa: E402
from units.models import Unit  # noqa: E402


def token_for(user: User) -> str:
    raw = "load-" + secrets.token_urlsafe(24)
    ApiToken.objects.create(user=user, key_hash=hash_token(raw))
    return raw


def main() -> None:
    rng = random.Random(7)
    communes = list(Unit.objects.filter(code__startswith="BN-", depth=1, kind="peoples_committee"))
    chosen = rng.sample(communes, 300)
    hashed = make_password("bench-password-2026")
    out: dict[str, list[dict[str, str]]] = {"clerks": [], "heads": [], "leaders": []}
    for unit in chosen:
        clerk, _ = User.objects.get_or_create(
            username=f"{unit.code.lower()}.clerk",
            defaults={
                "password": hashed,
                "full_name": f"clerk {unit.code}",
                "unit": unit,
                "roles": ["clerk", "handler"],
            },
        )
        out["clerks"].append({"token": token_for(clerk), "unit": unit.code, "area": unit.area_id})
        if unit.head_id:
            out["heads"].append(
                {"token": token_for(unit.head), "unit": unit.code, "area": unit.area_id}
            )
    for leader in User.objects.filter(username__startswith="bn-", roles__contains=["leader"]):
        out["leaders"].append(
            {"token": token_for(leader), "unit": leader.unit.code, "area": leader.unit.area_id}
        )
    target = ROOT / "var" / "load" / "tokens.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(out))
    print(
        f"{len(out['clerks'])} clerks, {len(out['heads'])} heads, {len(out['leaders'])} leaders -> {target}"
    )
    # The dashboard's counts, as the nightly job leaves them: the run measures requests, not
    # the first-ever build of the pre-aggregated tables.
    from reports.dashboard import dashboard_refresh

    started = time.perf_counter()
    dashboard_refresh()
    print(f"dashboard counts built in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
