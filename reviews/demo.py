"""Demo data: a project review in a coastal commune of Hưng Yên (Đồng Châu), registered by the
Department of Finance, with the military command's answer on time, the police's silence
recorded as deemed consent and the report still due; and an older dossier of the 2020 law,
refused with reasons."""

from __future__ import annotations

from datetime import date
from typing import Any

from calendars.selectors import get_calendar
from common.clock import today
from reviews import services
from reviews.models import Consultation

COASTAL_COMMUNE = "13003"  # Xã Đồng Châu (former Tiền Hải district): on the coast


def _consult(registrar: Any, review: Any, unit: str, sent_on: date) -> Consultation:
    return services.consultation_send(actor=registrar, review=review, unit=unit, sent_on=sent_on)


def load(ctx: Any) -> None:
    registrar = ctx.officials["stc.chuyenvien"]
    cal = get_calendar()
    day = today()
    valid_on = cal.add(day, -12, "working")
    review = services.review_register(
        actor=registrar,
        project="Khu du lịch sinh thái biển Đồng Châu",
        investor="Công ty TNHH Du lịch Biển Xanh Hàn Việt",
        nationality="Hàn Quốc",
        foreign_share=70,
        procedure="province",
        area=COASTAL_COMMUNE,
        flags=["coastal"],
        flag_documents={"coastal": "Danh mục xã, phường ven biển của tỉnh Hưng Yên"},
        land_type="Đất thương mại, dịch vụ",
        land_area_m2=185000,
        lease_years=50,
        latitude=20.335,
        longitude=106.595,
        received_on=cal.add(valid_on, -2, "working"),
        valid_on=valid_on,
    )
    sent_on = cal.add(valid_on, 1, "working")
    military = _consult(registrar, review, "HY-BCHQS", sent_on)
    _consult(registrar, review, "HY-CA", sent_on)
    environment = _consult(registrar, review, "HY-SNNMT", sent_on)
    services.consultation_answer(
        actor=ctx.officials["quansu.chihuytruong"],
        consultation=military,
        answered_on=cal.add(sent_on, 5, "working"),
        opinion="agree_with_conditions",
        note="Không xây dựng công trình cao trên 15 m trong phạm vi 500 m tính từ trận địa "
        "phòng thủ ven biển; nhà đầu tư phối hợp với Bộ Chỉ huy Quân sự tỉnh khi lập quy hoạch "
        "chi tiết.",
        documents=[{"number": "2175/BCH-TM", "title": "Ý kiến về quốc phòng đối với dự án"}],
    )
    services.consultation_answer(
        actor=ctx.officials["snnmt.chuyenvien"],
        consultation=environment,
        answered_on=cal.add(sent_on, 4, "working"),
        opinion="agree",
        note="Phù hợp quy hoạch sử dụng đất; thực hiện đánh giá tác động môi trường theo quy định.",
    )
    # The police did not answer: the daily job records deemed consent.
    services.consultations_deem(day)
    ctx.log.append(f"reviews: {review.matter.code} (coastal commune {COASTAL_COMMUNE})")

    old = services.review_register(
        actor=registrar,
        project="Nhà máy chế biến thủy sản xuất khẩu Thái Thụy",
        investor="Công ty TNHH Hải sản Đông Á",
        nationality="Trung Quốc",
        foreign_share=100,
        procedure="province",
        area="12826",  # Xã Thái Thụy
        flags=["coastal"],
        land_type="Đất cơ sở sản xuất phi nông nghiệp",
        land_area_m2=62000,
        lease_years=50,
        received_on=date(2026, 2, 5),
        valid_on=date(2026, 2, 9),
    )
    for unit, answered in (("HY-BCHQS", date(2026, 2, 24)), ("HY-CA", date(2026, 2, 20))):
        consultation = _consult(registrar, old, unit, date(2026, 2, 10))
        services.consultation_answer(
            actor=ctx.officials["quansu.chihuytruong" if unit == "HY-BCHQS" else "congan.canbo"],
            consultation=consultation,
            answered_on=answered,
            opinion="disagree" if unit == "HY-BCHQS" else "agree",
            note="Vị trí dự án nằm trong vành đai an toàn của công trình quốc phòng ven biển."
            if unit == "HY-BCHQS"
            else "",
        )
    services.review_report(actor=registrar, review=old, sent_on=date(2026, 3, 12))
    services.review_decide(
        actor=registrar,
        review=old,
        decided_on=date(2026, 3, 18),
        decision="refused",
        decision_no="412/QĐ-UBND",
        reasons="Vị trí dự án nằm trong vành đai an toàn của công trình quốc phòng; Bộ Chỉ huy "
        "Quân sự tỉnh không đồng ý.",
    )
