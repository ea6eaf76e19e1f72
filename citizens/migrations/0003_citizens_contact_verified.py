"""A filing's contact is verified only when a 6-digit code proved it; Open311 filings came
with a contact nobody proved."""

from django.db import migrations, models


def mark(apps, schema_editor):
    """Every earlier filing came through the code, but those of Open311: proposals whose
    contact no used code ever proved (a sealed contact is a denunciation's, proved)."""
    PublicFiling = apps.get_model("citizens", "PublicFiling")
    ContactCode = apps.get_model("citizens", "ContactCode")
    PublicFiling.objects.update(contact_verified=True)
    proved = ContactCode.objects.filter(used_at__isnull=False)
    for filing in PublicFiling.objects.filter(petition__kind="proposal").iterator():
        if not proved.filter(kind=filing.contact_kind, address=filing.contact).exists():
            PublicFiling.objects.filter(pk=filing.pk).update(contact_verified=False)


class Migration(migrations.Migration):
    dependencies = [("citizens", "0002_citizens_data_request_rule")]

    operations = [
        migrations.AddField(
            model_name="publicfiling",
            name="contact_verified",
            field=models.BooleanField(default=False, verbose_name="contact verified"),
        ),
        migrations.RunPython(mark, migrations.RunPython.noop),
    ]
