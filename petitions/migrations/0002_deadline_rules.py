"""Every time limit of LAW-PETITIONS.md section 1 as a DeadlineRule row, and the heads'
reception duties of section 4.

Rows marked configurable are unconfirmed in law (the ⚠ items and section 6); administrators
may change them on the rules page. Where the law changed, each period has its own row and the
matter's own start date picks the one in force.
"""

from datetime import date

from django.db import migrations

LKN = date(2012, 7, 1)  # Luật Khiếu nại 02/2011/QH13 in force
LTC = date(2019, 1, 1)  # Luật Tố cáo 25/2018/QH14 in force
LTCD = date(2014, 7, 1)  # Luật Tiếp công dân 42/2013/QH13 in force
ND124 = date(2020, 12, 5)  # Nghị định 124/2020/NĐ-CP in force
REFORM = date(2026, 7, 1)  # Luật 136/2025/QH15 and Nghị định 154-156/2026 in force

D, WD = "calendar", "working"

# ref, variant, label, event, length, unit, max_ext, ext_len, source, from, to, configurable, note
RULES = [
    ("K1", "normal", "Thời hiệu khiếu nại quyết định, hành vi hành chính",
     "ngày nhận được hoặc biết được quyết định, hành vi hành chính", 90, D, 0, 0,
     "Luật Khiếu nại 2011, Điều 9", LKN, None, False,
     "Thời gian ốm đau, thiên tai, địch họa, đi công tác, học tập ở nơi xa hoặc trở ngại "
     "khách quan khác không tính vào thời hiệu."),
    ("K2", "normal", "Thụ lý khiếu nại lần đầu", "ngày nhận được khiếu nại", 10, D, 0, 0,
     "Luật Khiếu nại 2011, Điều 27", LKN, ND124, True,
     "Luật ghi \"10 ngày\"; chưa xác định ngày làm việc hay ngày lịch."),
    ("K2", "normal", "Thụ lý khiếu nại lần đầu", "ngày nhận được khiếu nại", 10, WD, 0, 0,
     "Nghị định 124/2020/NĐ-CP, Điều 16 khoản 1", ND124, REFORM, True,
     "Khác với Điều 27 Luật Khiếu nại (10 ngày) — xem LAW-PETITIONS §6.5."),
    ("K2", "normal", "Thụ lý khiếu nại lần đầu", "ngày nhận được khiếu nại", 7, WD, 0, 0,
     "Nghị định 155/2026/NĐ-CP (chưa kiểm chứng)", REFORM, None, True,
     "⚠ 7 ngày làm việc từ 01/07/2026 theo bản OCR chưa kiểm chứng."),
    ("K3", "normal", "Giải quyết khiếu nại lần đầu", "ngày thụ lý", 30, D, 1, 15,
     "Luật Khiếu nại 2011, Điều 28", LKN, None, False,
     "Vụ việc phức tạp: có thể kéo dài đến 45 ngày (một lần gia hạn 15 ngày)."),
    ("K3", "complex", "Giải quyết khiếu nại lần đầu — vụ việc phức tạp", "ngày thụ lý", 45, D,
     0, 0, "Luật Khiếu nại 2011, Điều 28", LKN, None, False, ""),
    ("K3", "remote", "Giải quyết khiếu nại lần đầu — vùng sâu, vùng xa", "ngày thụ lý", 45, D,
     1, 15, "Luật Khiếu nại 2011, Điều 28", LKN, None, False,
     "Vụ việc phức tạp ở vùng sâu, vùng xa: có thể kéo dài đến 60 ngày."),
    ("K3", "remote_complex", "Giải quyết khiếu nại lần đầu — vùng sâu, vùng xa, phức tạp",
     "ngày thụ lý", 60, D, 0, 0, "Luật Khiếu nại 2011, Điều 28", LKN, None, False, ""),
    ("K4", "normal", "Gửi quyết định giải quyết khiếu nại lần đầu",
     "ngày ban hành quyết định", 3, WD, 0, 0, "Luật Khiếu nại 2011, Điều 32", LKN, None,
     False, ""),
    ("K5", "normal", "Thời hạn khiếu nại lần hai",
     "ngày hết thời hạn giải quyết lần đầu hoặc ngày nhận quyết định lần đầu", 30, D, 0, 0,
     "Luật Khiếu nại 2011, Điều 33 khoản 1", LKN, None, False, ""),
    ("K5", "remote", "Thời hạn khiếu nại lần hai — vùng sâu, vùng xa",
     "ngày hết thời hạn giải quyết lần đầu hoặc ngày nhận quyết định lần đầu", 45, D, 0, 0,
     "Luật Khiếu nại 2011, Điều 33 khoản 1", LKN, None, False, ""),
    ("K6", "normal", "Thụ lý khiếu nại lần hai", "ngày nhận được khiếu nại", 10, D, 0, 0,
     "Luật Khiếu nại 2011, Điều 36", LKN, ND124, True, "Đơn vị tính như K2."),
    ("K6", "normal", "Thụ lý khiếu nại lần hai", "ngày nhận được khiếu nại", 10, WD, 0, 0,
     "Luật Khiếu nại 2011, Điều 36; Nghị định 124/2020/NĐ-CP", ND124, None, True,
     "Đơn vị tính như K2 (ngày làm việc theo Nghị định 124/2020)."),
    ("K7", "normal", "Giải quyết khiếu nại lần hai", "ngày thụ lý", 45, D, 1, 15,
     "Luật Khiếu nại 2011, Điều 37", LKN, None, False,
     "Vụ việc phức tạp: có thể kéo dài đến 60 ngày (một lần gia hạn 15 ngày)."),
    ("K7", "complex", "Giải quyết khiếu nại lần hai — vụ việc phức tạp", "ngày thụ lý", 60, D,
     0, 0, "Luật Khiếu nại 2011, Điều 37", LKN, None, False, ""),
    ("K7", "remote", "Giải quyết khiếu nại lần hai — vùng sâu, vùng xa", "ngày thụ lý", 60, D,
     1, 10, "Luật Khiếu nại 2011, Điều 37", LKN, None, False,
     "Vụ việc phức tạp ở vùng sâu, vùng xa: có thể kéo dài đến 70 ngày."),
    ("K7", "remote_complex", "Giải quyết khiếu nại lần hai — vùng sâu, vùng xa, phức tạp",
     "ngày thụ lý", 70, D, 0, 0, "Luật Khiếu nại 2011, Điều 37", LKN, None, False, ""),
    ("K8", "normal", "Gửi quyết định giải quyết khiếu nại lần hai", "ngày ban hành quyết định",
     7, D, 0, 0, "Luật Khiếu nại 2011, Điều 41 khoản 1", LKN, None, False, ""),
    ("K9", "normal", "Tiếp tục khiếu nại sau thông báo đình chỉ", "ngày nhận thông báo đình chỉ",
     30, D, 0, 0, "Luật Khiếu nại 2011, Điều 11 khoản 8", LKN, None, False,
     "Quá hạn này thì khiếu nại không được thụ lý."),
    ("K10", "first", "Thời hiệu khiếu nại quyết định kỷ luật lần đầu",
     "ngày nhận quyết định kỷ luật", 15, D, 0, 0, "Luật Khiếu nại 2011, Điều 48", LKN, None,
     False, "Trở ngại khách quan không tính vào thời hiệu."),
    ("K10", "second", "Thời hiệu khiếu nại quyết định kỷ luật lần hai",
     "ngày nhận quyết định giải quyết lần đầu", 10, D, 0, 0, "Luật Khiếu nại 2011, Điều 48",
     LKN, None, False, ""),
    ("K10", "dismissal", "Thời hiệu khiếu nại lần hai quyết định buộc thôi việc",
     "ngày nhận quyết định giải quyết lần đầu", 30, D, 0, 0, "Luật Khiếu nại 2011, Điều 48",
     LKN, None, False, ""),
    ("K11", "accept", "Thụ lý khiếu nại quyết định kỷ luật", "ngày nhận được khiếu nại", 10, D,
     0, 0, "Luật Khiếu nại 2011, Điều 50", LKN, None, False, ""),
    ("K11", "normal", "Giải quyết khiếu nại quyết định kỷ luật", "ngày thụ lý", 30, D, 1, 15,
     "Luật Khiếu nại 2011, Điều 50", LKN, None, False,
     "Vụ việc phức tạp: có thể kéo dài đến 45 ngày."),
    ("K11", "complex", "Giải quyết khiếu nại quyết định kỷ luật — vụ việc phức tạp",
     "ngày thụ lý", 45, D, 0, 0, "Luật Khiếu nại 2011, Điều 50", LKN, None, False, ""),
    ("T1", "normal", "Vào sổ, phân loại, kiểm tra điều kiện thụ lý tố cáo",
     "ngày nhận được tố cáo", 7, WD, 0, 0, "Luật Tố cáo 2018, Điều 24 khoản 1", LTC, None,
     False, ""),
    ("T1", "several_places", "Kiểm tra điều kiện thụ lý tố cáo — nhiều địa điểm hoặc ủy quyền",
     "ngày nhận được tố cáo", 10, WD, 0, 0, "Luật Tố cáo 2018, Điều 24 khoản 1", LTC, None,
     False, ""),
    ("T2", "normal", "Chuyển tố cáo không thuộc thẩm quyền và thông báo người tố cáo",
     "ngày nhận được tố cáo", 5, WD, 0, 0, "Luật Tố cáo 2018, Điều 24 khoản 2", LTC, None,
     False, "Người tố cáo đến trực tiếp: hướng dẫn đến cơ quan có thẩm quyền."),
    ("T3", "normal", "Thông báo thụ lý cho người tố cáo và nội dung cho người bị tố cáo",
     "ngày ra quyết định thụ lý", 5, WD, 0, 0, "Luật Tố cáo 2018, Điều 29 khoản 3", LTC, None,
     False, ""),
    ("T4", "normal", "Giải quyết tố cáo", "ngày thụ lý", 30, D, 0, 0,
     "Luật Tố cáo 2018, Điều 30", LTC, None, False, ""),
    ("T4", "complex", "Giải quyết tố cáo — vụ việc phức tạp", "ngày thụ lý", 30, D, 1, 30,
     "Luật Tố cáo 2018, Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3", LTC, None, False,
     "Gia hạn một lần, không quá 30 ngày, bằng quyết định có thông báo."),
    ("T4", "especially_complex", "Giải quyết tố cáo — vụ việc đặc biệt phức tạp", "ngày thụ lý",
     30, D, 2, 30, "Luật Tố cáo 2018, Điều 30; Nghị định 31/2019/NĐ-CP, Điều 3", LTC, None,
     False, "Gia hạn hai lần, mỗi lần không quá 30 ngày, bằng quyết định có thông báo."),
    ("T5", "normal", "Gửi quyết định tạm đình chỉ, đình chỉ giải quyết tố cáo",
     "ngày ban hành quyết định", 5, WD, 0, 0, "Luật Tố cáo 2018, Điều 34", LTC, None, False,
     "Thời gian tạm đình chỉ không tính vào thời hạn giải quyết."),
    ("T6", "normal", "Báo cáo kết quả xử lý cho cơ quan báo chí, cơ quan chuyển đơn",
     "ngày nhận được tố cáo do cơ quan khác chuyển đến", 20, D, 0, 0,
     "Luật Tố cáo 2018, Điều 26 khoản 2", LTC, None, False, ""),
    ("T7", "normal", "Cấp trên xem xét tố cáo tiếp", "ngày nhận được tố cáo tiếp", 20, D, 0, 0,
     "Luật Tố cáo 2018, Điều 37 khoản 2", LTC, None, False, ""),
    ("T8", "normal", "Công khai kết luận nội dung tố cáo", "ngày ban hành kết luận", 7, WD, 0,
     0, "Luật Tố cáo 2018, Điều 40 khoản 1", LTC, None, False, ""),
    ("R1", "normal", "Trả lời người đến trực tiếp: thụ lý, gia hạn, từ chối hoặc chuyển",
     "ngày tiếp nhận", 10, WD, 0, 0, "Luật Tiếp công dân 2013, Điều 28 khoản 1", LTCD, None,
     False, ""),
    ("R2", "normal", "Báo cáo kết quả cho cơ quan đã chuyển khiếu nại, tố cáo",
     "ngày giải quyết xong", 7, WD, 0, 0,
     "Luật Tiếp công dân 2013, Điều 27 khoản 2, Điều 28 khoản 2", LTCD, None, False, ""),
    ("R2", "citizen", "Cơ quan chuyển đơn thông báo cho công dân", "ngày nhận báo cáo kết quả",
     5, WD, 0, 0, "Luật Tiếp công dân 2013, Điều 28 khoản 2", LTCD, None, False, ""),
    ("R3", "normal", "Xử lý đơn", "ngày nhận được đơn", 10, D, 0, 0,
     "Thông tư 05/2021/TT-TTCP (theo dichvucong.gov.vn, chưa xác định điều khoản)", LTCD,
     None, True, "⚠ Chưa xác định điều khoản và đơn vị tính (LAW-PETITIONS §6.1)."),
    ("R4", "normal", "Thông báo từ chối tiếp người khiếu nại, tố cáo kéo dài",
     "ngày quyết định từ chối tiếp", 3, WD, 0, 0,
     "Nghị định 154/2026/NĐ-CP, Điều 4 khoản 3 (chưa kiểm chứng)", REFORM, None, True,
     "⚠ Quy định mới từ 01/07/2026 theo bản OCR chưa kiểm chứng."),
    ("P1", "normal", "Xem xét, trả lời kiến nghị, phản ánh", "ngày thụ lý", 30, D, 0, 0,
     "Không có thời hạn chung trong luật; do quản trị viên quy định", LTCD, None, True,
     "Mặc định 30 ngày; quản trị viên điều chỉnh theo quy chế của địa phương."),
]

