"""The petitions' rule rows say what is still to be checked in a field, not in their text.

Sources and notes read "(chưa kiểm chứng)", "theo bản OCR chưa kiểm chứng" or referred to our
own design notes; every petition page showed it. The rows whose source was read from an
unchecked copy now carry ``needs_confirmation`` (shown once, on the rules page, until an
administrator confirms the source) and their text says only what the law says.
"""

from django.db import migrations

UNCHECKED = ("chưa kiểm chứng", "chưa xác định điều khoản", "OCR")
REWRITE = [
    (" (chưa kiểm chứng)", ""),
    (", chưa xác định điều khoản)", ")"),
    (" theo bản OCR chưa kiểm chứng", ""),
    ("⚠ ", ""),
    (
        "Khác với Điều 27 Luật Khiếu nại (10 ngày) — xem LAW-PETITIONS §6.5.",
        "Nghị định tính 10 ngày làm việc; Điều 27 Luật Khiếu nại ghi 10 ngày.",
    ),
    (" (LAW-PETITIONS §6.1)", ""),
]


def clean(apps, schema_editor):
    DeadlineRule = apps.get_model("matters", "DeadlineRule")
    for rule in DeadlineRule.objects.filter(key__startswith="petitions."):
        text = f"{rule.source} {rule.note}"
        if any(mark in text for mark in UNCHECKED):
            rule.needs_confirmation = True
        for old, new in REWRITE:
            rule.source = rule.source.replace(old, new)
            rule.note = rule.note.replace(old, new)
        rule.save(update_fields=["source", "note", "needs_confirmation"])


class Migration(migrations.Migration):
    dependencies = [
        ("matters", "0005_rule_confirmation"),
        ("petitions", "0004_covering_state_indexes"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
