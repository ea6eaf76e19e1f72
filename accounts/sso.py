"""Single sign-on with the province's identity provider (OpenID Connect, through Authlib).

Authlib does the protocol: discovery, the authorization code flow with PKCE, state and
nonce, and the checks of the ID token (signature against the provider's published keys,
issuer, audience, expiry). This module only says which official a checked ID token stands
for, whether its sign-in used a second factor, and where signing out sends the browser.

The provider never creates an account here and never gives rights: an official is matched
to an account an administrator made beforehand, and keeps the unit and roles it has here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from accounts.models import User
from common.text import nfc

DISCOVERY_SUFFIX = "/.well-known/openid-configuration"
# The session keys of a sign-in through the provider: the ID token (sent back as the hint
# when signing out) and where to go once signed in.
SESSION_ID_TOKEN = "sso_id_token"
SESSION_NEXT = "sso_next"


def sso_enabled() -> bool:
    return bool(settings.OIDC_DISCOVERY_URL and settings.OIDC_CLIENT_ID)


def discovery_url() -> str:
    """The provider's discovery document, from ``OIDC_DISCOVERY_URL`` given either as the
    document's address or as the issuer."""
    url = settings.OIDC_DISCOVERY_URL.rstrip("/")
    return url if url.endswith(DISCOVERY_SUFFIX) else url + DISCOVERY_SUFFIX


_clients: dict[tuple[Any, ...], Any] = {}


def provider() -> Any:
    """The Authlib client of the configured provider. It keeps the discovery document and the
    provider's keys once fetched (and fetches the keys again when a token names a new one)."""
    from authlib.integrations.django_client import OAuth

    key = (
        discovery_url(),
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_CA_FILE,
        settings.OIDC_TIMEOUT,
    )
    client = _clients.get(key)
    if client is None:
        client_kwargs: dict[str, Any] = {
            "scope": settings.OIDC_SCOPES,
            "code_challenge_method": "S256",
            "default_timeout": settings.OIDC_TIMEOUT,
        }
        if settings.OIDC_CA_FILE:
            # The provider's TLS certificate is checked against this bundle (a province's
            # own certificate authority) instead of the system's.
            client_kwargs["verify"] = settings.OIDC_CA_FILE
        client = OAuth().register(
            "province",
            client_id=settings.OIDC_CLIENT_ID,
            client_secret=settings.OIDC_CLIENT_SECRET,
            server_metadata_url=discovery_url(),
            client_kwargs=client_kwargs,
        )
        _clients.clear()
        _clients[key] = client
    return client


@dataclass(frozen=True)
class Match:
    """Who a checked ID token stands for: ``user`` when sign-in may go on, else ``refusal``
    (``no_claim``, ``unknown`` or ``inactive``); ``name`` is the claim's value."""

    user: User | None
    refusal: str
    name: str


def official_for_claims(claims: dict[str, Any]) -> Match:
    """The pre-created, active official whose ``OIDC_MATCH_FIELD`` equals the value of the
    ``OIDC_USER_CLAIM`` claim. Never creates one."""
    raw = claims.get(settings.OIDC_USER_CLAIM)
    name = nfc(str(raw)).strip() if isinstance(raw, str | int) else ""
    if not name:
        return Match(None, "no_claim", "")
    field = "email__iexact" if settings.OIDC_MATCH_FIELD == "email" else "username"
    found = list(User.objects.filter(**{field: name})[:2])
    if len(found) != 1:
        # Two accounts with one e-mail address are as unknown as none: never guess.
        return Match(None, "unknown", name)
    if not found[0].is_active:
        return Match(None, "inactive", name)
    return Match(found[0], "", name)


def claims_show_second_factor(claims: dict[str, Any]) -> bool:
    """Whether the provider says its sign-in used a second factor: its ``acr`` is one of
    ``OIDC_MFA_ACR``, or its ``amr`` holds one of ``OIDC_MFA_AMR``."""
    acr = claims.get("acr")
    if isinstance(acr, str) and acr in settings.OIDC_MFA_ACR:
        return True
    amr = claims.get("amr")
    if isinstance(amr, list):
        return any(isinstance(v, str) and v in settings.OIDC_MFA_AMR for v in amr)
    return False


def checked_token(request: Any) -> dict[str, Any]:
    """Exchange the code the provider sent back for tokens, and check the ID token: its
    signature, its issuer (the discovery document's), that its audience holds our client id
    (Authlib alone accepts another audience when ``azp`` names us), its expiry (two minutes
    of clock skew allowed) and its nonce. Raises on any failure."""
    client = provider()
    issuer = client.load_server_metadata().get("issuer")
    options: dict[str, Any] = {"aud": {"essential": True, "value": settings.OIDC_CLIENT_ID}}
    if issuer:
        options["iss"] = {"essential": True, "value": issuer}
    token = client.authorize_access_token(request, claims_options=options)
    if not token.get("id_token") or not token.get("userinfo"):
        raise ValueError("the provider returned no ID token")
    return dict(token)


def identity_claims(token: dict[str, Any]) -> dict[str, Any]:
    """The checked ID token's claims; when it lacks the claim that names the official, that
    claim from the provider's userinfo endpoint (kept only if its ``sub`` is the ID
    token's)."""
    claims = dict(token["userinfo"])
    if settings.OIDC_USER_CLAIM in claims:
        return claims
    client = provider()
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return claims
    extra = client.userinfo(token=token)
    if extra.get("sub") == claims.get("sub") and settings.OIDC_USER_CLAIM in extra:
        claims[settings.OIDC_USER_CLAIM] = extra[settings.OIDC_USER_CLAIM]
    return claims


def end_session_url(id_token: str, after: str) -> str:
    """Where the browser goes to end the provider's session too (RP-initiated logout), then
    comes back to ``after``; empty when the provider publishes no end-session endpoint."""
    client = provider()
    if not client.load_server_metadata().get("end_session_endpoint"):
        return ""
    return str(
        client.create_logout_url(
            post_logout_redirect_uri=after,
            id_token_hint=id_token,
            client_id=settings.OIDC_CLIENT_ID,
        )["url"]
    )
