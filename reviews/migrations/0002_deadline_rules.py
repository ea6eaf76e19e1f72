"""Every time limit of LAW-REVIEWS-PRESS.md A1 as a DeadlineRule row, with its source.

Keys: ``reviews.send`` (the registration agency asks for opinions), ``reviews.reply`` (the
consulted unit answers; silence past it is deemed consent), ``reviews.report`` (appraisal
report to the decision maker), ``reviews.decide`` (the decision, or for a foreign capital
contribution the notice to the investor), ``reviews.total`` (the old overall limit).
The variant is the procedure. Rows marked configurable are unconfirmed (A4); administrators
may change them. A dossier's received day picks the law (reviews/rules.py).
"""

from datetime import date

from django.db import migrations

L2020 = date(2021, 1, 1)  # Luật Đầu tư 61/2020/QH14 in force
L2025 = date(2026, 3, 1)  # Luật Đầu tư 143/2025/QH15 in force; Nghị định 96/2026/NĐ-CP
WD, D = "working", "calendar"
ND96 = "Nghị định 96/2026/NĐ-CP"
VALID = "ngày nhận đủ hồ sơ hợp lệ"
ASKED = "ngày nhận văn bản đề nghị cho ý kiến"
OCR = "Bản OCR của Nghị định 96/2026 (M1); số hiệu điểm, khoản có chỗ bị lỗi nhận dạng."

