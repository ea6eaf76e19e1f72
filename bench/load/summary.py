"""Summarise locust's CSV statistics: per request name, and reads vs intake."""

from __future__ import annotations

import csv
import sys
from pathlib import Path


def main(folder: Path) -> None:
    for users in (32, 128):
        path = folder / f"u{users}_stats.csv"
        if not path.exists():
            continue
        rows = list(csv.DictReader(path.open()))
        print(f"\n{users} concurrent officials")
        print(
            f"{'request':24} {'count':>7} {'fail':>5} {'rps':>6} {'p50':>6} {'p95':>6} {'p99':>6}  (ms)"
        )
        for row in rows:
            print(
                f"{row['Name'][:24]:24} {row['Request Count']:>7} {row['Failure Count']:>5} "
                f"{float(row['Requests/s']):6.1f} {row['50%']:>6} {row['95%']:>6} {row['99%']:>6}"
            )
        history = folder / f"u{users}_stats_history.csv"
        del history
    failures = folder / "u32_failures.csv"
    for users in (32, 128):
        failures = folder / f"u{users}_failures.csv"
        if failures.exists():
            lines = list(csv.DictReader(failures.open()))
            if lines:
                print(f"\nfailures at {users}:")
                for line in lines[:10]:
                    print(f"  {line['Occurrences']}x {line['Name']}: {line['Error'][:160]}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "var/load"))
