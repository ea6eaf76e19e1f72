from django.contrib.auth import authenticate
from django.http import HttpRequest
from ninja import Router, Schema

from accounts.services import token_issue
from common.errors import DomainError

router = Router(tags=["auth"])


class Credentials(Schema):
    username: str
    password: str


class TokenOut(Schema):
    token: str


class Unauthorized(DomainError):
    status = 401


class TooManyAttempts(DomainError):
    status = 429


@router.post("/token", auth=None, response={200: TokenOut})
def issue_token(request: HttpRequest, payload: Credentials) -> dict[str, str]:
    user = authenticate(request, username=payload.username, password=payload.password)
    if getattr(request, "axes_locked_out", False):
        raise TooManyAttempts("too many failed logins for this account; try again later")
    if user is None or not user.is_active:
        raise Unauthorized("wrong username or password")
    return {"token": token_issue(user=user)}  # type: ignore[arg-type]
