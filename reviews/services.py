"""Every write of project reviews and consultations (Decree 96/2026; LAW-REVIEWS-PRESS.md A).

Each service is atomic, checks who acts, records its audit event in the same transaction and
raises ``common.errors`` exceptions: Forbidden (403), Conflict (409), Invalid (422, naming
every bad field at once). A refused call changes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import Area
from areas.services import area_for_matter
from audit.services import audit_record
from common.clock import today as clock_today
from common.errors import Conflict, Forbidden, Invalid
from common.text import text_field as _text
from matters.models import Category, Matter, Participant
from matters.records import audit_matter as _audit
from matters.records import save_changes
from matters.rules import recompute_due
from matters.selectors import require_can_act
from matters.services import matter_close, matter_new, matter_touch
from notifications.services import notify, recipients_of_unit
from reviews import rules
from reviews.models import (
    Consultation,
    ConsultationStatus,
    Flag,
    Opinion,
    Procedure,
    Review,
    Stage,
)
from units.models import Unit

CATEGORY = "investment"
OPEN_STAGES = (Stage.CHECKING, Stage.CORRECTING, Stage.APPRAISING, Stage.REPORTED)
# Units that register investment dossiers: the Department of Finance or a zone board.
REGISTRAR_KINDS = (Unit.Kind.DEPARTMENT,)
MANDATORY_KINDS = (Unit.Kind.MILITARY, Unit.Kind.POLICE)


# -- helpers -----------------------------------------------------------------------------------
def _day(
    errors: dict[str, str],
    name: str,
    value: date | None,
    *,
    today: date,
    not_before: tuple[str, date | None] | None = None,
) -> None:
    if value is None:
        return
    if value > today:
        errors[name] = _("%(date)s is in the future") % {"date": f"{value:%d/%m/%Y}"}
    elif not_before and not_before[1] is not None and value < not_before[1]:
        errors[name] = _("must not be before %(what)s (%(date)s)") % {
            "what": not_before[0],
            "date": f"{not_before[1]:%d/%m/%Y}",
        }


def _decimal(errors: dict[str, str], name: str, value: Any, lo: float, hi: float) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[name] = _("must be a number")
        return None
    if not number.is_finite() or not lo <= number <= hi:
        errors[name] = _("must be between %(low)s and %(high)s") % {
            "low": f"{lo:g}",
            "high": f"{hi:g}",
        }
        return None
    return number


def _one_day(name: str, value: date, *, not_before: tuple[str, date | None]) -> date:
    """Today, once the one day a step is given (field ``name``) is neither in the future nor
    before ``not_before``; Invalid naming ``name`` otherwise."""
    today = clock_today()
    errors: dict[str, str] = {}
    _day(errors, name, value, today=today, not_before=not_before)
    if errors:
        raise Invalid(errors)
    return today


def _day_text(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def _require_open(review: Review) -> None:
    if review.matter.status not in OPEN_STAGES:
        raise Conflict(_("%(code)s is already decided") % {"code": review.matter.code})


def _open_review(actor: Any, review: Review) -> Matter:
    """The review's matter, once the actor may act on it and it is not decided yet."""
    matter = review.matter
    require_can_act(actor, matter)
    _require_open(review)
    return matter


def _save_step(review: Review, today: date, status: str | None = None, **changes: Any) -> None:
    """Store a step's ``changes`` on the review (and the matter's new ``status``), then set
    the clocks again."""
    save_changes(review, **changes)
    if status is not None:
        review.matter.status = status
        review.matter.save(update_fields=["status"])
    _refresh_clocks(review, today)


def mandatory_missing(review: Review) -> list[str]:
    """Kinds of unit that must be consulted on this review but are not yet: the provincial
    military command and police, for a site in a sensitive area or a foreign capital
    contribution (Decree 96/2026 Art 35(7)(b), 76(5))."""
    if not (review.sensitive or review.procedure == Procedure.FOREIGN_CAPITAL):
        return []
    consulted = set(review.consultations.values_list("unit__kind", flat=True))
    return [kind for kind in MANDATORY_KINDS if kind not in consulted]


