from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "reports"

    def ready(self) -> None:
        from matters.contributions import set_scorecard_counts
        from reports.scorecards import snapshot_scorecard_counts

        # The scorecards read the dashboard's pre-aggregated counts instead of counting live.
        set_scorecard_counts(snapshot_scorecard_counts)
