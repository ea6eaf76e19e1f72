"""Agreement with R ``surveillance`` 1.20.3.

The fixtures under ``data/`` were produced by R (``python -m detection.tests.r_fixtures``)
and are compared through the command line, so these tests run without R. A further test
runs R itself on fresh data when ``Rscript`` with library(surveillance) is installed.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest

from detection.cli import main
from detection.farrington import FarringtonControl, farrington_flexible
from detection.rbridge import farrington_call, rscript_path, run_r
from detection.tests import r_fixtures as fx


def _control_args(c: FarringtonControl) -> list[str]:
    args = [
        "--b",
        str(c.b),
        "--w",
        str(c.w),
        "--weights-threshold",
        repr(c.weights_threshold),
        "--alpha",
        repr(c.alpha),
        "--p-threshold-trend",
        repr(c.p_threshold_trend),
        "--limit54",
        f"{c.limit54[0]},{c.limit54[1]}",
        "--powertrans",
        c.powertrans,
        "--no-periods",
        str(c.no_periods),
        "--past-weeks-not-included",
        str(c.pwni),
        "--threshold-method",
        c.threshold_method,
    ]
    if not c.reweight:
        args.append("--no-reweight")
    if not c.trend:
        args.append("--no-trend")
    if c.r_compat:
        args.append("--r-compat")
    return args


def _read(path: Path | str) -> dict[tuple[str, str], dict[str, str]]:
    with open(path, encoding="utf-8") as fh:
        return {(r["series"], r["week"]): r for r in csv.DictReader(fh)}


def _integer_week_copy(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The fixture counts with integer weeks 1..N, and the date of each integer week."""
    out = tmp_path / "counts_int.csv"
    mapping: dict[str, str] = {}
    with open(fx.COUNTS, encoding="utf-8") as src, open(out, "w", encoding="utf-8") as dst:
        rows = list(csv.reader(src))
        dst.write(",".join(rows[0]) + "\n")
        for i, row in enumerate(rows[1:], start=1):
            mapping[str(i)] = row[0]
            dst.write(",".join([str(i), *row[1:]]) + "\n")
    return out, mapping


def _compare(ours: Path, reference: str, week_map: dict[str, str] | None) -> None:
    got = _read(ours)
    want = _read(reference)
    if week_map is not None:
        got = {(s, week_map[w]): r for (s, w), r in got.items()}
    assert set(want) <= set(got)
    for key, ref in want.items():
        row = got[key]
        assert row["alarm"] == ref["alarm"], (key, row, ref)
        if ref["upperbound"] == "":
            assert row["upperbound"] == "", (key, row, ref)
        else:
            assert abs(float(row["upperbound"]) - float(ref["upperbound"])) <= 1e-6, (key, row)


def _range_args(week_map: dict[str, str] | None) -> list[str]:
    first, last = int(fx.eval_weeks()[0]), int(fx.eval_weeks()[-1])
    if week_map is None:
        counts, dates = fx.fixture_data()
        return ["--range", f"{dates[first].isoformat()}:{dates[last].isoformat()}"]
    return ["--range", f"{first + 1}:{last + 1}"]


@pytest.mark.parametrize("name", sorted(fx.FARRINGTON))
def test_farrington_matches_r_fixture(name: str, tmp_path: Path) -> None:
    control, use_dates = fx.FARRINGTON[name]
    source, week_map = (Path(fx.COUNTS), None) if use_dates else _integer_week_copy(tmp_path)
    out = tmp_path / "out.csv"
    argv = ["--method", "farrington-flexible", "--input", str(source), "--output", str(out)]
    rc = main([*argv, *_control_args(control), *_range_args(week_map), "--quiet"])
    assert rc == 0
    _compare(out, os.path.join(fx.DATA, f"r_{name}.csv"), week_map)


@pytest.mark.parametrize("name", sorted(fx.EARS))
def test_ears_matches_r_fixture(name: str, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    method = "ears-" + fx.EARS[name].lower()
    rc = main(
        [
            "--method",
            method,
            "--input",
            fx.COUNTS,
            "--output",
            str(out),
            "--quiet",
            *_range_args(None),
        ]
    )
    assert rc == 0
    _compare(out, os.path.join(fx.DATA, f"r_{name}.csv"), None)


R = rscript_path()


@pytest.mark.skipif(R is None, reason="Rscript with library(surveillance) is not installed")
def test_live_r_on_fresh_data() -> None:
    rng = np.random.default_rng()
    t = np.arange(330)
    mu = np.exp(rng.uniform(0, 2.5, size=(3, 1)) + 0.5 * np.sin(2 * np.pi * t / 52))
    y = rng.negative_binomial(2, 2 / (2 + mu)).astype(float)
    y[0, 320:] += rng.integers(0, 15, size=10)
    weeks = np.arange(324, 330)
    controls = {"delta": FarringtonControl(r_compat=True), "nb": FarringtonControl.noufaily()}
    calls = [
        (k, f"farringtonFlexible(s, control={farrington_call(c)})") for k, c in controls.items()
    ]
    ref = run_r(y, calls, weeks, rscript=R)
    for key, control in controls.items():
        ours = farrington_flexible(y, control, weeks=weeks)
        np.testing.assert_array_equal(ours.alarm_or_nan, ref[key].alarm)
        np.testing.assert_allclose(ours.upperbound, ref[key].upperbound, atol=1e-6)
