"""Demo data: complex local cases of the kinds the seed article names (land, BOT tolls,
labour disputes at foreign-invested firms, crime hot spots), from 2018 and current ones.
Counts of people only; no names, as everywhere in cases."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cases import services
from cases.models import Case
from common.clock import today as clock_today
from matters.models import Matter


def _actor(ctx: Any, unit: Any) -> Any:
    for user in ctx.officials.values():
        if user.unit_id == unit.id and user.can_act:
            return user
    return ctx.admin


def _open(
    ctx: Any,
    *,
    lead: str,
    actions: list[tuple[int, str, str]],
    settle: tuple[int, str] | None = None,
    **fields: Any,
) -> Case:
    """Open a case and play its timeline: ``actions`` are (days after opening, unit, note);
    ``settle`` is (days after opening, outcome)."""
    unit = ctx.units[lead]
    case = services.case_open(actor=_actor(ctx, unit), lead=unit, **fields)
    opened: date = fields["opened_on"]
    today = clock_today()
    for offset, code, note in actions:
        on = opened + timedelta(days=offset)
        if on <= today:
            services.case_add_action(
                actor=_actor(ctx, ctx.units[code]),
                unit=ctx.units[code],
                case=case,
                on=on,
                note=note,
            )
            case.matter.refresh_from_db()
    if settle is not None:
        services.case_settle(
            actor=_actor(ctx, unit),
            case=case,
            settled_on=opened + timedelta(days=settle[0]),
            outcome=settle[1],
        )
    return case


def load(ctx: Any) -> None:
    day = clock_today()
    communes = ctx.communes
    c1, c2, c3 = communes[0], communes[3], communes[7]
    # Link the compensation case to a petition of the petitions demo when there is one.
    petition = (
        Matter.objects.filter(kind=Matter.Kind.PETITION, category_id__in=["compensation", "land"])
        .select_related("owner")
        .order_by("code")
        .first()
    )
    comp_lead = petition.owner if petition else c1
    comp_area = petition.area_id if petition else c1.area_id
    _open(
        ctx,
        lead=c1.code,
        title=f"Tranh chấp đất nông nghiệp giữa các hộ dân tại {c1.area.name}",
        area=c1.area_id,
        category="land",
        coordinating=["HY-CA", "HY-SNNMT"],
        risk="high",
        opened_on=date(2018, 8, 6),
        due_on=date(2018, 11, 30),
        participants=42,
        summary="Nhiều hộ dân tranh chấp ranh giới thửa đất sau dồn điền đổi thửa; đã có đơn gửi nhiều cấp.",
        actions=[
            (5, c1.code, "Thành lập tổ công tác, xác minh hồ sơ địa chính."),
            (19, "HY-SNNMT", "Đo đạc lại ranh giới các thửa đất liên quan."),
            (33, "HY-CA", "Bảo đảm an ninh trật tự buổi đối thoại tại nhà văn hóa thôn."),
            (61, c1.code, "Tổ chức hòa giải; các bên thống nhất phương án."),
        ],
        settle=(85, "Hòa giải thành; điều chỉnh ranh giới và cấp đổi giấy chứng nhận."),
    )
    _open(
        ctx,
        lead="HY-SXD",
        title="Phản đối mức thu phí và vị trí đặt trạm thu phí BOT trên quốc lộ",
        area="33",
        category="bot_toll",
        coordinating=["HY-CA", "HY-STC"],
        risk="high",
        opened_on=date(2018, 9, 3),
        due_on=date(2018, 12, 31),
        participants=150,
        summary="Phương tiện dừng, gây ùn tắc tại trạm thu phí; người dân đề nghị miễn giảm phí cho xe địa phương.",
        actions=[
            (1, "HY-CA", "Phân luồng, bảo đảm an toàn giao thông tại trạm."),
            (14, "HY-SXD", "Làm việc với nhà đầu tư về phương án miễn giảm cho xe địa phương."),
            (60, "HY-STC", "Thẩm định phương án tài chính điều chỉnh mức phí."),
            (110, "HY-SXD", "Báo cáo UBND tỉnh, kiến nghị Bộ Giao thông vận tải."),
        ],
        settle=(
            150,
            "Nhà đầu tư áp dụng miễn giảm phí cho phương tiện của người dân các xã lân cận.",
        ),
    )
    _open(
        ctx,
        lead="HY-SNV",
        title="Tranh chấp lao động tập thể về tiền lương, thời giờ làm việc tại một doanh nghiệp "
        "có vốn đầu tư nước ngoài trong khu công nghiệp",
        area=c2.area_id,
        category="labour",
        coordinating=["HY-CA", c2.code],
        risk="medium",
        opened_on=day - timedelta(days=20),
        due_on=day + timedelta(days=2),
        participants=320,
        summary="Người lao động ngừng việc tập thể, đề nghị điều chỉnh đơn giá tiền lương và giảm làm thêm giờ.",
        actions=[
            (0, c2.code, "Nắm tình hình, báo cáo nhanh UBND tỉnh."),
            (1, "HY-CA", "Bảo đảm an ninh trật tự tại khu công nghiệp."),
            (3, "HY-SNV", "Chủ trì đối thoại giữa doanh nghiệp, công đoàn và người lao động."),
            (12, "HY-SNV", "Kiểm tra việc thực hiện hợp đồng lao động, thỏa ước lao động tập thể."),
        ],
    )
    _open(
        ctx,
        lead="HY-CA",
        title=f"Điểm phức tạp về tệ nạn ma túy tại khu vực bến bãi ven sông, {c3.area.name}",
        area=c3.area_id,
        category="crime",
        coordinating=[c3.code, "HY-BCHQS"],
        risk="high",
        opened_on=day - timedelta(days=75),
        due_on=day - timedelta(days=5),
        participants=0,
        summary="Tụ điểm phức tạp về ma túy; chuyển hóa địa bàn theo kế hoạch của Công an tỉnh.",
        actions=[
            (2, "HY-CA", "Khảo sát, lập kế hoạch chuyển hóa địa bàn."),
            (20, c3.code, "Vận động nhân dân, phát huy tổ an ninh trật tự cơ sở."),
            (41, "HY-BCHQS", "Phối hợp tuần tra khu vực ven sông."),
            (66, "HY-CA", "Triệt phá tụ điểm; tiếp tục theo dõi sau chuyển hóa."),
        ],
    )
    _open(
        ctx,
        lead=comp_lead.code,
        title="Khiếu nại về bồi thường, hỗ trợ giải phóng mặt bằng dự án đường tỉnh",
        area=comp_area,
        category="compensation",
        coordinating=["HY-STC", "HY-TTR"],
        risk="medium",
        opened_on=day - timedelta(days=30),
        due_on=day + timedelta(days=40),
        participants=18,
        petitions=[petition.code] if petition else [],
        summary="Các hộ có đất bị thu hồi đề nghị xem xét lại đơn giá bồi thường và hỗ trợ tái định cư.",
        actions=[
            (4, comp_lead.code, "Rà soát hồ sơ bồi thường của các hộ."),
            (16, "HY-TTR", "Kiểm tra trình tự, thủ tục thu hồi đất."),
        ],
    )
    ctx.log.append(f"Cases: {Case.objects.count()} complex local cases.")
