"""Detection-quality metrics, as defined in docs/EARLY-WARNING.md section 1.4.

Over the evaluated weeks of each series:

* FPR = alarms in weeks without outbreak cases / weeks without outbreak cases;
* POD = share of current outbreaks with at least one alarm in their weeks;
* POD1week = share of current outbreaks alarmed in their first week;
* sensitivity = alarmed outbreak weeks / outbreak weeks;
* PPV = alarmed outbreak weeks / alarms; NPV = quiet non-outbreak weeks / quiet weeks;
* timeliness = (first alarm week - start) / duration, 1 when the outbreak is missed, with
  duration the weeks from the start to the outbreak's last week (inclusive).

"Outbreak weeks" are the weeks holding cases of the current outbreak (the evaluated period
has no past outbreak). Undefined alarms (NaN, e.g. EARS C3 with zero spread) count as no
alarm, which is how a reader of the alerts experiences them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


@dataclass
class Quality:
    fpr: float
    specificity: float
    pod: float
    pod_first_week: float
    sensitivity: float
    ppv: float
    npv: float
    timeliness: float
    n_series: int
    n_weeks: int

    def as_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


def _ratio(num: float | np.integer, den: float | np.integer) -> float:
    return float(num / den) if den > 0 else float("nan")


def quality(
    alarms: ArrayLike,
    outbreak: ArrayLike,
    start: ArrayLike,
) -> Quality:
    """Metrics for ``alarms`` and ``outbreak`` (bool, shaped (n_series, n_eval_weeks) over
    the evaluated weeks) and the current outbreak's ``start`` column per series (it may
    be outside the evaluated columns only if the outbreak has no case there)."""
    raw = np.asarray(alarms, dtype=np.float64)
    al = np.where(np.isnan(raw), 0.0, raw) > 0.5
    ob = np.asarray(outbreak, dtype=bool)
    st = np.asarray(start, dtype=np.int64)
    if al.shape != ob.shape or st.shape != (al.shape[0],):
        raise ValueError("alarms and outbreak must share a shape; start has one per series")
    quiet = ~ob
    fp = (al & quiet).sum()
    tp_weeks = (al & ob).sum()
    n_alarm = al.sum()
    tn = (~al & quiet).sum()
    n_quiet_alarmless = (~al).sum()

    has_outbreak = ob.any(axis=1)
    detected = (al & ob).any(axis=1)
    cols = np.arange(al.shape[1])[None, :]
    first_alarm = np.where(al & ob, cols, al.shape[1]).min(axis=1)
    last_week = np.where(ob, cols, -1).max(axis=1)
    duration = last_week - st + 1
    in_range = (st >= 0) & (st < al.shape[1])
    first_week_hit = np.zeros(al.shape[0], dtype=bool)
    idx = np.flatnonzero(in_range)
    first_week_hit[idx] = al[idx, st[idx]] & ob[idx, st[idx]]
    timely = np.where(detected, (first_alarm - st) / np.maximum(duration, 1), 1.0)
    n_out = has_outbreak.sum()
    return Quality(
        fpr=_ratio(fp, quiet.sum()),
        specificity=_ratio(tn, quiet.sum()),
        pod=_ratio((detected & has_outbreak).sum(), n_out),
        pod_first_week=_ratio((first_week_hit & has_outbreak).sum(), n_out),
        sensitivity=_ratio(tp_weeks, ob.sum()),
        ppv=_ratio(tp_weeks, n_alarm),
        npv=_ratio(tn, n_quiet_alarmless),
        timeliness=float(timely[has_outbreak].mean()) if n_out else float("nan"),
        n_series=int(al.shape[0]),
        n_weeks=int(al.shape[1]),
    )


def first_alarm_delay(alarms: NDArray[np.bool_], start: NDArray[np.int64]) -> NDArray[np.int64]:
    """Weeks from each series' start to its first alarm at or after it (-1 if none)."""
    cols = np.arange(alarms.shape[1])[None, :]
    hit = alarms & (cols >= start[:, None])
    first = np.where(hit, cols, alarms.shape[1]).min(axis=1)
    return np.where(first < alarms.shape[1], first - start, -1).astype(np.int64)
