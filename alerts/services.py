"""Early warning in the application: weekly counts of matters per commune and category, the
configured detection methods on the last complete week, and alerts to the heads responsible.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.db.models.functions import TruncWeek
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from alerts.models import Alert, Signal, WarningRun
from areas.models import REFORM_DATE, Area
from areas.services import split_communes
from audit.services import audit_record
from common.errors import Forbidden, Invalid
from common.text import nfc
from detection.ears import ears_c, max_lag
from detection.farrington import FarringtonControl, farrington_flexible
from detection.merger import carry_over
from detection.result import DetectionResult
from matters.models import Matter
from notifications.services import notify, recipients_of_unit
from units.models import Unit

Progress = Callable[[int, str], None]


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def last_complete_week(as_of: date) -> date:
    """The Monday of the last week that has ended by the end of ``as_of``."""
    return monday(as_of + timedelta(days=1)) - timedelta(days=7)


@dataclass
class WeeklyCounts:
    """Counts with shape (series, weeks); ``keys[i]`` = (area code, category code)."""

    keys: list[tuple[str, str]]
    weeks: list[date]
    counts: np.ndarray


def weekly_counts(
    last_week: date, n_weeks: int, *, area: str | None = None, category: str | None = None
) -> WeeklyCounts:
    """Matters opened per commune in force, category and week, for the ``n_weeks`` weeks
    ending with the week starting ``last_week``. Only series with at least one matter
    appear.

    Across the reform of 1 July 2025 a commune's series holds the history of the communes
    it was made of (their matters carry it as ``area``); the matters of a commune split
    across several, filed before the reform, are shared among its successors by the rule of
    ``detection.merger`` instead of all counting for the one they were filed under."""
    first = last_week - timedelta(weeks=n_weeks - 1)
    qs = Matter.objects.filter(
        opened_on__gte=first,
        opened_on__lt=last_week + timedelta(days=7),
        area__kind=Area.Kind.COMMUNE,
    )
    if category:
        qs = qs.filter(category_id=category)
    splits = split_communes()
    shared_q = Q(area_before_id__in=list(splits), opened_on__lt=REFORM_DATE)
    whole = qs.exclude(shared_q) if first < REFORM_DATE else qs
    if area:
        whole = whole.filter(area_id=area)
    weeks = [first + timedelta(weeks=i) for i in range(n_weeks)]
    index: dict[tuple[str, str], int] = {}
    cells: list[tuple[int, int, float]] = []

    def column(week: Any) -> int:
        week_day = week.date() if hasattr(week, "date") else week
        return int((week_day - first).days // 7)

    rows = (
        whole.annotate(week=TruncWeek("opened_on"))
        .values_list("area_id", "category_id", "week")
        .annotate(n=Count("id"))
    )
    for area_code, category_code, week, n in rows:
        row = index.setdefault((area_code, category_code), len(index))
        cells.append((row, column(week), float(n)))
    if first < REFORM_DATE and splits:
        cells.extend(_shared_cells(qs.filter(shared_q), splits, area, index, column, n_weeks))
    counts = np.zeros((len(index), n_weeks), dtype=np.float64)
    for row, col, n in cells:
        counts[row, col] += n
    return WeeklyCounts(keys=list(index), weeks=weeks, counts=counts)


def _shared_cells(
    qs: Any,
    splits: dict[int, Any],
    area: str | None,
    index: dict[tuple[str, str], int],
    column: Callable[[Any], int],
    n_weeks: int,
) -> list[tuple[int, int, float]]:
    """The matters of split communes before the reform, carried to their successors."""
    rows = list(
        qs.annotate(week=TruncWeek("opened_on"))
        .values_list("area_before_id", "category_id", "week")
        .annotate(n=Count("id"))
    )
    old_keys: dict[tuple[int, str], int] = {}
    for former, category_code, _week, _n in rows:
        old_keys.setdefault((former, category_code), len(old_keys))
    old = np.zeros((len(old_keys), n_weeks))
    for former, category_code, week, n in rows:
        old[old_keys[(former, category_code)], column(week)] += n
    successors: list[list[tuple[int, float]]] = []
    for former, category_code in old_keys:
        targets = []
        for s in splits[former]:
            if area and s.code != area:
                targets.append((-1, s.share))  # another successor: not in this series
                continue
            targets.append((index.setdefault((s.code, category_code), len(index)), s.share))
        successors.append(targets)
    # Pad with a sink row for the successors outside an ``area`` filter.
    sink = len(index)
    fixed = [[(sink if j < 0 else j, share) for j, share in t] for t in successors]
    new = carry_over(old, fixed, sink + 1)
    return [
        (row, col, float(new[row, col])) for row, col in zip(*np.nonzero(new[:sink]), strict=True)
    ]


def configured_methods() -> list[str]:
    return list(getattr(settings, "WARN_METHODS", ["farrington-flexible", "ears-c2"]))


def min_count() -> int:
    """The fewest matters in a week for a commune and category to raise an alert: with a
    baseline of zeros, EARS fires on a single petition, which tells a head nothing (set
    ``WARN_MIN_COUNT``; Farrington has its own rule, ``limit54``, on top)."""
    return int(getattr(settings, "WARN_MIN_COUNT", 3))


def history_weeks() -> int:
    """Weeks of history the methods want: Farrington's b years plus its window."""
    b = int(getattr(settings, "WARN_FARRINGTON_B", 5))
    return 52 * b + 3 + 1