def is_deemed(consultation: Consultation, today: date) -> bool:
    """Silence past the due day is consent from the next day on (Decree 96/2026 Art 6(6)(b))."""
    matter = consultation.matter
    if matter.status == ConsultationStatus.DEEMED_CONSENT:
        return True
    return (
        matter.status == ConsultationStatus.AWAITING
        and matter.due_on is not None
        and today > matter.due_on
    )


def _refresh_clocks(review: Review, today: date) -> None:
    """Store the review's due dates and point the matter's clock at the current step."""
    last_sent = max(review.consultations.values_list("sent_on", flat=True), default=None)
    ongoing = review.corrections_requested_on is not None and review.corrections_received_on is None
    # While the investor corrects, the matter's due date waits for the end of the pause.
    as_of = review.corrections_requested_on if ongoing else today
    clocks = {c.step: c for c in rules.review_clocks(review, as_of, last_sent)}  # type: ignore[arg-type]
    review.send_due_on = clocks[rules.SEND].due_on
    review.report_due_on = clocks[rules.REPORT].due_on if rules.REPORT in clocks else None
    review.decision_due_on = clocks[rules.DECIDE].due_on
    review.save(update_fields=["send_due_on", "report_due_on", "decision_due_on"])
    matter = review.matter
    current = None
    if review.valid_on is not None and review.decided_on is None:
        if rules.has_report(review.procedure) and review.report_sent_on is None:
            current = clocks[rules.REPORT]
        else:
            current = clocks[rules.DECIDE]
    if current is not None and not current.projected:
        matter.rule = current.rule
        matter.clock_start = current.start
        matter.suspended_days = current.paused_days
        matter.due_on = current.due_on
        recompute_due(matter)
    elif review.valid_on is None:
        matter.rule, matter.clock_start, matter.due_on = None, None, None
    matter.suspended_on = review.corrections_requested_on if ongoing else None
    matter.save(update_fields=["rule", "clock_start", "suspended_days", "suspended_on", "due_on"])


# -- the dossier -------------------------------------------------------------------------------
@transaction.atomic
def review_register(
    *,
    actor: Any,
    project: str,
    investor: str,
    area: str,
    received_on: date,
    nationality: str = "",
    foreign_share: Any = None,
    procedure: str = Procedure.PROVINCE,
    flags: list[str] | None = None,
    flag_documents: dict[str, str] | None = None,
    land_type: str = "",
    land_area_m2: Any = None,
    lease_years: int | None = None,
    valid_on: date | None = None,
    latitude: float | None = None,
    longitude: float | None = None,
) -> Review:
    """Register a project dossier received by the caller's unit, which owns the review."""
    unit = _registrar_unit(actor)
    today = clock_today()
    errors: dict[str, str] = {}
    fields: dict[str, Any] = {
        "project": _text(errors, "project", project, required=True, limit=300),
        "investor": _text(errors, "investor", investor, required=True, limit=300),
        "nationality": _text(errors, "nationality", nationality, required=False, limit=100),
        "land_type": _text(errors, "land_type", land_type, required=False, limit=200),
        "foreign_share": _decimal(errors, "foreign_share", foreign_share, 0, 100),
        "land_area_m2": _decimal(errors, "land_area_m2", land_area_m2, 0, 10**11),
    }
    if fields["land_area_m2"] is not None and fields["land_area_m2"] <= 0:
        errors["land_area_m2"] = _("must be more than 0")
    if lease_years is not None and not 1 <= lease_years <= 99:
        errors["lease_years"] = _("must be between 1 and 99")
    if procedure not in Procedure.values:
        errors["procedure"] = _("must be one of %(values)s") % {
            "values": ", ".join(Procedure.values)
        }
    fields.update(_check_flags(errors, flags, flag_documents))
    _check_coordinates(errors, latitude, longitude)
    _day(errors, "received_on", received_on, today=today)
    _day(errors, "valid_on", valid_on, today=today, not_before=("received_on", received_on))
    area_obj = _site_area(errors, area, received_on)
    if errors:
        raise Invalid(errors)
    assert area_obj is not None
    matter = matter_new(
        kind=Matter.Kind.REVIEW,
        title=fields["project"],
        area=area_obj,
        category=Category.objects.get(code=CATEGORY),
        owner=unit,
        opened_on=received_on,
        status=Stage.APPRAISING if valid_on else Stage.CHECKING,
        handler=actor,
    )
    fields.update(lease_years=lease_years, latitude=latitude, longitude=longitude)
    fields.update(procedure=procedure, received_on=received_on, valid_on=valid_on)
    review = Review.objects.create(matter=matter, law=rules.law_for(received_on), **fields)
    _refresh_clocks(review, today)
    _audit_registered(actor, review)
    return review


