from datetime import date

import numpy as np
import pytest

from calendars.selectors import get_calendar
from calendars.workdays import CalendarRangeError, WorkCalendar


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


@pytest.mark.parametrize("day", [date(2027, 2, d) for d in range(4, 11)])
def test_tet_2027_is_off(cal, day):
    assert not cal.is_working_day(day)


def test_days_around_tet_2027(cal):
    assert cal.is_working_day(date(2027, 2, 3))
    assert cal.is_working_day(date(2027, 2, 11))


def test_makeup_saturday_and_national_day_2026(cal):
    assert cal.is_working_day(date(2026, 8, 22))  # Saturday made a working day
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not cal.is_working_day(day)
    assert not cal.is_working_day(date(2026, 8, 29))  # an ordinary Saturday


def test_working_day_arithmetic_across_the_makeup_saturday(cal):
    # Friday 21/08 + 1 working day is the make-up Saturday 22/08; + 2 skips Sunday to Monday
    # 24/08; + 5 skips the 31/08–02/09 break: 24, 25, 26, 27, 28 -> 28/08; +6 -> 03/09.
    assert cal.add(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert cal.add(date(2026, 8, 21), 2) == date(2026, 8, 24)
    assert cal.add(date(2026, 8, 21), 6) == date(2026, 8, 28)
    assert cal.add(date(2026, 8, 21), 7) == date(2026, 9, 3)


def test_calendar_days_are_plain(cal):
    assert cal.add(date(2027, 1, 31), 5, "calendar") == date(2027, 2, 5)


def test_zero_and_negative_working_days(cal):
    assert cal.add(date(2026, 8, 29), 0) == date(2026, 8, 29)
    assert cal.add(date(2026, 9, 3), -1) == date(2026, 8, 28)


def test_civil_code_rollover_of_a_calendar_deadline(cal):
    # 30 days from 05/01/2027 ends on 04/02/2027, the first day of Tết: moves to 11/02.
    result = cal.deadline(date(2027, 1, 5), 30, "calendar")
    assert result.raw_due_on == date(2027, 2, 4)
    assert result.due_on == date(2027, 2, 11)
    assert result.skipped == [date(2027, 2, d) for d in range(4, 11)]


def test_calendar_deadline_on_a_working_day_does_not_move(cal):
    result = cal.deadline(date(2026, 11, 2), 10, "calendar")
    assert result.due_on == result.raw_due_on == date(2026, 11, 12)
    assert result.skipped == []


def test_working_day_deadline_lists_the_skipped_days(cal):
    # Friday 28/08 + 2 working days: Sat-Sun and the 31/08-02/09 break are skipped,
    # Thursday 03/09 is the first and Friday 04/09 the second.
    result = cal.deadline(date(2026, 8, 28), 2, "working")
    assert result.due_on == date(2026, 9, 4)
    assert result.skipped == [
        date(2026, 8, 29),
        date(2026, 8, 30),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2026, 9, 2),
    ]


def test_overrides_win(cal):
    custom = WorkCalendar({date(2026, 12, 31): False, date(2026, 12, 26): True})
    assert not custom.is_working_day(date(2026, 12, 31))
    assert custom.is_working_day(date(2026, 12, 26))
    assert cal.is_working_day(date(2026, 12, 31))


def test_vectorised_matches_scalar(cal):
    rng = np.random.default_rng(7)
    starts = np.datetime64("2020-01-01") + rng.integers(0, 3000, 500).astype("timedelta64[D]")
    days = rng.integers(-20, 60, 500)
    many = cal.add_working_many(starts, days)
    for s, n, r in zip(starts, days, many, strict=True):
        assert cal.add(s.astype(date), int(n)) == r.astype(date)


def test_out_of_range_is_an_error(cal):
    with pytest.raises(CalendarRangeError):
        cal.is_working_day(date(1990, 1, 1))


def test_calendar_api_add(world):
    api = world.api(world.clerk_a)
    assert api.get("calendar/add", start="2026-08-21", days=1).json() == {"date": "2026-08-22"}
    assert api.get("calendar/add", start="2027-01-31", days=5, unit="calendar").json() == {
        "date": "2027-02-05"
    }
    assert api.get("calendar/add", start="2027-02-03", days=1, unit="working").json() == {
        "date": "2027-02-11"
    }


@pytest.mark.parametrize(
    "params, field",
    [
        ({"start": "2026-13-01", "days": 1}, "start"),
        ({"start": "2026-01-01", "days": "x"}, "days"),
        ({"start": "2026-01-01", "days": 1, "unit": "weeks"}, "unit"),
        ({"days": 1}, "start"),
    ],
)
def test_calendar_api_bad_input(world, params, field):
    response = world.api(world.clerk_a).get("calendar/add", **params)
    assert response.status_code == 422
    assert field in response.json()["detail"]


def test_admin_declares_days(world):
    api = world.api(world.admin)
    response = api.put("calendar/days/2026-12-31", {"kind": "off", "note": "Nghỉ bù"})
    assert response.status_code == 200
    assert response.json()["working"] is False
    assert not get_calendar().is_working_day(date(2026, 12, 31))
    assert api.get("calendar/add", start="2026-12-30", days=1).json() == {"date": "2027-01-04"}
    api.put("calendar/days/2026-12-31", {"kind": "working", "note": ""})
    assert api.get("calendar/add", start="2026-12-30", days=1).json() == {"date": "2026-12-31"}


def test_only_admins_declare_days(world):
    response = world.api(world.head_a).put("calendar/days/2026-12-31", {"kind": "off"})
    assert response.status_code == 403
    assert get_calendar().is_working_day(date(2026, 12, 31))


def test_bad_day_kind_is_422(world):
    response = world.api(world.admin).put("calendar/days/2026-12-31", {"kind": "holiday"})
    assert response.status_code == 422
