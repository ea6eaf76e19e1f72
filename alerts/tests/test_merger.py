"""Early warning across 1 July 2025 on synthetic history (issue 16): five years of weekly
matters in three old communes of Hưng Yên, then the same activity in the communes that
replaced them. Xã Ngọc Thanh (12322) was split between Xã Hiệp Cường (12322) and Phường Sơn
Nam (11983); Xã Phú Cường (12331) went whole into Sơn Nam, Xã Song Mai (12301) whole into
Hiệp Cường. Alerts must neither fire because of the merger nor fall silent."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from alerts.models import Alert
from alerts.services import warn, weekly_counts
from areas.models import REFORM_DATE, FormerArea
from matters.models import Matter

FIRST = date(2020, 6, 29)  # a Monday, five years before the reform
SPLIT, SON_NAM, HIEP_CUONG = "12322", "11983", "12322"


def _wiggle(base: float, week: int) -> int:
    return int(base + (week % 3) - 1)  # base - 1, base, base + 1: mean base, some variance


def seed(world, until: date, *, keep_old: bool = True, spike: tuple[date, str, int] | None = None):
    """Weekly matters (category land) from FIRST to the week of ``until``: before the reform
    under the old communes (``area`` = their successor, ``area_before`` = the old commune;
    without ``keep_old`` as if the old commune had not been recorded), after it under the
    new ones at the same activity: Sơn Nam 2 + half of 10, Hiệp Cường 3 + half of 10."""
    former = {f.code: f for f in FormerArea.objects.filter(code__in=["12322", "12331", "12301"])}
    rows, n, week = [], 0, 0
    monday = FIRST
    while monday <= until:
        day = monday + timedelta(days=1)
        plan: list[tuple[str, str | None, int]]
        if day < REFORM_DATE:
            plan = [(SPLIT, "12322", 10), (SON_NAM, "12331", 2), (HIEP_CUONG, "12301", 3)]
        else:
            plan = [(SON_NAM, None, 7), (HIEP_CUONG, None, 8)]
        for area, old, base in plan:
            count = _wiggle(base, week)
            if spike and spike[0] == monday and spike[1] == area:
                count = spike[2]
            for _ in range(count):
                n += 1
                rows.append(
                    Matter(
                        code=f"S{n:07d}",
                        kind="petition",
                        title="Kiến nghị về đất đai",
                        area_id=area,
                        area_before=former[old] if old and keep_old else None,
                        province="33",
                        category_id="land",
                        owner=world.c,
                        status="resolved",
                        is_open=False,
                        opened_on=day,
                        closed_on=day + timedelta(days=5),
                    )
                )
        monday += timedelta(weeks=1)
        week += 1
    Matter.objects.bulk_create(rows, batch_size=1000)


def run_weeks(time_machine, mondays: list[date]) -> None:
    for monday in mondays:
        sunday = monday + timedelta(days=6)
        time_machine.move_to(f"{sunday + timedelta(days=1)} 08:00:00+07:00", tick=False)
        warn(sunday)


# The Mondays of the first 14 weeks from the reform (30/06/2025 is a Monday; its week's
# matters are filed from Tuesday 1 July on, under the new communes).
AFTER = [REFORM_DATE - timedelta(days=1) + timedelta(weeks=i) for i in range(0, 14)]


def test_the_new_communes_series_carry_the_old_history(world):
    seed(world, date(2025, 7, 28))
    data = weekly_counts(date(2025, 6, 23), 52, category="land")
    series = {key[0]: data.counts[i] for i, key in enumerate(data.keys)}
    # Before the reform: Sơn Nam = Phú Cường + half of Ngọc Thanh; Hiệp Cường = Song Mai +
    # the other half, though every Ngọc Thanh matter was filed under Hiệp Cường.
    assert series[SON_NAM].mean() == pytest.approx(2 + 5, abs=0.1)
    assert series[HIEP_CUONG].mean() == pytest.approx(3 + 5, abs=0.1)
    one = weekly_counts(date(2025, 6, 23), 52, area=SON_NAM, category="land")
    assert one.keys == [(SON_NAM, "land")]
    assert one.counts[0].tolist() == series[SON_NAM].tolist()


@pytest.mark.parametrize("methods", [["farrington-flexible"], ["ears-c2"]])
def test_no_alert_because_of_the_merger(world, time_machine, settings, methods):
    settings.WARN_METHODS = methods
    seed(world, AFTER[-1])
    run_weeks(time_machine, AFTER)
    assert not Alert.objects.exists()


def test_without_the_old_areas_the_merger_would_raise_alerts(world, time_machine, settings):
    """The control: the same history with every Ngọc Thanh matter counted whole for Hiệp
    Cường (what a series by the filed area gives) makes Sơn Nam look like a rise."""
    settings.WARN_METHODS = ["farrington-flexible"]
    seed(world, AFTER[3], keep_old=False)
    run_weeks(time_machine, AFTER[:4])
    assert set(Alert.objects.values_list("area_id", flat=True)) == {SON_NAM}


def test_a_real_rise_after_the_merger_is_still_seen(world, time_machine, settings):
    settings.WARN_METHODS = ["farrington-flexible"]
    rise = AFTER[5]  # the Monday of the sixth week after the reform
    seed(world, AFTER[5], spike=(rise, HIEP_CUONG, 17))
    run_weeks(time_machine, AFTER[:6])
    alert = Alert.objects.get()
    assert (alert.area_id, alert.week, alert.observed) == (HIEP_CUONG, rise, 17)
