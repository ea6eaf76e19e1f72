"""Farrington flexible (Farrington 1996; Noufaily 2013), batched across series and weeks.

Behaviour follows R ``surveillance::farringtonFlexible`` (1.20.3), written from the method
description in ``docs/EARLY-WARNING.md`` section 1.1:

* reference weeks t0 - 52 j (integer epochs) or the same weekday nearest to t0 minus j
  calendar years (date epochs);
* a baseline of windows (``no_periods == 1``) or every week back to t0 - 52 b - w with a
  seasonal factor (``no_periods > 1``), minus the ``past_weeks_not_included + 1`` latest
  weeks;
* a quasi-Poisson log-linear GLM fitted by IRLS exactly as R's ``glm.fit`` iterates
  (start mu = y + 0.1, deviance criterion 1e-8, at most 25 iterations), refitted without
  trend on non-convergence, reweighted with Anscombe residuals, trend kept only if
  significant, b >= 3 and mu0 <= max(baseline);
* thresholds ``delta`` (power-transformed normal), ``nbPlugin`` and ``muan`` (negative
  binomial quantiles); the limit54 rule and the alarm rule of the package.

Why this is fast: every (series, week) pair evaluated with the same baseline pattern shares
the design matrix. The design is an intercept per seasonal level (one-hot) plus a trend, so
X'WX is "arrow-shaped": a diagonal block for the levels and one dense row/column for the
trend. With the observations sorted by level, every IRLS step needs only segment sums
(``np.add.reduceat``) and a scalar Schur complement per fit, all vectorised over thousands of
fits at once. Fits that converge leave the working set, so slow fits do not hold up the rest.

R quirk (``r_compat``): after the weighted refit the package overwrites the model's working
weights with the prior weights omega, so ``summary.glm``/``predict.glm`` estimate the
dispersion as sum(omega * ((y - mu) / mu)^2) / (n - p) instead of the Pearson statistic. That
dispersion then scales se(eta0) (``delta``, ``muan``) and the trend t-test. With
``r_compat=True`` we reproduce it (and, without reweighting, R's uncapped dispersion); with
the default ``r_compat=False`` the capped dispersion phi is used everywhere, as intended by
Farrington (1996).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from detection._discrete import qnbinom, qpois
from detection.result import BoolArray, DetectionResult, FloatArray, IntArray

PowerTrans = Literal["2/3", "1/2", "none"]
ThresholdMethod = Literal["delta", "nbPlugin", "muan"]
ProgressCallback = Callable[[int, int], None]
Backend = Literal["threads", "processes"]

# R's log link floors exp(eta) at .Machine$double.eps in linkinv and mu.eta.
_EPS = float(np.finfo(np.float64).eps)
_LOG_EPS = float(np.log(_EPS))
_GLM_EPSILON = 1e-8
_GLM_MAXIT = 25
# Fits per batch: large enough to amortise NumPy call overhead, small enough for the cache.
_CHUNK_ROWS = 512


@dataclass(frozen=True)
class FarringtonControl:
    """Every control argument of R ``farringtonFlexible`` (defaults as in 1.20.3).

    ``past_weeks_not_included=None`` means ``w``. ``r_compat`` reproduces R's dispersion
    quirk (see the module docstring). ``freq`` is the number of weeks per year for integer
    epochs (52).
    """

    b: int = 5
    w: int = 3
    reweight: bool = True
    weights_threshold: float = 2.58
    alpha: float = 0.05
    trend: bool = True
    p_threshold_trend: float = 0.05
    limit54: tuple[int, int] = (5, 4)
    powertrans: PowerTrans = "2/3"
    population_offset: bool = False
    no_periods: int = 1
    past_weeks_not_included: int | None = None
    threshold_method: ThresholdMethod = "delta"
    r_compat: bool = False
    freq: int = 52

    def __post_init__(self) -> None:
        if self.b < 1:
            raise ValueError("b must be >= 1")
        if self.w < 0:
            raise ValueError("w must be >= 0")
        if self.no_periods < 1:
            raise ValueError("no_periods must be >= 1")
        if not 0.0 < self.alpha < 1.0:
            raise ValueError("alpha must be in (0, 1)")
        if self.limit54[0] < 0 or self.limit54[1] <= 0:
            raise ValueError("limit54 must be (cases >= 0, weeks > 0)")
        if self.powertrans not in ("2/3", "1/2", "none"):
            raise ValueError("powertrans must be '2/3', '1/2' or 'none'")
        if self.threshold_method not in ("delta", "nbPlugin", "muan"):
            raise ValueError("threshold_method must be 'delta', 'nbPlugin' or 'muan'")
        if self.past_weeks_not_included is not None and self.past_weeks_not_included < 0:
            raise ValueError("past_weeks_not_included must be >= 0")

    @property
    def pwni(self) -> int:
        """The effective ``pastWeeksNotIncluded``."""
        return self.w if self.past_weeks_not_included is None else self.past_weeks_not_included

    @classmethod
    def noufaily(cls, **overrides: object) -> FarringtonControl:
        """The improved (Noufaily 2013) configuration with our reference ``b=5``."""
        base = cls(
            b=5,
            w=3,
            reweight=True,
            weights_threshold=2.58,
            p_threshold_trend=1.0,
            no_periods=10,
            past_weeks_not_included=26,
            threshold_method="nbPlugin",
        )
        return replace(base, **overrides)  # type: ignore[arg-type]

    @classmethod
    def original(cls, **overrides: object) -> FarringtonControl:
        """The original (Farrington 1996) configuration: the defaults (one period, w weeks
        left out, trend test at 0.05, the delta threshold with the 2/3 power) but for the
        reweighting threshold 1."""
        return replace(cls(weights_threshold=1.0), **overrides)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------
# Baseline design
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Design:
    """A baseline pattern shared by all (series, week) pairs with the same reference offsets.

    Observations are sorted by seasonal level so that level sums are contiguous segments.
    """

    offsets: IntArray  # (n,) week index minus t0 of each baseline observation
    starts: IntArray  # (G,) first position of each level in that order
    counts: IntArray  # (G,) observations per level
    t: FloatArray  # (n,) time covariate, centred and in years (the fit is invariant)
    t_now: float  # the time covariate at t0
    level_now: int  # position of the current-window level among the G levels
    min_offset: int  # the earliest week needed, relative to t0
    level_of: IntArray  # (n,) level position of each observation

    @property
    def n(self) -> int:
        return int(self.offsets.size)

    @property
    def n_levels(self) -> int:
        return int(self.starts.size)


def _r_span(a: int, b: int) -> range:
    """R's ``a:b`` (descending when a > b)."""
    return range(a, b + 1) if a <= b else range(a, b - 1, -1)