def _registrar_unit(actor: Any) -> Any:
    """The caller's unit, if it registers project dossiers (Forbidden otherwise)."""
    unit = actor.unit if actor.unit_id else None
    if unit is None or not actor.can_act:
        raise Forbidden(_("only officials of a registration agency register project dossiers"))
    if unit.kind not in REGISTRAR_KINDS:
        raise Forbidden(
            _("project dossiers are registered by the Department of Finance or a zone board")
        )
    return unit


def _site_area(errors: dict[str, str], area: str, received_on: date) -> Area | None:
    """The area of the site as it was on the day the dossier came (None, with the error)."""
    try:
        return area_for_matter(
            area or "", on=received_on if isinstance(received_on, date) else None
        )
    except Invalid as exc:
        errors.update(exc.errors)
        return None


def _check_flags(
    errors: dict[str, str], flags: list[str] | None, flag_documents: dict[str, str] | None
) -> dict[str, Any]:
    """The flags (known, none repeated) and the document named for each flagged one, as the
    review stores them."""
    flag_list = list(flags or [])
    bad = [f for f in flag_list if f not in Flag.values]
    if bad:
        errors["flags"] = _("unknown flag %(flags)s; use %(values)s") % {
            "flags": ", ".join(map(str, bad)),
            "values": ", ".join(Flag.values),
        }
    elif len(set(flag_list)) != len(flag_list):
        errors["flags"] = _("a flag is repeated")
    documents: dict[str, str] = {}
    for flag, document in (flag_documents or {}).items():
        if flag not in flag_list:
            errors["flag_documents"] = _("%(flag)s is not among the flags") % {"flag": flag}
            break
        documents[flag] = _text(errors, "flag_documents", document, required=True, limit=300)
    return {"flags": flag_list, "flag_documents": documents}


def _check_coordinates(
    errors: dict[str, str], latitude: float | None, longitude: float | None
) -> None:
    """Both coordinates or none, each within its range."""
    if (latitude is None) != (longitude is None):
        errors["latitude" if latitude is None else "longitude"] = _("give both coordinates or none")
    if latitude is not None and not -90 <= latitude <= 90:
        errors["latitude"] = _("must be between -90 and 90")
    if longitude is not None and not -180 <= longitude <= 180:
        errors["longitude"] = _("must be between -180 and 180")


def _audit_registered(actor: Any, review: Review) -> None:
    _audit(
        actor,
        review.matter,
        "review.register",
        {
            "procedure": review.procedure,
            "law": review.law,
            "flags": review.flags,
            "received_on": review.received_on,
            "valid_on": review.valid_on,
        },
    )


@transaction.atomic
def review_request_corrections(
    *, actor: Any, review: Review, requested_on: date, note: str, version: int | None = None
) -> Review:
    """The one written request for corrections (Decree 96/2026 Art 6(1)(d)); the clocks stop
    until the corrections arrive (Art 6(1)(e))."""
    matter = _open_review(actor, review)
    today = clock_today()
    errors: dict[str, str] = {}
    if review.corrections_requested_on is not None:
        raise Invalid(
            {
                "requested_on": _(
                    "corrections may be requested only once, in writing "
                    "(Decree 96/2026 Art 6(1)(d)); they were requested on %(date)s"
                )
                % {"date": f"{review.corrections_requested_on:%d/%m/%Y}"}
            }
        )
    note = _text(errors, "note", note, required=True, limit=4000)
    _day(
        errors,
        "requested_on",
        requested_on,
        today=today,
        not_before=(
            "valid_on" if review.valid_on else "received_on",
            review.valid_on or review.received_on,
        ),
    )
    if errors:
        raise Invalid(errors)
    matter_touch(matter, version)
    _save_step(
        review,
        today,
        Stage.CORRECTING,
        corrections_requested_on=requested_on,
        corrections_note=note,
    )
    _audit(actor, matter, "review.corrections_requested", {"requested_on": requested_on})
    return review


