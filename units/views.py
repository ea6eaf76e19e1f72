"""The page of closed units that still own open matters, with one step to hand them over."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from common.errors import DomainError
from matters.services import matters_hand_to_successor, open_matters_of_closed
from units.selectors import closed_units_for_user

LEGAL_BASIS = "Nghị quyết số 202/2025/QH15; Luật Tổ chức chính quyền địa phương số 72/2025/QH15"


@login_required
def closed_units(request: HttpRequest) -> HttpResponse:
    pairs = closed_units_for_user(request.user)
    if request.method == "POST":
        unit = next((u for u, _t in pairs if u.code == request.POST.get("unit")), None)
        if unit is None:
            return HttpResponse(_("Not a closed unit whose matters pass to your unit."), status=404)
        try:
            target, moved = matters_hand_to_successor(
                actor=request.user,
                unit=unit,
                legal_basis=request.POST.get("legal_basis", ""),
                reason=request.POST.get("reason", ""),
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(n)s matters of %(old)s were handed over to %(new)s.")
                % {"n": len(moved), "old": unit.name, "new": target.name},
            )
        return redirect("units:closed")
    rows = []
    for unit, target in pairs:
        qs = open_matters_of_closed(unit)
        matters = list(qs.select_related("area")[:200])
        rows.append({"unit": unit, "target": target, "matters": matters, "count": qs.count()})
    return render(request, "units/closed.html", {"rows": rows, "legal_basis": LEGAL_BASIS})
