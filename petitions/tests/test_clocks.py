"""Every deadline rule row against dates computed by hand, across Tết 2027 (04-10/02 off),
the make-up Saturday 22/08/2026 and the days off 31/08-02/09/2026."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from calendars.selectors import get_calendar
from common.errors import Invalid
from matters.models import DeadlineRule
from matters.rules import rule_in_force
from petitions.rules import key
from petitions.tests.helpers import file, travel

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.fixture(autouse=True)
def _now():
    with travel():
        yield


ALL_REFS = (
    [f"K{i}" for i in range(1, 12)]
    + [f"T{i}" for i in range(1, 9)]
    + [f"R{i}" for i in range(1, 5)]
)


def _deadline(world, code, user=None):
    return world.api(user or world.clerk_a).get(f"petitions/{code}/deadline").json()


def _accept(world, code, on, complexity="normal", remote=False, user=None):
    response = world.api(user or world.clerk_a).post(
        f"petitions/{code}/accept", {"accepted_on": on, "complexity": complexity, "remote": remote}
    )
    assert response.status_code == 200, response.content
    return response.json()


def test_every_limit_of_the_law_is_a_rule_row_with_source_and_date(world):
    refs = set(
        DeadlineRule.objects.filter(key__startswith="petitions.").values_list("ref", flat=True)
    )
    assert set(ALL_REFS) <= refs
    for rule in DeadlineRule.objects.filter(key__startswith="petitions."):
        assert rule.source and rule.effective_from and rule.length > 0, rule
        assert rule.unit in ("calendar", "working")


@pytest.mark.parametrize(
    ("ref", "variant", "length", "unit", "max_ext", "ext_len"),
    [
        ("K1", "normal", 90, "calendar", 0, 0),
        ("K3", "normal", 30, "calendar", 1, 15),
        ("K3", "complex", 45, "calendar", 0, 0),
        ("K3", "remote", 45, "calendar", 1, 15),
        ("K3", "remote_complex", 60, "calendar", 0, 0),
        ("K4", "normal", 3, "working", 0, 0),
        ("K5", "normal", 30, "calendar", 0, 0),
        ("K5", "remote", 45, "calendar", 0, 0),
        ("K6", "normal", 10, "working", 0, 0),
        ("K7", "normal", 45, "calendar", 1, 15),
        ("K7", "complex", 60, "calendar", 0, 0),
        ("K7", "remote", 60, "calendar", 1, 10),
        ("K7", "remote_complex", 70, "calendar", 0, 0),
        ("K8", "normal", 7, "calendar", 0, 0),
        ("K9", "normal", 30, "calendar", 0, 0),
        ("K10", "first", 15, "calendar", 0, 0),
        ("K10", "second", 10, "calendar", 0, 0),
        ("K10", "dismissal", 30, "calendar", 0, 0),
        ("K11", "accept", 10, "calendar", 0, 0),
        ("K11", "normal", 30, "calendar", 1, 15),
        ("K11", "complex", 45, "calendar", 0, 0),
        ("T1", "normal", 7, "working", 0, 0),
        ("T1", "several_places", 10, "working", 0, 0),
        ("T2", "normal", 5, "working", 0, 0),
        ("T3", "normal", 5, "working", 0, 0),
        ("T4", "normal", 30, "calendar", 0, 0),
        ("T4", "complex", 30, "calendar", 1, 30),
        ("T4", "especially_complex", 30, "calendar", 2, 30),
        ("T5", "normal", 5, "working", 0, 0),
        ("T6", "normal", 20, "calendar", 0, 0),
        ("T7", "normal", 20, "calendar", 0, 0),
        ("T8", "normal", 7, "working", 0, 0),
        ("R1", "normal", 10, "working", 0, 0),
        ("R2", "normal", 7, "working", 0, 0),
        ("R2", "citizen", 5, "working", 0, 0),
        ("R3", "normal", 10, "calendar", 0, 0),
        ("R4", "normal", 3, "working", 0, 0),
    ],
)
def test_rule_rows_in_force_today(world, ref, variant, length, unit, max_ext, ext_len):
    rule = rule_in_force(key(ref), date(2026, 11, 26), variant)
    assert (rule.length, rule.unit, rule.max_extensions, rule.extension_length) == (
        length,
        unit,
        max_ext,
        ext_len,
    )


def test_k2_changes_on_1_july_2026_and_its_history(world):
    assert rule_in_force(key("K2"), date(2026, 6, 30)).length == 10
    assert rule_in_force(key("K2"), date(2026, 6, 30)).unit == "working"
    new = rule_in_force(key("K2"), date(2026, 7, 1))
    assert (new.length, new.unit, new.configurable) == (7, "working", True)
    assert rule_in_force(key("K2"), date(2019, 5, 1)).unit == "calendar"
    assert rule_in_force(key("R4"), date(2026, 7, 1)).configurable
    with pytest.raises(Invalid):
        rule_in_force(key("R4"), date(2026, 6, 30))


def test_unconfirmed_rules_are_settings(world):
    configurable = set(
        DeadlineRule.objects.filter(key__startswith="petitions.", configurable=True).values_list(
            "ref", flat=True
        )
    )
    assert {"K2", "R3", "R4", "P1"} <= configurable
    assert "K3" not in configurable and "T4" not in configurable


def test_intake_before_and_after_the_reform_picks_its_own_row(world):
    with travel("2026-09-01 09:00 +07:00"):
        before = file(world, received_on="2026-06-30")
        after = file(world, received_on="2026-08-17")
    # 10 WD after Tue 30/06/2026: 01-03/07 (3), 06-10/07 (8), 13-14/07 -> Tue 14/07.
    assert before["due_on"] == "2026-07-14"
    # 7 WD after Mon 17/08/2026 counting the make-up Saturday 22/08: 18,19,20,21,22,24,25.
    assert after["due_on"] == "2026-08-25"
    explained = _deadline(world, after["code"])
    assert explained["skipped"] == ["2026-08-23"]
    assert (explained["rule"], explained["unit"], explained["days"]) == ("K2", "working", 7)


def test_working_days_skip_31_august_to_2_september_2026(world):
    with travel("2026-09-20 09:00 +07:00"):
        data = file(world, kind="denunciation", received_on="2026-08-27", petitioners=[])
        explained = _deadline(world, data["code"])
    # T1: 7 WD after Thu 27/08: Fri 28 (1), then Thu 03/09 .. Thu 10/09.
    assert data["due_on"] == "2026-09-10"
    assert "2026-08-31" in explained["skipped"] and "2026-09-02" in explained["skipped"]
    assert explained["rule"] == "T1"


def test_calendar_days_roll_over_tet_2027(world):
    with travel("2027-01-10 09:00 +07:00"):
        code = file(world, received_on="2027-01-04")["code"]
        data = _accept(world, code, "2027-01-05")
        explained = _deadline(world, code)
    # K3: 30 days after Tue 05/01/2027 is Thu 04/02/2027, a Tết day off; Tết runs to Wed
    # 10/02, so the last day moves to Thu 11/02.
    assert data["due_on"] == "2027-02-11"
    assert explained["raw_due_on"] == "2027-02-04"
    assert explained["skipped"] == [f"2027-02-{d:02d}" for d in range(4, 11)]
    assert (explained["rule"], explained["start"], explained["days"], explained["unit"]) == (
        "K3",
        "2027-01-05",
        30,
        "calendar",
    )
    assert explained["source"].startswith("Luật Khiếu nại 2011")


def test_calendar_day_ending_on_the_make_up_saturday_stays(world):
    with travel("2026-07-25 09:00 +07:00"):
        code = file(world, received_on="2026-07-20")["code"]
        data = _accept(world, code, "2026-07-23")
    assert data["due_on"] == "2026-08-22"  # Saturday 22/08/2026 is a working day


def test_calendar_day_ending_on_31_august_rolls_to_3_september(world):
    with travel("2026-08-02 09:00 +07:00"):
        code = file(world, received_on="2026-07-30")["code"]
        data = _accept(world, code, "2026-08-01")
        explained = _deadline(world, code)
    assert data["due_on"] == "2026-09-03"
    assert explained["skipped"] == ["2026-08-31", "2026-09-01", "2026-09-02"]


@pytest.mark.parametrize(
    ("complexity", "remote", "variant", "due"),
    [
        ("normal", False, "normal", "2026-12-02"),  # 30 days after 02/11
        ("complex", False, "complex", "2026-12-17"),  # 45
        ("normal", True, "remote", "2026-12-17"),  # 45
        (
            "especially_complex",
            True,
            "remote_complex",
            "2027-01-04",
        ),  # 60 -> Fri 01/01 holiday, Sat, Sun -> Mon 04/01
    ],
)
def test_first_complaint_resolution_variants(world, complexity, remote, variant, due):
    with travel("2026-11-10 09:00 +07:00"):
        code = file(world, received_on="2026-11-02")["code"]
        data = _accept(world, code, "2026-11-02", complexity, remote)
        explained = _deadline(world, code)
    assert (explained["rule"], explained["variant"]) == ("K3", variant)
    assert data["due_on"] == due
    assert data["status"] == "accepted"


@pytest.mark.parametrize(
    ("complexity", "remote", "variant", "days"),
    [
        ("normal", False, "normal", 45),
        ("complex", False, "complex", 60),
        ("normal", True, "remote", 60),
        ("complex", True, "remote_complex", 70),
    ],
)
def test_second_complaint_resolution_variants(world, complexity, remote, variant, days):
    with travel("2027-03-15 09:00 +07:00"):
        first = file(world, received_on="2027-03-01")["code"]
        second = file(
            world, user=world.leader_p, owner="P", first_instance=first, received_on="2027-03-02"
        )["code"]
        _accept(world, second, "2027-03-03", complexity, remote, user=world.leader_p)
        explained = _deadline(world, second, world.leader_p)
    assert (explained["rule"], explained["variant"], explained["days"]) == ("K7", variant, days)
    raw = date(2027, 3, 3) + timedelta(days=days)
    assert explained["due_on"] == get_calendar().next_working_day(raw).isoformat()


def test_denunciation_extensions_after_tet(world):
    with travel("2027-01-10 09:00 +07:00"):
        code = file(world, kind="denunciation", petitioners=[], received_on="2026-12-01")["code"]
        data = _accept(world, code, "2026-12-06", "complex")
        assert data["due_on"] == "2027-01-05"  # 30 days after Sun 06/12, a Tuesday
        api = world.api(world.clerk_a)
        extended = api.post(
            f"petitions/{code}/extend",
            {"reason": "Xác minh nhiều nơi", "decision_no": "05/QĐ-TTr", "complexity": "complex"},
        )
        assert extended.status_code == 200, extended.content
        # +30: Thu 04/02/2027, in Tết -> Thu 11/02 (the move applies to the final day only).
        assert extended.json()["due_on"] == "2027-02-11"
        again = api.post(
            f"petitions/{code}/extend",
            {"reason": "Thêm", "decision_no": "06/QĐ-TTr", "complexity": "complex"},
        )
        assert again.status_code == 422
        assert "extensions" in again.json()["errors"]
        # Found especially complex: a second extension is allowed.
        third = api.post(
            f"petitions/{code}/extend",
            {
                "reason": "Đặc biệt phức tạp",
                "decision_no": "07/QĐ-TTr",
                "complexity": "especially_complex",
            },
        )
        assert third.status_code == 200, third.content
        # 06/12/2026 + 30 + 60 = Sat 06/03/2027 -> Mon 08/03.
        assert third.json()["due_on"] == "2027-03-08"
        explained = _deadline(world, code)
        assert (explained["extensions"], explained["extension_days"], explained["variant"]) == (
            2,
            60,
            "especially_complex",
        )
        fourth = api.post(
            f"petitions/{code}/extend",
            {"reason": "Nữa", "decision_no": "08/QĐ-TTr", "complexity": "especially_complex"},
        )
        assert fourth.status_code == 422


def test_normal_denunciation_found_complex_gets_one_extension(world):
    with travel("2027-03-15 09:00 +07:00"):
        code = file(world, kind="denunciation", petitioners=[])["code"]
        _accept(world, code, "2027-03-02")
        api = world.api(world.clerk_a)
        refused = api.post(
            f"petitions/{code}/extend", {"reason": "x", "decision_no": "1", "complexity": "normal"}
        )
        assert refused.status_code == 422
        ok = api.post(
            f"petitions/{code}/extend", {"reason": "x", "decision_no": "1", "complexity": "complex"}
        )
        assert ok.status_code == 200
        # 02/03 + 30 = Thu 01/04; +30 = Sat 01/05/2027 (holiday) -> Mon 03/05 (nghỉ bù) -> Tue 04/05.
        assert ok.json()["due_on"] == "2027-05-04"
        assert ok.json()["complexity"] == "complex"


def test_complaint_extension_only_when_complex_and_once(world):
    with travel("2026-11-10 09:00 +07:00"):
        code = file(world, received_on="2026-11-02")["code"]
        _accept(world, code, "2026-11-02")
        api = world.api(world.clerk_a)
        bad = api.post(
            f"petitions/{code}/extend", {"reason": "x", "decision_no": "1", "complexity": "normal"}
        )
        assert bad.status_code == 422 and "complexity" in bad.json()["errors"]
        ok = api.post(
            f"petitions/{code}/extend",
            {"reason": "Phức tạp", "decision_no": "9/QĐ", "complexity": "complex"},
        )
        assert ok.json()["due_on"] == "2026-12-17"  # up to 45 days
        assert (
            api.post(
                f"petitions/{code}/extend",
                {"reason": "x", "decision_no": "2", "complexity": "complex"},
            ).status_code
            == 422
        )
        complex_from_start = file(world, received_on="2026-11-02")["code"]
        _accept(world, complex_from_start, "2026-11-02", "complex")
        none_left = api.post(
            f"petitions/{complex_from_start}/extend",
            {"reason": "x", "decision_no": "1", "complexity": "complex"},
        )
        assert none_left.status_code == 422


def test_proposal_rule_allows_no_extension(world):
    code = file(world, kind="proposal", petitioners=[])["code"]
    with travel():
        data = _accept(world, code, "2027-03-02")
        assert _deadline(world, code)["rule"] == "P1"
        assert data["due_on"] == "2027-04-01"
        response = world.api(world.clerk_a).post(
            f"petitions/{code}/extend", {"reason": "x", "decision_no": "1", "complexity": "complex"}
        )
    assert response.status_code == 422


def test_suspension_moves_the_final_day_once(world):
    with travel("2026-10-25 09:00 +07:00"):
        code = file(world, received_on="2026-09-30")["code"]
        data = _accept(world, code, "2026-10-01")
        # 30 days after Thu 01/10 is Sat 31/10 -> Mon 02/11.
        assert data["due_on"] == "2026-11-02"
        api = world.api(world.clerk_a)
        suspended = api.post(
            f"petitions/{code}/suspend", {"on": "2026-10-10", "reason": "Chờ kết quả giám định"}
        )
        assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
        resumed = api.post(f"petitions/{code}/resume", {"on": "2026-10-20"})
        assert resumed.status_code == 200
        # Raw last day Sat 31/10 + 10 days = Tue 10/11 (not Mon 02/11 + 10).
        assert resumed.json()["due_on"] == "2026-11-10"
        assert resumed.json()["status"] == "accepted"
        explained = _deadline(world, code)
    assert explained["suspended_days"] == 10
    assert explained["skipped"] == []


def test_deadline_is_readable_by_those_who_see_the_petition_only(world):
    code = file(world)["code"]
    with travel():
        assert world.api(world.head_a).get(f"petitions/{code}/deadline").status_code == 200
        assert world.api(world.leader_p).get(f"petitions/{code}/deadline").status_code == 200
        assert world.api(world.official_b).get(f"petitions/{code}/deadline").status_code == 404


def test_a_suspended_clock_is_not_overdue_until_it_restarts(world):
    """While suspended, a petition past its old last day is in time everywhere: the list's
    state filter, the deadline notices; once resumed, the moved day decides again."""
    from matters.models import Matter
    from petitions.services import notify_deadlines

    with travel("2026-10-25 09:00 +07:00"):
        code = file(world, received_on="2026-09-30")["code"]
        _accept(world, code, "2026-10-01")  # due Mon 02/11/2026
        api = world.api(world.clerk_a)
        assert (
            api.post(f"petitions/{code}/suspend", {"on": "2026-10-10", "reason": "x"}).status_code
            == 200
        )
    with travel("2026-11-20 09:00 +07:00"):
        assert api.get("petitions", state="overdue").json()["count"] == 0
        assert code in [i["code"] for i in api.get("petitions", state="in_time").json()["items"]]
        assert notify_deadlines(date(2026, 11, 20)) == {"due_soon": 0, "overdue": 0}
        assert api.post(f"petitions/{code}/resume", {"on": "2026-11-20"}).status_code == 200
        # 41 days suspended: raw last day Sat 31/10 + 41 = Fri 11/12/2026.
        assert Matter.objects.get(code=code).due_on == date(2026, 12, 11)
    with travel("2026-12-16 09:00 +07:00"):
        assert [i["code"] for i in api.get("petitions", state="overdue").json()["items"]] == [code]