DUTIES = [
    # unit kind, level, minimum, per, source
    ("peoples_committee", "commune", 1, "week",
     "Luật Tiếp công dân 2013, Điều 15 khoản 2 điểm d"),
    ("peoples_committee", "province", 1, "month", "Luật Tiếp công dân 2013, Điều 12 khoản 5"),
    ("department", "any", 1, "month", "Luật Tiếp công dân 2013, Điều 18 khoản 2"),
    ("inspectorate", "any", 1, "month", "Luật Tiếp công dân 2013, Điều 18 khoản 2"),
    ("reception_office", "any", 1, "month", "Luật Tiếp công dân 2013, Điều 18 khoản 2"),
    ("police", "any", 1, "month", "Luật Tiếp công dân 2013, Điều 18 khoản 2"),
]


def seed(apps, schema_editor):
    DeadlineRule = apps.get_model("matters", "DeadlineRule")
    ReceptionDuty = apps.get_model("petitions", "ReceptionDuty")
    for (ref, variant, label, event, length, unit, max_ext, ext_len, source, start, end,
         configurable, note) in RULES:
        DeadlineRule.objects.update_or_create(
            key=f"petitions.{ref}",
            variant=variant,
            effective_from=start,
            defaults={
                "ref": ref,
                "label": label,
                "event": event,
                "length": length,
                "unit": unit,
                "max_extensions": max_ext,
                "extension_length": ext_len,
                "source": source,
                "effective_to": end,
                "configurable": configurable,
                "note": note,
            },
        )
    for unit_kind, level, minimum, per, source in DUTIES:
        ReceptionDuty.objects.update_or_create(
            unit_kind=unit_kind,
            level=level,
            defaults={"minimum": minimum, "per": per, "source": source},
        )


def unseed(apps, schema_editor):
    apps.get_model("matters", "DeadlineRule").objects.filter(key__startswith="petitions.").delete()
    apps.get_model("petitions", "ReceptionDuty").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("petitions", "0001_initial"), ("matters", "0002_categories")]
    operations = [migrations.RunPython(seed, unseed)]
