"""The daily job: reminders before deadlines, escalation of overdue tasks, briefings."""

from __future__ import annotations

from io import StringIO

import time_machine
from django.core.management import call_command

from notifications.models import Notification
from plans.tasks import plans_daily
from plans.tests.conftest import make_task


def kinds(user):
    return sorted(Notification.objects.filter(user=user).values_list("kind", flat=True))


def test_reminders_and_escalation_once_per_due_date(pw):
    w = pw.w
    with time_machine.travel("2026-02-10", tick=False):
        soon = make_task(w.api(w.leader_p), pw.plan, "A", "2026-02-26")
        late = make_task(w.api(w.leader_p), pw.plan, "A", "2026-02-20")
    out = StringIO()
    with time_machine.travel("2026-02-24", tick=False):
        call_command("plans_remind", stdout=out)
        # A's officials hear of the task due soon and of the briefing due by 27/02.
        assert Notification.objects.filter(matter=soon, kind="task.due_soon").count() == 3
        assert "task.due_soon" in kinds(w.handler_a) and "briefing.due" in kinds(w.head_c)
        # The task overdue since 20/02 goes to the head of A; P has no head, only a leader.
        assert kinds(w.head_a).count("task.overdue") == 1
        assert not Notification.objects.filter(user=w.leader_p).exists()
        assert "1 overdue escalations" in out.getvalue()
        call_command("plans_remind", stdout=StringIO())
        assert Notification.objects.filter(matter=late, kind="task.overdue").count() == 1
    with time_machine.travel("2026-03-02", tick=False):
        result = plans_daily.enqueue()  # the immediate backend runs it here
        assert result.return_value["briefings_missing"] == 2
        assert kinds(w.head_c).count("briefing.missing") == 1


def test_finished_tasks_and_held_briefings_are_quiet(pw):
    w = pw.w
    with time_machine.travel("2026-02-10", tick=False):
        code = make_task(w.api(w.leader_p), pw.plan, "A", "2026-02-12")
        w.api(w.head_a).post(f"tasks/{code}/complete", {"completed_on": "2026-02-10"})
        w.api(w.head_a).post(
            f"plans/{pw.plan}/briefings", {"unit": "A", "held_on": "2026-02-10", "attendees": 5}
        )
        w.api(w.head_c).post(
            f"plans/{pw.plan}/briefings", {"unit": "C", "held_on": "2026-02-10", "attendees": 5}
        )
    with time_machine.travel("2026-03-02", tick=False):
        call_command("plans_remind", stdout=StringIO())
    assert not Notification.objects.exists()
