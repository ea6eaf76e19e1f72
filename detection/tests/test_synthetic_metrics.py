"""The synthetic generator and the quality metrics."""

from __future__ import annotations

import numpy as np
import pytest

from detection.metrics import first_alarm_delay, quality
from detection.synthetic import SCENARIOS, Scenario, generate, mean_curve


def test_generator_is_seeded_and_labelled() -> None:
    a = generate(36, seed=3, n_weeks=300, n_eval=49)
    b = generate(36, seed=3, n_weeks=300, n_eval=49)
    np.testing.assert_array_equal(a.counts, b.counts)
    assert a.counts.shape == (36, 300)
    np.testing.assert_array_equal(a.counts, a.baseline + a.outbreak_cases)
    assert (a.current_start >= a.eval_start).all()
    # the current outbreak's cases start at its start week, never before
    for i in range(36):
        weeks = np.flatnonzero(a.current[i])
        if weeks.size:
            assert weeks.min() >= a.current_start[i]
    assert (a.outbreak_cases[a.current] > 0).all()
    assert a.scenario_index.tolist() == [i % len(SCENARIOS) for i in range(36)]


def test_baseline_moments() -> None:
    sc = Scenario(theta=2.0, beta=0.0, gamma1=0.0, gamma2=0.0, m=0, phi=3.0)
    data = generate(400, scenarios=(sc,), n_weeks=60, n_eval=10, n_past=0, seed=1)
    base = data.baseline
    mu = float(np.exp(2.0))
    assert base.mean() == pytest.approx(mu, rel=0.02)
    assert base.var() == pytest.approx(3.0 * mu, rel=0.05)


def test_mean_curve_seasonality() -> None:
    sc = Scenario(theta=1.0, beta=0.01, gamma1=0.5, gamma2=0.0, m=1, phi=1.0)
    mu = mean_curve(sc, 104)
    t = np.arange(1, 105)
    np.testing.assert_allclose(mu, np.exp(1.0 + 0.01 * t + 0.5 * np.cos(2 * np.pi * t / 52)))


def test_quality_on_a_hand_made_case() -> None:
    # 3 series x 6 weeks. Series 0: outbreak weeks 2-3, alarm at 3 (late) and a false
    # alarm at 0. Series 1: outbreak 1-2, alarm at 1 (first week). Series 2: outbreak 4-5,
    # missed; alarm NaN at 0 counts as none.
    outbreak = np.zeros((3, 6), dtype=bool)
    outbreak[0, 2:4] = True
    outbreak[1, 1:3] = True
    outbreak[2, 4:6] = True
    alarms = np.zeros((3, 6))
    alarms[0, [0, 3]] = 1
    alarms[1, 1] = 1
    alarms[2, 0] = np.nan
    q = quality(alarms, outbreak, np.array([2, 1, 4]))
    assert q.fpr == pytest.approx(1 / 12)
    assert q.specificity == pytest.approx(11 / 12)
    assert q.pod == pytest.approx(2 / 3)
    assert q.pod_first_week == pytest.approx(1 / 3)
    assert q.sensitivity == pytest.approx(2 / 6)
    assert q.ppv == pytest.approx(2 / 3)
    assert q.npv == pytest.approx(11 / 15)
    # timeliness: series 0 (3-2)/2, series 1 0/2, series 2 missed = 1
    assert q.timeliness == pytest.approx((0.5 + 0.0 + 1.0) / 3)
    delays = first_alarm_delay(alarms > 0, np.array([2, 1, 4]))
    assert delays.tolist() == [1, 0, -1]
