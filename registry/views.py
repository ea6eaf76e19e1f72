"""Pages of the register: the panels a petition page includes (sealed identity, duplicate
group, receipt), the printable receipt, the public tracking page, the register upload
with its progress, the template, and the export form."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import DomainError, Forbidden, NotFound
from matters.models import Matter
from matters.selectors import user_can_act
from petitions.models import Petition
from petitions.selectors import get_petition_for_user
from registry import register as reg
from registry.forms import ExportForm, LinkForm, RevealForm, TrackForm, UploadForm
from registry.services import duplicates as dup
from registry.services.tracking import (
    TooManyLookups,
    client_address,
    public_status,
    receipt_pin_hash,
    receipt_reissue,
)
from registry.services.uploads import (
    batches_for_user,
    get_batch_for_user,
    import_unit_choices,
    upload_accept,
)
from registry.workbooks import template_workbook
from vault.selectors import can_reveal
from vault.services import VaultUnavailable, attachment_refs, identity_reveal, identity_status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _petition(request: HttpRequest, code: str) -> Petition:
    return get_petition_for_user(request.user, code)


# --- panels of the petition page -----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def identity_panel(request: HttpRequest, code: str) -> HttpResponse:
    """Who sent the petition: sealed, unavailable, or (after a reason is given, audited)
    the petitioners. Only the handler and the owner unit's head see the reveal form."""
    petition = _petition(request, code)
    matter = petition.matter
    allowed = can_reveal(request.user, matter)
    form = RevealForm(request.POST or None)
    context: dict[str, Any] = {"petition": petition, "allowed": allowed, "form": form}
    if request.method == "POST":
        if not allowed:
            return HttpResponse(
                _("Only the handler and the head of the owner unit may see who sent it."),
                status=403,
            )
        if form.is_valid():
            try:
                context["petitioners"] = identity_reveal(
                    actor=request.user,
                    petition_code=matter.code,
                    reason=form.cleaned_data["reason"],
                )
            except VaultUnavailable:
                context["unavailable"] = True
            except DomainError as exc:
                form.add_error("reason", exc.message)
    if petition.sealed:
        context["status"] = identity_status(matter.code, petition.vault_ref or None)
        refs = attachment_refs(matter.code)
        context["files"] = refs or []
        context["files_unavailable"] = refs is None
    return render(request, "registry/_identity_panel.html", context)


@login_required
@require_http_methods(["GET"])
def sealed_file(request: HttpRequest, code: str, ref: str) -> HttpResponse:
    """A sealed file, opened with a reason (the form of the identity panel sends it)."""
    from vault.services import attachment_reveal

    reason = (request.GET.get("reason") or "").strip()
    try:
        _name, content_type, data = attachment_reveal(
            actor=request.user, petition_code=code, ref=ref, reason=reason
        )
    except NotFound:
        raise Http404 from None
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    except DomainError as exc:
        return HttpResponse(exc.message, status=exc.status)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{ref}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET"])
def duplicates_panel(request: HttpRequest, code: str) -> HttpResponse:
    """Petitions that look the same, and the duplicate group with the link form."""
    petition = _petition(request, code)
    return render(
        request, "registry/_duplicates_panel.html", _duplicates_context(request, petition)
    )


def _duplicates_context(
    request: HttpRequest, petition: Petition, form: LinkForm | None = None
) -> dict[str, Any]:
    matter = petition.matter
    group = dup.duplicate_group(request.user, matter)
    found = dup.find_duplicates(petition, user=request.user)
    in_group = {row["code"] for row in group}
    return {
        "petition": petition,
        "group": group,
        "found": [c for c in found if c not in in_group],
        "can_act": user_can_act(request.user, matter),
        "linked": dup.group_root(matter.id) != matter.id,
        "form": form or LinkForm(),
    }


@login_required
@require_POST
def duplicates_link(request: HttpRequest, code: str) -> HttpResponse:
    petition = _petition(request, code)
    form = LinkForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            if form.cleaned_data["unlink"]:
                dup.duplicate_unlink(actor=request.user, code=code)
            else:
                dup.duplicate_link(
                    actor=request.user,
                    code=code,
                    original=form.cleaned_data["original"],
                    note=form.cleaned_data["note"],
                )
            form = LinkForm()
        except Forbidden as exc:
            return HttpResponse(exc.message, status=403)
        except DomainError as exc:
            for field, message in getattr(exc, "errors", {"__all__": exc.message}).items():
                form.add_error("original" if field in ("original", "code") else None, message)
            status = 422
    else:
        status = 422
    context = _duplicates_context(request, petition, form)
    return render(request, "registry/_duplicates_panel.html", context, status=status)


