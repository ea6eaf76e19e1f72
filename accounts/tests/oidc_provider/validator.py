"""Claims of the stand-in provider. The test steers them through a JSON "knobs" file read at
every token: the ``acr``/``amr`` the sign-in reached, extra claims, and (to test that the
relying party refuses them) another audience or an ID token lifetime already over."""

import json
import os
import time
from pathlib import Path
from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


def knobs() -> dict[str, Any]:
    path = Path(os.environ["IDP_KNOBS_FILE"])
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


class Validator(OAuth2Validator):
    # Every claim below goes into the ID token, whatever the scopes.
    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        claims: dict[str, Any] = {
            "preferred_username": request.user.username,
            "email": request.user.email,
        }
        current = knobs()
        if current.get("acr"):
            claims["acr"] = current["acr"]
        if current.get("amr"):
            claims["amr"] = current["amr"]
        claims.update(current.get("extra", {}))
        return claims

    def get_id_token_dictionary(self, token: Any, token_handler: Any, request: Any) -> Any:
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        current = knobs()
        if current.get("audience"):
            claims["aud"] = current["audience"]
        for claim in current.get("only_in_userinfo", []):
            claims.pop(claim, None)
        if "id_token_seconds" in current:
            claims["exp"] = int(time.time()) + int(current["id_token_seconds"])
        return claims, expiration_time
