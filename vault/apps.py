import sys

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class VaultConfig(AppConfig):
    name = "vault"

    def ready(self) -> None:
        # Production refuses to start without a vault key: a key generated on the fly would
        # seal identities that no one could open after the next deployment.
        from vault.keys import keyring_configured, load_keyring

        creating_key = sys.argv[1:3] in (["vault", "init-key"], ["vault", "init_key"])
        if getattr(settings, "PRODUCTION", False) and not creating_key:
            if not keyring_configured():
                raise ImproperlyConfigured(
                    "No vault key: set DUTDIEM_VAULT_KEY or DUTDIEM_VAULT_KEY_FILE, or create "
                    f"{settings.VAULT_KEY_PATH} with `dutdiem vault init-key`"
                )
            load_keyring()
