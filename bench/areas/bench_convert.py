"""How fast and how well old addresses convert to the areas in force (issue 16).

Run: .venv/bin/python bench/areas/bench_convert.py [--n 100000] [--seed 7] [--keep DIR]

Builds (or reuses with --keep) a migrated database, then writes ``--n`` addresses of
communes in force on 30/06/2025, drawn at random from the whole country, the way registers
and citizens write them: a quarter each of

* full:      "Thôn 7, Xã Đông Hợp, Huyện Đông Hưng, Tỉnh Thái Bình"
* bare:      "Đông Hợp, Đông Hưng, Thái Bình" (no types, no street)
* ascii:     "thon 7, xa dong hop, huyen dong hung, tinh thai binh" (no diacritics)
* code:      the old commune code, "12751"

and converts each with ``areas.services.area_resolve``: the texts on 01/03/2026 (a citizen
writing an old address today), the codes on 06/05/2024 (a register row of that day: after
the reform a code in force means today's area, and 3,310 old commune codes were reused).
It reports the time
with cold caches (first pass: the parser is loaded, every distinct text parsed once), the
time of a second pass over the same addresses, and how many were converted to the right old
commune (the one the address was made from) and so to its successors.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "registry"))

FORMS = ("full", "bare", "ascii", "code")


def _short(name: str) -> str:
    for prefix in (
        "Thị trấn ",
        "Thị xã ",
        "Thành phố ",
        "Xã ",
        "Phường ",
        "Huyện ",
        "Quận ",
        "Tỉnh ",
    ):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def addresses(n: int, seed: int) -> list[tuple[str, str, str]]:
    """(form, text, old commune code) for ``n`` random communes of 30/06/2025."""
    from areas.models import FormerArea
    from common.text import fold

    communes = list(
        FormerArea.objects.filter(kind="commune", succession__isnull=False)
        .select_related("parent", "parent__parent")
        .distinct()
    )
    rng = random.Random(seed)
    out = []
    for i in range(n):
        c = rng.choice(communes)
        district = c.parent
        province = district.parent if district else None
        form = FORMS[i % 4]
        street = f"Thôn {rng.randint(1, 20)}"
        parts = [c.name, district.name if district else "", province.name if province else ""]
        if form == "full":
            text = ", ".join([street, *parts])
        elif form == "bare":
            text = ", ".join(_short(p) for p in parts)
        elif form == "ascii":
            text = fold(", ".join([street, *parts]))
        else:
            text = c.code
        out.append((form, text, c.code))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", default="", help="data directory to reuse")
    args = parser.parse_args()

    from setup_db import start_django

    start_django(args.keep, "dutdiem-bench-areas-", "WARNING")
    from areas import services

    rows = addresses(args.n, args.seed)
    distinct = len({t for _f, t, _c in rows})
    print(f"{args.n} addresses, {distinct} distinct texts")
    today, then = date(2026, 3, 1), date(2024, 5, 6)
    services.gazetteer.cache_clear()
    services._parsed.cache_clear()
    services._parsed_address.cache_clear()
    passes = []
    results = []
    for _ in range(2):
        started = time.perf_counter()
        results = [
            services.area_resolve(text, on=then if form == "code" else today)
            for form, text, _c in rows
        ]
        passes.append(time.perf_counter() - started)
    right: Counter[str] = Counter()
    found: Counter[str] = Counter()
    split: Counter[str] = Counter()
    per_form: Counter[str] = Counter()
    for (form, _text, code), result in zip(rows, results, strict=True):
        per_form[form] += 1
        if result.old is not None or result.new:
            found[form] += 1
        if result.old is not None and result.old.code == code:
            right[form] += 1
            if not result.certain:
                split[form] += 1
    print(f"cold pass: {passes[0]:.2f} s ({passes[0] / args.n * 1e6:.0f} µs per address)")
    print(f"warm pass: {passes[1]:.2f} s ({passes[1] / args.n * 1e6:.1f} µs per address)")
    print("form   | addresses | recognised | right old commune | of which split")
    for form in FORMS:
        total = per_form[form]
        print(
            f"{form:6} | {total:9} | {found[form] / total:10.2%} | {right[form] / total:17.2%}"
            f" | {split[form]:6}"
        )
    everything = sum(right.values()) / args.n
    print(f"right old commune overall: {everything:.2%}")


if __name__ == "__main__":
    main()
