from datetime import date, timedelta

import numpy as np
import pytest
from django.core.management import call_command

from alerts.models import Alert, Signal
from alerts.services import last_complete_week, warn, weekly_counts
from matters.models import Matter
from notifications.models import Notification

LAST_WEEK = date(2026, 11, 9)  # a Monday


def seed_counts(world, counts, category="land", area=None, owner=None):
    """Bulk-create matters so that week i (ending with LAST_WEEK) has counts[i] of them."""
    area = area or world.commune
    owner = owner or world.c
    first = LAST_WEEK - timedelta(weeks=len(counts) - 1)
    rows = []
    n = Matter.objects.count()
    for i, c in enumerate(counts):
        for j in range(int(c)):
            n += 1
            rows.append(
                Matter(
                    code=f"T{n:07d}",
                    kind="petition",
                    title="x",
                    area=area,
                    province="33",
                    category_id=category,
                    owner=owner,
                    status="closed",
                    is_open=False,
                    opened_on=first + timedelta(weeks=i, days=j % 7),
                    closed_on=first + timedelta(weeks=i, days=6),
                )
            )
    Matter.objects.bulk_create(rows)


def alert_of_a_rise(world, time_machine):
    """Eleven weeks in commune C with a rise to 20 in the last: one alert to C's head."""
    time_machine.move_to("2026-11-18 09:00:00+07:00", tick=False)
    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    warn(LAST_WEEK + timedelta(days=6))
    return Alert.objects.get()


def plan_of(unit, number):
    from plans.models import Directive, Plan

    directive = Directive.objects.create(
        number=f"D-{number}", title="x", issued_on=date(2026, 1, 5), issuer="UBND"
    )
    return Plan.objects.create(
        directive=directive,
        unit=unit,
        number=number,
        title=f"Kế hoạch {number}",
        issued_on=date(2026, 2, 2),
        briefing_due=date(2026, 2, 27),
    )


@pytest.fixture
def settings_ears(settings):
    settings.WARN_METHODS = ["ears-c2"]
    return settings


def test_last_complete_week():
    assert last_complete_week(date(2026, 11, 15)) == date(2026, 11, 9)  # Sunday: its week ended
    assert last_complete_week(date(2026, 11, 16)) == date(2026, 11, 9)  # Monday
    assert last_complete_week(date(2026, 11, 14)) == date(2026, 11, 2)  # Saturday


def test_weekly_counts_per_commune_category_week(world):
    seed_counts(world, [1, 0, 2, 3])
    data = weekly_counts(LAST_WEEK, 4)
    assert data.keys == [(world.commune.code, "land")]
    assert data.weeks[0] == LAST_WEEK - timedelta(weeks=3)
    assert data.counts.tolist() == [[1, 0, 2, 3]]


def test_a_rise_raises_one_alert_to_the_communes_head(world, settings_ears):
    rng = np.random.default_rng(3)
    baseline = list(rng.integers(0, 3, 30))
    seed_counts(world, baseline + [14])
    run = warn(LAST_WEEK + timedelta(days=6))
    assert run.signals == 1 and run.alerts_opened == 1
    alert = Alert.objects.get()
    assert (alert.area, alert.category_id, alert.unit, alert.observed) == (
        world.commune,
        "land",
        world.c,
        14,
    )
    assert alert.week == LAST_WEEK and alert.method == "ears-c2" and alert.upperbound < 14
    assert Notification.objects.filter(user=world.head_c, kind="alert.open").count() == 1


def test_later_signals_join_the_open_alert(world, settings_ears):
    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    warn(LAST_WEEK + timedelta(days=6))
    next_week = LAST_WEEK + timedelta(weeks=1)
    Matter.objects.bulk_create(
        [
            Matter(
                code=f"U{i}",
                kind="petition",
                title="x",
                area=world.commune,
                province="33",
                category_id="land",
                owner=world.c,
                status="open",
                opened_on=next_week + timedelta(days=1),
            )
            for i in range(25)
        ]
    )
    run = warn(next_week + timedelta(days=6))
    assert run.alerts_opened == 0
    alert = Alert.objects.get()
    assert alert.signals == 2 and alert.week == next_week and alert.observed == 25
    assert Signal.objects.filter(alert=alert).count() == 2


def test_a_steady_series_raises_nothing(world, settings_ears):
    seed_counts(world, [1, 2, 3, 2] * 5 + [3])
    run = warn(LAST_WEEK + timedelta(days=6))
    assert run.signals == 0 and not Alert.objects.exists()


