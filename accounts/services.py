"""Writes to officials and their API tokens."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiToken, Role, User, hash_token
from audit.services import audit_record
from common.errors import Conflict, Forbidden, Invalid
from common.text import nfc
from units.models import Unit


@transaction.atomic
def official_create(
    *,
    actor: Any,
    username: str,
    password: str,
    full_name: str,
    unit: str,
    roles: list[str],
    email: str = "",
    password_hash: str | None = None,
    api_account: bool = False,
) -> User:
    """Create an official in ``unit``. A second head of a unit is 409; a taken username 409.
    ``api_account`` marks a service account of another system (see second_factor_required).

    ``password_hash`` (an already hashed password) lets bulk loaders hash once for many."""
    username = nfc(username)
    errors: dict[str, str] = {}
    if not username:
        errors["username"] = _("enter a username")
    bad_roles = [r for r in roles if r not in Role.values]
    if bad_roles:
        errors["roles"] = _("unknown roles %(roles)s; allowed: %(allowed)s") % {
            "roles": ", ".join(bad_roles),
            "allowed": ", ".join(Role.values),
        }
    unit_obj = Unit.objects.select_for_update().filter(code=unit).first()
    if unit_obj is None:
        errors["unit"] = _("no unit with code %(code)s") % {"code": unit}
    candidate = User(username=username, full_name=nfc(full_name))
    if password_hash is None:
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as exc:
            errors["password"] = " ".join(exc.messages)
    if errors:
        raise Invalid(errors)
    assert unit_obj is not None
    if User.objects.filter(username=username).exists():
        raise Conflict(_("the username %(username)s is taken") % {"username": username})
    if Role.HEAD in roles and unit_obj.head_id is not None:
        raise Conflict(_("unit %(code)s already has a head") % {"code": unit_obj.code})
    user = User(
        username=username,
        full_name=nfc(full_name),
        unit=unit_obj,
        roles=sorted(set(roles)),
        email=email,
        api_account=api_account,
    )
    if password_hash is None:
        user.set_password(password)
    else:
        user.password = password_hash
    user.save()
    if Role.HEAD in roles:
        unit_obj.head = user
        unit_obj.save(update_fields=["head"])
    audit_record(
        actor=actor,
        action="official.create",
        unit=unit_obj.code,
        data={"username": username, "roles": user.roles, "api_account": api_account},
    )
    return user


@transaction.atomic
def official_deactivate(*, actor: Any, user: User) -> None:
    """Deactivate an official: every session and API token ends at once."""
    user.is_active = False
    user.save(update_fields=["is_active"])
    ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    _end_sessions(user)
    if user.unit_id:
        Unit.objects.filter(head=user).update(head=None)
    audit_record(actor=actor, action="official.deactivate", data={"username": user.username})


def _end_sessions(user: User) -> None:
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()


@transaction.atomic
def official_set_password(*, actor: Any, user: User, password: str) -> None:
    """An administrator gives ``user`` a new password (they lost theirs): the password rules
    apply, every session of theirs ends, and the audit log records who did it (never the
    password)."""
    if not (actor.is_superuser or actor.is_admin):
        raise Forbidden(_("Only administrators set officials' passwords."))
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise Invalid({"password": " ".join(exc.messages)})
    user.set_password(password)
    user.save(update_fields=["password"])
    _end_sessions(user)
    audit_record(
        actor=actor,
        action="official.password_set",
        unit=user.unit.code if user.unit is not None else "",
        data={"username": user.username},
    )


@transaction.atomic
def official_password_reset_done(*, user: User) -> None:
    """Record that ``user`` chose a new password through the link sent by e-mail."""
    audit_record(
        actor=user,
        action="official.password_reset",
        unit=user.unit.code if user.unit is not None else "",
        data={"username": user.username, "by": "email"},
    )


def second_factor_required(user: User) -> bool:
    """Whether ``user`` must pass the second factor to get an API token or use the API with
    a session: always where ``DUTDIEM_REQUIRE_MFA`` is on, except for API accounts."""
    return bool(settings.REQUIRE_MFA) and not user.api_account


def second_factor_verify(user: User, code: str) -> bool:
    """Whether ``code`` is the current code of one of ``user``'s confirmed authenticators.
    django-otp refuses a code used before and slows down repeated wrong ones."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 6):
        return False
    with transaction.atomic():
        devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        return any(device.verify_token(code) for device in devices)


def has_second_factor(user: User) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def token_issue(*, user: User, second_factor: bool = False) -> str:
    """Issue an API token and return it (only its hash is kept). ``second_factor`` says the
    second factor was checked for it."""
    raw = ApiToken.new_raw()
    ApiToken.objects.create(user=user, key_hash=hash_token(raw), second_factor=second_factor)
    audit_record(actor=user, action="token.issue", data={"second_factor": second_factor})
    return raw


TOKEN_NEEDS_SECOND_FACTOR = (
    "this token was issued without the second factor, which this server requires: get a new "
    'one from POST /api/v1/auth/token with "otp"'
)


def token_user_or_refusal(raw: str) -> tuple[User | None, str]:
    """The active official a bearer token belongs to, or None and why (empty when the token
    is simply unknown, revoked, or its official deactivated). Where the second factor is
    required, a token issued without it is refused, unless it belongs to an API account."""
    token = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(key_hash=hash_token(raw), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None, ""
    if second_factor_required(token.user) and not token.second_factor:
        return None, TOKEN_NEEDS_SECOND_FACTOR
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user, ""


def token_user(raw: str) -> User | None:
    """The active official a bearer token belongs to, or None (see token_user_or_refusal)."""
    return token_user_or_refusal(raw)[0]


@transaction.atomic
def official_set_api_account(*, actor: Any, user: User, api_account: bool) -> User:
    """Mark ``user`` as an API account (a service account of another system), or not. Where
    the second factor is required, taking the mark away stops at once the tokens it got with
    its password alone (they are checked at every use)."""
    user.api_account = api_account
    user.save(update_fields=["api_account"])
    audit_record(
        actor=actor,
        action="official.api_account",
        unit=user.unit.code if user.unit else "",
        data={"username": user.username, "api_account": api_account},
    )
    return user


@transaction.atomic
def official_sso_signed_in(*, user: User, second_factor: bool) -> None:
    """Record a sign-in through the province's identity provider, and whether the provider's
    second factor counted for it."""
    audit_record(
        actor=user,
        action="official.sso_login",
        unit=user.unit.code if user.unit is not None else "",
        data={"username": user.username, "second_factor": second_factor},
    )


@transaction.atomic
def official_sso_refused(*, name: str, reason: str, detail: str = "") -> None:
    """Record a sign-in through the identity provider that was refused: ``reason`` is
    ``provider`` (its answer failed a check), ``no_claim``, ``unknown`` or ``inactive``;
    ``name`` the value of the matching claim when there was one."""
    audit_record(
        actor=name,
        action="official.sso_refused",
        data={"name": name, "reason": reason, "detail": detail[:300]},
    )
