from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from alerts.forms import AcknowledgeForm
from alerts.models import Alert, WarningRun
from alerts.selectors import alert_matters, alerts_visible_to, get_alert_for_user
from alerts.services import (
    alert_acknowledge,
    alert_open_case,
    alert_open_task,
    can_start_warning,
    min_count,
    plans_for_alert_task,
    series_with_thresholds,
    warn_start,
)
from common.clock import today
from common.errors import DomainError, Invalid
from matters.models import Matter

# The methods' names for people; their codes stay in the data and the API.
METHOD_LABELS = {
    "farrington-flexible": _("Farrington (flexible)"),
    "ears-c1": _("EARS C1"),
    "ears-c2": _("EARS C2"),
    "ears-c3": _("EARS C3"),
    "stp-scan": _("Space-time scan"),
}

METHOD_HELP = {
    "farrington-flexible": _(
        "Farrington (flexible, Noufaily settings): the count of this week is compared with the "
        "same weeks of earlier years, allowing for trend and season. The threshold is the "
        "count that would be exceeded by chance only 5 times in 100."
    ),
    "ears-c1": _(
        "EARS C1: this week is compared with the mean and spread of the 7 weeks before it."
    ),
    "ears-c2": _(
        "EARS C2: this week is compared with the mean and spread of 7 earlier weeks, leaving a "
        "gap of 2 weeks so that a slowly growing rise is not hidden in its own baseline."
    ),
    "ears-c3": _("EARS C3: sums how far the last weeks rose above the C2 threshold."),
    "stp-scan": _(
        "Space-time scan (Kulldorff's permutation scan): looks for a group of neighbouring "
        "communes where the last weeks hold more matters than their usual share of the "
        "province would give, and tests by simulation whether such a group could arise by "
        "chance (kept only when fewer than 1 in 100 simulations give one as strong)."
    ),
}


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        raise Invalid({"due_on": _("not a date: %(value)s") % {"value": text[:20]}}) from None


def _follow_up_url(code: str) -> str:
    if not code:
        return ""
    kind = Matter.objects.filter(code=code).values_list("kind", flat=True).first()
    return f"/plans/tasks/{code}/" if kind == Matter.Kind.TASK else f"/cases/{code}/"


@login_required
def alert_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    qs = alerts_visible_to(request.user)
    if status in Alert.Status.values:
        qs = qs.filter(status=status)
    context = {
        "alerts": qs.order_by("-week", "area__name")[:500],
        "status": status,
        "statuses": Alert.Status.choices,
        "last_run": WarningRun.objects.first(),
        "can_start": can_start_warning(request.user),
        "min_count": min_count(),
        "today": today(),
    }
    return render(request, "alerts/list.html", context)


@login_required
@require_POST
def run_start(request: HttpRequest) -> HttpResponse:
    """Start the early-warning check now (administrators, leaders); then follow it."""
    if not can_start_warning(request.user):
        return HttpResponse(_("Only administrators and leaders start the check."), status=403)
    try:
        as_of = _parse_day(request.POST.get("as_of", "")) or today()
        if as_of > today():
            raise Invalid({"as_of": _("must not be in the future")})
        run = warn_start(actor=request.user, as_of=as_of)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("alerts:list")
    return redirect("alerts:run_status", run_id=run.id)


@login_required
def run_status(request: HttpRequest, run_id: int) -> HttpResponse:
    """A run's progress: the whole page, or the part htmx polls every second."""
    run = WarningRun.objects.filter(pk=run_id).first()
    if run is None or not can_start_warning(request.user):
        raise Http404
    template = "alerts/_run.html" if request.htmx else "alerts/run.html"  # type: ignore[attr-defined]
    return render(request, template, {"run": run})


@login_required
def alert_detail(request: HttpRequest, alert_id: int) -> HttpResponse:
    alert = get_alert_for_user(request.user, alert_id)
    if request.method == "POST" and request.POST.get("action") == "case":
        try:
            code = alert_open_case(actor=request.user, alert=alert)
        except DomainError as exc:
            if exc.status == 403:
                return HttpResponse(exc.message, status=403)
            messages.error(request, exc.message)
            return redirect("alerts:detail", alert_id=alert.id)
        messages.success(request, _("Case %(code)s opened from this alert.") % {"code": code})
        return redirect("alerts:detail", alert_id=alert.id)
    if request.method == "POST" and request.POST.get("action") == "task":
        try:
            due = request.POST.get("due_on") or ""
            code = alert_open_task(
                actor=request.user,
                alert=alert,
                plan_id=int(request.POST["plan"])
                if request.POST.get("plan", "").isdigit()
                else None,
                due_on=_parse_day(due),
            )
        except DomainError as exc:
            if exc.status == 403:
                return HttpResponse(exc.message, status=403)
            messages.error(request, exc.message)
            return redirect("alerts:detail", alert_id=alert.id)
        messages.success(request, _("Task %(code)s opened from this alert.") % {"code": code})
        return redirect("alerts:detail", alert_id=alert.id)
    form = AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            alert_acknowledge(actor=request.user, alert=alert, note=form.cleaned_data["note"])
            messages.success(request, _("Alert acknowledged."))
            return redirect("alerts:detail", alert_id=alert.id)
        except DomainError as exc:
            if exc.status == 403:
                return HttpResponse(exc.message, status=403)
            form.add_error(None, exc.message)
    can_follow_up = not alert.follow_up and (
        request.user.is_superuser
        or (alert.unit is not None and alert.unit.head_id == request.user.pk)
    )
    can_ack = alert.status == Alert.Status.OPEN and (
        request.user.is_superuser
        or (alert.unit is not None and alert.unit.head_id == request.user.pk)
    )
    context = {
        "alert": alert,
        "series": series_with_thresholds(alert),
        "signals": alert.signal_rows.all(),
        # Each method that signalled, the alert's own first.
        "method_help": [
            METHOD_HELP[m]
            for m in dict.fromkeys(
                [alert.method, *alert.signal_rows.values_list("method", flat=True)]
            )
            if m in METHOD_HELP
        ],
        "form": form,
        "can_ack": can_ack,
        "can_open_case": can_follow_up,
        "plans": list(plans_for_alert_task(alert)[:50]) if can_follow_up else [],
        "task_due": today() + timedelta(days=30),
        "follow_up_url": _follow_up_url(alert.follow_up),
        "matters": alert_matters(request.user, alert),
    }
    return render(request, "alerts/detail.html", context)
