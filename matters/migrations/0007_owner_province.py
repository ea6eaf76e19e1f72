from django.conf import settings
from django.db import migrations, models


def backfill(apps, schema_editor):
    """Each matter gets the province of its owner unit: one UPDATE per province."""
    Unit = apps.get_model("units", "Unit")
    Matter = apps.get_model("matters", "Matter")
    by_province: dict[str, list[int]] = {}
    rows = Unit.objects.values_list("id", "area_id", "area__kind", "area__parent_id")
    for unit_id, area_id, kind, parent_id in rows:
        if area_id is None:
            continue
        province = area_id if kind == "province" else parent_id or ""
        if province:
            by_province.setdefault(province, []).append(unit_id)
    for province, unit_ids in sorted(by_province.items()):
        for start in range(0, len(unit_ids), 500):
            Matter.objects.filter(owner_id__in=unit_ids[start : start + 500]).update(
                owner_province=province
            )


class Migration(migrations.Migration):
    dependencies = [
        ("areas", "0004_load_former"),
        ("matters", "0006_area_before"),
        ("units", "0002_closed_successor"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="matter",
            name="owner_province",
            field=models.CharField(default="", editable=False, max_length=2),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="matter",
            index=models.Index(
                fields=["owner_province", "code", "owner"], name="matter_oprov_code"
            ),
        ),
    ]
