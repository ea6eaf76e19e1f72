"""The administrators' pages of the outbox: each channel's state and dead letters (with
requeue and discard, both audited), and what was sent and when."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from common.errors import DomainError, Forbidden, Invalid, NotFound
from outbox import selectors
from outbox.channels import get_channel
from outbox.services import channel_requeue_dead, message_discard, message_requeue


def _admin_only(request: HttpRequest) -> HttpResponse | None:
    try:
        selectors.require_outbox_admin(request.user)
    except Forbidden as exc:
        return HttpResponse(exc.message, status=403)
    return None


def _channel(request: HttpRequest) -> str | None:
    name = request.GET.get("channel") or None
    if name:
        try:
            get_channel(name)
        except LookupError:
            raise Http404 from None
    return name


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if (refused := _admin_only(request)) is not None:
        return refused
    channel = _channel(request)
    context = {
        "summary": selectors.outbox_summary(),
        "dead": selectors.dead_letters(channel)[:200],
        "waiting": selectors.waiting_messages(channel)[:50],
        "channel": channel,
    }
    return render(request, "outbox/index.html", context)


@login_required
def sent(request: HttpRequest) -> HttpResponse:
    if (refused := _admin_only(request)) is not None:
        return refused
    channel = _channel(request)
    page = Paginator(selectors.sent_messages(channel), 100).get_page(request.GET.get("page"))
    context = {"page": page, "channel": channel, "keep_days": settings.OUTBOX_KEEP_DAYS}
    return render(request, "outbox/sent.html", context)


def _done(request: HttpRequest, error: DomainError | None, text: str) -> HttpResponse:
    if error is None:
        messages.success(request, text)
    else:
        messages.error(request, error.message)
    return redirect("outbox:index")


@login_required
@require_POST
def requeue(request: HttpRequest, message_id: int) -> HttpResponse:
    if (refused := _admin_only(request)) is not None:
        return refused
    try:
        message = message_requeue(actor=request.user, message_id=message_id)
    except NotFound:
        raise Http404 from None
    except Invalid as exc:
        return _done(request, exc, "")
    return _done(request, None, _("Message %(key)s will be sent again now.") % {"key": message.key})


@login_required
@require_POST
def requeue_channel(request: HttpRequest, channel: str) -> HttpResponse:
    if (refused := _admin_only(request)) is not None:
        return refused
    try:
        count = channel_requeue_dead(actor=request.user, channel=channel)
    except LookupError:
        raise Http404 from None
    return _done(request, None, _("%(n)s messages will be sent again now.") % {"n": count})


@login_required
@require_POST
def discard(request: HttpRequest, message_id: int) -> HttpResponse:
    if (refused := _admin_only(request)) is not None:
        return refused
    try:
        message = message_discard(
            actor=request.user, message_id=message_id, reason=request.POST.get("reason", "")
        )
    except NotFound:
        raise Http404 from None
    except Invalid as exc:
        return _done(request, exc, "")
    return _done(request, None, _("Message %(key)s was discarded.") % {"key": message.key})
