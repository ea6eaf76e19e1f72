"""Which limit of LAW-PETITIONS.md §1 governs a petition's clock. The limits themselves are
``DeadlineRule`` rows (migration 0002); this module only says which row applies to which
petition, by kind, instance, channel, complexity and remote area."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from matters.models import DeadlineRule
from matters.rules import rule_in_force
from petitions.models import Channel, Complexity, Kind

PREFIX = "petitions."


def key(ref: str) -> str:
    return f"{PREFIX}{ref}"


def processing_ref(
    *, kind: str, channel: str, instance: int, disciplinary: bool
) -> tuple[str, str]:
    """(ref, variant) of the limit for processing a newly received petition."""
    if kind == Kind.COMPLAINT:
        if disciplinary:
            return "K11", "accept"
        return ("K6", "normal") if instance == 2 else ("K2", "normal")
    if kind == Kind.DENUNCIATION:
        return "T1", "normal"
    # A proposal: a citizen received in person is owed an answer within R1, a letter R3.
    return ("R1", "normal") if channel == Channel.IN_PERSON else ("R3", "normal")


def processing_rule(
    *, kind: str, channel: str, instance: int, disciplinary: bool, on: date
) -> DeadlineRule:
    ref, variant = processing_ref(
        kind=kind, channel=channel, instance=instance, disciplinary=disciplinary
    )
    return rule_in_force(key(ref), on, variant)


def _complex(complexity: str) -> bool:
    return complexity in (Complexity.COMPLEX, Complexity.ESPECIALLY_COMPLEX)


def resolution_ref(
    *, kind: str, instance: int, disciplinary: bool, complexity: str, remote: bool
) -> tuple[str, str]:
    """(ref, variant) of the limit for resolving an accepted petition."""
    if kind == Kind.DENUNCIATION:
        return "T4", complexity
    if kind == Kind.PROPOSAL:
        return "P1", "normal"
    if disciplinary:
        return "K11", "complex" if _complex(complexity) else "normal"
    ref = "K7" if instance == 2 else "K3"
    if remote:
        return ref, "remote_complex" if _complex(complexity) else "remote"
    return ref, "complex" if _complex(complexity) else "normal"


def resolution_rule(
    *, kind: str, instance: int, disciplinary: bool, complexity: str, remote: bool, on: date
) -> DeadlineRule:
    ref, variant = resolution_ref(
        kind=kind,
        instance=instance,
        disciplinary=disciplinary,
        complexity=complexity,
        remote=remote,
    )
    return rule_in_force(key(ref), on, variant)


@dataclass(frozen=True)
class RelatedLimit:
    """A further limit that follows from where the petition is, shown beside its clock."""

    rule: DeadlineRule
    start: date


def related_refs(*, kind: str, channel: str, status: str, instance: int) -> list[tuple[str, str]]:
    """Limits other than the main clock that a handler must keep in view at this stage."""
    refs: list[tuple[str, str]] = []
    if status == "received":
        if kind == Kind.DENUNCIATION:
            refs.append(("T2", "normal"))
        if channel == Channel.IN_PERSON and kind != Kind.PROPOSAL:
            refs.append(("R1", "normal"))
        if channel == Channel.FORWARDED and kind == Kind.DENUNCIATION:
            refs.append(("T6", "normal"))
    elif status == "accepted" and kind == Kind.DENUNCIATION:
        refs.append(("T3", "normal"))
    elif status == "resolved":
        if kind == Kind.COMPLAINT:
            refs.append(("K4", "normal") if instance == 1 else ("K8", "normal"))
            if instance == 1:
                refs.append(("K5", "normal"))
        if kind == Kind.DENUNCIATION:
            refs.append(("T8", "normal"))
        if channel == Channel.FORWARDED:
            refs.append(("R2", "normal"))
    elif status == "discontinued" and kind == Kind.COMPLAINT:
        refs.append(("K9", "normal"))
    elif status == "suspended" and kind == Kind.DENUNCIATION:
        refs.append(("T5", "normal"))
    return refs
