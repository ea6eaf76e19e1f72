"""The dashboard and the report list in a real browser, at a realistic volume."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from areas.models import Area
from common.testing.browser import login, screenshot
from conftest import PASSWORD
from reports.synthetic import synthetic_matters
from units.services import unit_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def province(world: Any, communes: int = 40) -> None:
    """The world's units plus commune people's committees under P, and 20,000 matters over
    three years."""
    owners = [world.a, world.b, world.c]
    for area in (
        Area.objects.filter(parent_id="33")
        .exclude(code=world.commune.code)
        .order_by("code")[:communes]
    ):
        owners.append(
            unit_create(
                actor=world.admin,
                code=f"X{area.code}",
                name=f"UBND {area.name}",
                kind="peoples_committee",
                parent="P",
                area=area.code,
            )
        )
    synthetic_matters(count=20000, owners=owners, until=date.today(), days=3 * 365, seed=11)


def test_dashboard_draws_charts_and_map_and_filters(world: Any, page: Any, settings: Any) -> None:
    settings.DASHBOARD_REFRESH_SECONDS = 0
    province(world)
    login(page, "leader_p", PASSWORD)
    page.goto("/")
    page.wait_for_selector("html[data-dashboard=ready]")
    assert page.url.endswith("/reports/dashboard/")
    # Three charts drawn (Chart.js sets a size on each canvas), markers on the map.
    for chart in ("chart-trend", "chart-kind", "chart-category"):
        assert page.evaluate(f"!!window.Chart.getChart(document.getElementById('{chart}'))"), chart
    markers = page.locator("#dash-map .dd-marker").count()
    assert markers >= 40
    first = page.locator("#dash-map .dd-marker").first
    assert ":" in (first.get_attribute("title") or "")
    assert first.locator(".dd-name *").count() == 0  # the name is a text node, no HTML
    overdue = int(page.locator(".dash-cards .state-overdue .n").inner_text().replace(".", ""))
    assert overdue > 0
    rows = page.locator("table.scorecards tbody tr")
    assert rows.count() == 43
    first = [int(x.replace(".", "")) for x in rows.nth(0).locator("td").nth(1).inner_text().split()]
    last = [int(x.replace(".", "")) for x in rows.nth(42).locator("td").nth(1).inner_text().split()]
    assert first[0] >= last[0]  # worst first
    screenshot(page, "reports-dashboard")

    # Filter by kind through htmx: the URL follows, charts are drawn again.
    page.evaluate("document.documentElement.removeAttribute('data-dashboard')")
    page.select_option("select[name=kind]", "task")
    page.wait_for_selector("html[data-dashboard=ready]")
    assert "kind=task" in page.url
    tasks_open = int(page.locator(".dash-cards .card .n").first.inner_text().replace(".", ""))
    from matters.models import Matter

    assert tasks_open == Matter.objects.filter(kind="task", is_open=True).count()
    page.evaluate("document.documentElement.removeAttribute('data-dashboard')")
    page.select_option("select[name=period]", "24m")
    page.wait_for_selector("html[data-dashboard=ready]")
    # The map is drawn again inside its box (not over the page) after the swap.
    assert page.locator("#dash-map.leaflet-container").count() == 1
    assert page.locator("#dash-map .dd-marker").count() >= 40
    assert page.locator("body > .leaflet-pane, body > .leaflet-control-container").count() == 0
    screenshot(page, "reports-dashboard-tasks-24m")

    # Drill down into a unit from the scorecards; its overdue link opens the matters list.
    page.locator("table.scorecards tbody tr").first.locator("td a").first.click()
    page.wait_for_selector("html[data-dashboard=ready]")
    assert "unit=" in page.url


def test_report_list_generates_and_downloads(world: Any, page: Any) -> None:
    login(page, "head_a", PASSWORD)
    page.goto("/reports/documents/")
    page.select_option("select[name=period]", "year")
    page.fill("input[name=year]", str(date.today().year - 1))
    page.fill("input[name=index]", "")
    page.click("form.filters button[type=submit]")
    page.wait_for_selector("text=01/BC-A")
    screenshot(page, "reports-list")
    with page.expect_download() as info:
        page.click("a[download]")
    assert info.value.suggested_filename.endswith(".docx")
