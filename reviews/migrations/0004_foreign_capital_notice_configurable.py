"""The notice to the investor on a foreign capital contribution is counted from the valid
dossier by the developers' reading of Decree 96/2026 Art 76(5): unconfirmed, so a setting."""

from django.db import migrations


def mark(apps, schema_editor):
    apps.get_model("matters", "DeadlineRule").objects.filter(
        key="reviews.decide", variant="foreign_capital"
    ).update(configurable=True)


class Migration(migrations.Migration):
    dependencies = [("reviews", "0003_category")]
    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
