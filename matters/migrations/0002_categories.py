from django.db import migrations

CATEGORIES = [
    ("land", "Đất đai"),
    ("compensation", "Bồi thường, giải phóng mặt bằng"),
    ("housing", "Nhà ở"),
    ("policy", "Chế độ, chính sách"),
    ("justice", "Tư pháp"),
    ("corruption", "Tham nhũng"),
    ("environment", "Môi trường"),
    ("labour", "Lao động"),
    ("bot_toll", "Trạm thu phí BOT"),
    ("crime", "Tội phạm"),
    ("public_order", "An ninh, trật tự"),
    ("other", "Khác"),
]


def seed(apps, schema_editor):
    Category = apps.get_model("matters", "Category")
    for position, (code, label) in enumerate(CATEGORIES, start=1):
        Category.objects.update_or_create(code=code, defaults={"label": label, "position": position})


class Migration(migrations.Migration):
    dependencies = [("matters", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
