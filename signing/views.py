"""The "Check a digital signature" box of a matter's page (petition, task, case): an
official uploads a PDF signed elsewhere (a USB token of the Government Cipher Committee) or
by dutdiem and sees the verdict. The upload is read, checked and dropped: nothing is kept."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matters.selectors import get_matter_for_user
from signing.verify import Verdict, check_pdf


@login_required
@require_POST
def check(request: HttpRequest, code: str) -> HttpResponse:
    matter = get_matter_for_user(request.user, code)
    upload = request.FILES.get("file")
    verdict, status = _verdict(upload)
    context = {
        "matter": matter,
        "verdict": verdict,
        "signed_at": _moment(verdict),
        "back": _page_of(matter),
    }
    template = "signing/_verdict.html" if request.htmx else "signing/check.html"  # type: ignore[attr-defined]
    return render(request, template, context, status=status)


def _verdict(upload: Any) -> tuple[Verdict, int]:
    if upload is None:
        return Verdict(False, None, None, False, _("Choose a PDF file to check."), "no_file"), 422
    if upload.size > settings.UPLOAD_MAX_BYTES:
        limit = settings.UPLOAD_MAX_BYTES // (1024 * 1024)
        reason = _("The file is larger than %(limit)s MB.") % {"limit": limit}
        return Verdict(False, None, None, False, reason, "too_large"), 413
    data = upload.read()
    if not data.startswith(b"%PDF-"):
        reason = _("The file is not a PDF.")
        return Verdict(False, None, None, False, reason, "not_pdf"), 422
    return check_pdf(data), 200


def _page_of(matter: Any) -> str:
    names = {"petition": "petitions:detail", "task": "plans:task", "case": "cases:detail"}
    name = names.get(matter.kind)
    return reverse(name, args=[matter.code]) if name else "/"


def _moment(verdict: Verdict) -> datetime | None:
    return datetime.fromisoformat(verdict.signed_at) if verdict.signed_at else None
