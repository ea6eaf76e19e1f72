"""Every time limit of LAW-REVIEWS-PRESS.md B1 as a DeadlineRule row, with its source, and the
category of press statements.

Hour limits (unit ``hours``) count elapsed hours straight through nights, weekends and
holidays: Civil Code 2015 Art 147(1) starts an hour limit at the moment named, and the roll-over
of Art 148(5) is for days only. Rows of key ``statements.periodic`` are periods, not limits:
their ``length`` counts calendar months (statements/rules.py reads them so). The department
press conference of Decree 244 Art 6(3)(b) has no fixed frequency and so no row.
"""

from datetime import date

from django.db import migrations

PL2016 = date(2017, 1, 1)  # Luật Báo chí 103/2016/QH13 in force
ND09 = date(2017, 3, 30)  # Nghị định 09/2017/NĐ-CP in force
NEW = date(2026, 7, 1)  # Luật Báo chí 126/2025/QH15; Nghị định 244/2026, 237/2026 in force
H, D, WD = "hours", "calendar", "working"
N244, N237, N09 = "Nghị định 244/2026/NĐ-CP", "Nghị định 237/2026/NĐ-CP", "Nghị định 09/2017/NĐ-CP"
OCR = "Đọc từ bản OCR (M2, M3); cần đối chiếu văn bản chính thức."

