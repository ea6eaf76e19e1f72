"""Writes of the reports app: asking for a report, generating it (number, file, audit),
issuing the plan report at once, and the periodic schedules."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from common.clock import today as clock_today
from common.errors import Invalid
from matters.models import Matter
from matters.services import sequence_next
from reports.documents import Issue, petitions_document, plan_document
from reports.figures import petition_figures
from reports.models import GeneratedReport, PeriodKind, ReportKind, ReportSchedule
from reports.periods import Period, period_last_complete, period_make
from reports.selectors import replica_reads, require_can_issue
from units.models import Unit

log = logging.getLogger(__name__)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def number_next(unit: Unit, year: int) -> int:
    """The unit's next document number in ``year``: gapless, shared by every document the
    unit issues through dutdiem, restarting at 01 on 1 January (Decree 30/2020, Art. 15)."""
    return sequence_next(f"doc:{unit.pk}", year)


def _progress(report: GeneratedReport, value: int, status: str | None = None) -> None:
    """Progress is written outside the generation's transaction so that pollers see it."""
    fields: dict[str, Any] = {"progress": value}
    if status:
        fields["status"] = status
    GeneratedReport.objects.filter(pk=report.pk).update(**fields)
    report.progress = value


def report_request(
    *,
    actor: Any,
    unit: Unit,
    period: str,
    year: int | None,
    index: int | None,
    scheduled: bool = False,
) -> GeneratedReport:
    """Ask for the periodic petitions report of ``unit``; generation runs as a job.
    ``unit`` must already be access-checked by the caller (selectors.get_unit_for_reports)."""
    if not scheduled:
        require_can_issue(actor, unit)
    chosen = period_make(period, year, index)
    if chosen.start > clock_today():
        raise Invalid({"year": _("the period has not started yet")})
    with transaction.atomic():
        report = GeneratedReport.objects.create(
            unit=unit,
            kind=ReportKind.PETITIONS,
            title=f"Báo cáo công tác tiếp công dân, xử lý đơn thư {chosen.label()}",
            period=chosen.kind,
            period_start=chosen.start,
            period_end=chosen.end,
            requested_by=actor if getattr(actor, "pk", None) else None,
            scheduled=scheduled,
        )
        audit_record(
            actor=actor,
            action="report.request",
            unit=unit.code,
            data={"report": report.pk, "period": chosen.kind, "start": chosen.start},
        )
        transaction.on_commit(lambda: generate_report.enqueue(report.pk))
    return report


def report_generate(report_id: int) -> GeneratedReport | None:
    """Compute the figures, then in one transaction allocate the number, write the file and
    the audit event. A failure leaves the report ``failed`` and gives the number back."""
    claimed = GeneratedReport.objects.filter(
        pk=report_id, status=GeneratedReport.Status.PENDING
    ).update(status=GeneratedReport.Status.RUNNING, progress=5)
    if not claimed:
        return None
    report = GeneratedReport.objects.select_related(
        "unit", "unit__parent", "unit__area", "unit__head", "requested_by"
    ).get(pk=report_id)
    try:
        assert report.period_start and report.period_end
        period = Period(
            report.period, report.period_start.year, _index_of(report.period, report.period_start)
        )
        with replica_reads():
            figures = petition_figures(report.unit, period.start, period.end)
        _progress(report, 70)
        day = clock_today()
        with transaction.atomic():
            # A period not yet over gives a draft: marked, unnumbered, undated; its figures
            # would still change. Only a closed period is issued under a number.
            closed = period.is_closed(day)
            number = number_next(report.unit, day.year) if closed else None
            issue = Issue(unit=report.unit, number=number, day=day, user=report.requested_by)
            content = petitions_document(issue, period, figures)
            _progress(report, 90)
            if number is not None:
                report.year, report.number, report.issued_on = day.year, number, day
                report.symbol = issue.number_line.removeprefix("Số: ")
                report.file_name = f"bao-cao-{period.slug()}-so-{number:02d}.docx"
            else:
                report.file_name = f"du-thao-bao-cao-{period.slug()}.docx"
            report.file.save(f"{report.pk}-{report.file_name}", ContentFile(content), save=False)
            report.status = GeneratedReport.Status.DONE
            report.progress = 100
            report.finished_at = timezone.now()
            report.save()
            audit_record(
                actor=report.requested_by or "system",
                action="report.issue" if closed else "report.draft",
                unit=report.unit.code,
                data={"report": report.pk, "symbol": report.symbol},
            )
    except Exception as exc:
        log.exception("report %s failed", report_id)
        GeneratedReport.objects.filter(pk=report_id).update(
            status=GeneratedReport.Status.FAILED, error=str(exc)[:500], finished_at=timezone.now()
        )
        report.refresh_from_db()
    return report


def _index_of(kind: str, start: date) -> int:
    if kind == PeriodKind.MONTH:
        return start.month
    if kind == PeriodKind.QUARTER:
        return (start.month - 1) // 3 + 1
    return 1


def schedule_set(*, actor: Any, unit: Unit, period: str, active: bool = True) -> ReportSchedule:
    """Have ``unit``'s petitions report made after every period of ``period`` ends."""
    require_can_issue(actor, unit)
    if period not in PeriodKind.values:
        raise Invalid({"period": _("must be month, quarter or year")})
    first = period_last_complete(period, clock_today()).next()
    with transaction.atomic():
        schedule, created = ReportSchedule.objects.get_or_create(
            unit=unit,
            kind=ReportKind.PETITIONS,
            period=period,
            defaults={"next_period_start": first.start, "created_by": actor, "is_active": active},
        )
        if not created and schedule.is_active != active:
            schedule.is_active = active
            if active:
                schedule.next_period_start = first.start
            schedule.save(update_fields=["is_active", "next_period_start"])
        audit_record(
            actor=actor,
            action="report.schedule",
            unit=unit.code,
            data={"period": period, "active": active},
        )
    return schedule


