def test_provinces_are_the_34(world):
    response = world.api(world.clerk_a).get("areas")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 34
    codes = {r["code"] for r in rows}
    assert {"01", "33"} <= codes
    hung_yen = next(r for r in rows if r["code"] == "33")
    assert hung_yen == {"code": "33", "name": "Tỉnh Hưng Yên", "kind": "province"}


def test_communes_of_a_province(world):
    rows = world.api(world.clerk_a).get("areas", parent="33").json()
    assert len(rows) == 104
    assert all(len(r["code"]) == 5 and r["kind"] == "commune" for r in rows)


def test_all_communes_loaded(db):
    from areas.models import Area

    assert Area.objects.filter(kind="commune").count() == 3321


def test_unknown_province_is_404(world):
    response = world.api(world.clerk_a).get("areas", parent="99")
    assert response.status_code == 404
    assert "99" in response.json()["detail"]
