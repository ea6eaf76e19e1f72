from datetime import date

from common.commands import DailyJobCommand
from plans.reminders import plans_remind
from plans.tasks import plans_daily


class Command(DailyJobCommand):
    help = (
        "Remind lead units of tasks coming due and target units of briefings not held; "
        "escalate overdue tasks to the heads. Run daily."
    )
    job = plans_daily

    def run(self, day: date) -> str:
        counts = plans_remind(day)
        return (
            f"{day.isoformat()}: {counts.due_soon} due-soon reminders, {counts.overdue} overdue "
            f"escalations, {counts.briefings_due} briefing reminders, "
            f"{counts.briefings_missing} missing-briefing notices"
        )
