"""The R reference fixtures: configurations, and a generator (needs Rscript + surveillance).

Regenerate with ``.venv/bin/python -m detection.tests.r_fixtures``; the CSVs under
``detection/tests/data/`` let the comparison run without R.
"""

from __future__ import annotations

import datetime as dt
import os

import numpy as np

from detection.farrington import FarringtonControl
from detection.io import format_number
from detection.synthetic import SCENARIOS, generate

DATA = os.path.join(os.path.dirname(__file__), "data")
COUNTS = os.path.join(DATA, "r_fixture_counts.csv")
N_WEEKS = 420
N_EVAL = 40
FIRST_MONDAY = dt.date(2013, 12, 30)

FARRINGTON: dict[str, tuple[FarringtonControl, bool]] = {
    # name: (control, use calendar dates)
    "far_delta": (FarringtonControl(r_compat=True), False),
    "far_delta_dates": (FarringtonControl(r_compat=True), True),
    "far_noufaily": (FarringtonControl.noufaily(), False),
    "far_noufaily_dates": (FarringtonControl.noufaily(), True),
    "far_muan": (
        FarringtonControl(
            threshold_method="muan", no_periods=3, past_weeks_not_included=10, r_compat=True
        ),
        False,
    ),
    "far_misc": (
        FarringtonControl(
            powertrans="none",
            limit54=(3, 2),
            past_weeks_not_included=0,
            b=3,
            w=2,
            alpha=0.01,
            reweight=False,
            r_compat=True,
        ),
        False,
    ),
    "far_half": (FarringtonControl(powertrans="1/2", trend=False, r_compat=True), True),
    # nbPlugin with a real trend test: R's dispersion quirk decides which trends are kept.
    "far_noufaily_trendtest": (
        FarringtonControl.noufaily(p_threshold_trend=0.05, weights_threshold=1.0, r_compat=True),
        False,
    ),
}
EARS = {"ears_c1": "C1", "ears_c2": "C2", "ears_c3": "C3"}


def fixture_data() -> tuple[np.ndarray, list[dt.date]]:
    """Four synthetic series (low to high counts) with Monday dates."""
    scen = (SCENARIOS[1], SCENARIOS[16], SCENARIOS[29], SCENARIOS[33])
    data = generate(4, scenarios=scen, n_weeks=N_WEEKS, n_eval=N_EVAL, seed=20240601)
    dates = [FIRST_MONDAY + dt.timedelta(weeks=i) for i in range(N_WEEKS)]
    return data.counts, dates


def eval_weeks() -> np.ndarray:
    return np.arange(N_WEEKS - N_EVAL, N_WEEKS, dtype=np.int64)


def write_table(
    path: str,
    series: list[str],
    labels: list[str],
    weeks: np.ndarray,
    observed: np.ndarray,
    expected: np.ndarray,
    upper: np.ndarray,
    alarm: np.ndarray,
) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("series,week,observed,expected,upperbound,alarm\n")
        for i, name in enumerate(series):
            for j, k in enumerate(weeks):
                a = alarm[i, j]
                fh.write(
                    f"{name},{labels[int(k)]},{format_number(float(observed[i, j]))},"
                    f"{format_number(float(expected[i, j]))},"
                    f"{format_number(float(upper[i, j]))},"
                    f"{'' if np.isnan(a) else int(a)}\n"
                )


def main(only: list[str] | None = None) -> None:
    """Write the counts and R's results; ``only`` limits the fixtures regenerated."""
    from detection.rbridge import ears_call, farrington_call, run_r

    counts, dates = fixture_data()
    series = [f"s{i}" for i in range(counts.shape[0])]
    labels = [d.isoformat() for d in dates]
    os.makedirs(DATA, exist_ok=True)
    with open(COUNTS, "w", encoding="utf-8") as fh:
        fh.write("week," + ",".join(series) + "\n")
        for j, label in enumerate(labels):
            fh.write(label + "," + ",".join(str(int(v)) for v in counts[:, j]) + "\n")
    weeks = eval_weeks()
    # (fixture, R call, with calendar dates, R gives expected values)
    jobs = [
        (name, f"farringtonFlexible(s, control={farrington_call(control)})", use_dates, True)
        for name, (control, use_dates) in FARRINGTON.items()
    ] + [(name, ears_call(method), False, False) for name, method in EARS.items()]
    for name, call, use_dates, has_expected in jobs:
        if only and name not in only:
            continue
        out = run_r(counts, [(name, call)], weeks, dates=dates if use_dates else None)[name]
        expected = out.expected if has_expected else np.full(out.upperbound.shape, np.nan)
        write_table(
            os.path.join(DATA, f"r_{name}.csv"),
            series,
            labels,
            weeks,
            counts[:, weeks],
            expected,
            out.upperbound,
            out.alarm,
        )


if __name__ == "__main__":
    import sys

    main(sys.argv[1:] or None)
