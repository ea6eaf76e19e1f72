"""Load the areas before 1 July 2025 (63 provinces, 696 districts, 10,033 communes) and the
official conversion to the areas in force (see ``areas/official.py`` for the sources); the
areas in force get ``valid_from`` 2025-07-01. Idempotent: rows already there are kept, so
the migration runs on an existing database as on an empty one."""

import datetime

from django.db import migrations

REFORM = datetime.date(2025, 7, 1)
UNTIL = datetime.date(2025, 6, 30)


def load(apps, schema_editor):
    from areas.official import former_tables
    from common.text import fold

    Area = apps.get_model("areas", "Area")
    FormerArea = apps.get_model("areas", "FormerArea")
    Succession = apps.get_model("areas", "Succession")
    Area.objects.filter(valid_from__isnull=True, valid_to__isnull=True).update(valid_from=REFORM)
    tables = former_tables()
    existing = set(FormerArea.objects.filter(valid_to=UNTIL).values_list("code", flat=True))
    for kind in ("province", "district", "commune"):
        parents = dict(
            FormerArea.objects.filter(valid_to=UNTIL).values_list("code", "id")
        )
        FormerArea.objects.bulk_create(
            [
                FormerArea(
                    code=row.code,
                    name=row.name,
                    kind=row.kind,
                    division_type=row.division_type,
                    parent_id=parents.get(row.parent) if row.parent else None,
                    province_code=row.province,
                    search_name=fold(row.name)[:120],
                    valid_to=UNTIL,
                )
                for row in tables.rows
                if row.kind == kind and row.code not in existing
            ],
            batch_size=1000,
        )
    ids = dict(FormerArea.objects.filter(valid_to=UNTIL).values_list("code", "id"))
    in_force = set(Area.objects.values_list("code", flat=True))
    done = set(Succession.objects.values_list("former_id", "area_id"))
    Succession.objects.bulk_create(
        [
            Succession(
                former_id=ids[row.former],
                area_id=row.area,
                share=row.share,
                whole=row.whole,
                is_default=row.is_default,
            )
            for row in tables.successions
            if row.former in ids
            and row.area in in_force
            and (ids[row.former], row.area) not in done
        ],
        batch_size=1000,
    )


def unload(apps, schema_editor):
    apps.get_model("areas", "Succession").objects.all().delete()
    apps.get_model("areas", "FormerArea").objects.filter(kind="commune").delete()
    apps.get_model("areas", "FormerArea").objects.filter(kind="district").delete()
    apps.get_model("areas", "FormerArea").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0003_former_areas")]
    operations = [migrations.RunPython(load, unload)]
