from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: request ids and JSON logs, metrics, replica routing, backup and restore."""

    name = "ops"
    verbose_name = "Operations"
