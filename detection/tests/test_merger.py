import numpy as np
import pytest

from detection.merger import carry_over


def test_whole_and_split_series_keep_their_total():
    old = np.array([[4.0, 6.0], [10.0, 0.0], [1.0, 1.0]])
    # old 0 went whole into new 0; old 1 was split in halves between new 0 and new 1; old 2
    # has no successor and is dropped.
    new = carry_over(old, [[(0, 1.0)], [(0, 0.5), (1, 0.5)], []], 2)
    assert new.tolist() == [[9.0, 6.0], [5.0, 0.0]]


def test_shares_must_sum_to_one():
    with pytest.raises(ValueError, match="sum to 1"):
        carry_over([[1.0]], [[(0, 0.4)]], 1)
    with pytest.raises(ValueError, match="out of range"):
        carry_over([[1.0]], [[(3, 1.0)]], 1)
