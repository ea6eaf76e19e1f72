from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _forget_areas(**kwargs: Any) -> None:
    # Migrations and test flushes rewrite the area tables; the resolver's copy must follow.
    from areas.services import gazetteer

    gazetteer.cache_clear()


class AreasConfig(AppConfig):
    name = "areas"

    def ready(self) -> None:
        post_migrate.connect(_forget_areas, dispatch_uid="areas.forget")
