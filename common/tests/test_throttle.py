"""``throttle.take``: the check and the count of a hit in one statement."""

from __future__ import annotations

import pytest

from common import throttle
from common.throttle import Limit, TooMany

pytestmark = pytest.mark.django_db

LIMIT = Limit("test_take", 3, 3600)


def test_take_counts_up_to_the_limit_then_refuses_without_counting() -> None:
    assert [throttle.take(LIMIT, "a") for _ in range(3)] == [1, 2, 3]
    with pytest.raises(TooMany) as refused:
        throttle.take(LIMIT, "a", what="filings")
    assert refused.value.retry_after > 0 and "filings" in str(refused.value)
    assert throttle.hits(LIMIT, "a")[0] == 3  # the refused one was not counted
    assert throttle.take(LIMIT, "b") == 1  # another key has its own count


def test_take_by_more_than_is_left_refuses_and_counts_nothing() -> None:
    assert throttle.take(LIMIT, "c", by=2) == 2
    with pytest.raises(TooMany):
        throttle.take(LIMIT, "c", by=2)
    with pytest.raises(TooMany):
        throttle.take(LIMIT, "d", by=4)
    assert throttle.hits(LIMIT, "c")[0] == 2 and throttle.hits(LIMIT, "d")[0] == 0


def test_take_agrees_with_add() -> None:
    throttle.add(LIMIT, "e", by=2)
    assert throttle.take(LIMIT, "e") == 3
    assert throttle.add(LIMIT, "e") == 4
