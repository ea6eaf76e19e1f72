"""Every branch of the intake decision tree (LAW-PETITIONS §2)."""

from __future__ import annotations

import pytest

from petitions.decision import TREE, advise, answers_from, branches_for


@pytest.mark.parametrize(
    ("kind", "answers", "branch", "decision"),
    [
        ("complaint", {"mixed_contents": True}, "1.split", "guide"),
        ("denunciation", {"mixed_contents": True, "signs_of_crime": True}, "1.split", "guide"),
        (
            "denunciation",
            {"anonymous": True, "clear_evidence": True},
            "2.tc-anonymous-evidence",
            "transfer",
        ),
        ("denunciation", {"anonymous": True}, "2.tc-anonymous", "file_away"),
        ("denunciation", {"sent_to_many": True}, "2.tc-many-bodies", "file_away"),
        ("complaint", {"eligible": False}, "2.not-eligible", "guide"),
        ("proposal", {"eligible": False}, "2.not-eligible", "guide"),
        ("denunciation", {"signs_of_crime": True, "competent": False}, "4.crime", "transfer"),
        ("denunciation", {"imminent_harm": True}, "4.imminent-harm", "transfer"),
        ("denunciation", {"party_rules": True}, "4.party", "transfer"),
        ("complaint", {"competent": False, "guided_before": True}, "3.guided-before", "file_away"),
        ("proposal", {"competent": False, "guided_before": True}, "3.guided-before", "file_away"),
        ("complaint", {"competent": False}, "3.not-competent", "guide"),
        ("denunciation", {"competent": False, "walk_in": True}, "4.walk-in", "guide"),
        ("denunciation", {"competent": False}, "4.not-competent", "transfer"),
        ("proposal", {"competent": False}, "5.not-competent", "transfer"),
        ("complaint", {"lower_level_overdue": True}, "3/4.lower-overdue", "report"),
        ("denunciation", {"lower_level_overdue": True}, "3/4.lower-overdue", "report"),
        ("complaint", {"info_missing": True}, "3.missing", "guide"),
        ("complaint", {"ground": True}, "3.refuse", "refuse"),
        ("denunciation", {"from_resolved_complaint": True}, "4.resolved-complaint", "refuse"),
        ("denunciation", {"conditions_met": False}, "4.conditions-unmet", "refuse"),
        ("complaint", {}, "3.accept", "accept"),
        ("denunciation", {}, "4.accept", "accept"),
        ("proposal", {}, "5.accept", "accept"),
    ],
)
def test_branch(kind, answers, branch, decision):
    chosen = advise(kind, answers)
    assert (chosen.id, chosen.decision) == (branch, decision)
    assert chosen.basis and str(chosen.reason)


def test_every_branch_is_reachable_and_tested():
    ids = {b.id for b in TREE}
    tested = {
        p.id
        for p in [
            advise(k, a)
            for k, a in [
                ("complaint", {"mixed_contents": True}),
                ("denunciation", {"anonymous": True, "clear_evidence": True}),
                ("denunciation", {"anonymous": True}),
                ("denunciation", {"sent_to_many": True}),
                ("complaint", {"eligible": False}),
                ("denunciation", {"signs_of_crime": True}),
                ("denunciation", {"imminent_harm": True}),
                ("denunciation", {"party_rules": True}),
                ("complaint", {"competent": False, "guided_before": True}),
                ("complaint", {"competent": False}),
                ("denunciation", {"competent": False, "walk_in": True}),
                ("denunciation", {"competent": False}),
                ("proposal", {"competent": False}),
                ("complaint", {"lower_level_overdue": True}),
                ("complaint", {"info_missing": True}),
                ("complaint", {"ground": True}),
                ("denunciation", {"from_resolved_complaint": True}),
                ("denunciation", {"conditions_met": False}),
                ("complaint", {}),
                ("denunciation", {}),
                ("proposal", {}),
            ]
        ]
    }
    assert tested == ids


def test_questions_that_do_not_apply_are_ignored():
    # A complaint form cannot claim "signs of crime" (a denunciation question).
    answers = answers_from(
        {"signs_of_crime": "on", "competent": "on", "eligible": "on"}, "complaint"
    )
    assert answers["signs_of_crime"] is False
    assert advise("complaint", answers).id == "3.accept"
    # An unticked box of the form means "no".
    assert (
        advise("complaint", answers_from({"eligible": "on"}, "complaint")).id == "3.not-competent"
    )


def test_branches_for_kind():
    assert all("complaint" in b.kinds for b in branches_for("complaint"))
    assert branches_for("proposal")[-1].decision == "accept"
