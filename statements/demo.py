"""Demo data: the spokesperson register of the province, a statement given within 24 hours
after an incident on the coast, a divided-opinion statement whose hour clock is running, a
press request refused on a legal ground, a petition forwarded by the press, and the periodic
duties of the provincial People's Committee."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from django.utils import timezone

from common.clock import now
from matters.models import Matter
from statements import services


def _at(day_offset: int, hour: int, minute: int = 0) -> datetime:
    """A local time ``day_offset`` days from today."""
    local = timezone.localtime(now())
    day = local.date() + timedelta(days=day_offset)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def load(ctx: Any) -> None:
    office = ctx.officials["ubnd.chuyenvien"]
    services.spokesperson_register(
        actor=office,
        unit="HY-UBND",
        role="head",
        full_name="Trần Quốc Toản",
        title="Chủ tịch UBND tỉnh",
    )
    regular = services.spokesperson_register(
        actor=office,
        unit="HY-UBND",
        role="regular",
        full_name="Lê Thị Hồng",
        title="Phó Chủ tịch UBND tỉnh",
        phone="0227 3831 234",
        email="phatngon@hungyen.gov.vn",
        decision_no="1520/QĐ-UBND",
        decided_at=_at(-140, 9),
    )
    services.spokesperson_publish(actor=office, person=regular, posted_at=_at(-140, 15))
    police = services.spokesperson_register(
        actor=ctx.officials["congan.canbo"],
        unit="HY-CA",
        role="authorised",
        full_name="Lý Văn Tùng",
        title="Trưởng phòng Tham mưu",
        decision_no="35/UQ-CAT",
        decided_at=_at(-3, 8),
        scope="Thông tin về sự cố tràn dầu ven biển xã Đồng Châu",
        valid_from=_at(-3, 8).date(),
        valid_to=_at(27, 8).date(),
    )
    services.spokesperson_publish(
        actor=ctx.officials["congan.canbo"], person=police, posted_at=_at(-3, 10)
    )
    services.spokesperson_register(
        actor=ctx.officials["stc.chuyenvien"],
        unit="HY-STC",
        role="head",
        full_name="Phan Thị Ngọc",
        title="Giám đốc Sở Tài chính",
    )

    incident = services.statement_open(
        actor=office,
        unit="HY-UBND",
        trigger="event",
        triggered_at=_at(-4, 21, 40),
        subject="Sự cố tràn dầu tại vùng biển xã Đồng Châu",
    )
    services.statement_deliver(
        actor=office,
        statement=incident,
        delivered_at=_at(-3, 15, 30),
        form="written",
        speaker="Lê Thị Hồng",
        text="Khoảng 21 giờ 40 ngày hôm trước, tại vùng biển xã Đồng Châu xảy ra sự cố tràn dầu "
        "từ một tàu vận tải. UBND tỉnh đã chỉ đạo các lực lượng khoanh vùng, thu gom dầu, bảo đảm "
        "an toàn cho người dân và hoạt động nuôi trồng thủy sản. Không có thiệt hại về người. "
        "Thông tin tiếp theo sẽ được cung cấp trong quá trình xử lý.",
    )
    services.statement_open(
        actor=office,
        unit="HY-UBND",
        trigger="divided_opinion",
        triggered_at=now() - timedelta(hours=5),
        subject="Ý kiến trái chiều về việc cho thuê đất ven biển Đồng Châu làm khu du lịch",
    )
    asked = services.statement_open(
        actor=ctx.officials["stc.chuyenvien"],
        unit="HY-STC",
        trigger="press_request",
        triggered_at=_at(-2, 10),
        press_agency="Báo Hưng Yên",
        subject="Đề nghị cung cấp thông tin về khiếu nại bồi thường tại dự án khu công nghiệp",
        question="Kết quả giải quyết khiếu nại của các hộ dân về giá bồi thường?",
    )
    services.statement_refuse(
        actor=ctx.officials["stc.chuyenvien"],
        statement=asked,
        ground="no_conclusion",
        reason="Vụ việc khiếu nại đang được giải quyết, chưa có kết luận chính thức; Sở sẽ cung "
        "cấp thông tin khi có kết luận.",
    )
    petition = (
        Matter.objects.filter(kind=Matter.Kind.PETITION, province="33").order_by("code").first()
    )
    services.statement_open(
        actor=ctx.officials["tcd.vanthu"],
        unit="HY-BTCD",
        trigger="forwarded_petition",
        triggered_at=_at(-10, 9),
        press_agency="Báo Nhân dân",
        subject="Báo chuyển phản ánh của người dân về việc chậm giải quyết đơn",
        petition=petition.code if petition else "",
    )
    services.periodic_duties_ensure()
    ctx.log.append(f"statements: {incident.matter.code} given within 24 hours")
