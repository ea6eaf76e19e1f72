"""Demo petitions and citizen reception in Hưng Yên, dated relative to today so that the
inbox shows every state: in time, due soon, overdue, resolved on time and late, transferred
and bounced, one escalated to the provincial people's committee, refused, guided, filed.
The people are invented."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from accounts.services import official_create
from common.clock import today
from demo.services import DEMO_PASSWORD
from matters.models import Matter
from petitions import services
from petitions.models import Petition
from petitions.services.reception import reception_session_create, visit_record

LAND, COMP, POLICY, ENV, CORRUPTION, HOUSING, ORDER, LABOUR, OTHER = (
    "land",
    "compensation",
    "policy",
    "environment",
    "corruption",
    "housing",
    "public_order",
    "labour",
    "other",
)

# (clerk, kind, channel, days ago, category, summary, content, petitioner or None, signers)
PETITIONS: list[tuple[str, str, str, int, str, str, str, tuple[str, str, str] | None, int]] = [
    (
        "xa1.vanthu",
        "complaint",
        "in_person",
        3,
        LAND,
        "Khiếu nại quyết định thu hồi đất nông nghiệp để mở rộng đường huyện",
        "Gia đình tôi bị thu hồi 420 m² đất lúa nhưng chưa được thông báo phương án bồi thường.",
        ("Nguyễn Văn Toàn", "034075001122", "Thôn Đông, xã"),
        1,
    ),
    (
        "xa1.vanthu",
        "complaint",
        "post",
        12,
        COMP,
        "Khiếu nại mức bồi thường, hỗ trợ khi giải phóng mặt bằng khu công nghiệp",
        "Đơn giá bồi thường cây lâu năm thấp hơn giá thị trường; đề nghị xem xét lại.",
        ("Trần Thị Hoa", "034180002233", "Xóm 3, xã"),
        6,
    ),
    (
        "xa1.vanthu",
        "proposal",
        "online",
        2,
        OTHER,
        "Kiến nghị sửa chữa tuyến đường liên thôn bị sụt lún",
        "Đoạn đường dài 300 m từ thôn Nam đi chợ bị sụt lún sau mưa, nguy hiểm cho học sinh.",
        ("Lê Văn Bảy", "", "Thôn Nam"),
        1,
    ),
    (
        "xa1.vanthu",
        "denunciation",
        "post",
        25,
        CORRUPTION,
        "Tố cáo cán bộ địa chính xã thu tiền khi làm thủ tục cấp giấy chứng nhận",
        "Người tố cáo cho biết đã phải nộp khoản tiền ngoài quy định để được nhận hồ sơ.",
        ("Người tố cáo (giữ bí mật)", "034090003344", "Xã"),
        1,
    ),
    (
        "xa2.vanthu",
        "complaint",
        "in_person",
        20,
        POLICY,
        "Khiếu nại việc cắt trợ cấp người có công",
        "Gia đình thân nhân liệt sĩ bị dừng chi trả trợ cấp từ tháng 5 mà không có văn bản.",
        ("Phạm Thị Lý", "034165004455", "Thôn Bắc"),
        1,
    ),
    (
        "xa2.vanthu",
        "proposal",
        "post",
        30,
        ENV,
        "Phản ánh trang trại chăn nuôi lợn xả thải ra kênh tưới tiêu",
        "Nước thải chưa qua xử lý chảy ra kênh N2 gây mùi hôi, ảnh hưởng 40 hộ dân.",
        ("Đỗ Văn Khải", "034070005566", "Thôn Trung"),
        40,
    ),
    (
        "xa2.vanthu",
        "complaint",
        "post",
        40,
        HOUSING,
        "Khiếu nại việc không cấp phép sửa chữa nhà ở",
        "UBND xã từ chối tiếp nhận hồ sơ xin phép sửa chữa nhà mà không nêu lý do.",
        ("Vũ Văn Hưng", "034082006677", "Thôn Đoài"),
        1,
    ),
    (
        "xa3.vanthu",
        "complaint",
        "in_person",
        8,
        LAND,
        "Khiếu nại việc xác định ranh giới thửa đất giáp đình làng",
        "Biên bản xác định ranh giới lấn sang 15 m² đất ở của gia đình đã được cấp giấy năm 2004.",
        ("Ngô Thị Thu", "034178007788", "Thôn Cả"),
        1,
    ),
    (
        "xa3.vanthu",
        "denunciation",
        "in_person",
        5,
        ORDER,
        "Tố cáo hành vi khai thác cát trái phép ban đêm trên sông",
        "Nhiều tàu hút cát hoạt động từ 22 giờ đến 4 giờ sáng tại khu vực bãi bồi.",
        None,
        1,
    ),
    (
        "xa3.vanthu",
        "proposal",
        "in_person",
        1,
        POLICY,
        "Kiến nghị hỗ trợ hộ nghèo sửa nhà sau bão",
        "Ba hộ nghèo trong thôn bị tốc mái sau bão số 3, đề nghị xem xét hỗ trợ.",
        ("Bùi Văn Quý", "034068008899", "Thôn Hạ"),
        3,
    ),
    (
        "tcd.vanthu",
        "complaint",
        "forwarded",
        15,
        COMP,
        "Khiếu nại quyết định phê duyệt phương án bồi thường dự án đường vành đai",
        "Đơn do Ban Dân nguyện chuyển đến; người khiếu nại cho rằng diện tích bị đo thiếu.",
        ("Hoàng Văn Lâm", "034071009900", "Phường"),
        12,
    ),
    (
        "tcd.vanthu",
        "proposal",
        "online",
        6,
        LABOUR,
        "Phản ánh công ty may nợ lương công nhân hai tháng",
        "Khoảng 120 công nhân chưa được trả lương tháng 9 và 10; đề nghị cơ quan chức năng vào cuộc.",
        ("Đặng Thị Mến", "034190001212", "Khu công nghiệp"),
        120,
    ),
    (
        "stc.chuyenvien",
        "complaint",
        "post",
        18,
        POLICY,
        "Khiếu nại việc thu hồi khoản hỗ trợ chuyển đổi nghề",
        "Sở yêu cầu hoàn trả khoản hỗ trợ đã nhận năm 2024 mà không nêu căn cứ.",
        ("Lưu Văn Thắng", "034077002323", "Xã"),
        1,
    ),
    (
        "thanhtra.thuly",
        "denunciation",
        "post",
        35,
        CORRUPTION,
        "Tố cáo sai phạm trong đấu thầu gói thầu cải tạo trường học",
        "Hồ sơ mời thầu có tiêu chí hạn chế nhà thầu; người tố cáo cung cấp tài liệu kèm theo.",
        ("Người tố cáo (giữ bí mật)", "034085003434", "Tỉnh"),
        1,
    ),
]


# More letters in other communes: (kind, category, summary); the generator spreads their dates
# and stages so that every state shows up.
MORE = [
    (
        "complaint",
        LAND,
        "Khiếu nại quyết định xử phạt vi phạm hành chính về xây dựng trên đất nông nghiệp",
    ),
    ("proposal", ENV, "Phản ánh khói bụi từ lò gạch thủ công gần trường tiểu học"),
    ("complaint", COMP, "Khiếu nại việc chưa chi trả tiền hỗ trợ tái định cư"),
    ("proposal", OTHER, "Kiến nghị lắp đèn chiếu sáng đoạn đê từ cống Đồng đến bến đò"),
    ("denunciation", CORRUPTION, "Tố cáo trưởng thôn lập danh sách hộ nghèo không đúng đối tượng"),
    ("complaint", POLICY, "Khiếu nại việc không xét hỗ trợ người lao động mất việc"),
    ("proposal", ORDER, "Phản ánh tình trạng đua xe trái phép trên đường tỉnh vào ban đêm"),
    ("complaint", HOUSING, "Khiếu nại việc cưỡng chế tháo dỡ mái che trước nhà"),
    ("proposal", LAND, "Kiến nghị sớm cấp giấy chứng nhận quyền sử dụng đất cho khu dân cư mới"),
    ("denunciation", LAND, "Tố cáo việc san lấp, chuyển mục đích đất lúa trái phép"),
    ("complaint", LABOUR, "Khiếu nại quyết định kỷ luật công chức địa chính xã"),
    ("proposal", ENV, "Phản ánh rác thải tồn đọng tại điểm tập kết đầu làng"),
    ("complaint", COMP, "Khiếu nại diện tích đất bị thu hồi ghi sai trong phương án"),
    ("proposal", POLICY, "Kiến nghị điều chỉnh mức đóng bảo hiểm y tế hộ cận nghèo"),
    ("complaint", LAND, "Khiếu nại việc thu hồi giấy chứng nhận đã cấp năm 2010"),
    ("proposal", OTHER, "Kiến nghị nạo vét kênh tiêu úng trước mùa mưa"),
    ("denunciation", ORDER, "Tố cáo cơ sở karaoke hoạt động quá giờ, gây mất trật tự"),
    ("complaint", POLICY, "Khiếu nại việc không công nhận hộ cận nghèo năm 2026"),
    ("proposal", LAND, "Kiến nghị giải quyết dứt điểm tranh chấp lối đi chung"),
    ("complaint", COMP, "Khiếu nại giá bồi thường tài sản gắn liền với đất"),
]
AGES = [1, 2, 3, 4, 5, 6, 7, 9, 12, 15, 18, 22, 26, 30, 35, 40, 2, 4, 6, 8]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"]
GIVEN = [
    "Văn An",
    "Thị Bình",
    "Văn Cường",
    "Thị Dung",
    "Văn Dũng",
    "Thị Hằng",
    "Văn Hải",
    "Thị Lan",
    "Văn Minh",
    "Thị Oanh",
]


def _more(ctx: Any, day: date) -> int:
    """Letters registered at the provincial citizen reception office about communes of the
    province: some accepted, a few resolved, the rest waiting (in time or overdue)."""
    clerk = ctx.officials["tcd.vanthu"]
    communes = [u for u in ctx.communes[3:] if u.area_id][: len(MORE)]
    count = 0
    for i, ((kind, category, summary), unit) in enumerate(zip(MORE, communes, strict=False)):
        ago = AGES[i % len(AGES)]
        name = f"{SURNAMES[i % 10]} {GIVEN[(i * 3) % 10]}"
        petition = services.petition_receive(
            actor=clerk,
            kind=kind,
            channel=["post", "online", "in_person", "forwarded"][i % 4],
            received_on=day - timedelta(days=ago),
            area=unit.area_id,
            category=category,
            summary=summary,
            content=f"{summary}. Nội dung chi tiết kèm theo đơn.",
            petitioners=[]
            if kind == "denunciation"
            else [
                {"full_name": name, "id_number": f"0341{i:02d}{ago:06d}", "address": unit.area.name}
            ],
            signers=1 + (i % 5 == 0) * 9,
        )
        count += 1
        if i % 4 == 3:
            continue  # still being processed: in time, due soon or overdue
        if i % 4 == 0:
            services.petition_accept(
                actor=clerk, petition=petition, accepted_on=day - timedelta(days=max(ago - 3, 0))
            )
        if i % 8 == 0 and ago > 8:
            fresh = Petition.objects.select_related("matter__owner").get(pk=petition.pk)
            services.petition_resolve(
                actor=clerk,
                petition=fresh,
                resolved_on=day - timedelta(days=1),
                outcome="Đã giải quyết, trả lời bằng văn bản",
                decision_no=f"{20 + i}/QĐ-UBND",
            )
    return count


def _file(
    ctx: Any,
    clerk: str,
    kind: str,
    channel: str,
    ago: int,
    category: str,
    summary: str,
    content: str,
    who: tuple[str, str, str] | None,
    signers: int,
) -> Petition:
    actor = ctx.officials[clerk]
    unit = actor.unit
    area = unit.area.code if unit.area_id else "33"
    people = []
    if who:
        name, number, address = who
        people = [{"full_name": name, "id_number": number, "address": address}]
    return services.petition_receive(
        actor=actor,
        kind=kind,
        channel=channel,
        received_on=today() - timedelta(days=ago),
        area=area,
        category=category,
        summary=summary,
        content=content,
        petitioners=people,
        signers=max(signers, len(people)),
    )


def load(ctx: Any) -> None:
    day = today()
    made = [_file(ctx, *row) for row in PETITIONS]
    by = ctx.officials

    def act(index: int, fn: Any, user: str, **kwargs: Any) -> None:
        petition = Petition.objects.select_related("matter__owner").get(pk=made[index].pk)
        fn(actor=by[user], petition=petition, **kwargs)

    ago = lambda n: day - timedelta(days=n)  # noqa: E731
    # Accepted, in time; one complex and extended; one suspended.
    act(1, services.petition_accept, "xa1.vanthu", accepted_on=ago(9), complexity="complex")
    act(4, services.petition_accept, "xa2.vanthu", accepted_on=ago(14), complexity="normal")
    act(
        4,
        services.petition_suspend,
        "xa2.vanthu",
        on=ago(4),
        reason="Chờ Sở Nội vụ xác minh hồ sơ người có công",
    )
    act(3, services.petition_accept, "xa1.vanthu", accepted_on=ago(20), complexity="complex")
    act(
        3,
        services.petition_extend,
        "xa1.vanthu",
        reason="Cần xác minh tại nhiều địa điểm",
        decision_no="12/QĐ-UBND",
        complexity="complex",
    )
    act(13, services.petition_accept, "thanhtra.thuly", accepted_on=ago(30), complexity="normal")
    # Resolved: one on time, one late.
    act(6, services.petition_accept, "xa2.vanthu", accepted_on=ago(38))
    act(
        6,
        services.petition_resolve,
        "xa2.vanthu",
        resolved_on=ago(5),
        outcome="Khiếu nại đúng: yêu cầu tiếp nhận hồ sơ xin phép.",
        decision_no="45/QĐ-UBND",
    )
    act(5, services.petition_accept, "xa2.vanthu", accepted_on=ago(28))
    # Closing decisions at intake.
    act(
        7,
        services.petition_guide,
        "xa3.vanthu",
        to_body="Tòa án nhân dân khu vực (tranh chấp đất đai giữa các hộ)",
        note="Đã hướng dẫn trực tiếp",
    )
    act(
        9,
        services.petition_refuse,
        "xa3.vanthu",
        reason="Nội dung đã được giải quyết dứt điểm năm 2025",
    )
    # Transferred to the competent department, who accepts it.
    act(
        11,
        services.petition_transfer,
        "tcd.vanthu",
        to="HY-SNV",
        reason="Tranh chấp lao động thuộc lĩnh vực quản lý của Sở Nội vụ",
        legal_basis="Điều 26 khoản 2 Luật Tiếp công dân 2013",
    )
    # Passed back and forth: commune -> department -> commune -> escalated to the province.
    commune = ctx.officials["xa1.vanthu"].unit.code
    basis = "Điều 24 khoản 2 Luật Tố cáo 2018; Điều 26 Luật Tiếp công dân 2013"
    act(
        2,
        services.petition_transfer,
        "xa1.vanthu",
        to="HY-SXD",
        reason="Đường liên thôn do Sở Xây dựng quản lý",
        legal_basis=basis,
    )
    _bounce(ctx, made[2], commune, basis)
    # A second-instance complaint at the province about the refused first decision.
    first = Petition.objects.get(pk=made[6].pk)
    second = services.petition_receive(
        actor=by["ubnd.chuyenvien"],
        kind="complaint",
        channel="post",
        received_on=ago(2),
        area=first.matter.area_id,
        category="housing",
        summary="Khiếu nại lần hai quyết định giải quyết khiếu nại về cấp phép sửa chữa nhà",
        content="Không đồng ý với Quyết định 45/QĐ-UBND.",
        petitioners=[{"full_name": "Vũ Văn Hưng", "id_number": "034082006677"}],
        first_instance=first.matter.code,
    )
    more = _more(ctx, day)
    ctx.log.append(
        f"petitions: {len(made) + 1 + more} petitions, second instance {second.matter.code}"
    )
    _reception(ctx, day)


def _bounce(ctx: Any, petition: Petition, commune: str, basis: str) -> None:
    """The road petition goes to Construction, comes back, goes again: escalated."""
    # The Department of Construction has no official in the demo: one is created here.
    clerk = official_create(
        actor=ctx.admin,
        username="sxd.chuyenvien",
        password=DEMO_PASSWORD,
        full_name="Hà Văn Thịnh",
        unit="HY-SXD",
        roles=["handler", "clerk"],
    )
    ctx.officials["sxd.chuyenvien"] = clerk
    fresh = Petition.objects.select_related("matter__owner").get(pk=petition.pk)
    services.petition_transfer(
        actor=clerk,
        petition=fresh,
        to=commune,
        reason="Đường liên thôn do xã quản lý theo phân cấp",
        legal_basis=basis,
    )
    fresh = Petition.objects.select_related("matter__owner").get(pk=petition.pk)
    services.petition_transfer(
        actor=ctx.officials["xa1.vanthu"],
        petition=fresh,
        to="HY-SXD",
        reason="Xã không có kinh phí sửa chữa, đề nghị Sở xử lý",
        legal_basis=basis,
    )
    assert Matter.objects.get(pk=petition.pk).owner.code == "HY-UBND"


def _reception(ctx: Any, day: date) -> None:
    """Weekly sessions of two commune chairmen (the second skips some weeks), a monthly one
    of the provincial chairman, and visits in the reception book."""
    monday = day - timedelta(days=day.weekday())
    for week in range(1, 7):
        held = monday - timedelta(weeks=week) + timedelta(days=2)
        reception_session_create(
            actor=ctx.officials["xa1.chutich"], held_on=held, place="Phòng tiếp công dân UBND xã"
        )
        if week % 3 == 0:
            reception_session_create(
                actor=ctx.officials["xa2.chutich"], held_on=held, place="Hội trường UBND xã"
            )
    provincial = reception_session_create(
        actor=ctx.officials["ubnd.chuyenvien"],
        held_on=day - timedelta(days=day.day + 5),
        place="Trụ sở Ban Tiếp công dân tỉnh",
        note="Chủ tịch UBND tỉnh tiếp công dân định kỳ",
    )
    session = reception_session_create(
        actor=ctx.officials["xa1.chutich"], held_on=day, place="Phòng tiếp công dân UBND xã"
    )
    commune = ctx.officials["xa1.chutich"].unit.area_id
    visit_record(
        actor=ctx.officials["xa1.vanthu"],
        session=session,
        visited_on=day,
        full_name="Đinh Văn Sáng",
        address="Thôn Đông",
        id_document="034069004545",
        people=12,
        content="Đoàn 12 hộ dân đề nghị công khai phương án bồi thường dự án cụm công nghiệp",
        prior_handling="Đã gửi đơn đến UBND xã tháng trước, chưa được trả lời",
        request="Tổ chức đối thoại, công khai đơn giá bồi thường",
        handling="Chủ tịch xã tiếp, hẹn đối thoại trong 10 ngày",
        result="Đã tiếp nhận đơn",
        petition={
            "kind": "complaint",
            "area": commune,
            "category": "compensation",
            "summary": "Đoàn 12 hộ đề nghị công khai phương án bồi thường cụm công nghiệp",
        },
    )
    visit_record(
        actor=ctx.officials["xa1.vanthu"],
        session=session,
        visited_on=day,
        full_name="Mai Thị Nga",
        address="Thôn Nam",
        people=1,
        content="Hỏi thủ tục tách thửa đất ở",
        handling="Hướng dẫn tại chỗ, không có đơn",
    )
    visit_record(
        actor=ctx.officials["ubnd.chuyenvien"],
        session=provincial,
        visited_on=provincial.held_on,
        full_name="Tạ Văn Phúc",
        address="Phường Hiến Nam",
        people=1,
        content="Đề nghị xem xét lại việc giải quyết tranh chấp đất đai kéo dài",
        handling="Chuyển Thanh tra tỉnh xem xét",
    )
