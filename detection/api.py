"""One entry point for the application: run a temporal method by its CLI name.

    from detection.api import run_method

    res = run_method("farrington-flexible", counts, weeks=[counts.shape[1] - 1],
                     dates=mondays, noufaily=True)
    res.expected, res.upperbound, res.alarm, res.defined, res.score  # (n_series, 1)

``counts`` is (n_series, n_weeks), oldest week first, one row per (commune, category).
Evaluating only the last week of many series is the weekly run; all rows are fitted in one
batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from detection.ears import EarsMethod, ears_c
from detection.farrington import FarringtonControl, farrington_flexible
from detection.result import DetectionResult

TEMPORAL_METHODS = ("farrington-flexible", "ears-c1", "ears-c2", "ears-c3")


def run_method(
    method: str,
    counts: ArrayLike,
    *,
    weeks: ArrayLike | None = None,
    dates: Sequence[dt.date] | None = None,
    noufaily: bool = False,
    population: ArrayLike | None = None,
    workers: int | None = None,
    **options: Any,
) -> DetectionResult:
    """Run ``method`` (a ``dutdiem detect`` method name) on ``counts``.

    Farrington options are the :class:`FarringtonControl` fields (``b``, ``w``,
    ``reweight``, ``weights_threshold``, ``alpha``, ``trend``, ``p_threshold_trend``,
    ``limit54``, ``powertrans``, ``no_periods``, ``past_weeks_not_included``,
    ``threshold_method``, ``r_compat``, ``population_offset``); ``noufaily=True`` starts
    from the improved configuration. EARS options: ``baseline``, ``alpha``, ``min_sigma``.
    ``weeks`` are 0-based columns to evaluate (default: every week with enough history).
    """
    if method == "farrington-flexible":
        control = (
            FarringtonControl.noufaily(**options) if noufaily else FarringtonControl(**options)
        )
        return farrington_flexible(
            counts, control, weeks=weeks, dates=dates, population=population, workers=workers
        )
    ears: dict[str, EarsMethod] = {"ears-c1": "C1", "ears-c2": "C2", "ears-c3": "C3"}
    if method in ears:
        return ears_c(np.asarray(counts, dtype=np.float64), ears[method], weeks=weeks, **options)
    raise ValueError(f"unknown temporal method {method!r}; expected one of {TEMPORAL_METHODS}")
