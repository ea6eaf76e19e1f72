from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "citizens"

    def ready(self) -> None:
        from citizens.channels import register_channels

        register_channels()
        from citizens.selectors import scorecard_columns
        from matters.contributions import add_scorecard_extras

        add_scorecard_extras(scorecard_columns)
