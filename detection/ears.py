"""EARS C1, C2 and C3 exactly as R ``surveillance::earsC`` computes them.

For week t, with Y-bar and S the mean and sample standard deviation (n - 1) of a reference
window of ``baseline`` weeks:

* C1: the window is t-baseline .. t-1; U = Y-bar + z * max(S, minSigma); alarm if y_t > U.
* C2: the same with a two-week guard band, window t-baseline-2 .. t-3.
* C3: with C2(i) = (y_i - Y-bar_2(i)) / max(S_2(i), minSigma), R sets
  U = y_t + max(S_2(t), minSigma) * (z - sum_{i=t-2}^{t-1} max(0, C2(i) - 1)), floored at 0.
  The current week never enters the sum (the documentation says t-2..t), so the alarm is
  really "the two previous C2 excesses sum above z". With S_2 = 0 and minSigma = 0 the
  statistic is 0/0 or x/0 and the result is NaN: no answer (R's NA alarm).

Default alpha: 0.001 for C1/C2 and 0.025 for C3; z is the one-sided normal quantile. The
default range starts at week baseline+1 (C1), baseline+3 (C2), baseline+5 (C3) in 1-based
terms.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import ArrayLike
from scipy import special

from detection.result import DetectionResult, FloatArray, IntArray

EarsMethod = Literal["C1", "C2", "C3"]

# Rows per block: bounds the (rows, weeks, baseline) window temporaries.
_BLOCK_ELEMENTS = 4_000_000


def default_alpha(method: EarsMethod) -> float:
    """R's default alpha for the method."""
    return 0.025 if method == "C3" else 0.001


def max_lag(method: EarsMethod, baseline: int) -> int:
    """How many weeks before t the method reads."""
    return {"C1": baseline, "C2": baseline + 2, "C3": baseline + 4}[method]


def default_weeks(n_weeks: int, method: EarsMethod, baseline: int = 7) -> IntArray:
    """R's default range as 0-based week indices."""
    return np.arange(max_lag(method, baseline), n_weeks, dtype=np.int64)


def _window_stats(y: FloatArray, lag_far: int, lag_near: int) -> tuple[FloatArray, FloatArray]:
    """Mean and sd (n - 1) of y[t - lag_far .. t - lag_near] for every t >= lag_far.

    Column j of the output refers to t = lag_far + j. Two-pass (mean, then squared
    deviations) like R's ``mean``/``sd``, so that flat windows give exactly 0.
    """
    width = lag_far - lag_near + 1
    n_weeks = y.shape[1]
    stop = n_weeks - lag_near  # windows start at 0 .. n_weeks - lag_far - 1
    win = sliding_window_view(y[:, :stop], width, axis=1)
    mean = win.mean(axis=2)
    dev = win - mean[:, :, None]
    sd = np.sqrt((dev * dev).sum(axis=2) / (width - 1))
    return mean, sd


def ears_c(
    counts: ArrayLike,
    method: EarsMethod = "C1",
    *,
    baseline: int = 7,
    alpha: float | None = None,
    min_sigma: float = 0.0,
    weeks: ArrayLike | None = None,
) -> DetectionResult:
    """EARS on every series (row) of ``counts`` (n_series, n_weeks), oldest week first.

    ``weeks``: 0-based week indices to evaluate (default: R's range); each must have
    ``max_lag(method, baseline)`` earlier weeks. ``expected`` is the reference mean
    (for C3 the C2 mean of week t); ``defined`` is False where R's alarm is NA.
    """
    if method not in ("C1", "C2", "C3"):
        raise ValueError("method must be C1, C2 or C3")
    if baseline < 3:
        raise ValueError("baseline must be at least 3")
    if min_sigma < 0:
        raise ValueError("min_sigma must be >= 0")
    a = default_alpha(method) if alpha is None else alpha
    if not 0.0 < a < 1.0:
        raise ValueError("alpha must be in (0, 1)")
    z = float(special.ndtri(1.0 - a))
    y = np.atleast_2d(np.asarray(counts, dtype=np.float64))
    n_series, n_weeks = y.shape
    lag = max_lag(method, baseline)
    week_idx = (
        default_weeks(n_weeks, method, baseline)
        if weeks is None
        else np.asarray(weeks, dtype=np.int64).reshape(-1)
    )
    if week_idx.size and (week_idx.min() < lag or week_idx.max() >= n_weeks):
        raise ValueError(f"weeks must lie in [{lag}, {n_weeks - 1}] for {method}")
    shape = (n_series, week_idx.size)
    expected = np.full(shape, np.nan)
    upper = np.full(shape, np.nan)
    block = max(1, _BLOCK_ELEMENTS // max(1, n_weeks * baseline))
    with np.errstate(divide="ignore", invalid="ignore"):
        for lo in range(0, n_series, block):
            yb = y[lo : lo + block]
            if method == "C1":
                mean, sd = _window_stats(yb, baseline, 1)
                col = week_idx - baseline
                expected[lo : lo + block] = mean[:, col]
                upper[lo : lo + block] = mean[:, col] + z * np.maximum(sd[:, col], min_sigma)
            elif method == "C2":
                mean, sd = _window_stats(yb, baseline + 2, 3)
                col = week_idx - baseline - 2
                expected[lo : lo + block] = mean[:, col]
                upper[lo : lo + block] = mean[:, col] + z * np.maximum(sd[:, col], min_sigma)
            else:
                mean, sd = _window_stats(yb, baseline + 2, 3)
                sig = np.maximum(sd, min_sigma)
                # C2 statistic for every week from baseline + 2 on (column j: week j + b + 2).
                c2 = (yb[:, baseline + 2 :] - mean) / sig
                excess = np.maximum(c2 - 1.0, 0.0)  # NaN propagates as in R's pmax
                col = week_idx - baseline - 2
                lagged = excess[:, col - 2] + excess[:, col - 1]
                yt = yb[:, week_idx]
                u = yt + sig[:, col] * (z - lagged)
                upper[lo : lo + block] = np.maximum(u, 0.0)
                expected[lo : lo + block] = mean[:, col]
    observed = y[:, week_idx]
    defined = ~np.isnan(upper)
    alarm = defined & (observed > upper)
    with np.errstate(divide="ignore", invalid="ignore"):
        score = (observed - expected) / (upper - expected)
    return DetectionResult(
        weeks=week_idx,
        observed=observed,
        expected=expected,
        upperbound=upper,
        alarm=alarm,
        defined=defined,
        score=score,
    )
