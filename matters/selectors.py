"""Reads of matters that depend on who asks. These functions are the only way to fetch a
matter a user may not see: out of scope is NotFound (404), visible but not theirs to change
is Forbidden (403)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Case, CharField, Count, F, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from common.errors import Forbidden, NotFound
from matters.contributions import scorecard_counts, scorecard_extras
from matters.models import Handoff, Matter, Participant, unit_provinces
from units.models import Unit
from units.selectors import subtree_ids, visible_unit_ids

# Above this many handled or cooperated-on matters, the extra branch stays a subquery
# rather than a list of ids in the SQL (SQLite caps a statement's parameters).
EXTRA_IDS_AS_LIST = 2000


def matters_visible_to(
    user: Any, queryset: QuerySet[Matter] | None = None, *, in_code_order: bool = False
) -> QuerySet[Matter]:
    """Matters the user may see: owned by a unit they see, cooperated on by their unit,
    or handled by them.

    Written so that each branch is an index look-up: ``owner IN (units) OR id IN (the few
    matters handled or cooperated on outside those units)``. PostgreSQL and SQLite answer
    that with one index scan per branch (a bitmap OR / multi-index OR); the same set written
    with ``handler = … OR EXISTS (participant …)`` made them read the whole table
    (3.6 s for a commune head's list at a million matters, docs/benchmarks-ops.md).
    ``in_code_order``: for a list read in code order, the owner branch also names the
    province of a one-province scope (``owned_by``); counts leave it out, as it slows the
    index-only counts by state."""
    qs = Matter.objects.all() if queryset is None else queryset
    units = visible_unit_ids(user)
    if units is None:
        return qs
    handled = (
        Matter.objects.filter(handler_id=user.pk)
        .exclude(owner_id__in=units)
        .order_by()
        .values_list("id", flat=True)
    )
    branches: list[QuerySet[Any]] = [handled]
    if user.unit_id:
        branches.append(
            Participant.objects.filter(unit_id=user.unit_id)
            .exclude(matter__owner_id__in=units)
            .order_by()
            .values_list("matter_id", flat=True)
        )
    condition = owned_by(units) if in_code_order else Q(owner_id__in=units)
    for branch in branches:
        ids = list(branch[: EXTRA_IDS_AS_LIST + 1])
        if len(ids) > EXTRA_IDS_AS_LIST:
            condition |= Q(pk__in=branch)
        elif ids:
            condition |= Q(pk__in=ids)
    return qs.filter(condition)


def owned_by(units: list[int]) -> Q:
    """Matters owned by one of ``units``. When they all lie in one province, the condition
    says so too (``owner_province``, kept with the owner): the same rows, but a province's
    widest list then walks the ``(owner_province, code)`` index in code order instead of
    sorting every matter of the province (docs/benchmarks-ops.md)."""
    condition = Q(owner_id__in=units)
    if len(units) > 1:
        provinces = set(unit_provinces(units).values())
        if len(provinces) == 1 and "" not in provinces:
            condition &= Q(owner_province=provinces.pop())
    return condition


def get_matter_for_user(user: Any, code: str, kind: str | None = None) -> Matter:
    qs = Matter.objects.select_related("owner", "area", "category", "handler", "rule")
    if kind:
        qs = qs.filter(kind=kind)
    matter = matters_visible_to(user, qs).filter(code=code).first()
    if matter is None:
        label = Matter.Kind(kind).label if kind else _("matter")
        raise NotFound(_("No %(what)s with code %(code)s") % {"what": label, "code": code})
    return matter


def user_can_act(user: Any, matter: Matter) -> bool:
    """Officials of the owner unit with an acting role may change a matter."""
    return bool(user.is_active and user.unit_id == matter.owner_id and user.can_act)


def require_can_act(user: Any, matter: Matter) -> None:
    if not user_can_act(user, matter):
        raise Forbidden(
            _("%(code)s belongs to another unit; you may read it but not act on it")
            % {"code": matter.code}
        )


# The states of open matters and of closed ones (``state_q``).
OPEN_STATES = ("overdue", "due_soon", "in_time")
CLOSED_STATES = ("done_late", "done_on_time")


def state_q(state: str, today: date) -> Q:
    """The condition for one state, usable in filters (and indexes on is_open, due_on).
    A matter whose clock is stopped (``suspended_on`` set) is in time until it restarts."""
    soon = today + timedelta(days=settings.DUE_SOON_DAYS)
    closed = Q(is_open=False)
    late = Q(closed_on__gt=F("due_on"))
    running = Q(is_open=True, suspended_on__isnull=True)
    return {
        "overdue": running & Q(due_on__lt=today),
        "due_soon": running & Q(due_on__gte=today, due_on__lte=soon),
        "in_time": Q(is_open=True)
        & (Q(due_on__isnull=True) | Q(due_on__gt=soon) | Q(suspended_on__isnull=False)),
        "done_late": closed & Q(due_on__isnull=False) & late,
        "done_on_time": closed & (Q(due_on__isnull=True) | ~late | Q(closed_on__isnull=True)),
    }[state]


def state_counts(qs: QuerySet[Matter], today: date) -> dict[str, int]:
    """How many matters of ``qs`` are in each state, by the very conditions the lists filter
    with (``state_q``), so that a count shown beside a list is the length of that list.
    (Grouping by ``state_expression`` over an ordered queryset grouped by the ordering too
    and counted 1 per row: the tabs read 1/1/0/1/1.)"""
    found = qs.order_by().aggregate(
        # Counted on the owner (never null) rather than the id: every column the count reads
        # is then in the state cover index, which PostgreSQL reads alone.
        **{s: Count("owner", filter=state_q(s, today)) for s in Matter.State.values}
    )
    return {s: int(found[s] or 0) for s in Matter.State.values}


def state_expression(today: date) -> Case:
    return Case(
        *[When(state_q(s, today), then=Value(s)) for s in Matter.State.values],
        default=Value("in_time"),
        output_field=CharField(),
    )


def matter_state(matter: Matter, today: date) -> str:
    """The state of one loaded matter, by the same rules as ``state_q``."""
    soon = today + timedelta(days=settings.DUE_SOON_DAYS)
    if not matter.is_open:
        if matter.due_on and matter.closed_on and matter.closed_on > matter.due_on:
            return "done_late"
        return "done_on_time"
    if matter.due_on is None or matter.due_on > soon or matter.suspended_on is not None:
        return "in_time"
    return "overdue" if matter.due_on < today else "due_soon"


def area_q(code: str) -> Q:
    """Matters of an area: by the area in force, or, for a code that exists only before
    1 July 2025, by the old area (a province or district with everything inside it) they
    were filed under."""
    from areas.services import former_ids_within, gazetteer

    if code in gazetteer().areas:
        return Q(area_id=code)
    former = former_ids_within(code)
    return Q(area_before_id__in=former) if former else Q(area_id=code)


def filter_matters(
    qs: QuerySet[Matter],
    *,
    today: date | None = None,
    owner: str | None = None,
    state: str | None = None,
    area: str | None = None,
    category: str | None = None,
    query: str | None = None,
    under: str | None = None,
    is_open: bool | None = None,
) -> QuerySet[Matter]:
    """The filters every list of matters offers: owner unit code, owner within a unit's
    subtree (``under``, what the dashboard counts), open or closed, state (needs ``today``),
    area, category, and a search of the folded text or the code."""
    if owner:
        qs = qs.filter(owner__code=owner)
    if under:
        unit = Unit.objects.filter(code=under).first()
        qs = qs.filter(owner_id__in=subtree_ids(unit)) if unit else qs.none()
    if is_open is not None:
        qs = qs.filter(is_open=is_open)
    if state:
        assert today is not None, "a state filter needs the day it is counted for"
        qs = qs.filter(state_q(state, today))
    if area:
        qs = qs.filter(area_q(area))
    if category:
        qs = qs.filter(category_id=category)
    if query:
        from common.text import fold

        qs = qs.filter(Q(search_text__contains=fold(query)) | Q(code__icontains=query.strip()))
    return qs


def matter_list_for_user(
    user: Any,
    *,
    today: date,
    owner: str | None = None,
    state: str | None = None,
    kind: str | None = None,
    area: str | None = None,
    category: str | None = None,
    query: str | None = None,
    under: str | None = None,
    is_open: bool | None = None,
    for_count: bool = False,
) -> QuerySet[Matter]:
    """The matters of a list the user asked for, in code order. ``for_count``: the same
    rows written for counting them (the count beside a list, the state tabs): no joins, no
    order, and the visibility rule by owner alone. A page in code order is fastest from the
    province's code index (``owned_by``), a count from the owner cover index (a province's
    overdue matters at 10 M: 12 ms by owner, 445 ms through the province's codes)."""
    scope = matters_visible_to(user, in_code_order=not for_count)
    qs = filter_matters(
        scope if for_count else scope.select_related("owner", "area", "category"),
        today=today,
        owner=owner,
        state=state,
        area=area,
        category=category,
        query=query,
        under=under,
        is_open=is_open,
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by() if for_count else qs.order_by("code")


def most_urgent_first(qs: QuerySet[Matter], *, open_only: bool) -> QuerySet[Matter]:
    """The order of the officials' lists: open matters first, the nearest deadline on top
    (none last), then the closed ones, latest first; code breaks ties. A list of open
    matters only (``open_only``: ``qs`` is filtered to them) is ordered by deadline and code
    alone, the same order, since an open matter has no closing day: a province's open list
    then walks the ``(owner_province, is_open, due_on, code)`` index for its page instead of
    sorting every open matter of the province (docs/benchmarks-ops.md)."""
    by_deadline = F("due_on").asc(nulls_last=True)
    if open_only:
        return qs.order_by(by_deadline, "code")
    return qs.order_by("-is_open", by_deadline, "-closed_on", "code")


def handoffs_by_matter(matter_ids: list[int]) -> dict[int, list[Handoff]]:
    """Handoffs of many matters in one query, for list responses."""
    result: dict[int, list[Handoff]] = {mid: [] for mid in matter_ids}
    rows = (
        Handoff.objects.filter(matter_id__in=matter_ids)
        .select_related("from_unit", "to_unit")
        .order_by("at", "id")
    )
    for handoff in rows:
        result[handoff.matter_id].append(handoff)
    return result


def live_scorecard_counts(ids: list[int], today: date) -> dict[int, dict[str, int]]:
    """Per unit id, counted from the matter table now: the matters it owns itself in each
    state and the bounces it sent (what ``scorecards`` shows when no pre-aggregated counts
    are registered for the day)."""
    counts = {
        row["owner_id"]: row
        for row in Matter.objects.filter(owner_id__in=ids)
        .values("owner_id")
        .annotate(
            open=Count("id", filter=Q(is_open=True)),
            overdue=Count("id", filter=state_q("overdue", today)),
            done_on_time=Count("id", filter=state_q("done_on_time", today)),
            done_late=Count("id", filter=state_q("done_late", today)),
        )
    }
    bounces = dict(
        Handoff.objects.filter(from_unit_id__in=ids, is_bounce=True)
        .values("from_unit_id")
        .annotate(n=Count("id"))
        .values_list("from_unit_id", "n")
    )
    result = {}
    for uid in ids:
        c: Any = counts.get(uid, {})
        result[uid] = {
            "open": c.get("open", 0),
            "overdue": c.get("overdue", 0),
            "done_on_time": c.get("done_on_time", 0),
            "done_late": c.get("done_late", 0),
            "bounces_sent": bounces.get(uid, 0),
        }
    return result


def scorecards(user: Any, parent: Unit, today: date) -> list[dict[str, Any]]:
    """One row per unit below ``parent`` (its whole subtree): counts of the matters it owns
    itself (not those of the units below it) and the bounces it sent. ``parent`` must be
    visible to the user (checked by the caller). The counts come from pre-aggregated figures
    when an app registers them for the day (the dashboard's, ``matters.contributions``),
    else they are counted live."""
    units = list(Unit.objects.filter(id__in=subtree_ids(parent)).exclude(id=parent.id))
    ids = [u.id for u in units]
    counts = scorecard_counts(units, today)
    if counts is None:
        counts = live_scorecard_counts(ids, today)
    # More columns (briefings missing, progress reports late) come from the apps that
    # register them (matters.contributions).
    extras = scorecard_extras(ids, today)
    return [
        {"unit": unit.code, "name": unit.name, **counts[unit.id], **extras[unit.id]}
        for unit in sorted(units, key=lambda u: u.code)
    ]
