"""The result container shared by the temporal detectors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]
IntArray = NDArray[np.int64]


@dataclass
class DetectionResult:
    """Per-(series, evaluated week) output of a temporal detector.

    All 2-D arrays have shape ``(n_series, len(weeks))``; column ``k`` refers to the
    0-based week index ``weeks[k]`` of the input matrix.

    * ``observed`` -- the count of that week.
    * ``expected`` -- the method's baseline expectation (Farrington: mu0; EARS: the mean of
      the reference values), NaN where the method gives no answer.
    * ``upperbound`` -- the alarm threshold, NaN where the method gives none (Farrington
      with too few recent cases, EARS C3 with zero spread, failed fits).
    * ``alarm`` -- True where observed exceeds the threshold. Only meaningful where
      ``defined`` is True; False elsewhere.
    * ``defined`` -- False where the method gives no answer at all (R's ``NA`` alarm).
    * ``score`` -- (observed - expected) / (upperbound - expected), NaN where undefined;
      > 1 means above the threshold.
    * ``extra`` -- method-specific arrays (Farrington: ``phi``, ``trend``, ``pvalue``).
    """

    weeks: IntArray
    observed: FloatArray
    expected: FloatArray
    upperbound: FloatArray
    alarm: BoolArray
    defined: BoolArray
    score: FloatArray
    extra: dict[str, NDArray[Any]] = field(default_factory=dict)

    @property
    def alarm_or_nan(self) -> FloatArray:
        """Alarms as floats: 1.0, 0.0, or NaN where undefined."""
        out = self.alarm.astype(np.float64)
        out[~self.defined] = np.nan
        return out