# ref, key, variant, label, event, length, unit, source, from, to, configurable, note
RULES = [
    # Chủ tịch UBND tỉnh chấp thuận chủ trương đầu tư (Art 35(7))
    ("A1.1", "send", "province", "Gửi hồ sơ lấy ý kiến (gồm Bộ CHQS tỉnh, Công an tỉnh)",
     VALID, 2, WD, f"{ND96}, Điều 35 khoản 7 điểm b", L2025, None, False, OCR),
    ("A1.2", "reply", "province", "Cơ quan được lấy ý kiến trả lời",
     ASKED, 7, WD, f"{ND96}, Điều 35 khoản 7 điểm c; Điều 6 khoản 6 điểm b", L2025, None,
     False, "Quá hạn không trả lời thì được coi là đã đồng ý và chịu trách nhiệm về nội dung "
     "thuộc lĩnh vực quản lý của mình (Điều 6 khoản 6 điểm b)."),
    ("A1.3", "report", "province", "Báo cáo thẩm định trình Chủ tịch UBND tỉnh",
     VALID, 14, WD, f"{ND96}, Điều 35 khoản 7 điểm d", L2025, None, False,
     "Thời gian nhà đầu tư sửa đổi, bổ sung, giải trình hồ sơ không tính vào thời hạn "
     "(Điều 6 khoản 1 điểm e)."),
    ("A1.4", "decide", "province", "Chủ tịch UBND tỉnh quyết định chấp thuận chủ trương đầu tư",
     "ngày nhận báo cáo thẩm định", 3, WD, f"{ND96}, Điều 35 khoản 7 điểm đ", L2025, None,
     False, "Bản OCR ghi \"5.\"; nhiều khả năng là điểm đ. " + OCR),
    # Ban quản lý khu công nghiệp, khu kinh tế (Art 35(10))
    ("A1.5", "send", "zone", "Ban quản lý khu công nghiệp, khu kinh tế gửi hồ sơ lấy ý kiến",
     VALID, 2, WD, f"{ND96}, Điều 35 khoản 10", L2025, None, False, ""),
    ("A1.5", "reply", "zone", "Cơ quan được lấy ý kiến trả lời (khu công nghiệp, khu kinh tế)",
     ASKED, 7, WD, f"{ND96}, Điều 35 khoản 10; Điều 6 khoản 6 điểm b", L2025, None, False,
     "Quá hạn không trả lời thì được coi là đã đồng ý."),
    ("A1.5", "decide", "zone", "Ban quản lý khu công nghiệp, khu kinh tế quyết định",
     VALID, 17, WD, f"{ND96}, Điều 35 khoản 10", L2025, None, False, ""),
    # Chấp thuận nhà đầu tư (Art 31(1))
    ("A1.6", "send", "investor_approval", "Gửi hồ sơ lấy ý kiến (chấp thuận nhà đầu tư)",
     VALID, 2, WD, f"{ND96}, Điều 31 khoản 1", L2025, None, False, ""),
    ("A1.6", "reply", "investor_approval", "Cơ quan được lấy ý kiến trả lời (chấp thuận nhà đầu tư)",
     ASKED, 7, WD, f"{ND96}, Điều 31 khoản 1; Điều 6 khoản 6 điểm b", L2025, None, False,
     "Quá hạn không trả lời thì được coi là đã đồng ý."),
    ("A1.6", "report", "investor_approval", "Báo cáo thẩm định (chấp thuận nhà đầu tư)",
     VALID, 14, WD, f"{ND96}, Điều 31 khoản 1", L2025, None, False, ""),
    ("A1.6", "decide", "investor_approval", "Quyết định chấp thuận nhà đầu tư",
     "ngày nhận báo cáo thẩm định", 3, WD, f"{ND96}, Điều 31 khoản 1", L2025, None, False, ""),
    # Góp vốn, mua cổ phần của nhà đầu tư nước ngoài (Art 76(5))
    ("A1.7", "send", "foreign_capital",
     "Lấy ý kiến Bộ CHQS tỉnh, Công an tỉnh về góp vốn, mua cổ phần của nhà đầu tư nước ngoài",
     VALID, 2, WD, f"{ND96}, Điều 76 khoản 5", L2025, None, False, ""),
    ("A1.7", "reply", "foreign_capital", "Bộ CHQS tỉnh, Công an tỉnh trả lời (góp vốn, mua cổ phần)",
     ASKED, 5, WD, f"{ND96}, Điều 76 khoản 5 điểm b", L2025, None, False,
     "Quá hạn không trả lời thì được coi là đã đồng ý (Điều 76 khoản 5 điểm b)."),
    ("A1.7", "decide", "foreign_capital", "Thông báo cho nhà đầu tư (góp vốn, mua cổ phần)",
     VALID, 10, WD, f"{ND96}, Điều 76 khoản 5", L2025, None, False,
     "Tính từ ngày nhận đủ hồ sơ hợp lệ theo cách đọc của nhóm phát triển; cần đối chiếu."),
    # Dự án thuộc thẩm quyền chấp thuận của Thủ tướng Chính phủ (Art 34(4)-(7))
    ("A1.8", "send", "pm", "Gửi hồ sơ lấy ý kiến (dự án do Thủ tướng chấp thuận)",
     VALID, 3, WD, f"{ND96}, Điều 34 khoản 4", L2025, None, False, ""),
    ("A1.8", "reply", "pm", "Cơ quan được lấy ý kiến trả lời (dự án do Thủ tướng chấp thuận)",
     ASKED, 10, WD, f"{ND96}, Điều 34 khoản 5; Điều 6 khoản 6 điểm b", L2025, None, False,
     "Quá hạn không trả lời thì được coi là đã đồng ý."),
    ("A1.8", "report", "pm", "Báo cáo thẩm định trình Thủ tướng Chính phủ",
     VALID, 20, WD, f"{ND96}, Điều 34 khoản 6", L2025, None, False, ""),
    ("A1.8", "decide", "pm", "Thủ tướng Chính phủ quyết định",
     "ngày nhận báo cáo thẩm định", 5, WD, f"{ND96}, Điều 34 khoản 7", L2025, None, False, ""),
    # Quy định cũ: Luật Đầu tư 2020, Nghị định 31/2021 (P3, cổng tỉnh Phú Thọ)
    ("A1.9", "send", "province", "Gửi hồ sơ lấy ý kiến (quy định cũ)",
     VALID, 3, WD, "Luật Đầu tư 61/2020/QH14; Nghị định 31/2021/NĐ-CP (theo P3)", L2020, L2025,
     True, "Chỉ áp dụng cho hồ sơ tiếp nhận trước 01/03/2026. Nguồn duy nhất là cổng tỉnh (P3)."),
    ("A1.9", "reply", "province", "Cơ quan được lấy ý kiến trả lời (quy định cũ)",
     ASKED, 15, D, "Luật Đầu tư 61/2020/QH14; Nghị định 31/2021/NĐ-CP (theo P3)", L2020, L2025,
     True, "P3 ghi \"15 ngày\", chưa rõ ngày lịch hay ngày làm việc; mặc định ngày lịch."),
    ("A1.9", "report", "province", "Báo cáo thẩm định (quy định cũ)",
     VALID, 28, WD, "Luật Đầu tư 61/2020/QH14; Nghị định 31/2021/NĐ-CP (theo P3)", L2020, L2025,
     True, ""),
    ("A1.9", "decide", "province", "UBND tỉnh quyết định chấp thuận chủ trương đầu tư (quy định cũ)",
     "ngày nhận báo cáo thẩm định", 7, WD,
     "Luật Đầu tư 61/2020/QH14 Điều 32 khoản 1 điểm d; Nghị định 31/2021/NĐ-CP (theo P3)",
     L2020, L2025, True, ""),
    ("A1.9", "total", "province", "Tổng thời gian giải quyết (quy định cũ)",
     VALID, 35, WD, "Luật Đầu tư 61/2020/QH14; Nghị định 31/2021/NĐ-CP (theo P3)", L2020, L2025,
     True, ""),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("matters", "DeadlineRule")
    for (ref, key, variant, label, event, length, unit, source, start, end, configurable,
         note) in RULES:
        DeadlineRule.objects.update_or_create(
            key=f"reviews.{key}",
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


def unseed(apps, schema_editor):
    apps.get_model("matters", "DeadlineRule").objects.filter(key__startswith="reviews.").delete()


class Migration(migrations.Migration):
    dependencies = [("reviews", "0001_initial"), ("matters", "0002_categories")]
    operations = [migrations.RunPython(seed, unseed)]
