import sys

from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.backends.signals import connection_created


class AuditConfig(AppConfig):
    name = "audit"

    def ready(self) -> None:
        from audit.guard import on_connection_created
        from audit.keys import key_configured, load_key

        connection_created.connect(on_connection_created, dispatch_uid="audit.guard")
        if not getattr(settings, "PRODUCTION", False):
            return
        if getattr(settings, "AUDIT_ERASE_ALLOWED", False):
            raise ImproperlyConfigured("AUDIT_ERASE_ALLOWED must never be set in production")
        # Production refuses to start without the audit key: a key made on the fly would
        # sign entries that no other process (and no later deployment) could verify.
        if sys.argv[1:3] in (["audit", "init-key"], ["audit", "init_key"]):
            return
        if not key_configured():
            raise ImproperlyConfigured(
                "No audit key: set DUTDIEM_AUDIT_KEY or DUTDIEM_AUDIT_KEY_FILE, or create "
                f"{settings.AUDIT_KEY_PATH} with `dutdiem audit init-key`"
            )
        load_key()
