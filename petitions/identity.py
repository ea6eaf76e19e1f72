"""The seam to the sealed-identity vault (issue 4).

A denouncer's identifying data never touches the default database. When the vault app
offers ``vault.services.identity_seal(petition_code, petitioners) -> str``, it stores them
and returns a pseudonymous reference; until then nothing personal is kept at all.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

Sealer = Callable[[str, list[dict[str, Any]]], str]


def vault_sealer() -> Sealer | None:
    """The vault's ``identity_seal`` if the vault app provides it, else None."""
    try:
        module = importlib.import_module("vault.services")
    except ModuleNotFoundError as exc:
        if exc.name not in ("vault.services", "vault"):
            raise
        return None
    sealer = getattr(module, "identity_seal", None)
    return sealer if callable(sealer) else None


def identity_seal(petition_code: str, petitioners: list[dict[str, Any]]) -> str:
    """Seal ``petitioners`` for ``petition_code``; the reference, or "" with no vault (in
    which case the identity is not kept anywhere)."""
    if not petitioners:
        return ""
    sealer = vault_sealer()
    if sealer is None:
        return ""
    return str(sealer(petition_code, petitioners) or "")


def identity_holder(matter: Any) -> Any:
    """For the vault (``vault.sources``): the petition of ``matter`` as an identity holder,
    or None when ``matter`` is no petition."""
    from petitions.models import Petition
    from petitions.schemas import petitioner_dicts
    from vault.sources import IdentityHolder

    petition = Petition.objects.filter(matter_id=matter.pk).first()
    if petition is None:
        return None
    return IdentityHolder(
        sealed=petition.sealed,
        vault_ref=petition.vault_ref,
        petitioners=lambda: petitioner_dicts(petition),
    )
