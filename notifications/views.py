"""An official's notifications: the list (the bell in the top bar leads here), opening one
(marks it read and goes to its matter), marking all read, and the e-mail setting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from common.errors import Invalid
from notifications import services
from notifications.forms import PreferenceForm
from notifications.selectors import notifications_for, unread_count
from notifications.services import email_choice


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread = request.GET.get("show") == "unread"
    page = Paginator(notifications_for(request.user, unread=unread), 30).get_page(
        request.GET.get("page")
    )
    context = {"page": page, "unread": unread, "n_unread": unread_count(request.user)}
    return render(request, "notifications/list.html", context)


@login_required
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go where it points (the list if it points nowhere on this site)."""
    found = services.notification_open(user=request.user, notification_id=notification_id)
    target = found.url if found is not None else ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    n = services.notifications_mark_all_read(user=request.user)
    messages.success(request, _("%(n)s notifications marked read.") % {"n": n})
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preference(request: HttpRequest) -> HttpResponse:
    form = PreferenceForm(request.POST or None, initial={"email": email_choice(request.user)})
    if request.method == "POST" and form.is_valid():
        try:
            services.preference_set(actor=request.user, email=form.cleaned_data["email"])
        except Invalid as exc:
            form.add_error("email", exc.errors.get("email", exc.message))
        else:
            messages.success(request, _("Your choice is saved."))
            return redirect("notifications:settings")
    context = {"form": form, "has_email": bool(request.user.email)}  # type: ignore[union-attr]
    return render(
        request, "notifications/settings.html", context, status=422 if form.errors else 200
    )
