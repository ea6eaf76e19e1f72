"""The category of project reviews and their consultations. Inactive: it is set by the review
services only and stays out of the category choices of petitions, tasks and cases."""

from django.db import migrations


def seed(apps, schema_editor):
    Category = apps.get_model("matters", "Category")
    Category.objects.update_or_create(
        code="investment",
        defaults={"label": "Đầu tư (thẩm định dự án)", "position": 200, "is_active": False},
    )


class Migration(migrations.Migration):
    dependencies = [("reviews", "0002_deadline_rules"), ("matters", "0002_categories")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
