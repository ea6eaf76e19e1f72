"""The intake decision tree of LAW-PETITIONS.md §2, as an ordered list of branches.

The clerk answers a few questions about the petition; the first branch whose condition holds
is the one that applies, and it says what to do, why, and on which legal basis. The tree
advises: the decision itself is taken with the actions (accept, refuse, transfer, guide,
file away), each of which checks its own input.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from petitions.models import Kind

QUESTIONS: dict[str, Promise] = {
    "mixed_contents": _("The letter mixes a complaint, a denunciation and/or a proposal"),
    "eligible": _(
        "The letter meets the form requirements (language, date, name and address, signature; what the kind needs)"
    ),
    "anonymous": _("Anonymous, under a false name, or not by letter or in person"),
    "clear_evidence": _(
        "Anonymous, but the violator is clear and the evidence concrete and verifiable"
    ),
    "sent_to_many": _(
        "Sent to several bodies including the competent one, or re-sent after guidance"
    ),
    "competent": _("Our unit is competent to resolve it"),
    "info_missing": _("Competent, but information or documents are missing"),
    "ground": _("A ground of Art. 11 of the Law on Complaints applies"),
    "lower_level_overdue": _("A lower level has let its own deadline pass"),
    "guided_before": _("The citizen was already guided to the competent body for this content"),
    "signs_of_crime": _("There are signs of a crime"),
    "imminent_harm": _("Serious harm is imminent"),
    "party_rules": _("The accused is a Party member and the content concerns Party rules"),
    "from_resolved_complaint": _(
        "It arises from a complaint resolved correctly, without new evidence against the resolver"
    ),
    "conditions_met": _("The conditions for accepting a denunciation are met (LTC Art. 29(1))"),
    "walk_in": _("The citizen came in person"),
}

# Which questions the clerk sees for each kind of petition.
QUESTIONS_BY_KIND: dict[str, list[str]] = {
    Kind.COMPLAINT: [
        "mixed_contents",
        "eligible",
        "competent",
        "info_missing",
        "ground",
        "lower_level_overdue",
        "guided_before",
    ],
    Kind.DENUNCIATION: [
        "mixed_contents",
        "eligible",
        "anonymous",
        "clear_evidence",
        "sent_to_many",
        "signs_of_crime",
        "imminent_harm",
        "party_rules",
        "competent",
        "lower_level_overdue",
        "from_resolved_complaint",
        "conditions_met",
        "walk_in",
    ],
    Kind.PROPOSAL: ["mixed_contents", "eligible", "competent", "guided_before"],
}

# Answers assumed before the clerk says otherwise: a letter in order, for our unit.
DEFAULTS = {"eligible": True, "competent": True, "conditions_met": True}


@dataclass(frozen=True)
class Branch:
    id: str
    kinds: tuple[str, ...]
    when: Callable[[dict[str, bool]], bool]
    decision: str  # accept, refuse, transfer, guide, file_away, report
    reason: Promise
    basis: str
    needs: tuple[str, ...] = field(default=())


ALL = (Kind.COMPLAINT, Kind.DENUNCIATION, Kind.PROPOSAL)
KN = (Kind.COMPLAINT,)
TC = (Kind.DENUNCIATION,)
PA = (Kind.PROPOSAL,)

TREE: list[Branch] = [
    Branch(
        "1.split",
        ALL,
        lambda a: a["mixed_contents"],
        "guide",
        _("Mixed contents: guide the citizen to write a separate letter for each."),
        "LTCD Đ25(3); TT 07/2014 Đ22",
    ),
    Branch(
        "2.tc-anonymous-evidence",
        TC,
        lambda a: a["anonymous"] and a["clear_evidence"],
        "transfer",
        _(
            "Not processed as a denunciation, but the violation is clear: inspect it or "
            "forward it for management purposes."
        ),
        "LTC Đ25(2)",
    ),
    Branch(
        "2.tc-anonymous",
        TC,
        lambda a: a["anonymous"],
        "file_away",
        _(
            "Anonymous or false name without concrete evidence: not processed as a "
            "denunciation; file it away."
        ),
        "LTC Đ25",
    ),
    Branch(
        "2.tc-many-bodies",
        TC,
        lambda a: a["sent_to_many"],
        "file_away",
        _(
            "Sent to several bodies including the competent one, or re-sent after "
            "guidance: do not process it."
        ),
        "LTC Đ24(3)",
    ),
    Branch(
        "2.not-eligible",
        ALL,
        lambda a: not a["eligible"],
        "guide",
        _(
            "Does not meet the form requirements: guide the citizen to complete it, or "
            "file it away."
        ),
        "TT 05/2021 Đ6",
    ),
    Branch(
        "4.crime",
        TC,
        lambda a: a["signs_of_crime"],
        "transfer",
        _("Signs of a crime: transfer at once to the investigating body or the procuracy."),
        "LTC Đ27(1)",
    ),
    Branch(
        "4.imminent-harm",
        TC,
        lambda a: a["imminent_harm"],
        "transfer",
        _(
            "Serious harm is imminent: report to the competent body for preventive "
            "measures at once."
        ),
        "TT 05/2021 Đ16; LTC Đ27(2)",
    ),
    Branch(
        "4.party",
        TC,
        lambda a: a["party_rules"],
        "transfer",
        _("A Party member's breach of Party rules: transfer to the competent Party body."),
        "TT 05/2021 Đ15",
    ),
    Branch(
        "3.guided-before",
        KN + PA,
        lambda a: not a["competent"] and a["guided_before"],
        "file_away",
        _("Out of our competence and the citizen was already guided once: file it away."),
        "TT 07/2014 Đ6",
    ),
    Branch(
        "3.not-competent",
        KN,
        lambda a: not a["competent"],
        "guide",
        _("Not within our competence: guide the citizen to the competent body, once only."),
        "TT 07/2014 Đ6",
    ),
    Branch(
        "4.walk-in",
        TC,
        lambda a: not a["competent"] and a["walk_in"],
        "guide",
        _(
            "Not within our competence and the citizen came in person: guide them to the "
            "competent body."
        ),
        "LTC Đ24(2)",
    ),
    Branch(
        "4.not-competent",
        TC,
        lambda a: not a["competent"],
        "transfer",
        _(
            "Not within our competence: transfer to the competent body within 5 working "
            "days (T2) and tell the denouncer; once per same content."
        ),
        "LTC Đ24(2); TT 05/2021 Đ14(1)",
    ),
    Branch(
        "5.not-competent",
        PA,
        lambda a: not a["competent"],
        "transfer",
        _("Not within our competence: transfer the letter to the competent body."),
        "LTCD Đ26(2); TT 07/2014 Đ21",
    ),
    Branch(
        "3/4.lower-overdue",
        KN + TC,
        lambda a: a["lower_level_overdue"],
        "report",
        _(
            "A lower level has let its deadline pass: report to the head, or demand a "
            "written report from the lower level."
        ),
        "TT 05/2021 Đ14(2)",
    ),
    Branch(
        "3.missing",
        KN,
        lambda a: a["info_missing"],
        "guide",
        _(
            "Competent, but information is missing: guide the complainant to supplement "
            "it (form 02)."
        ),
        "TT 05/2021",
    ),
    Branch(
        "3.refuse",
        KN,
        lambda a: a["ground"],
        "refuse",
        _("A ground of Art. 11 applies: refuse in writing, with the reasons."),
        "LKN Đ11, Đ27",
    ),
    Branch(
        "4.resolved-complaint",
        TC,
        lambda a: a["from_resolved_complaint"],
        "refuse",
        _(
            "It arises from a complaint resolved correctly and brings no evidence against "
            "the resolver: do not accept."
        ),
        "LTC Đ29(1)",
    ),
    Branch(
        "4.conditions-unmet",
        TC,
        lambda a: not a["conditions_met"],
        "refuse",
        _("The conditions for acceptance are not met: refuse and tell the reasons at once."),
        "LTC Đ24(1)",
    ),
    Branch(
        "3.accept",
        KN,
        lambda a: True,
        "accept",
        _(
            "Competent and no ground for refusal: propose acceptance (form 01); the "
            "acceptance deadline K2 runs."
        ),
        "LKN Đ27; TT 05/2021",
    ),
    Branch(
        "4.accept",
        TC,
        lambda a: True,
        "accept",
        _("Competent and the conditions are met: propose acceptance (form 01); T1 and T3 run."),
        "LTC Đ24, Đ29; TT 05/2021 Đ13",
    ),
    Branch(
        "5.accept",
        PA,
        lambda a: True,
        "accept",
        _("Competent: consider the proposal and answer it."),
        "LTCD Đ26(2)",
    ),
]


def answers_from(data: Mapping[str, object], kind: str) -> dict[str, bool]:
    """Normalise the answers of a submitted form: every question present, booleans only. A
    question asked for ``kind`` but absent is "no" (an unticked box); questions that do not
    apply to ``kind`` take their defaults."""
    asked = QUESTIONS_BY_KIND.get(kind, [])
    result = {}
    for name in QUESTIONS:
        if name in asked:
            result[name] = str(data.get(name, "")).lower() in ("1", "true", "on", "yes")
        else:
            result[name] = DEFAULTS.get(name, False)
    return result


def advise(kind: str, answers: dict[str, bool]) -> Branch:
    """The branch of the tree that applies to a petition of ``kind`` with ``answers``."""
    full = {**{q: DEFAULTS.get(q, False) for q in QUESTIONS}, **answers}
    for branch in TREE:
        if kind in branch.kinds and branch.when(full):
            return branch
    raise ValueError(f"no branch for kind {kind}")  # pragma: no cover - accept always matches


def branches_for(kind: str) -> list[Branch]:
    return [b for b in TREE if kind in b.kinds]
