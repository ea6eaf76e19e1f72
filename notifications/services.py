"""Sending in-app notifications (and e-mail to officials who have an address, each one or in
a daily digest as the official chooses); marking them read; recording what an official has
opened."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from audit.services import audit_record
from common.errors import Invalid
from notifications.models import Notification, Preference, Seen
from units.models import Unit

log = logging.getLogger(__name__)


def _send_mail(address: str, text: str, subject: str = "") -> bool:
    """E-mail is a courtesy copy: the notification is stored whatever happens to the mail,
    so a mail server that refuses or is down is logged (without the address) and ignored.
    Returns whether the mail went out."""
    try:
        send_mail(
            f"[dutdiem] {(subject or text)[:80]}", text, settings.DEFAULT_FROM_EMAIL, [address]
        )
    except OSError as exc:  # smtplib.SMTPException and socket errors are OSErrors
        log.warning("notification e-mail not sent: %s", type(exc).__name__)
        return False
    return True


def email_choice(user: Any) -> str:
    """The official's choice of e-mail (each notification by default)."""
    pref = Preference.objects.filter(user_id=user.pk).values_list("email", flat=True).first()
    return pref or Preference.Email.EACH


def recipients_of_unit(unit: Unit, *, head: bool = True, handlers: bool = False) -> list[User]:
    """The head of ``unit`` and, if asked, its handlers and clerks (active officials only)."""
    people: list[User] = []
    if head and unit.head_id:
        head_user = User.objects.filter(pk=unit.head_id, is_active=True).first()
        if head_user:
            people.append(head_user)
    if handlers:
        for user in User.objects.filter(unit=unit, is_active=True):
            if user.has_role("handler", "clerk") and user not in people:
                people.append(user)
    return people


def notify(
    users: Iterable[Any],
    *,
    kind: str,
    text: str,
    matter: str = "",
    url: str = "",
    dedupe_key: str = "",
) -> int:
    """Create one notification per distinct user; with ``dedupe_key`` a user gets it once.
    E-mails go out after the surrounding transaction commits. Returns how many were created."""
    created = 0
    seen: set[int] = set()
    for user in users:
        if user is None or user.pk in seen:
            continue
        seen.add(user.pk)
        if dedupe_key and Notification.objects.filter(user=user, dedupe_key=dedupe_key).exists():
            continue
        Notification.objects.create(
            user=user, kind=kind, text=text, matter=matter, url=url, dedupe_key=dedupe_key
        )
        created += 1
        if user.email and email_choice(user) == Preference.Email.EACH:
            transaction.on_commit(partial(_send_mail, str(user.email), text))
    return created


# --- reading -------------------------------------------------------------------------------------


def notification_open(*, user: Any, notification_id: int) -> Notification | None:
    """Mark one of ``user``'s notifications read and return it (None if it is not theirs)."""
    found = Notification.objects.filter(pk=notification_id, user_id=user.pk).first()
    if found is not None and found.read_at is None:
        found.read_at = timezone.now()
        found.save(update_fields=["read_at"])
    return found


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of ``user`` read; returns how many."""
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def matter_seen(*, user: Any, matter: Any) -> None:
    """``user`` opened ``matter``: it is no longer new to them, and their notifications about
    it are read. Writes only when something changes, so that reading a page does not pin the
    official to the primary database (ops.middleware.ReplicaMiddleware)."""
    if not getattr(user, "is_authenticated", False):
        return
    from matters.models import Handoff

    now = timezone.now()
    arrived = (
        Handoff.objects.filter(matter_id=matter.pk, to_unit_id=matter.owner_id)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    ) or matter.created_at
    last = Seen.objects.filter(user_id=user.pk, matter_id=matter.pk).values_list("at", flat=True)
    if not last or last[0] < arrived:
        Seen.objects.update_or_create(user_id=user.pk, matter_id=matter.pk, defaults={"at": now})
    unread = Notification.objects.filter(user_id=user.pk, matter=matter.code, read_at__isnull=True)
    if unread.exists():
        unread.update(read_at=now)


# --- e-mail ----------------------------------------------------------------------------------------


@transaction.atomic
def preference_set(*, actor: Any, email: str) -> Preference:
    """The official's own choice of notifications by e-mail (audited)."""
    if email not in Preference.Email.values:
        raise Invalid({"email": _("choose one of the options")})
    pref, _created = Preference.objects.get_or_create(user_id=actor.pk)
    before = pref.email if not _created else Preference.Email.EACH
    pref.email = email
    if email == Preference.Email.DAILY and pref.digest_sent_at is None:
        pref.digest_sent_at = timezone.now()  # the first digest starts from the choice
    pref.save(update_fields=["email", "digest_sent_at"])
    audit_record(
        actor=actor,
        action="notifications.preference",
        unit=actor.unit.code if actor.unit_id else "",
        data={"email": email, "before": before},
    )
    return pref


def digests_send(now: Any = None) -> int:
    """The daily job: to each official who chose the digest and has an address, one e-mail
    listing their notifications created since the last digest and still unread. Nothing is
    sent to those with nothing new. Returns how many e-mails went out."""
    from django.urls import reverse

    now = now or timezone.now()
    sent = 0
    prefs = Preference.objects.filter(
        email=Preference.Email.DAILY, user__is_active=True
    ).select_related("user")
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    for pref in prefs:
        user = pref.user
        if not user.email:
            continue
        qs = Notification.objects.filter(user=user, read_at__isnull=True, created_at__lte=now)
        if pref.digest_sent_at:
            qs = qs.filter(created_at__gt=pref.digest_sent_at)
        items = list(qs.order_by("created_at")[:200])
        if items:
            with override(settings.LANGUAGE_CODE):
                subject = _("%(n)s new notifications") % {"n": len(items)}
                lines = [
                    _("Unread notifications since the last digest:"),
                    "",
                    *(f"- {n.text}" + (f"\n  {base}{n.url}" if n.url else "") for n in items),
                    "",
                    _("All your notifications: %(url)s")
                    % {"url": base + reverse("notifications:list")},
                    _("Change how you get them: %(url)s")
                    % {"url": base + reverse("notifications:settings")},
                ]
            if _send_mail(str(user.email), "\n".join(lines), subject=subject):
                sent += 1
            else:
                continue  # try again tomorrow with the same notifications
        Preference.objects.filter(pk=pref.pk).update(digest_sent_at=now)
    return sent