@pytest.mark.parametrize(("minimum", "alerts"), [(3, 0), (2, 1)])
def test_too_few_matters_never_alert(world, settings_ears, minimum, alerts):
    """A baseline of zeros, then two petitions: EARS C2 fires (its threshold is 0), but two matters in a
    week only raise an alert if WARN_MIN_COUNT allows it."""
    settings_ears.WARN_MIN_COUNT = minimum
    seed_counts(world, [1] + [0] * 11 + [2])  # the 1 only starts the history
    run = warn(LAST_WEEK + timedelta(days=6))
    assert Alert.objects.count() == alerts and run.signals == alerts
    if alerts:
        # Threshold 0 over a zero baseline: the score is infinite, so it is left empty and
        # the API's JSON stays valid (no Infinity).
        alert = Alert.objects.get()
        assert alert.score is None
        item = world.api(world.head_c).get("alerts").json()["items"][0]
        assert item["score"] is None and item["observed"] == 2


def test_farrington_needs_a_year_of_history(world, settings):
    settings.WARN_METHODS = ["farrington-flexible"]
    seed_counts(world, [1] * 10 + [30])
    assert warn(LAST_WEEK + timedelta(days=6)).signals == 0  # too short: no answer, no alarm
    rng = np.random.default_rng(5)
    Matter.objects.all().delete()
    seed_counts(world, list(rng.poisson(2, 120)) + [25])
    run = warn(LAST_WEEK + timedelta(days=6))
    assert run.signals == 1
    assert Alert.objects.get().method == "farrington-flexible"


def test_alerts_api_access_and_acknowledge(world, settings_ears):
    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    warn(LAST_WEEK + timedelta(days=6))
    alert = Alert.objects.get()
    item = world.api(world.head_c).get("alerts", status="open").json()["items"][0]
    assert {
        k: item[k] for k in ("id", "area", "category", "week", "observed", "method", "status")
    } == {
        "id": alert.id,
        "area": world.commune.code,
        "category": "land",
        "week": "2026-11-09",
        "observed": 20,
        "method": "ears-c2",
        "status": "open",
    }
    assert "expected" in item and "score" in item
    assert world.api(world.leader_p).get("alerts").json()["count"] == 1
    assert world.api(world.official_b).get("alerts").json()["count"] == 0
    assert (
        world.api(world.official_b)
        .post(f"alerts/{alert.id}/acknowledge", {"note": "x"})
        .status_code
        == 404
    )
    assert (
        world.api(world.leader_p).post(f"alerts/{alert.id}/acknowledge", {"note": "x"}).status_code
        == 403
    )
    response = world.api(world.head_c).post(
        f"alerts/{alert.id}/acknowledge", {"note": "Đã giao Công an xã xác minh"}
    )
    assert response.status_code == 200 and response.json()["status"] == "acknowledged"
    again = world.api(world.head_c).post(f"alerts/{alert.id}/acknowledge", {"note": "x"})
    assert again.status_code == 422


def test_warn_command(world, settings_ears, capsys):
    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    call_command("warn", "--as-of", "2026-11-15")
    out = capsys.readouterr().out
    assert "1 signals, 1 new alerts" in out


def test_warn_command_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("warn", "--as-of", "15/11/2026")


