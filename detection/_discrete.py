"""Vectorised discrete quantiles with R's conventions (``qnbinom``, ``qpois``).

R returns the smallest integer k with P(X <= k) >= p, after shrinking p by 64 machine
epsilons so that a cdf value equal to p up to rounding still counts ("left continuity").
SciPy's ``ppf`` uses a different root finder, so we start from a Cornish-Fisher guess and
walk to the exact integer with the cdf itself.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import special

FloatArray = NDArray[np.float64]

_FUZZ = 1.0 - 64.0 * np.finfo(np.float64).eps
_MAX_STEPS = 100_000


def _walk(
    start: FloatArray, cdf_target: float, cdf: Callable[[FloatArray, NDArray[np.int64]], FloatArray]
) -> FloatArray:
    """Smallest k >= 0 with cdf(k) >= cdf_target, starting the search at ``start``.

    ``cdf(k, i)`` evaluates the cdf of the distributions ``i`` at the integers ``k``.
    """
    func = cdf
    k = np.maximum(start, 0.0)
    idx = np.arange(k.size)
    # Walk up while the cdf is below the target.
    todo = idx
    for _ in range(_MAX_STEPS):
        if todo.size == 0:
            break
        below = func(k[todo], todo) < cdf_target
        todo = todo[below]
        k[todo] += 1.0
    # Walk down while the previous integer already reaches the target.
    todo = idx[k > 0]
    for _ in range(_MAX_STEPS):
        if todo.size == 0:
            break
        prev_ok = func(k[todo] - 1.0, todo) >= cdf_target
        todo = todo[prev_ok]
        k[todo] -= 1.0
        todo = todo[k[todo] > 0]
    return k


def qnbinom(p: float, size: FloatArray, prob: FloatArray) -> FloatArray:
    """R ``qnbinom(p, size, prob)`` for arrays of ``size`` and ``prob`` (NaN propagates)."""
    size = np.asarray(size, dtype=np.float64)
    prob = np.asarray(prob, dtype=np.float64)
    size, prob = np.broadcast_arrays(size, prob)
    out = np.full(size.shape, np.nan)
    ok = np.isfinite(size) & np.isfinite(prob) & (size >= 0) & (prob > 0) & (prob <= 1)
    zero = ok & ((prob == 1) | (size == 0))
    out[zero] = 0.0
    work = ok & ~zero
    if not work.any():
        return out
    s = size[work]
    pr = prob[work]
    q_ = 1.0 / pr
    p_ = (1.0 - pr) * q_
    mu = s * p_
    sigma = np.sqrt(s * p_ * q_)
    gamma = (q_ + p_) / sigma
    z = float(special.ndtri(p))
    guess = np.rint(mu + sigma * (z + gamma * (z * z - 1.0) / 6.0))
    guess = np.where(np.isfinite(guess), guess, 0.0)

    def cdf(k: FloatArray, i: NDArray[np.int64]) -> FloatArray:
        return np.asarray(special.betainc(s[i], k + 1.0, pr[i]), dtype=np.float64)

    out[work] = _walk(guess, p * _FUZZ, cdf)
    return out


def qpois(p: float, lam: FloatArray) -> FloatArray:
    """R ``qpois(p, lambda)`` for an array of ``lambda`` (NaN propagates)."""
    lam = np.asarray(lam, dtype=np.float64)
    out = np.full(lam.shape, np.nan)
    ok = np.isfinite(lam) & (lam >= 0)
    zero = ok & (lam == 0)
    out[zero] = 0.0
    work = ok & ~zero
    if not work.any():
        return out
    la = lam[work]
    sigma = np.sqrt(la)
    gamma = 1.0 / sigma
    z = float(special.ndtri(p))
    guess = np.rint(la + sigma * (z + gamma * (z * z - 1.0) / 6.0))

    def cdf(k: FloatArray, i: NDArray[np.int64]) -> FloatArray:
        return np.asarray(special.pdtr(k, la[i]), dtype=np.float64)

    out[work] = _walk(guess, p * _FUZZ, cdf)
    return out
