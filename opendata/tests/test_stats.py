"""Public statistics per unit: /api/v1/public/stats, /open-data/stats.csv and the page. The
figures are the officials' periodic figures for the same unit and period; counts only."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import pytest
from django.test import Client

from common.testing.sentinel import ADDRESS, ID_NUMBER, NAME, PHONE, Seen
from matters.models import Matter
from registry.tests.helpers import file, travel
from reports.figures import petition_figures

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

START, END = date(2026, 1, 1), date(2026, 3, 16)


@pytest.fixture(autouse=True)
def _now() -> Any:
    with travel():
        yield


def _close(
    code: str, *, opened: str, due: str, closed: str | None, status: str = "resolved"
) -> None:
    fields: dict[str, Any] = {
        "opened_on": date.fromisoformat(opened),
        "due_on": date.fromisoformat(due),
    }
    if closed:
        fields.update(is_open=False, status=status, closed_on=date.fromisoformat(closed))
    Matter.objects.filter(code=code).update(**fields)


@pytest.fixture
def filed(world: Any) -> dict[str, str]:
    """Unit A: one resolved on time (4 days), one resolved late (20 days), one open past
    its deadline, one open in time, one received before the period and resolved in it (10
    days, on time), one refused (not a resolution). Unit B: a sealed denunciation, open and late."""
    codes = {}
    for key in ("on_time", "late", "overdue", "in_time", "carried", "refused"):
        codes[key] = file(world, received_on="2026-03-02")["code"]
    _close(codes["on_time"], opened="2026-02-01", due="2026-02-20", closed="2026-02-05")
    _close(codes["late"], opened="2026-02-01", due="2026-02-10", closed="2026-02-21")
    _close(codes["overdue"], opened="2026-02-01", due="2026-03-01", closed=None)
    _close(codes["in_time"], opened="2026-03-02", due="2026-04-01", closed=None)
    _close(codes["carried"], opened="2025-12-20", due="2026-01-30", closed="2026-01-01")
    _close(
        codes["refused"],
        opened="2026-02-01",
        due="2026-02-20",
        closed="2026-02-03",
        status="refused",
    )
    sealed = file(
        world,
        user=world.official_b,
        kind="denunciation",
        summary="Tố cáo cán bộ",
        petitioners=[
            {"full_name": NAME, "id_number": ID_NUMBER, "address": ADDRESS, "phone": PHONE}
        ],
    )["code"]
    _close(sealed, opened="2026-02-01", due="2026-02-15", closed=None)
    codes["sealed"] = sealed
    return codes


def stats(**params: Any) -> Any:
    return Client().get("/api/v1/public/stats", params)


def by_unit(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {row["unit"]: row for row in rows}


def test_figures_per_unit(world: Any, filed: dict[str, str]) -> None:
    response = stats(province="33", **{"from": "2026-01-01", "to": "2026-03-16"})
    assert response.status_code == 200, response.content
    rows = by_unit(response.json())
    assert set(rows) >= {"P", "A", "B", "C"}
    assert rows["A"] == {
        "unit": "A",
        "name": "Sở A",
        "received": 5,
        "resolved_on_time": 2,
        "resolved_late": 1,
        "open_overdue": 1,
        "median_days": 12.0,
        "rating_mean": None,
        "ratings": 0,
    }
    # The sealed denunciation is one count, like any other.
    assert rows["B"]["received"] == 1 and rows["B"]["open_overdue"] == 1
    assert rows["C"]["received"] == 0 and rows["C"]["median_days"] is None


def test_the_same_figures_as_the_officials_reports(world: Any, filed: dict[str, str]) -> None:
    rows = by_unit(stats(province="33", **{"from": "2026-01-01", "to": "2026-03-16"}).json())
    for unit in (world.a, world.b, world.c):
        total = petition_figures(unit, START, END).total
        row = rows[unit.code]
        assert (row["received"], row["resolved_on_time"], row["resolved_late"]) == (
            total.received,
            total.resolved_on_time,
            total.resolved_late,
        )
        assert row["open_overdue"] == total.overdue


def test_the_period_moves_the_figures(world: Any, filed: dict[str, str]) -> None:
    rows = by_unit(stats(province="33", **{"from": "2026-02-06", "to": "2026-03-16"}).json())
    # Resolved on 05/02 falls outside; received on 01/02 too.
    assert rows["A"]["resolved_on_time"] == 0
    assert rows["A"]["resolved_late"] == 1
    assert rows["A"]["received"] == 1
    assert rows["A"]["median_days"] == 20.0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "province"),
        ({"province": "99"}, "province"),
        ({"province": "33", "from": "2026-13-01"}, "from"),
        ({"province": "33", "to": "16/03/2026"}, "to"),
        ({"province": "33", "from": "2026-03-02", "to": "2026-03-01"}, "from"),
    ],
)
def test_bad_parameters_are_422_naming_the_field(
    world: Any, params: dict[str, str], field: str
) -> None:
    response = stats(**params)
    assert response.status_code == 422
    assert field in response.json()["errors"]
    csv_response = Client().get("/open-data/stats.csv", params)
    if params:  # the CSV falls back on the deployment's province
        assert csv_response.status_code == 422
        assert field in csv_response.content.decode()


def test_csv_is_the_same_table_for_excel(world: Any, filed: dict[str, str]) -> None:
    params = {"province": "33", "from": "2026-01-01", "to": "2026-03-16"}
    api = stats(**params).json()
    response = Client().get("/open-data/stats.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [r["unit"] for r in rows] == [r["unit"] for r in api]
    a = next(r for r in rows if r["unit"] == "A")
    assert (a["received"], a["resolved_on_time"], a["open_overdue"], a["median_days"]) == (
        "5",
        "2",
        "1",
        "12.0",
    )
    vi = Client().get("/open-data/stats.csv", {**params, "headers": "vi"})
    header = vi.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Mã đơn vị,Đơn vị,Tiếp nhận"), header


def test_nothing_personal_anywhere(world: Any, filed: dict[str, str]) -> None:
    seen = Seen()
    params = {"province": "33", "from": "2026-01-01", "to": "2026-03-16"}
    seen.add("api", stats(**params))
    seen.add("csv", Client().get("/open-data/stats.csv", params))
    seen.add("page", Client().get("/open-data/", {"province": "33", "start": "01/01/2026"}))
    assert seen.leaks() == []


def test_the_page_shows_the_table_in_vietnamese(world: Any, filed: dict[str, str]) -> None:
    response = Client().get(
        "/open-data/", {"province": "33", "start": "01/01/2026", "end": "16/03/2026"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sở A" in page
    assert "stats.csv?province=33&amp;from=2026-01-01&amp;to=2026-03-16" in page
    bad = Client().get(
        "/open-data/", {"province": "33", "start": "16/03/2026", "end": "01/03/2026"}
    )
    assert bad.status_code == 422


def test_the_tracking_page_links_here(world: Any) -> None:
    page = Client().get("/registry/track/").content.decode()
    assert 'href="/open-data/"' in page and 'href="/open-data/map/"' in page