def _build_design(ref_abs: Sequence[int], t0: int, control: FarringtonControl) -> _Design:
    """The baseline for week ``t0`` given reference weeks ``ref_abs`` (ref_abs[0] == t0,
    then t0's reference week 1..b years back), following the package's block layout."""
    w, p, b = control.w, control.no_periods, control.b
    level: dict[int, int] = {}
    for i in _r_span(t0 - w, t0):
        level[i] = p
    for i in range(1, b + 1):
        ref = ref_abs[i]
        for j in _r_span(ref - w, ref + w):
            level[j] = p
        if p != 1:
            # The gap up to the next window is split into p - 1 near-equal blocks, the
            # remainder going to the first blocks.
            period = ref_abs[i - 1] - 2 * w - 1 - ref
            base, rest = divmod(period, p - 1)
            lengths = [base + (1 if j < rest else 0) for j in range(p - 1)]
            cum = np.concatenate([[0], np.cumsum(lengths)])
            for j in range(p - 1):
                for k in _r_span(ref + w + 1 + int(cum[j]), ref + w + 1 + int(cum[j + 1]) - 1):
                    level[k] = j + 1
    for i in _r_span(t0 - control.pwni, t0):
        level.pop(i, None)
    idx = np.array(sorted(level), dtype=np.int64)
    lev = np.array([level[i] for i in idx], dtype=np.int64)
    order = np.lexsort((idx, lev))
    idx, lev = idx[order], lev[order]
    levels, starts, counts = np.unique(lev, return_index=True, return_counts=True)
    if p not in levels:
        raise ValueError("the current-window level has no baseline observation")
    centre = float(idx.mean())
    freq = float(control.freq)
    return _Design(
        offsets=idx - t0,
        starts=starts.astype(np.int64),
        counts=counts.astype(np.int64),
        t=np.asarray((idx - centre) / freq, dtype=np.float64),
        t_now=(t0 - centre) / freq,
        level_now=int(np.searchsorted(levels, p)),
        min_offset=int(idx.min() - t0),
        level_of=np.repeat(np.arange(levels.size), counts).astype(np.int64),
    )


def _shift_years(day: dt.date, years: int) -> dt.date:
    """``day`` minus ``years`` calendar years; 29 February becomes 1 March (as R's seq)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return dt.date(day.year - years, 3, 1)


def _nearest_same_weekday(target: dt.date, weekday: int) -> dt.date:
    """The date with weekday ``weekday`` nearest to ``target`` (ties impossible: 7 is odd)."""
    before = target - dt.timedelta(days=(target.weekday() - weekday) % 7)
    after = before + dt.timedelta(days=7)
    return before if (target - before) <= (after - target) else after


def _reference_weeks(
    t0: int, control: FarringtonControl, dates: Sequence[dt.date] | None
) -> list[int] | None:
    """Indices of t0 and its b reference weeks, or None if one falls outside the data."""
    if dates is None:
        refs = [t0 - control.freq * j for j in range(control.b + 1)]
    else:
        day = dates[t0]
        position = {d: i for i, d in enumerate(dates)}
        refs = [t0]
        for j in range(1, control.b + 1):
            ref_day = _nearest_same_weekday(_shift_years(day, j), day.weekday())
            if ref_day not in position:
                return None
            refs.append(position[ref_day])
    if min(refs) < 0:
        return None
    return refs


# --------------------------------------------------------------------------------------
# Batched IRLS (quasi-Poisson, log link)
# --------------------------------------------------------------------------------------


@dataclass
class _Fit:
    """IRLS results for a batch of fits sharing one design (row = one fit).

    ``d``, ``c`` and ``tt`` are the level sums of w, w t and the total of w t^2 for the
    working weights ``w_last`` of the final least-squares solve: the blocks of X'WX that
    R's ``summary``/``predict``/``hatvalues`` use.
    """

    a: FloatArray  # (m, G) level coefficients
    b: FloatArray  # (m,) trend coefficient (0 without trend)
    mu: FloatArray  # (m, n) fitted means at the final coefficients
    w_last: FloatArray  # (m, n) working weights of the last weighted least-squares solve
    d: FloatArray  # (m, G)
    c: FloatArray  # (m, G)
    tt: FloatArray  # (m,)
    converged: BoolArray  # (m,)
    trend: BoolArray  # (m,)

    @classmethod
    def empty(cls, m: int, n: int, g: int) -> _Fit:
        return cls(
            a=np.zeros((m, g)),
            b=np.zeros(m),
            mu=np.ones((m, n)),
            w_last=np.ones((m, n)),
            d=np.ones((m, g)),
            c=np.zeros((m, g)),
            tt=np.ones(m),
            converged=np.zeros(m, dtype=bool),
            trend=np.zeros(m, dtype=bool),
        )

    def put(self, rows: IntArray | BoolArray, other: _Fit) -> None:
        for name in ("a", "b", "mu", "w_last", "d", "c", "tt", "converged", "trend"):
            getattr(self, name)[rows] = getattr(other, name)


def _explicit_deviance(
    y: FloatArray, prior: FloatArray | None, eta: FloatArray, mu: FloatArray
) -> FloatArray:
    """Poisson deviance per row, 2 sum prior (y log(y/mu) - (y - mu)); log(mu) is eta
    clamped at log(eps) because mu is exp(eta) floored at eps."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
    terms = ylogy - y * np.maximum(eta, _LOG_EPS) - y + mu
    if prior is not None:
        terms *= prior
    return np.asarray(2.0 * terms.sum(axis=1), dtype=np.float64)


