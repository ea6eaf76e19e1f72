from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "plans"

    def ready(self) -> None:
        from matters.contributions import add_scorecard_extras
        from plans.selectors import plan_scorecard_extras

        # Briefings missing and progress reports late, on the unit scorecards.
        add_scorecard_extras(plan_scorecard_extras)
