"""EARS C1/C2/C3 against values computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import norm

from detection.ears import default_weeks, ears_c


def test_c1_hand_computed() -> None:
    y = np.array([1, 2, 3, 4, 5, 6, 7, 20, 4.0])
    res = ears_c(y, "C1")
    assert res.weeks.tolist() == [7, 8]  # R's range starts at week 8 (1-based)
    z = norm.ppf(1 - 0.001)
    mean, sd = 4.0, math.sqrt(28 / 6)  # weeks 1..7
    assert res.expected[0, 0] == pytest.approx(mean)
    assert res.upperbound[0, 0] == pytest.approx(mean + z * sd, rel=1e-12)
    assert bool(res.alarm[0, 0]) is True
    # week 9: reference 2..7 and 20
    ref = np.array([2, 3, 4, 5, 6, 7, 20.0])
    assert res.upperbound[0, 1] == pytest.approx(ref.mean() + z * ref.std(ddof=1), rel=1e-12)
    assert bool(res.alarm[0, 1]) is False


def test_c2_guard_band() -> None:
    y = np.array([2, 4, 2, 4, 2, 4, 2, 50, 50, 9.0, 9.0])
    res = ears_c(y, "C2")
    assert res.weeks.tolist() == [9, 10]
    z = norm.ppf(1 - 0.001)
    ref = y[0:7]  # t=9 (0-based): weeks t-9..t-3
    assert res.upperbound[0, 0] == pytest.approx(ref.mean() + z * ref.std(ddof=1))
    # the two guard weeks (50, 50) do not inflate the baseline
    assert bool(res.alarm[0, 0]) is True


def test_strict_inequality_and_min_sigma() -> None:
    y = np.array([3, 3, 3, 3, 3, 3, 3, 3.0])
    res = ears_c(y, "C1")
    assert res.upperbound[0, 0] == 3.0  # sd 0: U = mean, and 3 > 3 is false
    assert bool(res.alarm[0, 0]) is False
    res = ears_c(y, "C1", min_sigma=0.5)
    assert res.upperbound[0, 0] == pytest.approx(3 + norm.ppf(0.999) * 0.5)


def test_c3_current_week_not_in_sum() -> None:
    """R's C3: U = y_t + S(t) (z - sum of the two previous C2 excesses): a huge current
    week alone never alarms, while two large previous weeks do."""
    base = [5, 7, 5, 7, 5, 7, 5, 7, 5, 6, 6]
    y = np.array([*base, 500.0])
    res = ears_c(y, "C3")
    assert res.weeks.tolist() == [11]
    assert bool(res.alarm[0, 0]) is False
    sd = np.std(y[2:9], ddof=1)
    assert res.upperbound[0, 0] == pytest.approx(500 + sd * norm.ppf(1 - 0.025))

    y2 = np.array([*base[:-2], 40.0, 40.0, 6.0])
    res2 = ears_c(y2, "C3")
    # C2 at the two previous weeks, each with its own 7-week reference
    z = norm.ppf(1 - 0.025)
    ex = 0.0
    for i in (9, 10):
        ref = y2[i - 9 : i - 2]
        ex += max(0.0, (y2[i] - ref.mean()) / ref.std(ddof=1) - 1)
    sd_t = np.std(y2[2:9], ddof=1)
    assert res2.upperbound[0, 0] == pytest.approx(max(0.0, 6 + sd_t * (z - ex)))
    assert bool(res2.alarm[0, 0]) is bool(ex > z)
    assert bool(res2.alarm[0, 0]) is True


def test_c3_zero_spread_is_undefined() -> None:
    y = np.array([4.0] * 11 + [9.0])
    res = ears_c(y, "C3")
    assert np.isnan(res.upperbound[0, 0])
    assert not res.defined[0, 0]
    assert not res.alarm[0, 0]
    assert np.isnan(res.alarm_or_nan[0, 0])


def test_default_alpha_and_ranges() -> None:
    y = np.arange(30.0)
    assert ears_c(y, "C1").weeks[0] == 7
    assert ears_c(y, "C2").weeks[0] == 9
    assert ears_c(y, "C3").weeks[0] == 11
    assert default_weeks(30, "C3", baseline=10)[0] == 14
    r1 = ears_c(y + np.sin(np.arange(30.0)), "C1", alpha=0.001)
    r2 = ears_c(y + np.sin(np.arange(30.0)), "C1")
    np.testing.assert_array_equal(r1.upperbound, r2.upperbound)


def test_vectorised_matches_per_series() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(3, size=(6, 60)).astype(float)
    for method in ("C1", "C2", "C3"):
        batch = ears_c(y, method)  # type: ignore[arg-type]
        for i in range(6):
            one = ears_c(y[i], method)  # type: ignore[arg-type]
            np.testing.assert_array_equal(one.upperbound[0], batch.upperbound[i])


def test_bad_arguments() -> None:
    with pytest.raises(ValueError):
        ears_c(np.arange(20.0), "C1", baseline=2)
    with pytest.raises(ValueError):
        ears_c(np.arange(20.0), "C1", weeks=[3])
    with pytest.raises(ValueError):
        ears_c(np.arange(20.0), "C4")  # type: ignore[arg-type]
