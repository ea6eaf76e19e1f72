from datetime import date

import pytest
from django.db import transaction

from common.errors import Conflict, Invalid
from conftest import make_official
from matters.models import Category, Handoff, Matter, Participant
from matters.services import (
    matter_handoff,
    matter_new,
    matter_touch,
    participants_set,
    sequence_next,
)
from notifications.models import Notification


def new_matter(
    world, owner, *, kind="task", due=None, opened=date(2026, 11, 2), title="Việc thử", closed=None
):
    with transaction.atomic():
        matter = matter_new(
            kind=kind,
            title=title,
            area=world.commune,
            category=Category.objects.get(code="land"),
            owner=owner,
            opened_on=opened,
            status="open",
        )
    matter.due_on = due
    if closed:
        matter.is_open = False
        matter.closed_on = closed
    matter.save()
    return matter


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-11-16 09:00:00+07:00", tick=False)
    return date(2026, 11, 16)


def test_codes_are_sequential_per_kind_province_and_year(world):
    a = new_matter(world, world.a)
    b = new_matter(world, world.a)
    c = new_matter(world, world.a, kind="case")
    assert a.code == "NV2026-33-000001" and b.code == "NV2026-33-000002"
    assert c.code == "VV2026-33-000001"
    assert a.province == "33"


def test_rolled_back_number_is_reused(world):
    with transaction.atomic():
        assert sequence_next("x", 2026) == 1
    try:
        with transaction.atomic():
            assert sequence_next("x", 2026) == 2
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        assert sequence_next("x", 2026) == 2


def test_states_at_their_boundaries(world, today):
    cases = {
        "overdue": new_matter(world, world.a, due=date(2026, 11, 15)),
        "due_soon_today": new_matter(world, world.a, due=date(2026, 11, 16)),
        "due_soon_edge": new_matter(world, world.a, due=date(2026, 11, 19)),
        "in_time": new_matter(world, world.a, due=date(2026, 11, 20)),
        "no_clock": new_matter(world, world.a, due=None),
        "done_on_time": new_matter(
            world, world.a, due=date(2026, 11, 10), closed=date(2026, 11, 10)
        ),
        "done_late": new_matter(world, world.a, due=date(2026, 11, 10), closed=date(2026, 11, 11)),
    }
    expected = {
        "overdue": "overdue",
        "due_soon_today": "due_soon",
        "due_soon_edge": "due_soon",
        "in_time": "in_time",
        "no_clock": "in_time",
        "done_on_time": "done_on_time",
        "done_late": "done_late",
    }
    api = world.api(world.clerk_a)
    items = {m["code"]: m for m in api.get("matters", page_size=50).json()["items"]}
    for name, matter in cases.items():
        assert items[matter.code]["state"] == expected[name], name
    for state in ("overdue", "due_soon", "in_time", "done_on_time", "done_late"):
        listed = {m["code"] for m in api.get("matters", state=state).json()["items"]}
        assert listed == {cases[n].code for n, s in expected.items() if s == state}, state


def test_matter_fields_are_the_contract(world, today):
    matter = new_matter(world, world.a, due=date(2026, 12, 1))
    item = world.api(world.clerk_a).get("matters").json()["items"][0]
    for key in (
        "code",
        "kind",
        "title",
        "area",
        "owner",
        "status",
        "due_on",
        "state",
        "bounces",
        "handoffs",
    ):
        assert key in item
    assert item["code"] == matter.code and item["owner"] == "A" and item["due_on"] == "2026-12-01"
    assert item["area"] == world.commune.code and item["bounces"] == 0 and item["handoffs"] == []


def test_visibility_follows_the_unit_tree(world, today):
    in_a = new_matter(world, world.a)
    in_b = new_matter(world, world.b)
    shared = new_matter(world, world.b)
    participants_set(shared, [world.a], Participant.Role.COOPERATING)

    def codes(user):
        return {m["code"] for m in world.api(user).get("matters").json()["items"]}

    assert codes(world.clerk_a) == {in_a.code, shared.code}
    assert codes(world.official_b) == {in_b.code, shared.code}
    assert codes(world.leader_p) == {in_a.code, in_b.code, shared.code}
    assert codes(world.head_c) == set()


