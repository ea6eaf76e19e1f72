"""``dutdiem reports-tick``: the daily run of the reports app, for a systemd timer or cron.

Asks for the scheduled periodic reports whose period has ended and rebuilds the dashboard's
counts for the new day. ``--enqueue`` hands both to the job worker instead of running them.
"""

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Ask for due scheduled reports and refresh the dashboard counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--enqueue", action="store_true", help="run them as background jobs")

    def handle(self, *args: object, **options: object) -> None:
        from reports.tasks import refresh_dashboard, run_schedules

        if options["enqueue"]:
            run_schedules.enqueue()
            refresh_dashboard.enqueue()
            self.stdout.write("enqueued: scheduled reports, dashboard refresh")
            return
        from reports.dashboard import dashboard_refresh
        from reports.services import schedules_run

        made = schedules_run()
        snapshot = dashboard_refresh()
        self.stdout.write(
            f"{made} scheduled report(s) asked for; dashboard refreshed in {snapshot.duration_ms} ms"
        )