@transaction.atomic
def review_corrections_received(
    *, actor: Any, review: Review, received_on: date, version: int | None = None
) -> Review:
    """The investor's corrections arrived: the clocks go on, later by the days they took."""
    matter = review.matter
    require_can_act(actor, matter)
    if matter.status != Stage.CORRECTING:
        raise Conflict(_("%(code)s is not waiting for corrections") % {"code": matter.code})
    today = _one_day(
        "received_on", received_on, not_before=(_("the request"), review.corrections_requested_on)
    )
    matter_touch(matter, version)
    if review.valid_on is None:
        status = Stage.CHECKING
    elif review.report_sent_on is not None:
        status = Stage.REPORTED
    else:
        status = Stage.APPRAISING
    _save_step(review, today, status, corrections_received_on=received_on)
    _audit(actor, matter, "review.corrections_received", {"received_on": received_on})
    return review


@transaction.atomic
def review_mark_valid(
    *, actor: Any, review: Review, valid_on: date, version: int | None = None
) -> Review:
    """The dossier is complete and valid: the clocks of the procedure start."""
    matter = _open_review(actor, review)
    if review.valid_on is not None:
        raise Conflict(
            _("%(code)s was found valid on %(date)s")
            % {"code": matter.code, "date": f"{review.valid_on:%d/%m/%Y}"}
        )
    if matter.status == Stage.CORRECTING:
        raise Invalid({"valid_on": _("the corrections requested have not arrived yet")})
    after = review.corrections_received_on or review.received_on
    today = _one_day("valid_on", valid_on, not_before=(_("the dossier's latest receipt"), after))
    matter_touch(matter, version)
    _save_step(review, today, Stage.APPRAISING, valid_on=valid_on)
    _audit(actor, matter, "review.valid", {"valid_on": valid_on})
    return review


# -- consultations -----------------------------------------------------------------------------
@transaction.atomic
def consultation_send(*, actor: Any, review: Review, unit: str, sent_on: date) -> Consultation:
    """Ask ``unit`` for its opinion: a matter of kind consultation owned by that unit, due by
    the reply rule in force on ``sent_on`` (the dossier's law decides, see reviews/rules.py)."""
    matter = _open_review(actor, review)
    today = clock_today()
    errors: dict[str, str] = {}
    target = Unit.objects.filter(code=unit, is_active=True).first() if unit else None
    if target is None:
        errors["unit"] = _("no unit with code %(code)s") % {"code": unit} if unit else _("required")
    elif target.id == matter.owner_id:
        errors["unit"] = _("the registration agency does not consult itself")
    if review.valid_on is None:
        errors["sent_on"] = _("the dossier has not been found valid yet")
    else:
        _day(errors, "sent_on", sent_on, today=today, not_before=("valid_on", review.valid_on))
    if errors:
        raise Invalid(errors)
    assert target is not None
    if review.consultations.filter(unit=target).exists():
        raise Conflict(
            _("%(unit)s has already been consulted on %(code)s")
            % {"unit": target.code, "code": matter.code}
        )
    rule = rules.reply_rule(review, sent_on)
    child = matter_new(
        kind=Matter.Kind.CONSULTATION,
        title=_("Opinion on project %(project)s") % {"project": review.project},
        area=matter.area,
        category=matter.category,
        owner=target,
        opened_on=sent_on,
        status=ConsultationStatus.AWAITING,
    )
    child.rule = rule
    child.clock_start = sent_on
    recompute_due(child)
    child.save(update_fields=["rule", "clock_start", "due_on"])
    # The registration agency follows the consultation; the consulted unit sees only it.
    Participant.objects.create(matter=child, unit=matter.owner, role=Participant.Role.OVERSEEING)
    consultation = Consultation.objects.create(
        matter=child, review=review, unit=target, sent_on=sent_on
    )
    _refresh_clocks(review, today)
    audit_record(
        actor=actor,
        action="consultation.send",
        matter=child.code,
        unit=matter.owner.code,  # the registration agency, who asks
        data={
            "review": matter.code,
            "to": target.code,
            "sent_on": sent_on,
            "due_on": child.due_on,
            "rule": f"{rule.key}/{rule.variant}",
        },
    )
    values = {"code": child.code, "project": review.project[:150], "due": _day_text(child.due_on)}
    notify(
        recipients_of_unit(target, handlers=True),
        kind="consultation.new",
        matter=child.code,
        url=f"/reviews/consultations/{child.code}/",
        text=_("%(code)s: your opinion on project %(project)s is due by %(due)s") % values,
    )
    return consultation


