"""Extra views for the ops tests, mounted in front of the real URLconf."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path

from ops.routing import read_from_replica
from units.models import Unit
from units.services import unit_create

SENTINEL = "Nguyễn Văn Sentinel 079123456789"


def explode(request: HttpRequest) -> HttpResponse:
    raise ValueError(f"cannot handle {SENTINEL}")


def unit_add(request: HttpRequest) -> HttpResponse:
    """A write, as any intake would be: a new unit under P (the real service, with its audit)."""
    code = request.POST["code"]
    unit_create(
        actor=request.user, code=code, name=f"Unit {code}", kind="department", parent="P", area="33"
    )
    return JsonResponse({"code": code}, status=201)


@read_from_replica()
def unit_board(request: HttpRequest) -> HttpResponse:
    """A read-heavy page that accepts the replica: what a dashboard does."""
    codes = list(Unit.objects.order_by("code").values_list("code", flat=True))
    return JsonResponse({"codes": codes, "db": Unit.objects.all().db})


urlpatterns = [
    path("ops-test/explode", explode),
    path("ops-test/units/add", unit_add),
    path("ops-test/units/board", unit_board),
    path("", include("config.urls")),
]
