"""Fill in the latitude and longitude of every area from the PyPI package
``vietnamadminunits`` (MIT; its 34-province dataset carries a centre point for each province
and commune, keyed by the official codes). The briefing map of a plan places communes by
these points. Areas that already have coordinates keep them. Without the package the
migration changes nothing: the map then lists the units instead."""

import importlib.util
import json
from pathlib import Path

from django.db import migrations


def _points():
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        return {}
    path = Path(list(spec.submodule_search_locations)[0]) / "data" / "parser_from_2025.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    points = {}
    for province in data.get("DICT_PROVINCE", {}).values():
        if province.get("provinceLat") is not None:
            points[f"{int(province['provinceCode']):02d}"] = (province["provinceLat"], province["provinceLon"])
    for key in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED", "DICT_PROVINCE_WARD_SHORT_ACCENTED"):
        for wards in data.get(key, {}).values():
            for ward in wards.values():
                if ward.get("wardLat") is not None and ward.get("wardCode"):
                    points.setdefault(f"{int(ward['wardCode']):05d}", (ward["wardLat"], ward["wardLon"]))
    return points


def fill(apps, schema_editor):
    Area = apps.get_model("areas", "Area")
    points = _points()
    if not points:
        return
    changed = []
    for area in Area.objects.filter(latitude__isnull=True, code__in=list(points)):
        area.latitude, area.longitude = points[area.code]
        changed.append(area)
    Area.objects.bulk_update(changed, ["latitude", "longitude"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial"), ("areas", "0002_load_official")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