# --- receipts and public tracking -----------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The printable receipt: receipt code, PIN, where to follow the petition. The PIN is
    printed when it is given (just after intake) or newly issued here (the old one stops
    working); it is never stored in clear."""
    petition = _petition(request, code)
    matter = petition.matter
    can_act = user_can_act(request.user, matter)
    pin = ""
    error = ""
    if request.method == "POST":
        if not can_act:
            return HttpResponse(_("Only the owner unit prints receipts."), status=403)
        if request.POST.get("reissue"):
            petition, pin = receipt_reissue(actor=request.user, code=matter.code)
        else:
            given = (request.POST.get("pin") or "").strip()
            if (
                petition.receipt_pin_hash
                and given
                and receipt_pin_hash(matter.code, given) == petition.receipt_pin_hash
            ):
                pin = given
            else:
                error = _("That is not this petition's PIN. Issue a new one to print the receipt.")
    context = {
        "petition": petition,
        "matter": matter,
        "pin": pin,
        "error": error,
        "can_act": can_act,
        "track_url": request.build_absolute_uri(reverse("registry:track")),
    }
    return render(request, "registry/receipt.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """The public page (no login): a receipt code and PIN give the status, the owner unit,
    the due date and the state; nothing personal."""
    form = TrackForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    context: dict[str, Any] = {"form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            found = public_status(
                code=form.cleaned_data["code"],
                pin=form.cleaned_data["pin"],
                address=client_address(request),
            )
            context["found"] = found
            context["status_label"] = dict(_status_labels()).get(found.status, found.status)
            context["state_label"] = dict(Matter.State.choices).get(found.state, found.state)
            context["history"] = _history_rows(found.history)
        except TooManyLookups as exc:
            context["error"] = _(
                "Too many lookups from your connection. Try again in %(minutes)s minutes."
            ) % {"minutes": exc.minutes}
            context["retry_after"] = exc.retry_after
            status = 429
        except NotFound:
            context["error"] = _(
                "No petition matches this receipt code and PIN. Check both and try again."
            )
            status = 404
    response = render(request, "registry/track.html", context, status=status)
    if status == 429:
        response["Retry-After"] = str(context["retry_after"])
    return response


def _history_rows(steps: list[Any]) -> list[dict[str, Any]]:
    from citizens.services import status_label

    return [{"on": s.on, "label": status_label(s.status), "unit": s.unit} for s in steps]


def _status_labels() -> list[tuple[str, Any]]:
    from petitions.models import Status

    return list(Status.choices)


# --- the register: upload, progress, template, export --------------------------------------------


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The register in Excel: import, the template, export, the imports so far."""
    context = {
        "can_import": bool(import_unit_choices(request.user)),
        "batches": batches_for_user(request.user)[:20],
    }
    return render(request, "registry/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    units = import_unit_choices(request.user)
    form = UploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = upload_accept(
                actor=request.user,
                unit_code=form.cleaned_data["unit"],
                name=upload.name,
                data=upload.read(),
                valid_only=form.cleaned_data["valid_only"],
            )
            return redirect("registry:import_status", batch.pk)
        except NotFound:
            form.add_error("unit", _("No such unit."))
        except DomainError as exc:
            for field, message in getattr(exc, "errors", {"__all__": exc.message}).items():
                form.add_error(field if field in form.fields else None, message)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "units": units, "columns": reg.COLUMNS}
    return render(request, "registry/import.html", context, status=status)


@login_required
def import_status(request: HttpRequest, batch_id: int) -> HttpResponse:
    batch = get_batch_for_user(request.user, batch_id)
    template = "registry/_import_progress.html" if request.htmx else "registry/import_status.html"  # type: ignore[attr-defined]
    return render(request, template, {"batch": batch})


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mau-so-theo-doi-don.xlsx"'
    return response


@login_required
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.GET or None, user=request.user)
    if request.GET and form.is_valid():
        query = {
            k: v
            for k, v in (
                ("from", form.cleaned_data["start"]),
                ("to", form.cleaned_data["end"]),
                ("unit", form.cleaned_data["unit"]),
            )
            if v
        }
        from urllib.parse import urlencode

        book = form.cleaned_data.get("book") or "petitions"
        path = "petitions.xlsx" if book == "petitions" else f"registers/{book}.xlsx"
        return redirect(
            f"/api/v1/reports/{path}?{urlencode({k: str(v) for k, v in query.items()})}"
        )
    return render(request, "registry/export.html", {"form": form})
