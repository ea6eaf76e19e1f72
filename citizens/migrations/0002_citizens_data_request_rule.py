"""The clock of a citizen's request about their own personal data, as a rule row."""

from datetime import date

from django.db import migrations


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("matters", "DeadlineRule")
    DeadlineRule.objects.update_or_create(
        key="citizens.DSR",
        variant="normal",
        effective_from=date(2026, 1, 1),
        defaults={
            "ref": "DL1",
            "label": "Trả lời yêu cầu của chủ thể dữ liệu về dữ liệu cá nhân của mình",
            "event": "ngày nhận được yêu cầu",
            "length": 3,
            "unit": "working",
            "source": "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15 (thời hạn chưa kiểm chứng)",
            "configurable": True,
            "needs_confirmation": True,
            "note": "⚠ Mặc định 3 ngày làm việc; quản trị viên sửa khi đối chiếu văn bản "
            "hướng dẫn Luật 91/2025/QH15.",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("matters", "DeadlineRule").objects.filter(key="citizens.DSR").delete()


class Migration(migrations.Migration):
    dependencies = [("citizens", "0001_citizens_initial"), ("matters", "0006_area_before")]
    operations = [migrations.RunPython(seed, unseed)]
