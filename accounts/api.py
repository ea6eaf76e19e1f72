from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router

from accounts.services import (
    has_second_factor,
    second_factor_required,
    second_factor_verify,
    token_issue,
)
from accounts.throttle import refuse_if_over
from common.errors import DomainError
from common.schema import Schema

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str
    otp: str | None = Field(
        None,
        description="The 6-digit code of the official's authenticator app. Required where "
        "the server requires the second factor (DUTDIEM_REQUIRE_MFA=1, the production "
        "profile), except for API accounts; ignored otherwise.",
    )


class TokenOut(Schema):
    token: str


class Unauthorized(DomainError):
    status = 401


class TooManyAttempts(DomainError):
    status = 429


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut},
    summary="A bearer token for the API",
)
def issue_token(request: HttpRequest, payload: Credentials) -> dict[str, str]:
    """A bearer token for ``username``. Wrong username or password: 401.

    Where the server requires the second factor (``DUTDIEM_REQUIRE_MFA=1``, on in the
    production profile), a token is issued only with ``otp``, the current code of the
    official's authenticator (set up at the first web login), or to an API account (a
    service account of another system, marked by an administrator): without it, or with a
    wrong code, 401 saying so. With the second factor off (the default), username and
    password are enough. Repeated failures are throttled per account and address and per
    address (429)."""
    refuse_if_over(request)
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts(_("too many failed logins for this account; try again later"))
    if user is None or not user.is_active:
        raise Unauthorized("wrong username or password")
    verified = False
    if second_factor_required(user):  # type: ignore[arg-type]
        if not has_second_factor(user):  # type: ignore[arg-type]
            raise Unauthorized(
                "this account has no second factor yet: sign in on the web once to set up "
                'its authenticator, then send its code as "otp"'
            )
        if not payload.otp:
            raise Unauthorized(
                'this server requires the second factor: send "otp", the 6-digit code of '
                "your authenticator"
            )
        if not second_factor_verify(user, payload.otp):  # type: ignore[arg-type]
            user_login_failed.send(
                sender=__name__,
                credentials={"username": payload.username},
                request=request,
            )
            raise Unauthorized("wrong or expired second-factor code (otp)")
        verified = True
    return {"token": token_issue(user=user, second_factor=verified)}  # type: ignore[arg-type]