# ref, key, variant, label, event, length, unit, source, from, to, configurable, note
RULES = [
    ("B1.1", "spokesperson_posting", "regular",
     "Đăng họ tên, chức vụ, điện thoại, thư điện tử của người phát ngôn thường xuyên",
     "thời điểm có quyết định giao nhiệm vụ", 24, H, f"{N244}, Điều 3 khoản 3", NEW, None,
     False, OCR),
    ("B1.1", "spokesperson_posting", "authorised",
     "Đăng thông tin người được ủy quyền phát ngôn (quy định cũ)",
     "thời điểm có văn bản ủy quyền", 12, H, f"{N09}, Điều 3 khoản 6", ND09, NEW, False, ""),
    ("B1.2", "event", "normal", "Phát ngôn, cung cấp thông tin ban đầu về sự kiện, vấn đề quan trọng",
     "thời điểm cơ quan tiếp nhận và xử lý vụ việc theo thẩm quyền", 24, H,
     f"{N244}, Điều 7 khoản 3", NEW, None, False, "Tính liên tục cả đêm, ngày nghỉ, ngày lễ. " + OCR),
    ("B1.2", "event", "normal", "Phát ngôn về sự kiện, vấn đề quan trọng (quy định cũ)",
     "thời điểm xảy ra sự kiện", 24, H, f"{N09}, Điều 6 khoản 3 điểm a", ND09, NEW, False,
     "Tính liên tục cả đêm, ngày nghỉ, ngày lễ."),
    ("B1.3", "divided_opinion", "normal",
     "Phát ngôn ban đầu khi dư luận có nhiều ý kiến không thống nhất",
     "thời điểm cơ quan xác định vụ việc có tác động hoặc nguy cơ tác động đến dư luận", 24, H,
     f"{N244}, Điều 7 khoản 4", NEW, None, False, "Tính liên tục cả đêm, ngày nghỉ, ngày lễ. " + OCR),
    ("B1.4", "periodic", "monthly_information", "UBND tỉnh cung cấp thông tin cho báo chí hằng tháng",
     "đầu mỗi tháng (hạn: ngày cuối tháng)", 1, D, f"{N244}, Điều 6 khoản 2 điểm a", NEW, None,
     False, "Chu kỳ: độ dài tính bằng tháng."),
    ("B1.5", "periodic", "press_conference", "UBND tỉnh tổ chức họp báo ít nhất 3 tháng một lần",
     "lần họp báo gần nhất", 3, D, f"{N244}, Điều 6 khoản 2 điểm b", NEW, None, False,
     "Chu kỳ: độ dài tính bằng tháng."),
    ("B1.5", "periodic", "press_conference", "UBND tỉnh tổ chức họp báo ít nhất 3 tháng một lần (quy định cũ)",
     "lần họp báo gần nhất", 3, D, f"{N09}, Điều 5 khoản 2 điểm b", ND09, NEW, False,
     "Chu kỳ: độ dài tính bằng tháng."),
    ("B1.6", "press_answer", "normal",
     "Trả lời trên báo chí vấn đề công dân nêu, khi Tổng biên tập yêu cầu",
     "ngày nhận yêu cầu của cơ quan báo chí", 30, D, f"{N237}, Điều 18 khoản 1", NEW, None, False,
     OCR),
    ("B1.6", "press_answer", "normal", "Trả lời trên báo chí (quy định cũ)",
     "ngày nhận yêu cầu của cơ quan báo chí", 30, D, "Luật Báo chí 2016, Điều 39 khoản 1",
     PL2016, NEW, False, ""),
    ("B1.7", "forwarded_petition", "normal",
     "Thông báo cho cơ quan báo chí việc xử lý kiến nghị, phê bình do báo chí chuyển đến",
     "ngày nhận văn bản chuyển đến của cơ quan báo chí", 15, WD, f"{N237}, Điều 18 khoản 3", NEW,
     None, False, "Quá hạn, cơ quan báo chí có quyền báo cáo cấp trên hoặc đăng tải (Điều 18 khoản 4). " + OCR),
    ("B1.7", "forwarded_petition", "normal",
     "Thông báo cho cơ quan báo chí việc xử lý đơn thư do báo chí chuyển đến (quy định cũ)",
     "ngày nhận văn bản chuyển đến của cơ quan báo chí", 30, D, "Luật Báo chí 2016 (theo B1)",
     PL2016, NEW, True, "Điều khoản của luật cũ chưa được đối chiếu."),
    ("B1.8", "forwarded_conclusion", "normal",
     "Thông báo cho cơ quan báo chí kết quả giải quyết khiếu nại do báo chí chuyển đến",
     "ngày có kết luận", 5, WD, f"{N237}, Điều 18 khoản 2", NEW, None, False, OCR),
    ("B1.9", "periodic", "annual_report",
     "Báo cáo Bộ Văn hóa, Thể thao và Du lịch về công tác phát ngôn (trước ngày 20/12)",
     "số liệu từ 15/12 năm trước đến 14/12 năm báo cáo", 12, D, f"{N244}, Điều 10", NEW, None,
     False, "Chu kỳ: độ dài tính bằng tháng; hạn gửi trước ngày 20 tháng 12."),
    ("B1.10", "internal_regulation", "normal",
     "Ban hành quy chế nội bộ về phát ngôn và cung cấp thông tin cho báo chí",
     "ngày Nghị định 244/2026 có hiệu lực (01/07/2026)", 45, D, f"{N244}, Điều 12", NEW, None,
     False, "Một lần, cho cơ quan chưa có quy chế."),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("matters", "DeadlineRule")
    for (ref, key, variant, label, event, length, unit, source, start, end, configurable,
         note) in RULES:
        DeadlineRule.objects.update_or_create(
            key=f"statements.{key}",
            variant=variant,
            effective_from=start,
            defaults={
                "ref": ref,
                "label": label,
                "event": event,
                "length": length,
                "unit": unit,
                "source": source,
                "effective_to": end,
                "configurable": configurable,
                "note": note,
            },
        )
    Category = apps.get_model("matters", "Category")
    # Inactive: set by the statement services only, kept out of other kinds' choices.
    Category.objects.update_or_create(
        code="press",
        defaults={"label": "Thông tin cho báo chí", "position": 210, "is_active": False},
    )


def unseed(apps, schema_editor):
    apps.get_model("matters", "DeadlineRule").objects.filter(key__startswith="statements.").delete()


class Migration(migrations.Migration):
    dependencies = [("statements", "0001_initial"), ("matters", "0002_categories")]
    operations = [migrations.RunPython(seed, unseed)]
