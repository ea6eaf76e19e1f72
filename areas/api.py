from django.http import HttpRequest
from ninja import Router, Schema

from areas.models import Area
from common.errors import NotFound

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    name: str
    kind: str


@router.get("", response=list[AreaOut], auth=None)
def list_areas(request: HttpRequest, parent: str | None = None) -> list[dict[str, object]]:
    """The 34 provinces, or with ``parent`` the communes of that province."""
    if parent:
        if not Area.objects.filter(code=parent, kind=Area.Kind.PROVINCE).exists():
            raise NotFound(f"No province with code {parent}")
        qs = Area.objects.filter(parent_id=parent)
    else:
        qs = Area.objects.filter(kind=Area.Kind.PROVINCE)
    return [dict(row) for row in qs.order_by("code").values("code", "name", "kind")]