def test_alert_pages(world, settings_ears):
    from django.test import Client

    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    warn(LAST_WEEK + timedelta(days=6))
    alert = Alert.objects.get()
    client = Client()
    client.force_login(world.head_c)
    assert world.commune.name in client.get("/alerts/").content.decode()
    page = client.get(f"/alerts/{alert.id}/").content.decode()
    assert "alert-series" in page and "EARS C2" in page
    response = client.post(f"/alerts/{alert.id}/", {"note": "Giao Công an xã"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "acknowledged"
    outsider = Client()
    outsider.force_login(world.official_b)
    assert outsider.get(f"/alerts/{alert.id}/").status_code == 404


def test_open_a_case_from_an_alert_in_one_step(world, settings_ears, time_machine):
    time_machine.move_to("2026-11-18 09:00:00+07:00", tick=False)
    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    warn(LAST_WEEK + timedelta(days=6))
    alert = Alert.objects.get()
    assert world.api(world.leader_p).post(f"alerts/{alert.id}/case").status_code == 403
    assert world.api(world.official_b).post(f"alerts/{alert.id}/case").status_code == 404
    response = world.api(world.head_c).post(f"alerts/{alert.id}/case")
    assert response.status_code == 201, response.content
    code = response.json()["case"]
    case = Matter.objects.get(code=code)
    assert case.kind == "case" and case.owner == world.c and case.area == world.commune
    assert case.case.petition_links.count() == 20
    alert.refresh_from_db()
    assert alert.follow_up == code and alert.status == "acknowledged"
    assert world.api(world.head_c).post(f"alerts/{alert.id}/case").status_code == 422


def test_open_a_task_from_an_alert_in_one_step(world, settings_ears, time_machine):
    alert = alert_of_a_rise(world, time_machine)
    plan = plan_of(world.c, "KH-C")
    other = plan_of(world.b, "KH-B")
    head = world.api(world.head_c)
    assert (
        world.api(world.leader_p).post(f"alerts/{alert.id}/task", {"plan": plan.id}).status_code
        == 403
    )
    assert (
        world.api(world.official_b).post(f"alerts/{alert.id}/task", {"plan": plan.id}).status_code
        == 404
    )
    missing = head.post(f"alerts/{alert.id}/task", {})
    assert missing.status_code == 422 and "plan" in missing.json()["errors"]
    # Another unit's plan is not one this head may add tasks to.
    assert head.post(f"alerts/{alert.id}/task", {"plan": other.id}).status_code == 422
    assert Matter.objects.filter(kind="task").count() == 0
    response = head.post(f"alerts/{alert.id}/task", {"plan": plan.id, "due_on": "2026-12-31"})
    assert response.status_code == 201, response.content
    code = response.json()["task"]
    task = Matter.objects.get(code=code)
    assert task.kind == "task" and task.owner == world.c and task.area == world.commune
    assert task.due_on == date(2026, 12, 31) and task.task.plan == plan
    alert.refresh_from_db()
    assert alert.follow_up == code and alert.status == "acknowledged"
    again = head.post(f"alerts/{alert.id}/task", {"plan": plan.id})
    assert again.status_code == 422
    assert world.api(world.head_c).post(f"alerts/{alert.id}/case").status_code == 422


def test_the_alert_page_opens_a_task_of_the_units_plan(world, settings_ears, time_machine):
    from django.test import Client

    alert = alert_of_a_rise(world, time_machine)
    client = Client()
    client.force_login(world.head_c)
    page = client.get(f"/alerts/{alert.id}/").content.decode()
    assert 'value="task"' not in page  # no plan yet: the page says to open a case instead
    plan = plan_of(world.c, "KH-C")
    page = client.get(f"/alerts/{alert.id}/").content.decode()
    assert 'value="task"' in page and "KH-C" in page and 'value="2026-12-18"' in page
    bad = client.post(
        f"/alerts/{alert.id}/", {"action": "task", "plan": plan.id, "due_on": "18/12"}, follow=True
    )
    assert "due_on" in bad.content.decode() and not Matter.objects.filter(kind="task").exists()
    response = client.post(
        f"/alerts/{alert.id}/", {"action": "task", "plan": plan.id, "due_on": "2026-12-18"}
    )
    assert response.status_code == 302
    code = Matter.objects.get(kind="task").code
    page = client.get(f"/alerts/{alert.id}/").content.decode()
    assert f'href="/plans/tasks/{code}/"' in page


def test_a_leader_runs_the_check_from_the_page_and_follows_its_progress(
    world, settings_ears, time_machine
):
    from django.test import Client

    from alerts.models import WarningRun
    from audit.models import AuditEvent

    time_machine.move_to("2026-11-18 09:00:00+07:00", tick=False)
    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    clerk = Client()
    clerk.force_login(world.clerk_a)
    assert 'name="as_of"' not in clerk.get("/alerts/").content.decode()
    assert clerk.post("/alerts/runs/", {"as_of": "2026-11-16"}).status_code == 403
    leader = Client()
    leader.force_login(world.leader_p)
    assert 'name="as_of"' in leader.get("/alerts/").content.decode()
    future = leader.post("/alerts/runs/", {"as_of": "2026-12-01"}, follow=True)
    assert "as_of" in future.content.decode() and not WarningRun.objects.exists()
    response = leader.post("/alerts/runs/", {"as_of": "2026-11-16"})
    run = WarningRun.objects.get()
    assert response.status_code == 302 and response.url == f"/alerts/runs/{run.id}/"
    # The test settings run jobs at once: the run is finished and its page says so.
    assert run.finished_at is not None and run.progress == 100 and run.started_by == world.leader_p
    assert run.week == LAST_WEEK and run.alerts_opened == 1
    page = leader.get(f"/alerts/runs/{run.id}/").content.decode()
    assert "hx-trigger" not in page and 'value="100"' in page
    assert AuditEvent.objects.filter(action="warn.start").count() == 1
    assert clerk.get(f"/alerts/runs/{run.id}/").status_code == 404


def test_a_running_check_is_polled_until_it_ends(world, settings_ears):
    from django.test import Client

    from alerts.models import WarningRun

    run = WarningRun.objects.create(
        as_of=date(2026, 11, 16), week=LAST_WEEK, progress=40, message="running ears-c2"
    )
    leader = Client()
    leader.force_login(world.leader_p)
    part = leader.get(f"/alerts/runs/{run.id}/", HTTP_HX_REQUEST="true").content.decode()
    assert "every 1s" in part and 'value="40"' in part and "running ears-c2" in part
    assert "<html" not in part
    again = leader.post("/alerts/runs/", {"as_of": "2026-11-16"}, follow=True)
    assert "vẫn đang chạy" in again.content.decode()
    assert WarningRun.objects.count() == 1


def test_the_space_time_scan_alerts_the_communes_of_a_planted_cluster(world, settings):
    """A year of scattered land petitions in twelve communes of one province, then a burst in
    the three communes nearest one of them in the last week: the scan finds that cluster and
    each of its communes gets an alert by the scan; the quiet communes get none."""
    settings.WARN_METHODS = ["stp-scan"]
    settings.WARN_SCAN_REPLICATES = 199
    from areas.models import Area

    communes = list(
        Area.objects.filter(
            parent_id=world.commune.parent_id, kind="commune", latitude__isnull=False
        ).order_by("code")[:12]
    )
    assert len(communes) == 12
    rng = np.random.default_rng(5)
    for area in communes:
        background = rng.poisson(0.4, size=52).tolist()
        background[-1] = 0
        seed_counts(world, background, area=area)
    centre = communes[0]

    def distance(a):
        return (a.latitude - centre.latitude) ** 2 + (a.longitude - centre.longitude) ** 2

    planted = sorted(communes, key=distance)[:3]
    for area in planted:
        seed_counts(world, [6], area=area)
    run = warn(LAST_WEEK + timedelta(days=6))
    alerted = set(Alert.objects.values_list("area_id", flat=True))
    assert alerted == {a.code for a in planted}, run.signals
    alert = Alert.objects.get(area=planted[0])
    assert alert.method == "stp-scan" and alert.observed == 6 and alert.expected < 6
    assert alert.upperbound is None and alert.score is None


def test_the_alert_page_lists_only_the_matters_its_reader_may_see(world, settings_ears):
    """The alert's page lists the matters of its commune, field and week, with links; a
    reader sees and counts only those in their scope; a sealed denunciation is a code."""
    from django.test import Client

    from petitions.models import Petition

    seed_counts(world, [1, 0, 1, 2, 1, 0, 1, 1, 2, 1, 20])
    warn(LAST_WEEK + timedelta(days=6))
    alert = Alert.objects.get()
    in_week = Matter.objects.filter(opened_on__gte=LAST_WEEK).order_by("code")
    assert in_week.count() == 20
    # Three of the week's matters belong to Sở A, outside the commune head's scope.
    outside = list(in_week.values_list("code", flat=True)[:3])
    Matter.objects.filter(code__in=outside).update(owner=world.a, title="Việc của Sở A")
    secret = in_week.exclude(code__in=outside).first()
    secret.kind = "petition"
    secret.title = "Tố cáo ông Nguyễn Văn Bí Mật"
    secret.save(update_fields=["kind", "title"])
    Petition.objects.create(
        matter=secret, kind="denunciation", received_on=secret.opened_on, sealed=True
    )

    def listed(user):
        client = Client()
        client.force_login(user)
        page = client.get(f"/alerts/{alert.id}/").content.decode()
        section = page.split('id="alert-matters"')[1]
        return page, section

    page, section = listed(world.head_c)
    assert section.count("<tr><td><a href=") == 17
    assert "17 việc" in section
    assert all(code not in section for code in outside)
    assert f'href="/petitions/{secret.code}/"' in section
    assert "Bí Mật" not in page
    # The province's leader sees all twenty, Sở A's among them.
    page, section = listed(world.leader_p)
    assert section.count("<tr><td><a href=") == 20
    assert "20 việc" in section
    assert all(f'href="/petitions/{code}/"' in section for code in outside)
    assert "Bí Mật" not in page
