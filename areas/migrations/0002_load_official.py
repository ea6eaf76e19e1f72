from django.db import migrations


def load(apps, schema_editor):
    from vietnam_provinces import Province, Ward

    from common.text import fold

    Area = apps.get_model("areas", "Area")
    Area.objects.bulk_create(
        [
            Area(
                code=f"{int(p.code.value):02d}",
                name=p.name,
                kind="province",
                division_type=str(p.division_type.value),
                search_name=fold(p.name),
            )
            for p in Province.iter_all()
        ]
    )
    Area.objects.bulk_create(
        [
            Area(
                code=f"{int(w.code.value):05d}",
                name=w.name,
                kind="commune",
                division_type=str(w.division_type.value),
                parent_id=f"{int(w.province_code.value):02d}",
                search_name=fold(w.name),
            )
            for w in Ward.iter_all()
        ],
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
