"""How fast a million deadlines compute on the working-day calendar.

Run: .venv/bin/python bench/calendar_bench.py [--n 1000000] [--repeat 5]
Prints the best and median wall time of: n working-day additions (random starts 2018-2030,
lengths 1-60), and n calendar-day deadlines with the Civil Code roll-over to a working day.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from calendars.workdays import WorkCalendar  # noqa: E402


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    build_start = time.perf_counter()
    cal = WorkCalendar()
    build = time.perf_counter() - build_start
    rng = np.random.default_rng(1)
    starts = np.datetime64("2018-01-01") + rng.integers(0, 365 * 12, args.n).astype(
        "timedelta64[D]"
    )
    days = rng.integers(1, 61, args.n)

    def working() -> None:
        cal.add_working_many(starts, days)

    def calendar_rollover() -> None:
        cal.next_working_day_many(starts + days.astype("timedelta64[D]"))

    print(f"calendar build (holidays 2000-2060, first time in a process): {build * 1000:.0f} ms")
    for name, fn in (
        ("working-day deadlines", working),
        ("calendar-day deadlines + roll-over", calendar_rollover),
    ):
        t = timed(fn, args.repeat)
        print(
            f"{args.n:,} {name}: best {min(t) * 1000:.0f} ms, median {statistics.median(t) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