def _deem(consultation: Consultation) -> bool:
    """Record deemed consent on one consultation, claiming it with a conditional UPDATE so
    that two jobs (or a job and an answer) never record it twice."""
    matter = consultation.matter
    assert matter.due_on is not None
    deemed_on = matter.due_on + timedelta(days=1)
    claimed = Matter.objects.filter(pk=matter.pk, status=ConsultationStatus.AWAITING).update(
        status=ConsultationStatus.DEEMED_CONSENT,
        is_open=False,
        closed_on=deemed_on,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if claimed != 1:
        return False
    matter.refresh_from_db()
    consultation.deemed_on = deemed_on
    consultation.save(update_fields=["deemed_on"])
    rule = matter.rule
    data = {
        "review": consultation.review.matter.code,
        "due_on": matter.due_on,
        "deemed_on": deemed_on,
        "rule": f"{rule.key}/{rule.variant}" if rule else "",
        "source": rule.source if rule else "",
    }
    _audit("system", matter, "consultation.deemed_consent", data)
    review_owner = consultation.review.matter.owner
    values = {"code": matter.code, "due": _day_text(matter.due_on), "source": data["source"]}
    notify(
        [*recipients_of_unit(matter.owner), *recipients_of_unit(review_owner, handlers=True)],
        kind="consultation.deemed_consent",
        matter=matter.code,
        dedupe_key=f"deemed:{matter.code}",
        text=_("%(code)s: no answer by %(due)s; deemed consent (%(source)s)") % values,
    )
    return True


def consultations_deem(as_of: date | None = None) -> int:
    """The daily job: record deemed consent on every consultation not answered by its due
    day. Safe to run any number of times, in parallel too. Returns how many it recorded."""
    day = as_of or clock_today()
    ids = list(
        Matter.objects.filter(
            kind=Matter.Kind.CONSULTATION, status=ConsultationStatus.AWAITING, due_on__lt=day
        ).values_list("id", flat=True)
    )
    done = 0
    for matter_id in ids:
        with transaction.atomic():
            consultation = (
                Consultation.objects.select_related(
                    "matter__owner", "matter__rule", "review__matter__owner"
                )
                .filter(matter_id=matter_id)
                .first()
            )
            if consultation is not None and _deem(consultation):
                done += 1
    return done


@transaction.atomic
def consultation_answer(
    *,
    actor: Any,
    consultation: Consultation,
    answered_on: date,
    opinion: str,
    note: str = "",
    documents: list[dict[str, Any]] | None = None,
) -> Consultation:
    """The consulted unit's answer. One dated after the due day comes when consent is already
    deemed: it is kept, marked late, and the deemed consent stands (Decree 96/2026 Art
    6(6)(b)). One dated by the due day is in time, whenever it is entered."""
    matter = consultation.matter
    require_can_act(actor, matter)
    if consultation.answered_on is not None:
        raise Conflict(
            _("%(code)s was answered on %(date)s")
            % {"code": matter.code, "date": f"{consultation.answered_on:%d/%m/%Y}"}
        )
    today = clock_today()
    errors: dict[str, str] = {}
    if opinion not in Opinion.values:
        errors["opinion"] = _("must be one of %(values)s") % {"values": ", ".join(Opinion.values)}
    note = _text(
        errors,
        "note",
        note,
        required=opinion in (Opinion.DISAGREE, Opinion.AGREE_WITH_CONDITIONS),
        limit=4000,
    )
    if "note" in errors and errors["note"] == _("required"):
        errors["note"] = _("required: the reasons or the conditions")
    _day(
        errors,
        "answered_on",
        answered_on,
        today=today,
        not_before=("sent_on", consultation.sent_on),
    )
    docs = _answer_documents(errors, documents)
    if errors:
        raise Invalid(errors)
    # An answer dated after the due day is late: consent was deemed the day after, and stands.
    # One dated in time (a letter sent in time and entered later) is an answer in time, even
    # if the daily job had meanwhile recorded deemed consent; the audit keeps both.
    late = matter.due_on is not None and answered_on > matter.due_on
    replaced_deemed = False
    if late and matter.status == ConsultationStatus.AWAITING:
        _deem(consultation)
        matter.refresh_from_db()
    matter_touch(matter)
    consultation.answered_on = answered_on
    consultation.opinion = opinion
    consultation.note = note
    consultation.documents = docs
    consultation.late = late
    if not late and matter.status == ConsultationStatus.DEEMED_CONSENT:
        replaced_deemed = True
        consultation.deemed_on = None
        matter.status = ConsultationStatus.AWAITING
    consultation.save(
        update_fields=["answered_on", "opinion", "note", "documents", "late", "deemed_on"]
    )
    if matter.status == ConsultationStatus.AWAITING:
        matter_close(matter, status=ConsultationStatus.ANSWERED, closed_on=answered_on)
    _announce_answer(actor, consultation, replaced_deemed)
    return consultation


def _answer_documents(
    errors: dict[str, str], documents: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """The documents of an answer as stored (number required, ISO issue date)."""
    docs: list[dict[str, Any]] = []
    for i, item in enumerate(documents or []):
        number = _text(errors, f"documents.{i}.number", item.get("number"), required=True, limit=60)
        title = _text(errors, f"documents.{i}.title", item.get("title"), required=False, limit=300)
        issued = item.get("issued_on")
        if issued is not None and not isinstance(issued, date):
            errors[f"documents.{i}.issued_on"] = _("must be a date")
        docs.append(
            {
                "number": number,
                "title": title,
                "issued_on": issued.isoformat() if isinstance(issued, date) else None,
            }
        )
    return docs


def _announce_answer(actor: Any, consultation: Consultation, replaced_deemed: bool) -> None:
    """The audit event of an answer just saved, and the notice to the review's handlers."""
    matter = consultation.matter
    answered_on, opinion, late = consultation.answered_on, consultation.opinion, consultation.late
    review_matter = consultation.review.matter
    _audit(
        actor,
        matter,
        "consultation.answer_late" if late else "consultation.answer",
        {
            "review": review_matter.code,
            "opinion": opinion,
            "answered_on": answered_on,
            "late": late,
            "status": matter.status,
            "replaced_deemed_consent": replaced_deemed,
        },
    )
    notify(
        recipients_of_unit(review_matter.owner, handlers=True),
        kind="consultation.answer",
        matter=review_matter.code,
        url=f"/reviews/{review_matter.code}/",
        text=_("%(code)s: %(unit)s answered (%(opinion)s)")
        % {"code": matter.code, "unit": matter.owner.name, "opinion": Opinion(opinion).label},
    )


# -- report and decision -----------------------------------------------------------------------
def _check_consultations(review: Review, on: date, errors: dict[str, str]) -> None:
    missing = mandatory_missing(review)
    if missing:
        names: dict[str, str] = {
            Unit.Kind.MILITARY: _("the provincial military command"),
            Unit.Kind.POLICE: _("the provincial police"),
        }
        errors["consultations"] = _(
            "%(units)s must be consulted first (Decree 96/2026 Art 35(7)(b))"
        ) % {"units": ", ".join(names[k] for k in missing)}
        return
    waiting = [
        c.unit.code
        for c in review.consultations.select_related("matter", "unit")
        if c.matter.status == ConsultationStatus.AWAITING
        and (c.matter.due_on is None or c.matter.due_on >= on)
    ]
    if waiting:
        errors["consultations"] = _("answers still awaited in time from %(units)s") % {
            "units": ", ".join(waiting)
        }


@transaction.atomic
def review_report(
    *, actor: Any, review: Review, sent_on: date, note: str = "", version: int | None = None
) -> Review:
    """The appraisal report goes to the decision maker; the decision clock starts."""
    matter = _open_review(actor, review)
    if not rules.has_report(review.procedure):
        raise Invalid({"sent_on": _("this procedure has no appraisal report")})
    if review.report_sent_on is not None:
        raise Conflict(
            _("the report on %(code)s was sent on %(date)s")
            % {"code": matter.code, "date": f"{review.report_sent_on:%d/%m/%Y}"}
        )
    if matter.status == Stage.CORRECTING:
        raise Invalid({"sent_on": _("the corrections requested have not arrived yet")})
    today = clock_today()
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, required=False, limit=4000)
    if review.valid_on is None:
        errors["sent_on"] = _("the dossier has not been found valid yet")
    else:
        _day(errors, "sent_on", sent_on, today=today, not_before=("valid_on", review.valid_on))
        _check_consultations(review, sent_on, errors)
    if errors:
        raise Invalid(errors)
    matter_touch(matter, version)
    consultations_deem_for(review, today)
    _save_step(review, today, Stage.REPORTED, report_sent_on=sent_on, report_note=note)
    _audit(actor, matter, "review.report", {"sent_on": sent_on, "decision_due_on": matter.due_on})
    return review


def consultations_deem_for(review: Review, today: date) -> None:
    for consultation in review.consultations.select_related("matter__owner", "matter__rule"):
        if consultation.matter.status == ConsultationStatus.AWAITING and is_deemed(
            consultation, today
        ):
            _deem(consultation)


@transaction.atomic
def review_decide(
    *,
    actor: Any,
    review: Review,
    decided_on: date,
    decision: str,
    decision_no: str = "",
    reasons: str = "",
    version: int | None = None,
) -> Review:
    """Approval, or refusal in writing with reasons (Decree 96/2026 Art 6(1)(g), 6(2))."""
    matter = _open_review(actor, review)
    if matter.status == Stage.CORRECTING:
        raise Invalid({"decided_on": _("the corrections requested have not arrived yet")})
    today = clock_today()
    errors: dict[str, str] = {}
    if decision not in (Stage.APPROVED, Stage.REFUSED):
        errors["decision"] = _("must be approved or refused")
    decision_no = _text(errors, "decision_no", decision_no, required=True, limit=60)
    reasons = _text(errors, "reasons", reasons, required=decision == Stage.REFUSED, limit=4000)
    if errors.get("reasons") == _("required"):
        errors["reasons"] = _("required: a refusal states its reasons in writing")
    if review.valid_on is None:
        errors["decided_on"] = _("the dossier has not been found valid yet")
    elif rules.has_report(review.procedure):
        if review.report_sent_on is None:
            errors["decided_on"] = _("the appraisal report has not been sent yet")
        else:
            _day(
                errors,
                "decided_on",
                decided_on,
                today=today,
                not_before=(_("the report"), review.report_sent_on),
            )
    else:
        _day(
            errors, "decided_on", decided_on, today=today, not_before=("valid_on", review.valid_on)
        )
        _check_consultations(review, decided_on, errors)
    if errors:
        raise Invalid(errors)
    matter_touch(matter, version)
    consultations_deem_for(review, today)
    _save_step(
        review, today, decided_on=decided_on, decision_no=decision_no, decision_reasons=reasons
    )
    matter_close(matter, status=decision, closed_on=decided_on, outcome=reasons or decision_no)
    _audit(
        actor, matter, f"review.{decision}", {"decided_on": decided_on, "decision_no": decision_no}
    )
    return review
