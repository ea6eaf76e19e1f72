"""Farrington flexible: the batched IRLS against statsmodels, the thresholds by hand,
the baseline layout, limit54 and the R dispersion quirk."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from detection import farrington as F
from detection._discrete import qnbinom, qpois
from detection.farrington import FarringtonControl, farrington_flexible


def _design(control: FarringtonControl, t0: int = 400) -> F._Design:
    refs = F._reference_weeks(t0, control, None)
    assert refs is not None
    return F._build_design(refs, t0, control)


def _x_matrix(design: F._Design, trend: bool) -> np.ndarray:
    onehot = np.zeros((design.n, design.n_levels))
    onehot[np.arange(design.n), design.level_of] = 1.0
    return np.column_stack([onehot, design.t]) if trend else onehot


def test_design_sizes() -> None:
    nou = _design(FarringtonControl.noufaily())
    assert nou.n == 237  # the improved configuration: n = 237 and 11 parameters
    assert nou.n_levels == 10
    assert nou.min_offset == -(52 * 5 + 3)
    assert nou.offsets.max() == -27  # t0-26 .. t0 are left out
    orig = _design(FarringtonControl())
    assert orig.n == 5 * 7 and orig.n_levels == 1
    assert sorted(orig.offsets.tolist()) == sorted(
        -52 * j + d for j in range(1, 6) for d in range(-3, 4)
    )


def test_gap_blocks_share_remainder_with_first_blocks() -> None:
    control = FarringtonControl(no_periods=4, b=1, w=1, past_weeks_not_included=1)
    design = _design(control, t0=100)
    level = dict(zip((design.offsets + 100).tolist(), design.level_of.tolist(), strict=True))
    # window around 48 (levels index 3 == level 4), gap 50..98 of 49 weeks in 3 blocks:
    # 17, 16, 16 weeks (remainder to the first block); 99 is in the current window but
    # left out (t0-1..t0).
    assert [level[i] for i in (47, 48, 49)] == [3, 3, 3]
    assert all(level[i] == 0 for i in range(50, 67))
    assert all(level[i] == 1 for i in range(67, 83))
    assert all(level[i] == 2 for i in range(83, 99))
    assert 99 not in level and 100 not in level


def test_date_reference_weeks_follow_calendar_years() -> None:
    control = FarringtonControl(b=5)
    monday = dt.date(2010, 1, 4)
    dates = [monday + dt.timedelta(weeks=i) for i in range(600)]
    t0 = 560
    refs = F._reference_weeks(t0, control, dates)
    assert refs is not None
    for j, r in enumerate(refs):
        target = F._shift_years(dates[t0], j)
        assert abs((dates[r] - target).days) <= 3
        assert dates[r].weekday() == 0
    # five calendar years hold 5 * 365 + 1 or 2 days: the nearest Monday is 261 weeks back
    assert refs[5] == t0 - 261
    assert F._shift_years(dt.date(2016, 2, 29), 1) == dt.date(2015, 3, 1)


@pytest.mark.parametrize("with_prior", [False, True])
@pytest.mark.parametrize("with_offset", [False, True])
@pytest.mark.parametrize("trend", [True, False])
def test_batched_irls_matches_statsmodels(with_prior: bool, with_offset: bool, trend: bool) -> None:
    rng = np.random.default_rng(11)
    design = _design(FarringtonControl.noufaily())
    m = 12
    level_mean = rng.uniform(0.5, 30, size=(m, design.n_levels))
    mu = level_mean[:, design.level_of] * np.exp(0.05 * design.t)
    y = rng.poisson(mu).astype(float)
    prior = rng.uniform(0.2, 2.0, size=y.shape) if with_prior else None
    offset = rng.normal(0, 0.3, size=y.shape) if with_offset else None
    # Iterate to full convergence (R's criterion stops ~1e-8 short, see the next test).
    fit = F._irls(F._Counts.of(y), prior, offset, design, trend, epsilon=1e-13, maxit=60)
    assert fit.converged.all()
    x = _x_matrix(design, trend)
    refs = [
        sm.GLM(
            y[i],
            x,
            family=sm.families.Poisson(),
            var_weights=None if prior is None else prior[i],
            offset=None if offset is None else offset[i],
        ).fit(tol=1e-13, maxiter=100)
        for i in range(m)
    ]
    for i, ref in enumerate(refs):
        coef = np.concatenate([fit.a[i], [fit.b[i]]]) if trend else fit.a[i]
        np.testing.assert_allclose(coef, ref.params, rtol=0, atol=1e-8)
        np.testing.assert_allclose(fit.mu[i], ref.mu, rtol=1e-8)
    # Leverages, dispersion and covariance: R (and we) take them from the weights of the last
    # least-squares solve; statsmodels from the converged weights. Use the converged ones.
    fit.w_last = fit.mu if prior is None else prior * fit.mu
    fit.d, fit.c, fit.tt = F._level_sums(fit.w_last, design, trend)
    mom = F._moments(fit, design)
    hats = F._hat(mom, fit, design)
    for i, ref in enumerate(refs):
        np.testing.assert_allclose(hats[i], ref.get_hat_matrix_diag(), rtol=1e-8)
        pearson = F._pearson_sum(y, fit, fit.w_last)[i] / mom.df[i]
        assert pearson == pytest.approx(ref.pearson_chi2 / ref.df_resid, rel=1e-8)
        if trend:
            cov = ref.cov_params(scale=1.0)
            assert mom.inv_schur[i] == pytest.approx(cov[-1, -1], rel=1e-8)


def test_r_stopping_rule_leaves_a_small_gap() -> None:
    """With R's criterion (relative deviance change < 1e-8) the returned iterate is the one
    R returns, within about 1e-7 of the converged fit."""
    rng = np.random.default_rng(12)
    design = _design(FarringtonControl.noufaily())
    y = rng.poisson(5.0, size=(50, design.n)).astype(float)
    r_iter = F._irls(F._Counts.of(y), None, None, design, True)
    full = F._irls(F._Counts.of(y), None, None, design, True, epsilon=1e-13, maxit=60)
    np.testing.assert_allclose(r_iter.mu, full.mu, rtol=1e-6)
    assert not np.array_equal(r_iter.mu, full.mu)


def test_intercept_only_farrington_by_hand() -> None:
    """Original Farrington without trend and reweighting reduces to a mean: mu0 = ybar,
    phi = max(1, Pearson / (n - 1)), Var(mu0) = phi mu0 / n."""
    rng = np.random.default_rng(5)
    y = rng.negative_binomial(3, 0.3, size=(3, 300)).astype(float)
    control = FarringtonControl(trend=False, reweight=False, limit54=(0, 4))
    res = farrington_flexible(y, control, weeks=[290])
    design = _design(control, 290)
    z = stats.norm.ppf(0.95)
    for i in range(3):
        base = y[i, 290 + design.offsets]
        n = base.size
        mu0 = base.mean()
        phi = max(1.0, ((base - mu0) ** 2 / mu0).sum() / (n - 1))
        tau = phi + (phi * mu0 / n) / mu0
        upper = (mu0 ** (2 / 3) + z * math.sqrt(4 / 9 * mu0 ** (1 / 3) * tau)) ** 1.5
        # R's stopping rule leaves the iterate ~1e-8 from the exact mean
        assert res.expected[i, 0] == pytest.approx(mu0, rel=1e-7)
        assert res.upperbound[i, 0] == pytest.approx(upper, rel=1e-7)
        assert res.extra["phi"][i, 0] == pytest.approx(phi, rel=1e-7)
        assert bool(res.alarm[i, 0]) == bool(y[i, 290] > upper and y[i, 290] != 0)


def test_delta_powertrans_formulas() -> None:
    mu0 = np.array([4.0, 0.3, 12.0])
    se = np.array([0.8, 0.2, 1.5])
    phi = np.array([1.0, 2.5, 1.7])
    z = 1.6448536269514722
    tau = phi + se**2 / mu0
    got = F._delta_upper(mu0, se, phi, z, "2/3")
    want = (mu0 ** (2 / 3) + z * np.sqrt(4 / 9 * mu0 ** (1 / 3) * tau)) ** 1.5
    np.testing.assert_allclose(got, want, rtol=1e-14)
    got = F._delta_upper(mu0, se, phi, z, "1/2")
    np.testing.assert_allclose(got, (np.sqrt(mu0) + z * np.sqrt(tau / 4)) ** 2, rtol=1e-14)
    got = F._delta_upper(mu0, se, phi, z, "none")
    np.testing.assert_allclose(got, mu0 + z * np.sqrt(mu0 * tau), rtol=1e-14)


def test_negative_binomial_and_poisson_quantiles() -> None:
    rng = np.random.default_rng(2)
    mu = rng.uniform(0.01, 80, size=400)
    phi = rng.uniform(1.0001, 6, size=400)
    size, prob = mu / (phi - 1), 1 / phi
    for p in (0.95, 0.99, 0.5):
        got = qnbinom(p, size, prob)
        want = stats.nbinom.ppf(p, size, prob)
        # scipy agrees except where the cdf equals p to rounding; check the definition
        cdf_k = stats.nbinom.cdf(got, size, prob)
        cdf_km1 = stats.nbinom.cdf(got - 1, size, prob)
        assert (cdf_k >= p * (1 - 1e-13)).all()
        assert (cdf_km1 < p).all()
        assert np.mean(got == want) > 0.99
        gp = qpois(p, mu)
        np.testing.assert_array_equal(gp, stats.poisson.ppf(p, mu))


def test_nbplugin_threshold_is_nb_quantile() -> None:
    rng = np.random.default_rng(8)
    y = rng.negative_binomial(2, 0.2, size=(4, 400)).astype(float)
    control = FarringtonControl.noufaily()
    res = farrington_flexible(y, control, weeks=[399])
    for i in range(4):
        mu0, phi = res.expected[i, 0], res.extra["phi"][i, 0]
        if phi > 1:
            want = stats.nbinom.ppf(0.95, mu0 / (phi - 1), 1 / phi)
        else:
            want = stats.poisson.ppf(0.95, mu0)
        assert res.upperbound[i, 0] == want


@pytest.mark.parametrize("r_compat", [False, True])
def test_delta_and_muan_thresholds_from_the_fit(r_compat: bool) -> None:
    rng = np.random.default_rng(13)
    y = rng.negative_binomial(2, 0.2, size=(6, 420)).astype(float)
    z = stats.norm.ppf(0.95)
    delta = farrington_flexible(y, FarringtonControl(r_compat=r_compat), weeks=[410, 419])
    mu0, se, phi = delta.expected, delta.extra["se_eta"], delta.extra["phi"]
    tau = phi + (se * mu0) ** 2 / mu0
    want = (mu0 ** (2 / 3) + z * np.sqrt(4 / 9 * mu0 ** (1 / 3) * tau)) ** 1.5
    ok = ~np.isnan(delta.upperbound)
    np.testing.assert_allclose(delta.upperbound[ok], want[ok], rtol=1e-12)
    muan = farrington_flexible(
        y, FarringtonControl(threshold_method="muan", r_compat=r_compat), weeks=[410, 419]
    )
    mu0, se, phi = muan.expected, muan.extra["se_eta"], muan.extra["phi"]
    mu_q = np.exp(np.log(mu0) + z * se)
    want = np.where(
        phi > 1, stats.nbinom.ppf(0.95, mu_q / (phi - 1), 1 / phi), stats.poisson.ppf(0.95, mu_q)
    )
    ok = ~np.isnan(muan.upperbound)
    np.testing.assert_array_equal(muan.upperbound[ok], want[ok])


def test_limit54() -> None:
    y = np.full((2, 320), 3.0)
    y[:, 300:] = 1.0  # 4 cases in the last 4 weeks: under the (5, 4) rule
    y[1, 316:] = [1, 1, 1, 9]
    res = farrington_flexible(y, FarringtonControl(), weeks=[319])
    assert res.defined[0, 0] and not res.alarm[0, 0] and np.isnan(res.upperbound[0, 0])
    assert not np.isnan(res.expected[0, 0])
    assert res.defined[1, 0] and not np.isnan(res.upperbound[1, 0])
    loose = farrington_flexible(y, FarringtonControl(limit54=(4, 4)), weeks=[319])
    assert not np.isnan(loose.upperbound[0, 0])


def test_zero_count_never_alarms() -> None:
    y = np.zeros((1, 320))
    y[0, 300:319] = 5.0
    res = farrington_flexible(y, FarringtonControl(limit54=(0, 4)), weeks=[319])
    assert not res.alarm[0, 0]


def test_r_compat_changes_delta_not_nbplugin() -> None:
    rng = np.random.default_rng(4)
    y = rng.negative_binomial(2, 0.15, size=(20, 420)).astype(float)
    weeks = np.arange(380, 420)
    a = farrington_flexible(y, FarringtonControl(), weeks=weeks)
    b = farrington_flexible(y, FarringtonControl(r_compat=True), weeks=weeks)
    assert not np.allclose(a.upperbound, b.upperbound, equal_nan=True)
    # Without the trend test in play, the quirk only shrinks se(mu0) (its dispersion is
    # about phi / mean(mu) with mean(mu) > 1 here), so R's bound is lower.
    a0 = farrington_flexible(y, FarringtonControl(trend=False), weeks=weeks)
    b0 = farrington_flexible(y, FarringtonControl(trend=False, r_compat=True), weeks=weeks)
    np.testing.assert_array_equal(a0.expected, b0.expected)
    assert (b0.upperbound <= a0.upperbound)[~np.isnan(a0.upperbound)].all()
    c = farrington_flexible(y, FarringtonControl.noufaily(), weeks=weeks)
    d = farrington_flexible(y, FarringtonControl.noufaily(r_compat=True), weeks=weeks)
    np.testing.assert_array_equal(c.upperbound, d.upperbound)


# The forked-process backend warns that this (OpenBLAS-threaded) process forks.
@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
def test_batch_equals_single_series(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(F, "_CHUNK_ROWS", 16)  # several batches, so workers share them
    rng = np.random.default_rng(9)
    y = rng.negative_binomial(1.5, 0.3, size=(7, 400)).astype(float)
    y[3] = 0
    weeks = np.arange(390, 400)
    for control in (FarringtonControl(), FarringtonControl.noufaily()):
        batch = farrington_flexible(y, control, weeks=weeks, workers=2)
        forked = farrington_flexible(y, control, weeks=weeks, workers=2, backend="processes")
        np.testing.assert_array_equal(batch.upperbound, forked.upperbound)
        for i in range(7):
            one = farrington_flexible(y[i], control, weeks=weeks, workers=1)
            np.testing.assert_array_equal(one.upperbound[0], batch.upperbound[i])
            np.testing.assert_array_equal(one.defined[0], batch.defined[i])


def test_duplicate_series_are_fitted_once() -> None:
    rng = np.random.default_rng(21)
    distinct = rng.poisson(3, size=(5, 300)).astype(float)
    y = np.vstack([distinct[i % 5] for i in range(40)] + [np.zeros(300)] * 10)
    res = farrington_flexible(y, FarringtonControl.noufaily(), weeks=[297, 299])
    ref = farrington_flexible(distinct, FarringtonControl.noufaily(), weeks=[297, 299])
    for i in range(40):
        np.testing.assert_array_equal(res.upperbound[i], ref.upperbound[i % 5])
        np.testing.assert_array_equal(res.alarm[i], ref.alarm[i % 5])
    assert not res.defined[40:].any()


def test_all_zero_baseline_follows_r_convergence() -> None:
    """With only zeros mu shrinks by e per IRLS step; R's criterion is met within 25 steps
    for 35 observations but not for 237, so the improved setting has no answer there."""
    y = np.zeros((1, 400))
    small = farrington_flexible(y, FarringtonControl(), weeks=[399])
    assert small.defined[0, 0] and not small.alarm[0, 0]
    big = farrington_flexible(y, FarringtonControl.noufaily(), weeks=[399])
    assert not big.defined[0, 0] and np.isnan(big.alarm_or_nan[0, 0])


def test_population_offset_scales_expectation() -> None:
    rng = np.random.default_rng(1)
    pop = np.full((1, 400), 1000.0)
    pop[0, 350:] = 2000.0  # the population doubles
    y = rng.poisson(5 * pop / 1000).astype(float)
    control = FarringtonControl(population_offset=True, trend=False)
    res = farrington_flexible(y, control, weeks=[399], population=pop)
    plain = farrington_flexible(y, FarringtonControl(trend=False), weeks=[399])
    assert res.expected[0, 0] == pytest.approx(2 * plain.expected[0, 0], rel=0.3)
    with pytest.raises(ValueError):
        farrington_flexible(y, control, weeks=[399])


def test_validation() -> None:
    with pytest.raises(ValueError):
        FarringtonControl(alpha=1.5)
    with pytest.raises(ValueError):
        FarringtonControl(limit54=(5, 0))
    with pytest.raises(ValueError):
        farrington_flexible(np.array([[1.0, -1.0] * 200]), FarringtonControl())
    res = farrington_flexible(np.ones((1, 300)), FarringtonControl(), weeks=[10])
    assert not res.defined[0, 0]  # not enough history: no answer


def test_noufaily_preset_overrides() -> None:
    c = FarringtonControl.noufaily(b=4, alpha=0.01)
    assert (c.b, c.alpha, c.no_periods, c.pwni, c.threshold_method) == (4, 0.01, 10, 26, "nbPlugin")
    assert c.p_threshold_trend == 1.0
