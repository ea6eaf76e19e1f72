from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_save


def _unit_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """A unit that changes area may change province: its matters follow (``owner_province``)."""
    if created or kwargs.get("raw"):
        return
    from matters.models import Matter, unit_provinces

    province = unit_provinces([instance.pk]).get(instance.pk, "")
    Matter.objects.filter(owner_id=instance.pk).exclude(owner_province=province).update(
        owner_province=province
    )


class MattersConfig(AppConfig):
    name = "matters"

    def ready(self) -> None:
        post_save.connect(_unit_saved, sender="units.Unit", dispatch_uid="matters_unit_province")
