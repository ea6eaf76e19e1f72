"""Space-time scans on hand-made tables with planted clusters."""

from __future__ import annotations

import math

import numpy as np
import pytest

from detection import scan as S
from detection.scan import ebp_scan, stp_scan


def _line_table() -> tuple[np.ndarray, np.ndarray]:
    """Eight locations on a line, ten weeks of 2 cases each, plus 8 extra cases at
    locations 2 and 3 in each of the last two weeks."""
    counts = np.full((8, 10), 2.0)
    counts[2:4, 8:] += 8.0
    xy = np.column_stack([np.arange(8.0), np.zeros(8)])
    return counts, xy


def _hand_llr(counts: np.ndarray, locs: list[int], weeks: int) -> tuple[float, float, float]:
    total = counts.sum()
    c = counts[locs, -weeks:].sum()
    mu = counts[locs].sum() * counts[:, -weeks:].sum() / total
    llr = c * math.log(c / mu) + (total - c) * math.log((total - c) / (total - mu))
    return c, mu, llr


def test_planted_cluster_and_llr_by_hand() -> None:
    counts, xy = _line_table()
    res = stp_scan(counts, xy, max_weeks=3, max_share=0.5, replicates=99, seed=1)
    top = res.clusters[0]
    assert sorted(top.locations) == [2, 3]
    assert (top.first_period, top.last_period) == (8, 9)
    c, mu, llr = _hand_llr(counts, [2, 3], 2)
    assert top.observed == c == 40
    assert top.expected == pytest.approx(mu, rel=1e-12)
    assert top.llr == pytest.approx(llr, rel=1e-12)
    assert top.p_value == pytest.approx(0.01)  # rank 1 of 100
    assert top.recurrence_interval == pytest.approx(100.0)


def test_every_cylinder_by_brute_force() -> None:
    rng = np.random.default_rng(5)
    counts = rng.poisson(2.0, size=(9, 6)).astype(float)
    counts[4, -1] += 9
    xy = rng.uniform(0, 10, size=(9, 2))
    res = stp_scan(counts, xy, max_weeks=2, max_share=0.4, replicates=0)
    total = counts.sum()
    best = 0.0
    for z in range(9):
        order = np.lexsort((np.arange(9), ((xy - xy[z]) ** 2).sum(axis=1)))
        order = np.concatenate([[z], order[order != z]])
        for k in range(1, 10):
            locs = order[:k].tolist()
            if counts[locs].sum() > 0.4 * total:
                break
            for weeks in (1, 2):
                c, mu, llr = _hand_llr(counts, locs, weeks)
                if c > mu and c >= 2:
                    best = max(best, llr)
    assert res.clusters[0].llr == pytest.approx(best, rel=1e-12)


def test_replicates_keep_margins_and_reproduce() -> None:
    counts, xy = _line_table()
    a = stp_scan(counts, xy, max_weeks=3, replicates=64, seed=7, n_threads=1)
    b = stp_scan(counts, xy, max_weeks=3, replicates=64, seed=7, n_threads=2)
    np.testing.assert_array_equal(a.replicate_max, b.replicate_max)
    c = stp_scan(counts, xy, max_weeks=3, replicates=64, seed=8)
    assert not np.array_equal(a.replicate_max, c.replicate_max)
    # the planted cluster beats every permuted table
    assert (a.replicate_max < a.clusters[0].llr).all()


def test_null_table_p_value_is_not_small() -> None:
    rng = np.random.default_rng(2)
    counts = rng.poisson(3.0, size=(15, 20)).astype(float)
    xy = rng.uniform(0, 10, size=(15, 2))
    res = stp_scan(counts, xy, replicates=199, seed=3)
    assert res.clusters[0].p_value > 0.05


def test_secondary_clusters_do_not_overlap() -> None:
    counts, xy = _line_table()
    counts[6:8, 9] += 6.0
    res = stp_scan(counts, xy, max_weeks=2, max_share=0.3, replicates=19, seed=1)
    seen: set[int] = set()
    for cl in res.clusters:
        assert not seen.intersection(cl.locations)
        seen.update(cl.locations)
    assert len(res.clusters) >= 2
    assert [cl.llr for cl in res.clusters] == sorted((cl.llr for cl in res.clusters), reverse=True)


def test_recurrence_interval() -> None:
    assert S._recurrence(0.01, 1) == pytest.approx(100.0)
    # 52 weekly analyses: p adjusted to 1 - (1 - p)^(1/52)
    assert S._recurrence(0.01, 52) == pytest.approx(1 / (1 - 0.99 ** (1 / 52)))


def test_circles_respect_max_share() -> None:
    xy = np.column_stack([np.arange(6.0), np.zeros(6)])
    weight = np.array([1.0, 1, 1, 1, 1, 5])
    circ = S._circles(xy, weight, limit=3.0)
    assert circ.size.tolist() == [3, 3, 3, 3, 2, 1]
    assert circ.order[0, :3].tolist() == [0, 1, 2]
    assert circ.order[5, 0] == 5  # a circle always holds its centre


def test_ebp_scan_finds_a_global_increase() -> None:
    rng = np.random.default_rng(4)
    base = np.full((10, 4), 3.0)
    counts = rng.poisson(base).astype(float)
    counts[:, -1] += 6.0  # every location rises: invisible to the permutation scan
    xy = rng.uniform(0, 10, size=(10, 2))
    res = ebp_scan(counts, base, xy, max_weeks=2, max_share=1.0, replicates=99, seed=1)
    top = res.clusters[0]
    assert len(top.locations) == 10 and top.first_period == 3
    c, b = counts[:, -1].sum(), base[:, -1].sum()
    assert top.llr == pytest.approx(c * math.log(c / b) + b - c, rel=1e-12)
    assert top.p_value == pytest.approx(0.01)


def test_input_validation() -> None:
    xy = np.zeros((3, 2))
    with pytest.raises(ValueError):
        stp_scan(np.ones((3, 4)) * 0.5, xy)
    with pytest.raises(ValueError):
        stp_scan(np.ones((3, 4)), np.zeros((2, 2)))
    with pytest.raises(ValueError):
        ebp_scan(np.ones((3, 4)), np.zeros((3, 4)), xy)
    assert stp_scan(np.zeros((3, 4)), xy).clusters == []
