"""Noufaily-style synthetic weekly counts with labelled outbreaks (Noufaily et al. 2013).

Written from the design in docs/EARLY-WARNING.md section 1.4:

* baseline y_t ~ negative binomial with mean mu_t and variance phi * mu_t (Poisson when
  phi == 1), log mu_t = theta + beta t + sum_{j<=m} [gamma1 cos(2 pi j t / 52) +
  gamma2 sin(2 pi j t / 52)];
* past outbreaks (in the baseline years) and one current outbreak (in the evaluated
  weeks) start at random weeks; an outbreak starting at t0 has Poisson(k sqrt(phi mu_t0))
  cases (k drawn from ``past_k`` for past outbreaks, given for the current one), each case
  falling at week t0 + floor(LogNormal(0, 0.5)).

The paper's exact scenario table was not available to us; :data:`SCENARIOS` is our own
grid over the same parameters (levels low to high, with and without trend, m = 0, 1, 2,
phi from 1 to 5) and is stated as such in the benchmark.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class Scenario:
    """Parameters of the baseline model (per-week trend ``beta``)."""

    theta: float
    beta: float
    gamma1: float
    gamma2: float
    m: int
    phi: float


# Our grid (see the module docstring): 3 levels x trend or not x m in {0, 1, 2} x 2 phi.
SCENARIOS: tuple[Scenario, ...] = tuple(
    Scenario(theta=theta, beta=beta, gamma1=g if m else 0.0, gamma2=g if m else 0.0, m=m, phi=phi)
    for theta in (0.5, 1.5, 3.0)
    for beta in (0.0, 0.0015)
    for m, g in ((0, 0.0), (1, 0.6), (2, 0.4))
    for phi in (1.5, 4.0)
)


PAST_K: tuple[float, ...] = (2.0, 3.0, 5.0, 10.0)
CURRENT_K: tuple[float, ...] = (1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0)


@dataclass
class SyntheticData:
    """Counts and outbreak labels, arrays shaped (n_series, n_weeks).

    ``outbreak_cases`` holds the cases added by any outbreak; ``current`` marks the weeks
    with cases of the current outbreak, which starts at ``current_start`` (one per series,
    inside the evaluated weeks ``eval_start..n_weeks-1``) and has ``current_size`` cases.
    """

    counts: FloatArray
    baseline: FloatArray
    mu: FloatArray
    outbreak_cases: FloatArray
    current: BoolArray
    current_start: IntArray
    current_size: IntArray
    current_k: FloatArray
    eval_start: int
    scenario_index: IntArray


def mean_curve(s: Scenario, n_weeks: int) -> FloatArray:
    """mu_t for t = 1..n_weeks."""
    t = np.arange(1, n_weeks + 1, dtype=np.float64)
    eta = s.theta + s.beta * t
    for j in range(1, s.m + 1):
        eta = (
            eta
            + s.gamma1 * np.cos(2 * np.pi * j * t / 52)
            + s.gamma2 * np.sin(2 * np.pi * j * t / 52)
        )
    return np.asarray(np.exp(eta), dtype=np.float64)


def _negbin(rng: np.random.Generator, mu: FloatArray, phi: float) -> FloatArray:
    if phi <= 1.0:
        return rng.poisson(mu).astype(np.float64)
    size = mu / (phi - 1.0)
    return rng.negative_binomial(size, 1.0 / phi).astype(np.float64)


def _spread(rng: np.random.Generator, start: int, n_cases: int, n_weeks: int) -> IntArray:
    """Week of each case of an outbreak starting at ``start`` (cases past the end drop)."""
    weeks = start + np.floor(rng.lognormal(0.0, 0.5, size=n_cases)).astype(np.int64)
    return weeks[weeks < n_weeks]


def generate(
    n_series: int,
    *,
    scenarios: tuple[Scenario, ...] = SCENARIOS,
    n_weeks: int = 624,
    n_eval: int = 49,
    n_past: int = 4,
    past_k: tuple[float, ...] = PAST_K,
    current_k: tuple[float, ...] = CURRENT_K,
    seed: int = 0,
) -> SyntheticData:
    """Generate ``n_series`` series, cycling through ``scenarios`` and ``current_k``.

    The last ``n_eval`` weeks are the evaluated period; each series has ``n_past`` past
    outbreaks starting in the earlier weeks and one current outbreak starting in the
    evaluated weeks. Deterministic for a given ``seed``.
    """
    rng = np.random.default_rng(seed)
    eval_start = n_weeks - n_eval
    counts = np.zeros((n_series, n_weeks))
    baseline = np.zeros((n_series, n_weeks))
    mu_all = np.zeros((n_series, n_weeks))
    extra = np.zeros((n_series, n_weeks))
    current = np.zeros((n_series, n_weeks), dtype=bool)
    starts = np.zeros(n_series, dtype=np.int64)
    sizes = np.zeros(n_series, dtype=np.int64)
    ks = np.zeros(n_series)
    scen_idx = np.arange(n_series) % len(scenarios)
    for i in range(n_series):
        sc = scenarios[scen_idx[i]]
        mu = mean_curve(sc, n_weeks)
        mu_all[i] = mu
        base = _negbin(rng, mu, sc.phi)
        baseline[i] = base
        sd = np.sqrt(sc.phi * mu)
        for _ in range(n_past):
            t0 = int(rng.integers(0, eval_start))
            k = float(rng.choice(past_k))
            n = int(rng.poisson(k * sd[t0]))
            weeks = _spread(rng, t0, n, eval_start)  # past outbreaks stay in the past
            np.add.at(extra[i], weeks, 1.0)
        t0 = int(rng.integers(eval_start, n_weeks))
        k = current_k[(i // len(scenarios)) % len(current_k)]
        n = int(rng.poisson(k * sd[t0]))
        weeks = _spread(rng, t0, n, n_weeks)
        np.add.at(extra[i], weeks, 1.0)
        current[i, weeks] = True
        starts[i] = t0
        sizes[i] = weeks.size
        ks[i] = k
        counts[i] = base + extra[i]
    return SyntheticData(
        counts=counts,
        baseline=baseline,
        mu=mu_all,
        outbreak_cases=extra,
        current=current,
        current_start=starts,
        current_size=sizes,
        current_k=ks,
        eval_start=eval_start,
        scenario_index=scen_idx,
    )