def _level_sums(
    w: FloatArray, design: _Design, trend: bool, scratch: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Level sums of w and w t, and the total of w t^2 (zeros without trend). ``scratch``
    (shaped like w) receives w t instead of a fresh array."""
    d = np.add.reduceat(w, design.starts, axis=1)
    if not trend:
        m = w.shape[0]
        return d, np.zeros_like(d), np.zeros(m)
    wt = w * design.t if scratch is None else np.multiply(w, design.t, out=scratch)
    c = np.add.reduceat(wt, design.starts, axis=1)
    tt = np.einsum("ij,j->i", wt, design.t)
    return d, c, tt


@dataclass
class _Counts:
    """Baseline counts of a batch with the transforms every fit of the batch needs."""

    y: FloatArray  # (m, n)
    log_start: FloatArray  # log(y + 0.1): R's starting linear predictor
    ylogy: FloatArray  # y log y (0 for y == 0)
    y23: FloatArray  # y^(2/3), for Anscombe residuals

    @classmethod
    def of(cls, y: FloatArray) -> _Counts:
        # Counts are mostly small integers: a table lookup is far cheaper than np.log.
        top = float(y.max()) if y.size else 0.0
        if top <= 100_000 and np.array_equal(y, np.floor(y)):
            k = np.arange(int(top) + 1, dtype=np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                ylogy_tab = np.where(k > 0, k * np.log(np.maximum(k, 1.0)), 0.0)
            idx = y.astype(np.intp)
            return cls(
                y=y,
                log_start=np.log(k + 0.1)[idx],
                ylogy=ylogy_tab[idx],
                y23=(np.cbrt(k) ** 2)[idx],
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            ylogy = np.where(y > 0, y * np.log(np.where(y > 0, y, 1.0)), 0.0)
        return cls(y=y, log_start=np.log(y + 0.1), ylogy=ylogy, y23=np.cbrt(y) ** 2)

    def take(self, rows: IntArray) -> _Counts:
        return _Counts(
            y=self.y[rows],
            log_start=self.log_start[rows],
            ylogy=self.ylogy[rows],
            y23=self.y23[rows],
        )


@dataclass
class _IrlsProblem:
    """The fits of a batch and what stays fixed while they iterate. The deviance and X'Wz
    need only sums of prior * y; the t range of each level tells when mu may be floored."""

    y: FloatArray  # (m, n) counts
    prior: FloatArray | None  # (m, n) prior weights, or None
    design: _Design
    trend: bool
    epsilon: float  # convergence criterion on the relative deviance change
    py: FloatArray  # (m, n) prior * y (y itself without prior weights)
    py_g: FloatArray  # (m, G) level sums of py
    py_t: FloatArray  # (m,) sum of py * t (zeros without trend)
    py_off: FloatArray  # (m,) sum of py * offset (zeros without offset)
    c1: FloatArray  # (m,) sum of prior * y log y minus sum of py
    t_lo: FloatArray  # (G,) smallest t of each level
    t_hi: FloatArray  # (G,) largest t of each level
    off_min: FloatArray  # (m,) smallest offset of each row (zeros without offset)

    @classmethod
    def of(
        cls,
        counts_: _Counts,
        prior: FloatArray | None,
        offset: FloatArray | None,
        design: _Design,
        trend: bool,
        epsilon: float,
    ) -> _IrlsProblem:
        y, starts, t = counts_.y, design.starts, design.t
        m = y.shape[0]
        py = y if prior is None else prior * y
        if prior is None:
            c1 = counts_.ylogy.sum(axis=1) - py.sum(axis=1)
        else:
            c1 = np.einsum("ij,ij->i", counts_.ylogy, prior) - py.sum(axis=1)
        return cls(
            y=y,
            prior=prior,
            design=design,
            trend=trend,
            epsilon=epsilon,
            py=py,
            py_g=np.add.reduceat(py, starts, axis=1),
            py_t=np.einsum("ij,j->i", py, t) if trend else np.zeros(m),
            py_off=np.zeros(m) if offset is None else np.einsum("ij,ij->i", py, offset),
            c1=c1,
            t_lo=np.minimum.reduceat(t, starts),
            t_hi=np.maximum.reduceat(t, starts),
            off_min=np.zeros(m) if offset is None else offset.min(axis=1),
        )


@dataclass
class _IrlsBuffers:
    """Work buffers reused by every iteration (fresh large allocations cost page faults):
    a scratch array and two (mu, w) pairs used alternately; w is mu without prior weights.
    The working rows are always a prefix of each buffer."""

    tmp: FloatArray
    mu: tuple[FloatArray, FloatArray]
    w: tuple[FloatArray, FloatArray]

    @classmethod
    def of(cls, m: int, n: int, weighted: bool) -> _IrlsBuffers:
        tmp = np.empty((m, n))
        mu = (np.empty((m, n)), np.empty((m, n)))
        w = (np.empty((m, n)), np.empty((m, n))) if weighted else mu
        return cls(tmp=tmp, mu=mu, w=w)


@dataclass
class _IrlsState:
    """The rows still iterating and what the next solve needs: the weights of the last
    solve with their level sums, the right-hand side X'Wz and the last deviance."""

    rows: IntArray  # original row of each working row
    active: BoolArray  # working rows still iterating
    prior: FloatArray | None  # prior weights of the working rows
    offset: FloatArray | None  # offsets of the working rows
    w: FloatArray  # (k, n) working weights of the last solve
    d: FloatArray  # (k, G) level sums of w
    c: FloatArray  # (k, G) level sums of w t
    tt: FloatArray  # (k,) sum of w t^2
    r: FloatArray  # (k, G) level rows of X'Wz
    rt: FloatArray  # (k,) trend row of X'Wz
    devold: FloatArray  # (k,) deviance of the last iterate
    side: int = 0  # which (mu, w) buffer pair the current iterate writes


@dataclass
class _IrlsStep:
    """One iterate: the coefficients, the fitted mu, the new weights with their level sums,
    the deviance and the convergence test."""

    a: FloatArray
    b: FloatArray
    mu: FloatArray
    w: FloatArray
    d: FloatArray
    c: FloatArray
    tt: FloatArray
    dev: FloatArray
    finite: BoolArray
    conv: BoolArray


def _irls(
    counts_: _Counts,
    prior: FloatArray | None,
    offset: FloatArray | None,
    design: _Design,
    trend: bool,
    epsilon: float = _GLM_EPSILON,
    maxit: int = _GLM_MAXIT,
) -> _Fit:
    """Fit log mu = level + trend * t (+ offset) to every row of ``y`` by IRLS.

    Mirrors R ``glm.fit`` for the (quasi-)Poisson family: start at mu = y + 0.1, iterate
    weighted least squares on the working response, stop when the relative deviance change
    is below 1e-8 or after 25 iterations. Each row keeps its own iteration count, so the
    returned coefficients are the very iterate R returns. Rows whose step produces
    non-finite coefficients or deviance are reported as not converged (R would step-halve
    or stop with an error there).

    After the first step the linear predictor is X beta, so the right-hand side X'Wz and the
    deviance follow from the level sums (d, c, tt) of the new weights and constants of y:
    sum_g w eta = a_g d_g + b c_g and sum p mu = sum_g d_g. Only exp(eta) and three sums
    touch every observation per iteration, and they write into reused buffers (fresh
    large allocations cost page faults).
    """
    m, n = counts_.y.shape
    out = _Fit.empty(m, n, design.n_levels)
    out.trend[:] = trend
    if m == 0:
        return out
    problem = _IrlsProblem.of(counts_, prior, offset, design, trend, epsilon)
    bufs = _IrlsBuffers.of(m, n, prior is not None)
    state = _irls_start(problem, counts_.log_start, offset, bufs)
    for it in range(maxit):
        state.side = 1 - state.side
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            a, b = _irls_solve(state, trend)
            step = _irls_step(problem, state, a, b, bufs)
        done = (step.conv | ~step.finite) & state.active
        last = it == maxit - 1
        if last:
            # Not converged within maxit: R keeps the last iterate, its mu and the weights
            # of the last solve.
            done = state.active
        if done.any():
            _irls_store(out, state, step, done)
            state.active &= ~done
            n_active = int(state.active.sum())
            if n_active == 0 or last:
                return out
            if n_active < 0.75 * state.rows.size:
                _irls_compact(state, step, bufs)
        _irls_advance(problem, state, step)
    return out


def _irls_start(
    problem: _IrlsProblem, eta0: FloatArray, offset: FloatArray | None, bufs: _IrlsBuffers
) -> _IrlsState:
    """Iteration 0 from eta0 = log(y + 0.1): that mu is not of the form X beta, so build
    X'Wz explicitly."""
    prior, design, trend = problem.prior, problem.design, problem.trend
    m, n = problem.y.shape
    mu = np.exp(eta0, out=bufs.mu[0])
    np.maximum(mu, _EPS, out=mu)
    w = mu if prior is None else np.multiply(prior, mu, out=bufs.w[0])
    devold = 2.0 * (problem.c1 - np.einsum("ij,ij->i", problem.py, eta0) + w.sum(axis=1))
    buf_eta = np.empty((m, n))
    wz = np.subtract(eta0, offset, out=buf_eta) if offset is not None else eta0
    wz = np.multiply(w, wz, out=buf_eta)
    wz += problem.py
    wz -= w
    r = np.add.reduceat(wz, design.starts, axis=1)
    rt = np.einsum("ij,j->i", wz, design.t) if trend else np.zeros(m)
    d, c, tt = _level_sums(w, design, trend, bufs.tmp)
    return _IrlsState(
        rows=np.arange(m),
        active=np.ones(m, dtype=bool),
        prior=prior,
        offset=offset,
        w=w,
        d=d,
        c=c,
        tt=tt,
        r=r,
        rt=rt,
        devold=devold,
    )


def _irls_solve(state: _IrlsState, trend: bool) -> tuple[FloatArray, FloatArray]:
    """Weighted least squares with the arrow-shaped X'WX: the level coefficients a (k, G)
    and the trend b (k,), through the Schur complement of the trend."""
    inv_d = 1.0 / state.d
    if trend:
        schur = state.tt - np.einsum("ij,ij,ij->i", state.c, state.c, inv_d)
        b = (state.rt - np.einsum("ij,ij,ij->i", state.c, state.r, inv_d)) / schur
        a = (state.r - state.c * b[:, None]) * inv_d
    else:
        b = np.zeros(state.rows.size)
        a = state.r * inv_d
    return a, b


def _irls_step(
    problem: _IrlsProblem, state: _IrlsState, a: FloatArray, b: FloatArray, bufs: _IrlsBuffers
) -> _IrlsStep:
    """mu, the new weights, their level sums, the deviance and the convergence test for
    the coefficients (a, b) of the working rows."""
    design, trend = problem.design, problem.trend
    k = state.rows.size
    rows = state.rows
    eta = np.repeat(a, design.counts, axis=1)
    if trend:
        eta += np.multiply.outer(b, design.t, out=bufs.tmp[:k])
    if state.offset is not None:
        eta += state.offset
    mu = np.exp(eta, out=bufs.mu[state.side][:k])
    # Where some eta may be below log(eps), mu is floored and log(mu) != eta.
    eta_min = (a + np.minimum(b[:, None] * problem.t_lo, b[:, None] * problem.t_hi)).min(axis=1)
    low = (eta_min + problem.off_min[rows]) < _LOG_EPS
    if low.any():
        mu[low] = np.maximum(mu[low], _EPS)
    w = mu if state.prior is None else np.multiply(state.prior, mu, out=bufs.w[state.side][:k])
    d, c, tt = _level_sums(w, design, trend, bufs.tmp[:k])
    lin = np.einsum("ij,ij->i", a, problem.py_g[rows]) + b * problem.py_t[rows]
    lin += problem.py_off[rows]
    dev = 2.0 * (problem.c1[rows] - lin + d.sum(axis=1))
    if low.any():
        orig = rows[low]
        dev[low] = _explicit_deviance(
            problem.y[orig], _take(problem.prior, orig), eta[low], mu[low]
        )
    finite = np.isfinite(dev) & np.isfinite(a).all(axis=1) & np.isfinite(b)
    change = np.abs(dev - state.devold) / (np.abs(dev) + 0.1)
    conv = finite & (change < problem.epsilon)
    return _IrlsStep(a=a, b=b, mu=mu, w=w, d=d, c=c, tt=tt, dev=dev, finite=finite, conv=conv)


def _irls_store(out: _Fit, state: _IrlsState, step: _IrlsStep, done: BoolArray) -> None:
    """Write the finished working rows to their original rows of ``out``: this iterate's
    coefficients and mu, with the weights (and their sums) of the solve that gave them."""
    idx = state.rows[done]
    out.a[idx] = step.a[done]
    out.b[idx] = step.b[done]
    out.mu[idx] = step.mu[done]
    out.w_last[idx] = state.w[done]
    out.d[idx] = state.d[done]
    out.c[idx] = state.c[done]
    out.tt[idx] = state.tt[done]
    out.converged[idx] = step.conv[done]


def _irls_compact(state: _IrlsState, step: _IrlsStep, bufs: _IrlsBuffers) -> None:
    """Drop the finished rows: the active ones move to the front of the buffers."""
    keep = np.flatnonzero(state.active)
    k = keep.size
    state.rows = state.rows[keep]
    state.active = np.ones(k, dtype=bool)
    state.prior = _take(state.prior, keep)
    state.offset = _take(state.offset, keep)
    step.a, step.b, step.dev = step.a[keep], step.b[keep], step.dev[keep]
    step.d, step.c, step.tt = step.d[keep], step.c[keep], step.tt[keep]
    bufs.w[state.side][:k] = step.w[keep]
    step.w = bufs.w[state.side][:k]


def _irls_advance(problem: _IrlsProblem, state: _IrlsState, step: _IrlsStep) -> None:
    """The next right-hand side from the linear predictor: sum_g w (eta - offset) +
    p (y - mu); the iterate's weights become those of the next solve."""
    rows = state.rows
    state.r = step.a * step.d + step.b[:, None] * step.c + problem.py_g[rows] - step.d
    if problem.trend:
        state.rt = (
            np.einsum("ij,ij->i", step.a, step.c)
            + step.b * step.tt
            + problem.py_t[rows]
            - step.c.sum(axis=1)
        )
    state.devold = step.dev
    state.w, state.d, state.c, state.tt = step.w, step.d, step.c, step.tt


@dataclass
class _Moments:
    """Pieces of (X'WX)^-1 for the arrow-shaped design, from the last solve's weights."""

    inv_d: FloatArray  # (m, G) 1 / sum of weights per level
    c_over_d: FloatArray  # (m, G) sum(w t) / sum(w) per level
    inv_schur: FloatArray  # (m,) 1 / Schur complement of the trend (0 without trend)
    df: FloatArray  # (m,) residual degrees of freedom n - rank


def _moments(fit: _Fit, design: _Design) -> _Moments:
    with np.errstate(divide="ignore", invalid="ignore"):
        inv_d = 1.0 / fit.d
        schur = fit.tt - np.einsum("ij,ij,ij->i", fit.c, fit.c, inv_d)
        inv_schur = np.where(fit.trend, 1.0 / schur, 0.0)
    df = design.n - design.n_levels - fit.trend.astype(np.float64)
    return _Moments(inv_d=inv_d, c_over_d=fit.c * inv_d, inv_schur=inv_schur, df=df)


def _hat(mom: _Moments, fit: _Fit, design: _Design) -> FloatArray:
    """Leverages h_i = w_i x_i'(X'WX)^-1 x_i, with x_i = e_level + t_i e_trend."""
    cd = np.repeat(mom.c_over_d, design.counts, axis=1) - design.t
    h = np.repeat(mom.inv_d, design.counts, axis=1) + cd * cd * mom.inv_schur[:, None]
    h *= fit.w_last
    return np.asarray(h, dtype=np.float64)


def _pearson_sum(y: FloatArray, fit: _Fit, weights: FloatArray) -> FloatArray:
    """sum(weights * ((y - mu) / mu)^2): R's summary.glm dispersion numerator."""
    r = (y - fit.mu) / fit.mu
    r *= r
    return np.asarray(np.einsum("ij,ij->i", weights, r), dtype=np.float64)


@dataclass
class _Model:
    """The outcome of the package's fitting routine for each row (one per fit)."""

    ok: BoolArray
    fit: _Fit
    mom: _Moments
    phi: FloatArray  # max(1, dispersion) of the final (possibly weighted) fit
    disp_summary: FloatArray  # the dispersion R's summary/predict would use afterwards


def _fit_model(
    cts: _Counts,
    offset: FloatArray | None,
    design: _Design,
    trend: bool,
    control: FarringtonControl,
) -> _Model:
    """The package's fitting routine: fit, fall back without trend, reweight, refit."""
    y = cts.y
    m = y.shape[0]
    fit = _irls(cts, None, offset, design, trend)
    if trend and not fit.converged.all():
        bad = np.flatnonzero(~fit.converged)
        fit.put(bad, _irls(cts.take(bad), None, _take(offset, bad), design, False))
    ok = fit.converged.copy()
    mom = _moments(fit, design)
    with np.errstate(divide="ignore", invalid="ignore"):
        disp = _pearson_sum(y, fit, fit.w_last) / mom.df
    phi = np.maximum(disp, 1.0)
    if not control.reweight:
        return _Model(ok=ok, fit=fit, mom=mom, phi=phi, disp_summary=disp)

    with np.errstate(divide="ignore", invalid="ignore"):
        h = _hat(mom, fit, design)
        mu = fit.mu
        root = np.sqrt(mu)
        anscombe = 1.5 * (cts.y23 / np.cbrt(root) - root)
        anscombe /= np.sqrt(phi[:, None] * (1.0 - h))
        # Down-weight observations with large residuals (s^-2 above the threshold), then
        # rescale so that the weights sum to n.
        big = anscombe > control.weights_threshold
        raw = np.where(big, 1.0 / (anscombe * anscombe), 1.0)
        omega = raw * (design.n / raw.sum(axis=1))[:, None]
    fit2 = _Fit.empty(m, design.n, design.n_levels)
    for with_trend in (True, False):
        sel = np.flatnonzero(ok & (fit.trend == with_trend))
        if sel.size == m:
            fit2 = _irls(cts, omega, offset, design, with_trend)
        elif sel.size:
            part = _irls(cts.take(sel), omega[sel], _take(offset, sel), design, with_trend)
            fit2.put(sel, part)
    mom2 = _moments(fit2, design)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (y - fit2.mu) / fit2.mu
        r *= r
        disp2 = np.einsum("ij,ij->i", fit2.w_last, r) / mom2.df
        # After the weighted refit the package replaces the working weights by omega.
        quirk = np.einsum("ij,ij->i", omega, r) / mom2.df
    return _Model(ok=ok, fit=fit2, mom=mom2, phi=np.maximum(disp2, 1.0), disp_summary=quirk)


def _take(arr: FloatArray | None, rows: IntArray | BoolArray) -> FloatArray | None:
    return None if arr is None else arr[rows]


def _merge_model(target: _Model, rows: IntArray, src: _Model) -> None:
    target.ok[rows] = src.ok
    target.fit.put(rows, src.fit)
    for name in ("inv_d", "c_over_d", "inv_schur", "df"):
        getattr(target.mom, name)[rows] = getattr(src.mom, name)
    target.phi[rows] = src.phi
    target.disp_summary[rows] = src.disp_summary


@dataclass
class _Prediction:
    eta0: FloatArray
    var_unscaled: FloatArray  # x0'(X'WX)^-1 x0


def _predict(model: _Model, design: _Design, offset_now: FloatArray | None) -> _Prediction:
    lvl = design.level_now
    a_now = model.fit.a[:, lvl]
    eta0 = a_now + model.fit.b * design.t_now
    if offset_now is not None:
        eta0 = eta0 + offset_now
    cd = model.mom.c_over_d[:, lvl] - design.t_now
    var = model.mom.inv_d[:, lvl] + cd * cd * model.mom.inv_schur
    return _Prediction(eta0=eta0, var_unscaled=var)


# --------------------------------------------------------------------------------------
# One batch: all rows share a design
# --------------------------------------------------------------------------------------


@dataclass
class _BatchOut:
    expected: FloatArray
    upperbound: FloatArray
    alarm: BoolArray
    defined: BoolArray
    score: FloatArray
    phi: FloatArray
    trend: BoolArray
    pvalue: FloatArray
    se_eta: FloatArray

    def take(self, rows: IntArray) -> _BatchOut:
        return _BatchOut(**{k: v[rows] for k, v in self.__dict__.items()})


def _evaluate_batch(
    y: FloatArray,
    y0: FloatArray,
    recent: FloatArray,
    offset: FloatArray | None,
    offset_now: FloatArray | None,
    design: _Design,
    control: FarringtonControl,
) -> _BatchOut:
    """Farrington for each row: baseline ``y`` (m, n), current count ``y0`` and the sum of
    the last ``limit54[1]`` weeks ``recent``."""
    m = y.shape[0]
    cts = _Counts.of(y)
    model = _fit_model(cts, offset, design, control.trend, control)
    if control.trend:
        # Keep the trend only if significant, b >= 3 and mu0 not above the baseline maximum.
        has = model.ok & model.fit.trend
        pred = _predict(model, design, offset_now)
        mu0 = np.maximum(np.exp(pred.eta0), _EPS)
        disp = model.disp_summary if control.r_compat else model.phi
        with np.errstate(divide="ignore", invalid="ignore"):
            tstat = model.fit.b / np.sqrt(model.mom.inv_schur * disp)
            pval = 2.0 * special.stdtr(model.mom.df, -np.abs(tstat))
        keep = (control.b >= 3) & (pval < control.p_threshold_trend) & (mu0 <= y.max(axis=1))
        refit = np.flatnonzero(has & ~keep)
        if refit.size:
            _merge_model(
                model,
                refit,
                _fit_model(cts.take(refit), _take(offset, refit), design, False, control),
            )
    pred = _predict(model, design, offset_now)
    disp = model.disp_summary if control.r_compat else model.phi
    phi = model.phi
    z = float(special.ndtri(1.0 - control.alpha))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        se_eta = np.sqrt(pred.var_unscaled * disp)
        mu0 = np.maximum(np.exp(pred.eta0), _EPS)
        if control.threshold_method == "delta":
            upper = _delta_upper(mu0, se_eta * mu0, phi, z, control.powertrans)
            ref = mu0
        else:
            if control.threshold_method == "nbPlugin":
                mu_q = np.exp(pred.eta0)
            else:
                mu_q = np.exp(pred.eta0 + z * se_eta)
            upper = np.full(m, np.nan)
            good = model.ok & np.isfinite(mu_q)
            over = good & (phi > 1.0)
            pois = good & ~(phi > 1.0)
            if over.any():
                upper[over] = qnbinom(
                    1.0 - control.alpha, mu_q[over] / (phi[over] - 1.0), 1.0 / phi[over]
                )
            if pois.any():
                upper[pois] = qpois(1.0 - control.alpha, mu_q[pois])
            # The package scores nbPlugin/muan against the linear predictor (its link-scale
            # prediction); the alarm rule below reproduces that.
            ref = pred.eta0
        enough = recent >= control.limit54[0]
        score_r = (y0 - ref) / (upper - ref)
        alarm = model.ok & enough & ~np.isnan(score_r) & (score_r > 1.0) & (y0 != 0)
        upperbound = np.where(enough & model.ok, upper, np.nan)
        score = np.where(enough & model.ok, (y0 - mu0) / (upper - mu0), np.nan)
        tstat = model.fit.b / np.sqrt(model.mom.inv_schur * disp)
        pval = np.where(model.fit.trend, 2.0 * special.stdtr(model.mom.df, -np.abs(tstat)), np.nan)
    expected = np.where(model.ok, mu0, np.nan)
    return _BatchOut(
        expected=expected,
        upperbound=upperbound,
        alarm=alarm,
        defined=model.ok.copy(),
        score=score,
        phi=np.where(model.ok, phi, np.nan),
        trend=model.ok & model.fit.trend,
        pvalue=pval,
        se_eta=np.where(model.ok, se_eta, np.nan),
    )


def _delta_upper(
    mu0: FloatArray, se_mu0: FloatArray, phi: FloatArray, z: float, powertrans: PowerTrans
) -> FloatArray:
    """Upper bound of the power-transformed normal prediction interval (Farrington 1996).

    The package sorts the two interval ends with NaN first (a negative base under a
    fractional power), so the upper bound is the larger finite end.
    """
    tau = phi + se_mu0 * se_mu0 / mu0
    if powertrans == "none":
        se, exponent = np.sqrt(mu0 * tau), 1.0
    elif powertrans == "1/2":
        se, exponent = np.sqrt(0.25 * tau), 0.5
    else:
        se, exponent = np.sqrt(4.0 / 9.0 * np.cbrt(mu0) * tau), 2.0 / 3.0
    centre = mu0**exponent
    with np.errstate(invalid="ignore"):
        lo = (centre - z * se) ** (1.0 / exponent)
        hi = (centre + z * se) ** (1.0 / exponent)
    return np.asarray(np.fmax(lo, hi), dtype=np.float64)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


def default_weeks(
    n_weeks: int, control: FarringtonControl, dates: Sequence[dt.date] | None = None
) -> IntArray:
    """R's default range, (52 b + w + 1):T in 1-based terms, restricted to the weeks whose
    reference windows all lie inside the data (date epochs can need a week more)."""
    first = control.freq * control.b + control.w
    weeks = np.arange(first, n_weeks, dtype=np.int64)
    if dates is None:
        return weeks
    usable = [t for t in weeks if _usable(int(t), control, dates)]
    return np.array(usable, dtype=np.int64)


def _usable(t0: int, control: FarringtonControl, dates: Sequence[dt.date] | None) -> bool:
    refs = _reference_weeks(t0, control, dates)
    if refs is None:
        return False
    try:
        design = _build_design(refs, t0, control)
    except ValueError:
        return False
    return t0 + design.min_offset >= 0


def farrington_flexible(
    counts: ArrayLike,
    control: FarringtonControl | None = None,
    *,
    weeks: ArrayLike | None = None,
    dates: Sequence[dt.date] | None = None,
    population: ArrayLike | None = None,
    workers: int | None = None,
    backend: Backend = "threads",
    progress: ProgressCallback | None = None,
) -> DetectionResult:
    """Run Farrington flexible on every series (row) of ``counts`` at ``weeks``.

    ``counts``: (n_series, n_weeks) non-negative, finite weekly counts, oldest week first
    (a 1-D array is one series). ``weeks``: 0-based indices of the weeks to evaluate;
    default :func:`default_weeks`. Weeks whose baseline lies partly before the data give
    ``defined == False``. ``dates``: the Monday (or any fixed weekday) of each week, 7 days
    apart, to use calendar-year reference weeks; without it weeks are integer epochs with
    ``control.freq`` weeks per year. ``population``: same shape as ``counts``, required
    when ``control.population_offset``. ``workers``: parallel workers (default: the CPU
    count, at most 2); ``backend``: ``"threads"`` (NumPy releases the GIL in its loops) or
    ``"processes"`` (forked workers sharing the input copy-on-write; POSIX only, avoids
    the GIL entirely, for large batch runs in a process without other threads).
    ``progress(done, total)`` is called after each batch of fits.

    Returns a :class:`DetectionResult` with ``extra`` holding ``phi`` (dispersion),
    ``trend`` (trend kept), ``pvalue`` (trend p-value as used for the decision) and
    ``se_eta`` (standard error of the linear predictor at t0, with the dispersion used for
    the threshold).
    """
    control = control or FarringtonControl()
    y_all = _checked_counts(counts, dates)
    pop_log = _log_population(population, y_all, control)
    week_idx = _evaluated_weeks(weeks, y_all.shape[1], control, dates)
    res = _empty_result(y_all, week_idx)
    tasks = _tasks(_group_by_design(week_idx, control, dates), y_all.shape[0])
    run = _task_runner(y_all, pop_log, week_idx, control)
    collect = _collector(res, sum(t[1].size for t in tasks), progress)
    n_workers = workers if workers is not None else min(2, os.cpu_count() or 1)
    _run_tasks(tasks, run, collect, n_workers, backend)
    return res


def _checked_counts(counts: ArrayLike, dates: Sequence[dt.date] | None) -> FloatArray:
    """``counts`` as a (n_series, n_weeks) float array, checked against ``dates``."""
    y_all = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    if not np.isfinite(y_all).all() or (y_all < 0).any():
        raise ValueError("counts must be finite and non-negative")
    if dates is not None and len(dates) != y_all.shape[1]:
        raise ValueError("dates must have one entry per week")
    return y_all


def _log_population(
    population: ArrayLike | None, y_all: FloatArray, control: FarringtonControl
) -> FloatArray | None:
    """The log-population offset, or None without ``control.population_offset``."""
    if not control.population_offset:
        return None
    if population is None:
        raise ValueError("population_offset requires population")
    pop = np.atleast_2d(np.asarray(population, dtype=np.float64))
    if pop.shape != y_all.shape or not (pop > 0).all():
        raise ValueError("population must be positive and shaped like counts")
    return np.asarray(np.log(pop), dtype=np.float64)


def _evaluated_weeks(
    weeks: ArrayLike | None,
    n_weeks: int,
    control: FarringtonControl,
    dates: Sequence[dt.date] | None,
) -> IntArray:
    """The 0-based weeks to evaluate: ``weeks`` checked, or the default range."""
    week_idx = (
        default_weeks(n_weeks, control, dates)
        if weeks is None
        else np.asarray(weeks, dtype=np.int64).reshape(-1)
    )
    if week_idx.size and (week_idx.min() < 0 or week_idx.max() >= n_weeks):
        raise ValueError("weeks out of range")
    return week_idx


# The fields of a batch's output copied into the result, and those kept in its ``extra``.
_RESULT_FIELDS = ("expected", "upperbound", "alarm", "defined", "score")
_EXTRA_FIELDS = ("phi", "trend", "pvalue", "se_eta")


def _empty_result(y_all: FloatArray, week_idx: IntArray) -> DetectionResult:
    """The result before any fit: nothing defined, no alarm, NaN everywhere else."""
    n_eval = week_idx.size
    shape = (y_all.shape[0], n_eval)
    return DetectionResult(
        weeks=week_idx,
        observed=y_all[:, week_idx] if n_eval else np.zeros(shape),
        expected=np.full(shape, np.nan),
        upperbound=np.full(shape, np.nan),
        alarm=np.zeros(shape, dtype=bool),
        defined=np.zeros(shape, dtype=bool),
        score=np.full(shape, np.nan),
        extra={
            "phi": np.full(shape, np.nan),
            "trend": np.zeros(shape, dtype=bool),
            "pvalue": np.full(shape, np.nan),
            "se_eta": np.full(shape, np.nan),
        },
    )


def _group_by_design(
    week_idx: IntArray, control: FarringtonControl, dates: Sequence[dt.date] | None
) -> list[tuple[_Design, list[int]]]:
    """The evaluated weeks grouped by baseline pattern (all pairs in a group share the
    design), as positions in ``week_idx``; weeks without a full baseline are left out."""
    groups: dict[tuple[int, ...], tuple[_Design, list[int]]] = {}
    for k, t0 in enumerate(week_idx.tolist()):
        refs = _reference_weeks(t0, control, dates)
        if refs is None:
            continue
        key = tuple(r - t0 for r in refs)
        if key not in groups:
            try:
                design = _build_design(refs, t0, control)
            except ValueError:
                continue
            groups[key] = (design, [])
        design = groups[key][0]
        if t0 + design.min_offset < 0 or t0 - control.limit54[1] + 1 < 0:
            continue
        groups[key][1].append(k)
    return list(groups.values())


# A work item: the design, the column positions k and the series rows of its pairs.
_Task = tuple[_Design, IntArray, IntArray]
_TaskOut = tuple[IntArray, IntArray, _BatchOut]


def _tasks(groups: list[tuple[_Design, list[int]]], n_series: int) -> list[_Task]:
    """Every (series, week) pair of each group, in chunks of about ``_CHUNK_ROWS``."""
    tasks: list[_Task] = []
    for design, ks in groups:
        kk = np.array(ks, dtype=np.int64)
        pairs_k = np.repeat(kk, n_series)
        pairs_s = np.tile(np.arange(n_series, dtype=np.int64), kk.size)
        for lo in range(0, pairs_k.size, _CHUNK_ROWS):
            tasks.append((design, pairs_k[lo : lo + _CHUNK_ROWS], pairs_s[lo : lo + _CHUNK_ROWS]))
    return tasks


def _task_runner(
    y_all: FloatArray,
    pop_log: FloatArray | None,
    week_idx: IntArray,
    control: FarringtonControl,
) -> Callable[[_Task], _TaskOut]:
    """The function that gathers a work item's inputs and evaluates it."""
    recent_len = control.limit54[1]
    csum = np.concatenate([np.zeros((y_all.shape[0], 1)), np.cumsum(y_all, axis=1)], axis=1)

    def run(task: _Task) -> _TaskOut:
        design, ks, ss = task
        t0 = week_idx[ks]
        cols = t0[:, None] + design.offsets[None, :]
        y = y_all[ss[:, None], cols]
        y0 = y_all[ss, t0]
        recent = csum[ss, t0 + 1] - csum[ss, t0 + 1 - recent_len]
        off = None if pop_log is None else pop_log[ss[:, None], cols]
        off_now = None if pop_log is None else pop_log[ss, t0]
        if off is None:
            # Identical inputs give identical answers: sparse national data has many
            # all-zero or near-zero series, which are also the slowest to fit.
            key = np.column_stack([y, y0, recent])
            uniq, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
            if uniq.shape[0] < 0.8 * key.shape[0]:
                out = _evaluate_batch(
                    y[first], y0[first], recent[first], None, None, design, control
                )
                return ks, ss, out.take(inverse.reshape(-1))
        return ks, ss, _evaluate_batch(y, y0, recent, off, off_now, design, control)

    return run


def _collector(
    res: DetectionResult, total: int, progress: ProgressCallback | None
) -> Callable[[_TaskOut], None]:
    """The function that copies a work item's output into ``res`` and reports progress."""
    done = 0

    def collect(out: _TaskOut) -> None:
        nonlocal done
        ks, ss, b = out
        for name in _RESULT_FIELDS:
            getattr(res, name)[ss, ks] = getattr(b, name)
        for name in _EXTRA_FIELDS:
            res.extra[name][ss, ks] = getattr(b, name)
        done += ks.size
        if progress is not None:
            progress(done, total)

    return collect


def _run_tasks(
    tasks: list[_Task],
    run: Callable[[_Task], _TaskOut],
    collect: Callable[[_TaskOut], None],
    n_workers: int,
    backend: Backend,
) -> None:
    """Run every task, in this thread, on a thread pool or on forked processes."""
    if n_workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            collect(run(task))
    elif backend == "processes":
        global _FORKED_RUN
        _FORKED_RUN = lambda i: run(tasks[i])  # noqa: E731 - inherited by the forked workers
        try:
            ctx = multiprocessing.get_context("fork")
            with ctx.Pool(n_workers) as pool:
                chunk = max(1, len(tasks) // (8 * n_workers))
                for out in pool.imap_unordered(_forked_task, range(len(tasks)), chunk):
                    collect(out)
        finally:
            _FORKED_RUN = None
    else:
        with ThreadPoolExecutor(max_workers=n_workers) as executor:
            for out in executor.map(run, tasks):
                collect(out)


# The task runner of the current call, inherited by forked worker processes.
_FORKED_RUN: Callable[[int], _TaskOut] | None = None


def _forked_task(i: int) -> _TaskOut:
    if _FORKED_RUN is None:  # pragma: no cover - only reachable in a forked worker
        raise RuntimeError("no task runner in this process")
    return _FORKED_RUN(i)