def test_list_filters_paging_and_order(world, today):
    made = [new_matter(world, world.a, kind="task") for _ in range(5)]
    new_matter(world, world.a, kind="case")
    api = world.api(world.leader_p)
    page1 = api.get("matters", kind="task", page=1, page_size=2).json()
    page3 = api.get("matters", kind="task", page=3, page_size=2).json()
    assert page1["count"] == 5 and [m["code"] for m in page1["items"]] == [
        made[0].code,
        made[1].code,
    ]
    assert [m["code"] for m in page3["items"]] == [made[4].code]
    page2 = api.get("matters", kind="task", page=2, page_size=2).json()
    assert [m["code"] for m in page2["items"]] == [made[2].code, made[3].code]
    beyond = api.get("matters", kind="task", page=4, page_size=2).json()
    assert beyond == {"items": [], "count": 5}
    assert api.get("matters", owner="B").json()["count"] == 0
    assert api.get("matters", area=world.commune.code).json()["count"] == 6


@pytest.mark.parametrize(
    "params", [{"page": 0}, {"page_size": 501}, {"state": "late"}, {"kind": "memo"}]
)
def test_list_bad_params_are_422(world, params):
    assert world.api(world.clerk_a).get("matters", **params).status_code == 422


def test_search_ignores_diacritics(world, today):
    matter = new_matter(world, world.a, title="Tranh chấp đất đai của ông Nguyễn Văn Đức")
    new_matter(world, world.a, title="Việc khác")
    found = world.api(world.clerk_a).get("matters", q="nguyen van duc").json()["items"]
    assert [m["code"] for m in found] == [matter.code]


def handoff(world, matter, to, actor=None):
    with transaction.atomic():
        matter.refresh_from_db()
        return matter_handoff(
            actor=actor or world.clerk_a,
            matter=matter,
            to=to,
            reason="Không thuộc thẩm quyền",
            legal_basis="Điều 24 Luật Tố cáo 2018",
        )


def test_bounce_then_escalation_to_lowest_common_superior(world, settings):
    settings.BOUNCE_LIMIT = 2
    head_p = make_official("head_p", world.p, ["head"])
    matter = new_matter(world, world.a)
    handoff(world, matter, "B")  # A -> B: a transfer
    result = handoff(world, matter, "A", world.official_b)  # B -> A: bounce 1
    matter.refresh_from_db()
    assert result.handoff.is_bounce and matter.bounces == 1 and matter.owner == world.a
    result = handoff(world, matter, "B")  # A -> B again: bounce 2 = limit
    matter.refresh_from_db()
    assert result.escalated and result.handoff.kind == "escalation"
    assert matter.owner == world.p and matter.bounces == 2
    assert (
        Notification.objects.filter(
            user=head_p, kind="matter.escalated", matter=matter.code
        ).count()
        == 1
    )
    kinds = [h.kind for h in Handoff.objects.filter(matter=matter)]
    assert kinds == ["transfer", "transfer", "escalation"]
    scores = {r["unit"]: r for r in world.api(world.leader_p).get("scorecards", parent="P").json()}
    assert scores["B"]["bounces_sent"] == 1 and scores["A"]["bounces_sent"] == 1


def test_handoff_needs_competent_unit_and_legal_basis(world):
    matter = new_matter(world, world.a)
    with pytest.raises(Invalid) as err, transaction.atomic():
        matter_handoff(actor=world.clerk_a, matter=matter, to="A", reason="x", legal_basis="")
    assert set(err.value.errors) == {"to", "legal_basis"}
    assert not Handoff.objects.exists()


def test_concurrent_change_is_a_conflict(world):
    matter = new_matter(world, world.a)
    stale = Matter.objects.get(pk=matter.pk)
    matter_touch(matter)
    with pytest.raises(Conflict):
        matter_touch(stale)


def test_scorecards_count_per_unit(world, today):
    new_matter(world, world.a, due=date(2026, 11, 1))
    new_matter(world, world.a, due=date(2026, 12, 1))
    new_matter(world, world.b, due=date(2026, 11, 10), closed=date(2026, 11, 12))
    rows = world.api(world.leader_p).get("scorecards", parent="P").json()
    by_unit = {r["unit"]: r for r in rows}
    assert set(by_unit) == {"A", "B", "C"}
    assert (by_unit["A"]["open"], by_unit["A"]["overdue"]) == (2, 1)
    assert (by_unit["B"]["done_late"], by_unit["B"]["done_on_time"]) == (1, 0)


def test_scorecards_of_an_invisible_unit_are_404(world):
    assert world.api(world.official_b).get("scorecards", parent="P").status_code == 404
    assert world.api(world.official_b).get("scorecards", parent="NOPE").status_code == 404
