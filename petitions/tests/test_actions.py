"""Actions on a petition: access (owner acts, read-only 403, outsider 404), bad input 422
that changes nothing, 409 on concurrent changes, transfer/bounce/escalation, closing."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from matters.models import Handoff, Matter
from notifications.models import Notification
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now():
    with travel():
        yield


ACTIONS = {
    "transfer": {
        "to": "B",
        "reason": "Thuộc thẩm quyền Sở B",
        "legal_basis": "Điều 24 khoản 2 Luật Tố cáo",
    },
    "accept": {"accepted_on": "2027-03-05", "complexity": "normal", "remote": False},
    "refuse": {"reason": "Quá thời hiệu", "ground": "time_bar"},
    "guide": {"to_body": "Tòa án nhân dân tỉnh", "note": "Đã hướng dẫn"},
    "file_away": {"reason": "Đơn trùng, đã giải quyết"},
    "withdraw": {"reason": "Người khiếu nại rút đơn"},
}


def _snapshot(code):
    m = Matter.objects.get(code=code)
    return (m.owner_id, m.status, m.due_on, m.version, m.is_open, m.rule_id, m.bounces)


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_owner_acts_reader_403_outsider_404(world, action):
    code = file(world)["code"]
    before = _snapshot(code)
    # head_b sees nothing of unit A: 404. leader_p sees A's petitions but does not own them: 403.
    assert (
        world.api(world.official_b).post(f"petitions/{code}/{action}", ACTIONS[action]).status_code
        == 404
    )
    assert (
        world.api(world.leader_p).post(f"petitions/{code}/{action}", ACTIONS[action]).status_code
        == 403
    )
    assert (
        world.api(world.auditor_p).post(f"petitions/{code}/{action}", ACTIONS[action]).status_code
        == 403
    )
    assert _snapshot(code) == before
    response = world.api(world.handler_a).post(f"petitions/{code}/{action}", ACTIONS[action])
    assert response.status_code == 200, response.content
    assert response.json()["code"] == code
    assert _snapshot(code) != before


def test_reads_follow_the_unit_tree(world):
    code = file(world)["code"]
    for user in (world.clerk_a, world.head_a, world.leader_p, world.auditor_p, world.admin):
        assert world.api(user).get(f"petitions/{code}").status_code == 200, user
    for user in (world.official_b, world.head_b, world.head_c):
        assert world.api(user).get(f"petitions/{code}").status_code == 404, user
    assert world.api(world.official_b).get("petitions/D2027-33-999999").status_code == 404


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        ("transfer", {"to": "A", "reason": "x", "legal_basis": "y"}, "to"),
        ("transfer", {"to": "B", "reason": "x", "legal_basis": ""}, "legal_basis"),
        ("transfer", {"to": "NOPE", "reason": "x", "legal_basis": "y"}, "to"),
        ("transfer", {"to": "B", "reason": "", "legal_basis": "y"}, "reason"),
        ("accept", {"accepted_on": "2027-03-16"}, "accepted_on"),
        ("accept", {"accepted_on": "2027-02-01"}, "accepted_on"),
        ("accept", {"accepted_on": "2027-03-05", "complexity": "hard"}, "complexity"),
        ("accept", {}, "accepted_on"),
        ("refuse", {"reason": ""}, "reason"),
        ("refuse", {"reason": "x", "ground": "because"}, "ground"),
        ("guide", {"to_body": ""}, "to_body"),
        ("file_away", {}, "reason"),
        ("extend", {"reason": "x", "decision_no": "1", "complexity": "complex"}, "status"),
        ("suspend", {"on": "2027-03-05", "reason": "x"}, "status"),
        ("resume", {"on": "2027-03-05"}, "status"),
        ("resolve", {"resolved_on": "2027-03-05", "outcome": "x", "decision_no": "1"}, "status"),
        ("discontinue", {"reason": "x"}, "status"),
        ("accept", {"accepted_on": "05/03/2027"}, "accepted_on"),
    ],
)
def test_bad_action_is_422_and_changes_nothing(world, action, payload, field):
    code = file(world)["code"]
    before = _snapshot(code)
    events = AuditEvent.objects.count()
    response = world.api(world.clerk_a).post(f"petitions/{code}/{action}", payload)
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"], response.json()
    assert _snapshot(code) == before
    assert AuditEvent.objects.count() == events
    assert not Handoff.objects.exists()


def test_accepted_petition_actions_validate_dates(world):
    code = file(world)["code"]
    api = world.api(world.clerk_a)
    api.post(f"petitions/{code}/accept", {"accepted_on": "2027-03-05"})
    before = _snapshot(code)
    for action, payload, field in [
        ("suspend", {"on": "2027-03-04", "reason": "x"}, "on"),
        ("suspend", {"on": "2027-03-06", "reason": ""}, "reason"),
        (
            "resolve",
            {"resolved_on": "2027-03-04", "outcome": "x", "decision_no": "1"},
            "resolved_on",
        ),
        ("resolve", {"resolved_on": "2027-03-10", "outcome": "", "decision_no": "1"}, "outcome"),
        (
            "resolve",
            {"resolved_on": "2027-03-10", "outcome": "x", "decision_no": ""},
            "decision_no",
        ),
        ("transfer", {"to": "B", "reason": "x", "legal_basis": "y"}, "status"),
        ("refuse", {"reason": "x"}, "status"),
    ]:
        response = api.post(f"petitions/{code}/{action}", payload)
        assert response.status_code == 422, (action, response.content)
        assert field in response.json()["errors"], (action, response.json())
    assert _snapshot(code) == before
    api.post(f"petitions/{code}/suspend", {"on": "2027-03-08", "reason": "Chờ giám định"})
    bad_resume = api.post(f"petitions/{code}/resume", {"on": "2027-03-07"})
    assert bad_resume.status_code == 422 and "on" in bad_resume.json()["errors"]
    assert (
        api.post(
            f"petitions/{code}/resolve",
            {"resolved_on": "2027-03-10", "outcome": "x", "decision_no": "1"},
        ).status_code
        == 422
    )


def test_full_lifecycle_resolved_on_time(world):
    code = file(world)["code"]
    api = world.api(world.clerk_a)
    accepted = api.post(f"petitions/{code}/accept", {"accepted_on": "2027-03-05"}).json()
    assert accepted["status"] == "accepted" and accepted["accepted_on"] == "2027-03-05"
    assert accepted["due_on"] == "2027-04-05"  # 30 days: Sun 04/04 -> Mon 05/04
    resolved = api.post(
        f"petitions/{code}/resolve",
        {
            "resolved_on": "2027-03-12",
            "outcome": "Khiếu nại đúng một phần",
            "decision_no": "15/QĐ-UBND",
        },
    ).json()
    assert resolved["status"] == "resolved"
    assert resolved["state"] == "done_on_time"
    assert resolved["decision_no"] == "15/QĐ-UBND"
    assert resolved["outcome"] == "Khiếu nại đúng một phần"
    assert not Matter.objects.get(code=code).is_open


def test_closing_decisions(world):
    api = world.api(world.clerk_a)
    refused = api.post(
        f"petitions/{file(world)['code']}/refuse", {"reason": "Hết thời hiệu", "ground": "time_bar"}
    ).json()
    assert (refused["status"], refused["refusal_ground"], refused["intake_decision"]) == (
        "refused",
        "time_bar",
        "refuse",
    )
    # The processing deadline (10/03) had passed on 15/03: refused late.
    assert refused["state"] == "done_late"
    guided = api.post(
        f"petitions/{file(world)['code']}/guide", {"to_body": "Tòa án", "note": ""}
    ).json()
    assert (guided["status"], guided["guided_to"]) == ("guided", "Tòa án")
    filed = api.post(
        f"petitions/{file(world)['code']}/file_away", {"reason": "Đơn nặc danh"}
    ).json()
    assert filed["status"] == "filed"
    withdrawn = api.post(
        f"petitions/{file(world)['code']}/withdraw", {"reason": "Rút đơn", "on": "2027-03-02"}
    ).json()
    assert (withdrawn["status"], withdrawn["closed_on"]) == ("withdrawn", "2027-03-02")
    assert withdrawn["state"] == "done_on_time"
    code = file(world)["code"]
    api.post(f"petitions/{code}/accept", {"accepted_on": "2027-03-05"})
    stopped = api.post(f"petitions/{code}/discontinue", {"reason": "Người khiếu nại chết"}).json()
    assert stopped["status"] == "discontinued"
    for action in ("accept", "refuse", "guide", "file_away", "withdraw"):
        assert api.post(f"petitions/{code}/{action}", ACTIONS[action]).status_code == 422


def test_denunciation_refusal_has_no_complaint_ground(world):
    code = file(world, kind="denunciation", petitioners=[])["code"]
    response = world.api(world.clerk_a).post(
        f"petitions/{code}/refuse", {"reason": "x", "ground": "time_bar"}
    )
    assert response.status_code == 422 and "ground" in response.json()["errors"]


def test_transfer_bounce_and_escalation(world):
    code = file(world)["code"]
    basis = "Điều 26 khoản 2 Luật Tiếp công dân"
    first = world.api(world.clerk_a).post(
        f"petitions/{code}/transfer", {"to": "B", "reason": "Thuộc Sở B", "legal_basis": basis}
    )
    assert first.status_code == 200
    data = first.json()
    assert (data["owner"], data["bounces"], data["handler"]) == ("B", 0, None)
    assert data["handoffs"][0] == {
        **data["handoffs"][0],
        "kind": "transfer",
        "from": "A",
        "to": "B",
        "legal_basis": basis,
    }
    # The receiving unit's processing clock starts on the day of the transfer (15/03): +7 WD.
    assert data["due_on"] == "2027-03-24"
    assert Notification.objects.filter(
        user=world.head_b, matter=code, kind="petition.arrived"
    ).exists()
    # A can no longer act, B can.
    assert (
        world.api(world.clerk_a)
        .post(f"petitions/{code}/transfer", {"to": "C", "reason": "x", "legal_basis": "y"})
        .status_code
        == 404
    )
    back = (
        world.api(world.official_b)
        .post(
            f"petitions/{code}/transfer",
            {"to": "A", "reason": "Không phải của B", "legal_basis": basis},
        )
        .json()
    )
    assert (back["owner"], back["bounces"]) == ("A", 1)
    again = (
        world.api(world.clerk_a)
        .post(
            f"petitions/{code}/transfer",
            {"to": "B", "reason": "Vẫn là của B", "legal_basis": basis},
        )
        .json()
    )
    # The second bounce reaches the limit (2): escalated to P, the lowest common superior.
    assert (again["owner"], again["bounces"]) == ("P", 2)
    assert [h["kind"] for h in again["handoffs"]] == ["transfer", "transfer", "escalation"]
    # Scorecards count the bounces each unit sent.
    rows = {r["unit"]: r for r in world.api(world.leader_p).get("scorecards", parent="P").json()}
    assert rows["B"]["bounces_sent"] == 1
    assert rows["A"]["bounces_sent"] == 1
    # The whole trail is on the petition for its new owner.
    trail = world.api(world.leader_p).get(f"petitions/{code}").json()["handoffs"]
    assert [(h["from"], h["to"]) for h in trail] == [("A", "B"), ("B", "A"), ("A", "P")]


def test_escalation_notifies_the_superior_head(world):
    world.p.head = world.leader_p
    world.p.save(update_fields=["head"])
    code = file(world)["code"]
    basis = "Điều 26"
    world.api(world.clerk_a).post(
        f"petitions/{code}/transfer", {"to": "B", "reason": "x", "legal_basis": basis}
    )
    world.api(world.official_b).post(
        f"petitions/{code}/transfer", {"to": "A", "reason": "x", "legal_basis": basis}
    )
    world.api(world.clerk_a).post(
        f"petitions/{code}/transfer", {"to": "B", "reason": "x", "legal_basis": basis}
    )
    assert Notification.objects.filter(
        user=world.leader_p, matter=code, kind="petition.escalated"
    ).exists()


def test_stale_version_is_409_and_changes_nothing(world):
    data = file(world)
    code, version = data["code"], data["version"]
    api = world.api(world.clerk_a)
    ok = api.post(f"petitions/{code}/accept", {"accepted_on": "2027-03-05", "version": version})
    assert ok.status_code == 200
    before = _snapshot(code)
    stale = api.post(
        f"petitions/{code}/suspend", {"on": "2027-03-06", "reason": "x", "version": version}
    )
    assert stale.status_code == 409
    assert "detail" in stale.json()
    assert _snapshot(code) == before
    header = world.api(world.handler_a)
    stale_header = header.post(
        f"petitions/{code}/suspend",
        {"on": "2027-03-06", "reason": "x"},
        headers={"If-Match": str(version)},
    )
    assert stale_header.status_code == 409
    fresh = header.post(
        f"petitions/{code}/suspend",
        {"on": "2027-03-06", "reason": "x"},
        headers={"If-Match": str(ok.json()["version"])},
    )
    assert fresh.status_code == 200


def test_list_like_matters(world):
    codes = [file(world)["code"] for _ in range(3)]
    codes.append(file(world, kind="denunciation", petitioners=[])["code"])
    b_code = file(world, user=world.official_b)["code"]
    api = world.api(world.clerk_a)
    page = api.get("petitions", page_size=2).json()
    assert page["count"] == 4
    assert [i["code"] for i in page["items"]] == codes[:2]
    assert [i["code"] for i in api.get("petitions", page=2, page_size=2).json()["items"]] == codes[
        2:
    ]
    assert api.get("petitions", kind="denunciation").json()["count"] == 1
    denunciation = api.get("petitions", kind="denunciation").json()["items"][0]
    assert denunciation["sealed"] is True and "petitioners" not in denunciation
    assert api.get("petitions", state="overdue").json()["count"] == 4
    assert api.get("petitions", state="in_time").json()["count"] == 0
    assert api.get("petitions", owner="A", area=world.commune.code).json()["count"] == 4
    everything = world.api(world.leader_p).get("petitions").json()
    assert everything["count"] == 5 and b_code in [i["code"] for i in everything["items"]]
    assert api.get("petitions", page_size=501).status_code == 422
    assert api.get("petitions", state="late").status_code == 422
    assert world.api(world.official_b).get("petitions").json()["count"] == 1


@pytest.mark.parametrize("list_limit", [2000, 0])
def test_visibility_is_owner_scope_handler_or_cooperation(world, monkeypatch, list_limit):
    """``matters_visible_to`` (index-friendly: owner IN … OR id IN …) gives exactly the
    matters of the rule, computed here row by row: owned by a unit the user sees, handled
    by the user, or cooperated on by the user's unit. ``list_limit`` 0 takes the subquery
    branch that large cooperations use instead of a list of ids."""
    from matters import selectors
    from matters.models import Participant
    from petitions.selectors import petitions_visible_to
    from units.selectors import visible_unit_ids

    monkeypatch.setattr(selectors, "EXTRA_IDS_AS_LIST", list_limit)
    codes = [
        file(world)["code"],
        file(world, user=world.official_b)["code"],
        file(world, user=world.head_c)["code"],
    ]
    moved = file(world)["code"]
    world.api(world.clerk_a).post(
        f"petitions/{moved}/transfer", {"to": "B", "reason": "x", "legal_basis": "y"}
    )
    Participant.objects.create(
        matter=Matter.objects.get(code=codes[0]), unit=world.c, role="cooperating"
    )
    Matter.objects.filter(code=codes[1]).update(handler=world.clerk_a)
    cooperating = {(p.matter_id, p.unit_id) for p in Participant.objects.all()}
    for user in (
        world.clerk_a,
        world.handler_a,
        world.head_a,
        world.official_b,
        world.head_b,
        world.head_c,
        world.leader_p,
        world.auditor_p,
        world.admin,
    ):
        units = visible_unit_ids(user)
        expected = {
            m.code
            for m in Matter.objects.filter(kind="petition")
            if units is None
            or m.owner_id in units
            or m.handler_id == user.pk
            or (m.id, user.unit_id) in cooperating
        }
        assert set(petitions_visible_to(user).values_list("code", flat=True)) == expected, user
    assert codes[1] in set(petitions_visible_to(world.clerk_a).values_list("code", flat=True))
    assert codes[0] in set(petitions_visible_to(world.head_c).values_list("code", flat=True))
    assert codes[0] not in set(petitions_visible_to(world.head_b).values_list("code", flat=True))
