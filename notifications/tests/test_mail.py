"""Notifications are stored whatever the mail server does."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from notifications.models import Notification
from notifications.services import notify


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("the mail server went away")


@pytest.mark.django_db
def test_a_mail_server_that_fails_loses_nothing(
    world: Any, settings: Any, caplog: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}
    world.head_a.email = "truong.a@example.vn"
    world.head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert notify([world.head_a], kind="test", text="Có đơn mới") == 1
    assert Notification.objects.filter(user=world.head_a, text="Có đơn mới").exists()
    assert "notification e-mail not sent: SMTPServerDisconnected" in caplog.text
    assert "truong.a@example.vn" not in caplog.text


@pytest.mark.django_db
def test_the_mail_goes_out_after_commit(
    world: Any, django_capture_on_commit_callbacks: Any
) -> None:
    world.head_a.email = "truong.a@example.vn"
    world.head_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([world.head_a], kind="test", text="Có đơn mới")
    assert [m.to for m in mail.outbox] == [["truong.a@example.vn"]]
