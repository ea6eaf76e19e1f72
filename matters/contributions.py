"""What domain apps add to the spine's figures. The spine imports no domain app
(docs/DEVELOPING.md): an app contributes by registering a function here from its
``AppConfig.ready()``.

- ``add_scorecard_extras(fn)``: ``fn(unit_ids, today)`` returns, per unit id, more columns of
  the unit scorecards (``unit_scorecards``), such as the plans app's briefings missing and
  progress reports late (a column a unit lacks in every app's answer is left out, so give
  each unit all of yours).
- ``set_scorecard_counts(fn)``: ``fn(units, today)`` returns, per unit id, the scorecard's
  own counts (open, overdue, done_on_time, done_late, bounces_sent) from pre-aggregated
  figures (the reports app's dashboard counts), or ``None`` when it has none for that day;
  the spine then counts live.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

ScorecardExtras = Callable[[list[int], date], dict[int, dict[str, Any]]]

ScorecardCounts = Callable[[list[Any], date], dict[int, dict[str, Any]] | None]

_scorecard_extras: list[ScorecardExtras] = []
_scorecard_counts: list[ScorecardCounts] = []


def add_scorecard_extras(fn: ScorecardExtras) -> None:
    """Register ``fn`` (once, however often ``ready()`` runs)."""
    if fn not in _scorecard_extras:
        _scorecard_extras.append(fn)


def scorecard_extras(unit_ids: list[int], today: date) -> dict[int, dict[str, Any]]:
    """Every registered app's columns, per unit id (each unit id present)."""
    result: dict[int, dict[str, Any]] = {uid: {} for uid in unit_ids}
    for fn in _scorecard_extras:
        for uid, columns in fn(unit_ids, today).items():
            result.setdefault(uid, {}).update(columns)
    return result


def set_scorecard_counts(fn: ScorecardCounts) -> None:
    """Make ``fn`` the source of the scorecards' counts (the last one set wins)."""
    _scorecard_counts[:] = [fn]


def scorecard_counts(units: list[Any], today: date) -> dict[int, dict[str, Any]] | None:
    """The pre-aggregated counts per unit id, or ``None`` (none registered, or none for
    that day)."""
    return _scorecard_counts[0](units, today) if _scorecard_counts else None
