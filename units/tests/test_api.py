import pytest

from accounts.models import User
from audit.models import AuditEvent
from units.models import Unit


def unit_payload(**overrides):
    data = {"code": "D1", "name": "Sở Mới", "kind": "department", "parent": "P", "area": "33"}
    data.update(overrides)
    return data


def test_admin_creates_unit_under_parent(world):
    response = world.api(world.admin).post("units", unit_payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "D1" and body["parent"] == "P" and body["area"] == "33"
    unit = Unit.objects.get(code="D1")
    assert unit.path == f"{world.p.path}{unit.id}/"
    assert AuditEvent.objects.filter(action="unit.create", unit="D1").exists()


def test_root_unit_with_null_parent_and_area(world):
    response = world.api(world.admin).post(
        "units", unit_payload(code="ROOT2", parent=None, area=None)
    )
    assert response.status_code == 201
    assert Unit.objects.get(code="ROOT2").parent is None


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"kind": "army"}, "kind"),
        ({"parent": "NOPE"}, "parent"),
        ({"area": "99999"}, "area"),
        ({"name": "  "}, "name"),
    ],
)
def test_bad_unit_input_is_422_naming_the_field(world, overrides, field):
    before = Unit.objects.count()
    response = world.api(world.admin).post("units", unit_payload(**overrides))
    assert response.status_code == 422
    body = response.json()
    assert field in body["errors"] and field in body["detail"]
    assert Unit.objects.count() == before


def test_missing_field_is_422(world):
    response = world.api(world.admin).post("units", {"code": "X"})
    assert response.status_code == 422
    assert "name" in response.json()["detail"]


def test_duplicate_unit_code_is_409(world):
    response = world.api(world.admin).post("units", unit_payload(code="A"))
    assert response.status_code == 409


def test_non_admin_cannot_create_units(world):
    response = world.api(world.head_a).post("units", unit_payload())
    assert response.status_code == 403
    assert not Unit.objects.filter(code="D1").exists()


def test_no_token_is_401(world):
    response = world.api(None).post("units", unit_payload())
    assert response.status_code == 401


def official_payload(**overrides):
    data = {
        "username": "new.clerk",
        "password": "a-long-enough-secret",
        "full_name": "Nguyễn Thị Mới",
        "unit": "A",
        "roles": ["clerk"],
    }
    data.update(overrides)
    return data


def test_admin_creates_official(world):
    response = world.api(world.admin).post("officials", official_payload())
    assert response.status_code == 201, response.content
    user = User.objects.get(username="new.clerk")
    assert user.unit == world.a and user.roles == ["clerk"]
    assert user.check_password("a-long-enough-secret")


def test_second_head_of_a_unit_is_409(world):
    response = world.api(world.admin).post("officials", official_payload(roles=["head"]))
    assert response.status_code == 409
    assert "người đứng đầu" in response.json()["detail"]  # "already has a head", in Vietnamese
    assert not User.objects.filter(username="new.clerk").exists()


def test_first_head_becomes_the_units_head(world):
    unit = Unit.objects.create(code="E", name="E", kind="department", parent=world.p, path="")
    response = world.api(world.admin).post("officials", official_payload(unit="E", roles=["head"]))
    assert response.status_code == 201
    unit.refresh_from_db()
    assert unit.head.username == "new.clerk"


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"roles": ["boss"]}, "roles"),
        ({"unit": "NOPE"}, "unit"),
        ({"password": "short"}, "password"),
        ({"password": "password123"}, "password"),
        ({"password": "x" * 129}, "password"),
    ],
)
def test_bad_official_input_is_422(world, overrides, field):
    response = world.api(world.admin).post("officials", official_payload(**overrides))
    assert response.status_code == 422
    assert field in response.json()["errors"]
    assert not User.objects.filter(username="new.clerk").exists()


def test_taken_username_is_409(world):
    response = world.api(world.admin).post("officials", official_payload(username="clerk_a"))
    assert response.status_code == 409


def test_units_list_follows_the_tree(world):
    own = {u["code"] for u in world.api(world.clerk_a).get("units").json()}
    assert own == {"A"}
    leader = {u["code"] for u in world.api(world.leader_p).get("units").json()}
    assert leader == {"P", "A", "B", "C"}


def test_admin_deactivates_an_official_and_their_token_stops(world):
    target = world.api(world.clerk_a)
    assert target.get("matters").status_code == 200
    assert world.api(world.head_a).post("officials/clerk_a/deactivate").status_code == 403
    response = world.api(world.admin).post("officials/clerk_a/deactivate")
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert target.get("matters").status_code == 401
    assert world.api(world.admin).post("officials/nobody/deactivate").status_code == 404


def test_officials_list_follows_the_tree(world):
    names = {o["username"] for o in world.api(world.head_a).get("officials").json()}
    assert names == {"clerk_a", "handler_a", "head_a"}
