"""Weekly series across a change of areas (the reform of 1 July 2025): the series of an area
in force is built from the history of the areas it was made of.

The rule (docs/DEVELOPING.md, "Areas before and after 1 July 2025"):

* a former area that went whole into one area in force carries all its counts there;
* a former area split across several carries to each the ``share`` of the official
  conversion table as loaded (equal parts unless better shares are loaded: the conversion
  data has no population or area figures for the parts), so the successors' baselines sum
  to the old one's and none of them starts from nothing;
* counts after the change are those of the areas in force, whole.

Shared counts are fractional; the temporal methods (Farrington, EARS) take real-valued
counts, and the permutation scan, which needs whole cases, gets them rounded.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray


def carry_over(
    old_counts: ArrayLike, successors: Sequence[Sequence[tuple[int, float]]], n_new: int
) -> NDArray[np.float64]:
    """Counts (n_new, weeks) of the series in force from ``old_counts`` (n_old, weeks): row
    ``i`` goes to the rows ``j`` of ``successors[i]`` (pairs ``(j, share)``) in those shares.
    A row with no successor is dropped. Raises ``ValueError`` when the shares of a row do not
    sum to 1 (within 1e-6) or an index is out of range."""
    old = np.atleast_2d(np.asarray(old_counts, dtype=np.float64))
    if len(successors) != old.shape[0]:
        raise ValueError("one list of successors per old series is needed")
    weights = np.zeros((old.shape[0], n_new))
    for i, targets in enumerate(successors):
        if not targets:
            continue
        if abs(sum(share for _j, share in targets) - 1.0) > 1e-6:
            raise ValueError(f"the shares of old series {i} do not sum to 1")
        for j, share in targets:
            if not 0 <= j < n_new:
                raise ValueError(f"successor {j} of old series {i} is out of range")
            weights[i, j] += share
    return weights.T @ old
