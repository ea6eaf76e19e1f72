"""Sending in-app notifications (and e-mail to officials who have an address)."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from accounts.models import User
from notifications.models import Notification
from units.models import Unit

log = logging.getLogger(__name__)


def _send_mail(address: str, text: str) -> None:
    """E-mail is a courtesy copy: the notification is stored whatever happens to the mail,
    so a mail server that refuses or is down is logged (without the address) and ignored."""
    try:
        send_mail(f"[dutdiem] {text[:80]}", text, settings.DEFAULT_FROM_EMAIL, [address])
    except OSError as exc:  # smtplib.SMTPException and socket errors are OSErrors
        log.warning("notification e-mail not sent: %s", type(exc).__name__)


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
        if user.email:
            transaction.on_commit(partial(_send_mail, str(user.email), text))
    return created
