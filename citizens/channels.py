"""The two channels that carry messages to citizens: ``email`` (Django's mail) and ``sms``
(an SMS gateway over HTTPS). Outside production every message is also written, one file
per message, to ``<DUTDIEM_DATA_DIR>/outbox/``: an e-mail as ``<key>.eml``, an SMS as
``<key>.txt`` with the number on its first line and the text below it. In production
without ``DUTDIEM_SMS_URL`` SMS wait in the outbox until it is configured."""

from __future__ import annotations

import re
from email.message import EmailMessage

from django.conf import settings
from django.core.mail import EmailMessage as DjangoEmail
from django.core.mail import get_connection
from django.utils.translation import gettext as _

from outbox.channels import Gateway, NotConfigured, Rejected, Retry, register
from outbox.gateways import FileGateway, HttpGateway
from outbox.models import Message

EMAIL = "email"
SMS = "sms"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def file_name(message: Message, suffix: str) -> str:
    return _UNSAFE.sub("_", message.key)[:180] + suffix


def recipient(message: Message) -> str:
    """The address to send to: a denouncer's contact is sealed in the outbox too, and opened
    only here, at sending time."""
    from citizens.contacts import open_contact

    to = str(message.payload.get("to") or "")
    try:
        return open_contact(str(message.payload.get("petition") or ""), to)
    except Exception as exc:  # a broken seal cannot get better by retrying
        raise Rejected(f"sealed contact does not open: {type(exc).__name__}") from None


def render_eml(message: Message) -> bytes:
    payload = message.payload
    mail = EmailMessage()
    mail["From"] = settings.DEFAULT_FROM_EMAIL
    mail["To"] = recipient(message)
    mail["Subject"] = str(payload.get("subject", ""))
    mail.set_content(str(payload.get("body", "")))
    return bytes(mail)


def render_sms(message: Message) -> bytes:
    payload = message.payload
    return f"{recipient(message)}\n{payload.get('text', '')}\n".encode()


class EmailGateway:
    """Django's mail connection (SMTP in production); outside production each message is
    also written as a ``.eml`` file."""

    def __init__(self) -> None:
        self.connection = get_connection(fail_silently=False)
        self.files = (
            None
            if settings.PRODUCTION
            else FileGateway(
                settings.OUTBOX_DIR, name=lambda m: file_name(m, ".eml"), render=render_eml
            )
        )

    def describe(self) -> str:
        # Shown to administrators on the outbox page: in words, not a Python module path.
        kind = type(self.connection).__module__.rsplit(".", 1)[-1]
        if kind == "smtp":
            said = _("e-mail through the mail server %(host)s:%(port)s") % {
                "host": settings.EMAIL_HOST,
                "port": settings.EMAIL_PORT,
            }
        elif kind == "console":
            said = _("e-mail printed to the server's log")
        elif kind == "locmem":
            said = _("e-mail kept in memory (tests)")
        elif kind == "filebased":
            said = _("e-mail written as files")
        else:
            said = _("e-mail (mail backend %(name)s)") % {"name": kind}
        return said + ("" if self.files is None else f"; {self.files.describe()}")

    def send(self, message: Message) -> str:
        payload = message.payload
        to = recipient(message)
        if "@" not in to:
            raise Rejected(f"not an e-mail address: {to[:3]}…")
        mail = DjangoEmail(
            subject=str(payload.get("subject", "")),
            body=str(payload.get("body", "")),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[to],
            connection=self.connection,
            headers={"Message-ID": f"<{file_name(message, '')}@dutdiem>"},
        )
        try:
            mail.send()
        except OSError as exc:
            raise Retry(f"{type(exc).__name__}: {exc}"[:300]) from None
        if self.files is not None:
            self.files.send(message)
        return "mail sent"

    def close(self) -> None:
        try:
            self.connection.close()
        except OSError:
            pass


class SmsHttpGateway:
    """POST ``{"to", "text"}`` as JSON to the operator's gateway (``DUTDIEM_SMS_URL``, with
    ``DUTDIEM_SMS_TOKEN`` as a bearer token); the answers are judged as for any HTTP
    gateway of the outbox. Outside production the message is also written as a file."""

    def __init__(self, url: str, token: str) -> None:
        self.http = HttpGateway(url, token=token, timeout=settings.SMS_TIMEOUT)
        self.files = None if settings.PRODUCTION else sms_files()

    def describe(self) -> str:
        return self.http.describe()

    def send(self, message: Message) -> str:
        opened = Message(pk=message.pk, key=message.key, channel=message.channel)
        opened.payload = {"to": recipient(message), "text": message.payload.get("text", "")}
        receipt = self.http.send(opened)
        if self.files is not None:
            self.files.send(message)
        return receipt

    def close(self) -> None:
        self.http.close()


def sms_files() -> FileGateway:
    return FileGateway(settings.OUTBOX_DIR, name=lambda m: file_name(m, ".txt"), render=render_sms)


def email_gateway() -> Gateway:
    return EmailGateway()


def sms_gateway() -> Gateway:
    if settings.SMS_URL:
        return SmsHttpGateway(settings.SMS_URL, settings.SMS_TOKEN)
    if settings.PRODUCTION:
        raise NotConfigured("DUTDIEM_SMS_URL is not set: SMS wait here until it is")
    return sms_files()


def register_channels() -> None:
    register(EMAIL, email_gateway, label="Thư điện tử cho công dân")
    register(SMS, sms_gateway, label="Tin nhắn SMS cho công dân")