@task()
def generate_report(report_id: int) -> None:
    """The job ``report_request`` enqueues (defined here so that services never import
    ``reports.tasks``, which names it for the workers)."""
    report_generate(report_id)


def schedules_run(day: date | None = None) -> int:
    """Ask for every scheduled report whose period has ended by ``day``; returns how many.
    Each schedule row is claimed with a conditional UPDATE, so two runners never double it."""
    day = day or clock_today()
    made = 0
    for schedule in ReportSchedule.objects.filter(is_active=True).select_related("unit"):
        while True:
            current = Period(
                schedule.period,
                schedule.next_period_start.year,
                _index_of(schedule.period, schedule.next_period_start),
            )
            if current.end >= day:
                break
            following = current.next().start
            claimed = ReportSchedule.objects.filter(
                pk=schedule.pk, next_period_start=schedule.next_period_start
            ).update(next_period_start=following)
            if not claimed:
                break
            schedule.next_period_start = following
            report_request(
                actor="schedule",
                unit=schedule.unit,
                period=current.kind,
                year=current.year,
                index=current.index,
                scheduled=True,
            )
            made += 1
    return made


def plan_figures(plan: Any, day: date) -> Any:
    from django.db.models import Count

    from matters.selectors import state_q
    from plans.models import Briefing, PlanTarget
    from plans.selectors import plan_rollup
    from reports.documents import PlanFigures

    rolled, _plans = plan_rollup(plan, day)
    status = rolled[plan.id]
    due = dict(
        PlanTarget.objects.filter(plan__path__startswith=plan.path).values_list(
            "plan_id", "plan__briefing_due"
        )
    )
    held = [
        (b.unit.name, b.held_on, b.held_on > due.get(b.plan_id, b.held_on))
        for b in Briefing.objects.filter(plan__path__startswith=plan.path)
        .select_related("unit")
        .order_by("held_on", "unit__name")
    ]
    names = dict(
        Unit.objects.filter(code__in=[c for _, c, _ in status.missing]).values_list("code", "name")
    )
    missing = sorted({(names.get(code, code), due_on) for _, code, due_on in status.missing})
    behind = [
        (row["owner__name"], row["n"])
        for row in Matter.objects.filter(
            kind=Matter.Kind.TASK, task__plan__path__startswith=plan.path
        )
        .filter(state_q("overdue", day))
        .values("owner__name")
        .annotate(n=Count("id"))
        .order_by("-n", "owner__name")
    ]
    return PlanFigures(
        plan=plan, status=status, held=held, missing=missing, behind=behind, today=day
    )


def plan_report_issue(*, actor: Any, plan_id: int) -> tuple[GeneratedReport, bytes]:
    """Issue the report on carrying out a plan, at once: the plan's unit is the issuer and
    its officials the only ones who may issue it (others who see the plan: 403; others:
    404). Allocates the unit's next document number and keeps a copy in the report list."""
    from plans.selectors import get_plan_for_user

    plan = get_plan_for_user(actor, plan_id)
    unit = Unit.objects.select_related("parent", "area", "head").get(pk=plan.unit_id)
    require_can_issue(actor, unit)
    day = clock_today()
    figures = plan_figures(plan, day)
    with transaction.atomic():
        number = number_next(unit, day.year)
        issue = Issue(unit=unit, number=number, day=day, user=actor)
        content = plan_document(issue, figures)
        report = GeneratedReport(
            unit=unit,
            kind=ReportKind.PLAN,
            title=f"Báo cáo kết quả thực hiện Kế hoạch số {plan.number}",
            plan_id=plan.pk,
            status=GeneratedReport.Status.DONE,
            progress=100,
            year=day.year,
            number=number,
            symbol=issue.number_line.removeprefix("Số: "),
            issued_on=day,
            requested_by=actor,
            finished_at=timezone.now(),
            file_name=f"bao-cao-ke-hoach-{plan.pk}-{number:02d}.docx",
        )
        report.save()
        report.file.save(f"{report.pk}-{report.file_name}", ContentFile(content), save=True)
        audit_record(
            actor=actor,
            action="report.issue",
            unit=unit.code,
            data={"report": report.pk, "symbol": report.symbol, "plan": plan.pk},
        )
    return report, content


def report_pdf(*, actor: Any, report: GeneratedReport) -> bytes:
    """The report as PDF/A signed by its unit: made from its .docx on the first request and
    kept, so that every later request gets the same signed file. Two first requests at once
    both sign; the first to record its file wins and the other serves it."""
    if report.pdf:
        with report.pdf.open("rb") as handle:
            return handle.read()
    from signing.services import docx_sign

    with report.file.open("rb") as handle:
        docx = handle.read()
    signed = docx_sign(
        unit=report.unit, docx=docx, file_name=report.file_name, reason=report.symbol
    )
    storage = report.pdf.storage
    name = storage.save(
        f"reports/{report.pk}-{report.file_name.removesuffix('.docx')}.pdf",
        ContentFile(signed.content),
    )
    with transaction.atomic():
        claimed = GeneratedReport.objects.filter(pk=report.pk, pdf="").update(
            pdf=name, signed_at=signed.signed_at
        )
        if claimed:
            audit_record(
                actor=actor,
                action="report.sign" if signed.signed_at else "report.pdf",
                unit=report.unit.code,
                data={"report": report.pk, "symbol": report.symbol},
            )
    if not claimed:
        storage.delete(name)
        report.refresh_from_db(fields=["pdf", "signed_at"])
        with report.pdf.open("rb") as handle:
            return handle.read()
    report.pdf.name, report.signed_at = name, signed.signed_at
    return signed.content
