from datetime import date

from common.commands import DailyJobCommand
from petitions.services import notify_deadlines
from petitions.tasks import petitions_daily


class Command(DailyJobCommand):
    help = (
        "Notify handlers and heads of petitions due soon or overdue. Run daily; running it "
        "again the same day sends nothing new."
    )
    job = petitions_daily

    def run(self, day: date) -> str:
        counts = notify_deadlines(day)
        return (
            f"{day.isoformat()}: {counts['due_soon']} due-soon and {counts['overdue']} overdue "
            "notifications sent"
        )
