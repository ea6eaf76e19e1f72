from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self) -> None:
        from accounts import throttle  # noqa: F401 - connects the failed sign-in counter