def run_method(method: str, counts: np.ndarray, available: int) -> DetectionResult | None:
    """Evaluate the last week of every series with ``method``; None if history is too short.

    ``available`` is how many of the trailing weeks hold real history (the data may start
    later than the window); Farrington uses as many whole years as that allows (b <= 5).
    """
    last = counts.shape[1] - 1
    if method.startswith("ears-"):
        variant = method.split("-")[1].upper()
        if available <= max_lag(variant, 7):  # type: ignore[arg-type]
            return None
        return ears_c(counts, variant, weeks=[last])  # type: ignore[arg-type]
    if method == "farrington-flexible":
        b = min(int(getattr(settings, "WARN_FARRINGTON_B", 5)), (available - 4) // 52)
        if b < 1:
            return None
        control = FarringtonControl.noufaily(b=b, past_weeks_not_included=min(26, 52 - 4))
        return farrington_flexible(counts, control, weeks=[last])
    raise Invalid({"method": _("unknown method %(method)s") % {"method": method}})


SCAN_METHOD = "stp-scan"


def _planar(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Kilometres on a plane tangent at the mean latitude: enough for circles of communes."""
    lat0 = np.radians(float(lat.mean()))
    return np.column_stack((lon * 111.32 * np.cos(lat0), lat * 110.57))


def scan_findings(
    data: WeeklyCounts, week: date
) -> list[tuple[int, str, float, float, float | None, float | None]]:
    """Kulldorff's prospective space-time permutation scan, per province and category, on
    the last ``WARN_SCAN_WEEKS`` weeks (cylinders ending this week, up to 4 weeks long, at
    most half the cases). Every commune of a cluster with p <= ``WARN_SCAN_P`` (0.01: a
    recurrence interval of about 100 weeks for a weekly check) and at least
    ``WARN_MIN_COUNT`` matters becomes a signal of its own area and category: observed = its
    matters in the cluster's weeks, expected = what the permutation model expects of it
    (its share of the period's matters times the weeks' share). Communes without
    coordinates are left out of the scan."""
    from detection.scan import stp_scan

    weeks = min(int(getattr(settings, "WARN_SCAN_WEEKS", 52)), data.counts.shape[1])
    alpha = float(getattr(settings, "WARN_SCAN_P", 0.01))
    replicates = int(getattr(settings, "WARN_SCAN_REPLICATES", 999))
    areas = {
        a.code: a
        for a in Area.objects.filter(code__in={k[0] for k in data.keys}).only(
            "code", "parent_id", "latitude", "longitude"
        )
    }
    groups: dict[tuple[str, str], list[int]] = {}
    for row, (area_code, category) in enumerate(data.keys):
        area = areas.get(area_code)
        if area is None or area.latitude is None or area.longitude is None:
            continue
        groups.setdefault((area.parent_id or "", category), []).append(row)
    findings: list[tuple[int, str, float, float, float | None, float | None]] = []
    for (_province, _category), rows in sorted(groups.items()):
        if len(rows) < 2:
            continue
        # Whole cases for the permutation: history shared across the reform is fractional.
        counts = np.rint(data.counts[rows, -weeks:])
        if counts.sum() < 2 or counts[:, -1].sum() == 0:
            continue
        lat = np.array([areas[data.keys[r][0]].latitude for r in rows], dtype=float)
        lon = np.array([areas[data.keys[r][0]].longitude for r in rows], dtype=float)
        result = stp_scan(
            counts,
            _planar(lat, lon),
            max_weeks=4,
            max_share=0.5,
            replicates=replicates,
            seed=week.toordinal(),
            max_clusters=3,
        )
        total = counts.sum()
        for cluster in result.clusters:
            if cluster.p_value > alpha or cluster.observed < min_count():
                continue
            span = slice(cluster.first_period, cluster.last_period + 1)
            share = counts[:, span].sum() / total
            for loc in cluster.locations:
                observed = float(counts[loc, span].sum())
                if observed == 0:
                    continue
                expected = float(counts[loc].sum() * share)
                findings.append((rows[loc], SCAN_METHOD, observed, expected, None, None))
    return findings


def governing_unit(area_code: str) -> Unit | None:
    """The unit that governs a commune (its people's committee), else the province's."""
    unit = Unit.objects.filter(area_id=area_code, is_active=True).order_by("depth", "kind").first()
    if unit is None:
        area = Area.objects.filter(code=area_code).first()
        if area and area.parent_id:
            unit = (
                Unit.objects.filter(area_id=area.parent_id, kind="peoples_committee")
                .order_by("depth")
                .first()
            )
    return unit


def warn(
    as_of: date, *, progress: Progress | None = None, run: WarningRun | None = None
) -> WarningRun:
    """Count, detect and raise alerts for the last complete week by ``as_of``. ``run``: a
    run row made beforehand (by ``warn_start``), whose progress the page follows."""
    week = last_complete_week(as_of)
    if run is None:
        run = WarningRun.objects.create(as_of=as_of, week=week)
    current = run
    tell = progress or (lambda pct, msg: None)

    def say(pct: int, message: str) -> None:
        tell(pct, message)
        WarningRun.objects.filter(pk=current.pk).update(progress=min(pct, 99), message=message)

    say(5, "counting matters per commune, category and week")
    n_weeks = history_weeks()
    data = weekly_counts(week, n_weeks)
    earliest = (
        Matter.objects.filter(area__kind=Area.Kind.COMMUNE)
        .order_by("opened_on")
        .values_list("opened_on", flat=True)
        .first()
    )
    available = (
        n_weeks if earliest is None else min(n_weeks, (week - monday(earliest)).days // 7 + 1)
    )
    run.series = len(data.keys)
    findings: list[tuple[int, str, float, float, float | None, float | None]] = []
    methods = configured_methods()
    for i, method in enumerate(methods):
        say(10 + 70 * i // max(1, len(methods)), f"running {method} on {len(data.keys)} series")
        if not data.keys:
            break
        if method == SCAN_METHOD:
            findings.extend(scan_findings(data, week))
            continue
        result = run_method(method, data.counts, available)
        if result is None:
            continue
        enough = result.observed[:, 0] >= min_count()
        for row in np.nonzero(result.alarm[:, 0] & result.defined[:, 0] & enough)[0].tolist():
            ub = result.upperbound[row, 0]
            sc = result.score[row, 0]
            findings.append(
                (
                    int(row),
                    method,
                    float(result.observed[row, 0]),
                    float(result.expected[row, 0]),
                    # A zero baseline gives an infinite score: no number, not "inf" (nor
                    # an Infinity that JSON cannot carry).
                    float(ub) if np.isfinite(ub) else None,
                    float(sc) if np.isfinite(sc) else None,
                )
            )
    say(85, f"{len(findings)} signals; raising alerts")
    opened = 0
    for row, method, observed, expected, upper, score in findings:
        area, category = data.keys[row]
        opened += _record_signal(area, category, week, method, observed, expected, upper, score)
    run.signals = len(findings)
    run.alerts_opened = opened
    run.progress = 100
    run.message = f"done: {len(findings)} signals, {opened} new alerts"
    run.finished_at = timezone.now()
    run.save()
    tell(100, run.message)
    return run


def can_start_warning(user: Any) -> bool:
    """Administrators and leaders may run the check outside its weekly schedule."""
    return bool(user.is_active and (user.is_superuser or user.is_admin or user.has_role("leader")))


@task()
def run_warning(run_id: int) -> int:
    """The job of a check started from the alerts page; returns the run id. (Defined here,
    beside ``warn_start`` which enqueues it, so that services never import ``alerts.tasks``.)"""
    run = WarningRun.objects.get(pk=run_id)
    if run.finished_at is not None:
        return run.id
    try:
        return warn(run.as_of, run=run).id
    except Exception as exc:
        WarningRun.objects.filter(pk=run_id).update(
            error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        raise


@transaction.atomic
def warn_start(*, actor: Any, as_of: date) -> WarningRun:
    """Start a run now, as a background job; the returned row shows its progress. (The
    job's row is written in this transaction, so a worker sees it once the run row is
    there too.)"""
    if not can_start_warning(actor):
        raise Forbidden(_("only administrators and leaders start the early-warning check"))
    running = WarningRun.objects.filter(finished_at__isnull=True, error="").first()
    if running is not None and (timezone.now() - running.started_at) < timedelta(hours=1):
        raise Invalid(
            {
                "run": _("a check started at %(time)s is still running")
                % {"time": f"{running.started_at:%H:%M}"}
            }
        )
    run = WarningRun.objects.create(as_of=as_of, week=last_complete_week(as_of), started_by=actor)
    audit_record(actor=actor, action="warn.start", data={"run": run.id, "as_of": str(as_of)})
    run_warning.enqueue(run.id)
    run.refresh_from_db()
    return run


@transaction.atomic
def _record_signal(
    area: str,
    category: str,
    week: date,
    method: str,
    observed: float,
    expected: float,
    upper: float | None,
    score: float | None,
) -> int:
    """Attach a signal to the open alert of its area and category, or open one (returns 1)."""
    alert = (
        Alert.objects.select_for_update()
        .filter(area_id=area, category_id=category, status=Alert.Status.OPEN)
        .first()
    )
    created = 0
    if alert is None:
        unit = governing_unit(area)
        alert = Alert.objects.create(
            area_id=area,
            category_id=category,
            unit=unit,
            week=week,
            observed=int(observed),
            expected=expected,
            upperbound=upper,
            method=method,
            score=score,
            signals=0,
        )
        created = 1
        audit_record(
            actor="system",
            action="alert.open",
            unit=unit.code if unit else "",
            data={
                "alert": alert.id,
                "area": area,
                "category": category,
                "week": week.isoformat(),
                "method": method,
            },
        )
        if unit is not None:
            area_name = alert.area.name
            notify(
                recipients_of_unit(unit),
                kind="alert.open",
                text=f"Cảnh báo sớm: {area_name}, lĩnh vực {alert.category.label}: {int(observed)} việc trong tuần {week:%d/%m/%Y} (kỳ vọng {expected:.1f}).",
                url=f"/alerts/{alert.id}/",
            )
    _, new_signal = Signal.objects.get_or_create(
        alert=alert,
        week=week,
        method=method,
        defaults={
            "observed": int(observed),
            "expected": expected,
            "upperbound": upper,
            "score": score,
        },
    )
    if new_signal:
        alert.signals += 1
        # A later week's signal updates the alert's figures; in the same week the first
        # method keeps them (the temporal methods come first and carry a threshold).
        if week > alert.week:
            alert.week, alert.observed, alert.expected = week, int(observed), expected
            alert.upperbound, alert.method, alert.score = upper, method, score
        alert.save()
    return created


@transaction.atomic
def alert_acknowledge(*, actor: Any, alert: Alert, note: str) -> Alert:
    """The head of the responsible unit (or an administrator) acknowledges an open alert."""
    if not (
        actor.is_superuser or (alert.unit_id and alert.unit and alert.unit.head_id == actor.pk)
    ):
        raise Forbidden(
            _("only the head of the unit responsible for this area acknowledges its alerts")
        )
    if alert.status != Alert.Status.OPEN:
        raise Invalid({"status": _("this alert is not open")})
    note = nfc(note or "")
    alert.status = Alert.Status.ACKNOWLEDGED
    alert.note = note
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.save()
    audit_record(
        actor=actor,
        action="alert.acknowledge",
        unit=alert.unit.code if alert.unit else "",
        data={"alert": alert.id, "note": note},
    )
    return alert


def series_with_thresholds(alert: Alert, n_weeks: int = 52) -> dict[str, list[Any]]:
    """The alert's series over ``n_weeks`` up to its week, with the EARS C2 threshold of every
    week (the method used for the picture; the alert itself keeps its own method's numbers)."""
    lag = max_lag("C2", 7)
    data = weekly_counts(alert.week, n_weeks + lag, area=alert.area_id, category=alert.category_id)
    counts = data.counts[0] if data.keys else np.zeros(n_weeks + lag)
    result = ears_c(counts[None, :], "C2", weeks=list(range(lag, n_weeks + lag)))
    signal_weeks = set(alert.signal_rows.values_list("week", flat=True))
    weeks = data.weeks[lag:]
    return {
        "weeks": [w.strftime("%d/%m/%Y") for w in weeks],
        "observed": [int(v) for v in counts[lag:]],
        "upperbound": [None if np.isnan(v) else round(float(v), 2) for v in result.upperbound[0]],
        "expected": [None if np.isnan(v) else round(float(v), 2) for v in result.expected[0]],
        "alarm": [w in signal_weeks for w in weeks],
    }


@transaction.atomic
def alert_open_case(*, actor: Any, alert: Alert, due_days: int = 30) -> str:
    """Turn an alert into a case led by the responsible unit, in one step: the petitions of
    that commune and category received in the alert's week are linked, the alert is
    acknowledged and points to the case. Returns the case code."""
    from cases.services import case_open
    from common.clock import today

    _require_head_of_alert_unit(
        actor,
        alert,
        _("only the head of the unit responsible for this area opens a case from its alert"),
    )
    assert alert.unit is not None
    petitions = list(
        Matter.objects.filter(
            kind=Matter.Kind.PETITION,
            area_id=alert.area_id,
            category_id=alert.category_id,
            opened_on__gte=alert.week,
            opened_on__lt=alert.week + timedelta(days=7),
        ).values_list("code", flat=True)[:200]
    )
    opened = today()
    case = case_open(
        actor=actor,
        title=_follow_up_title(alert),
        area=alert.area_id,
        category=alert.category_id,
        lead=alert.unit,
        coordinating=[],
        risk="medium",
        opened_on=opened,
        due_on=opened + timedelta(days=due_days),
        participants=0,
        petitions=petitions,
        summary=alert.note,
    )
    code = case.matter.code
    _acknowledged_with(actor, alert, code, "alert.case")
    return code


def _require_head_of_alert_unit(actor: Any, alert: Alert, refusal: str) -> None:
    if not (
        actor.is_superuser or (alert.unit_id and alert.unit and alert.unit.head_id == actor.pk)
    ):
        raise Forbidden(refusal)
    if alert.follow_up:
        raise Invalid(
            {
                "alert": _("a follow-up was already opened from this alert: %(code)s")
                % {"code": alert.follow_up}
            }
        )
    if alert.unit is None:
        raise Invalid({"alert": _("no unit governs this area; a follow-up needs a lead unit")})


def _follow_up_title(alert: Alert) -> str:
    return _("Unusual rise: %(category)s in %(area)s, week of %(week)s") % {
        "category": alert.category.label,
        "area": alert.area.name,
        "week": alert.week.strftime("%d/%m/%Y"),
    }


def _acknowledged_with(actor: Any, alert: Alert, code: str, action: str) -> None:
    alert.follow_up = code
    if alert.status == Alert.Status.OPEN:
        alert.status = Alert.Status.ACKNOWLEDGED
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor
    alert.save()
    audit_record(actor=actor, action=action, matter=code, data={"alert": alert.id})


def plans_for_alert_task(alert: Alert) -> Any:
    """Plans a task from this alert may belong to: the plans of the responsible unit,
    newest first (its head manages them)."""
    from plans.models import Plan

    if alert.unit_id is None:
        return Plan.objects.none()
    return Plan.objects.filter(unit_id=alert.unit_id).order_by("-issued_on", "-id")


@transaction.atomic
def alert_open_task(
    *, actor: Any, alert: Alert, plan_id: int | None, due_on: date | None = None
) -> str:
    """Turn an alert into a task of one of the responsible unit's plans, led by that unit,
    in one step (default deadline 30 days); the alert is acknowledged and points to the
    task. Returns the task code."""
    from common.clock import today as clock_today
    from plans.services import task_create

    _require_head_of_alert_unit(
        actor,
        alert,
        _("only the head of the unit responsible for this area opens a task from its alert"),
    )
    if plan_id is None:
        raise Invalid({"plan": _("required: the plan of your unit this task belongs to")})
    plan = plans_for_alert_task(alert).filter(pk=plan_id).first()
    if plan is None:
        unit = alert.unit.code if alert.unit else "-"
        raise Invalid({"plan": _("no plan %(plan)s of %(unit)s") % {"plan": plan_id, "unit": unit}})
    opened = clock_today()
    task = task_create(
        actor=actor,
        plan=plan,
        title=_follow_up_title(alert),
        lead=alert.unit.code if alert.unit else "",
        cooperating=[],
        due_on=due_on or opened + timedelta(days=30),
        area=alert.area_id,
        category=alert.category_id,
        opened_on=opened,
        description=alert.note,
    )
    code = task.matter.code
    _acknowledged_with(actor, alert, code, "alert.task")
    return code
