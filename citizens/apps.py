from django.apps import AppConfig


class CitizensConfig(AppConfig):
    name = "citizens"

    def ready(self) -> None:
        from citizens.channels import register_channels

        register_channels()
