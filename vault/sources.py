"""Where the vault learns whose identity a matter holds. The vault sits below the apps that
seal identities into it and imports none of them (docs/DEVELOPING.md): such an app registers
a finder here from its ``AppConfig.ready()`` (the petitions app does).

A finder takes a matter and returns an ``IdentityHolder`` for it, or None when the matter is
not its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class IdentityHolder:
    """The record keeping a matter's petitioners: sealed into the vault (under
    ``vault_ref``, empty if the seal never landed) or kept in the open, then given by
    ``petitioners()``."""

    sealed: bool
    vault_ref: str
    petitioners: Callable[[], list[dict[str, Any]]]


Finder = Callable[[Any], IdentityHolder | None]

_finders: list[Finder] = []


def add_identity_finder(finder: Finder) -> None:
    """Register ``finder`` (once, however often ``ready()`` runs)."""
    if finder not in _finders:
        _finders.append(finder)


def identity_holder(matter: Any) -> IdentityHolder | None:
    """The record keeping ``matter``'s petitioners, or None if no app claims it."""
    for finder in _finders:
        holder = finder(matter)
        if holder is not None:
            return holder
    return None
