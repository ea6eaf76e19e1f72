"""Demo data: the KL-32 cascade of the seed article (shared/seed/kl32-thai-binh-2018.txt).

The Politburo's Conclusion 32-KL/TW of 5 July 2018 arrives; on 16 July the provincial party
committee holds its briefing and issues its plan; departments and the police hold their
own briefings and carry out the tasks the article lists. In 2026 the provincial people's
committee issues its yearly plan to go on carrying out the conclusion, every commune must
brief its officials, and some communes issue plans of their own: those tasks and briefings
are dated relative to today, so the dashboard shows live states.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from common.clock import today as clock_today
from plans import periods, services
from plans.models import Directive, Plan, Task
from units.models import Unit

PROVINCE_TARGETS = [
    "HY-UBND",
    "HY-CA",
    "HY-BCHQS",
    "HY-TTR",
    "HY-BTCD",
    "HY-STC",
    "HY-SNNMT",
    "HY-SXD",
]

# (title, lead, cooperating, category, opened, due, finished on or None, reporting)
TASKS_2018 = [
    (
        "Tuyên truyền các chủ trương, đường lối của Đảng, chính sách, pháp luật của Nhà nước về "
        "bảo đảm an ninh trật tự để nhân dân đồng thuận, ủng hộ",
        "HY-UBND",
        ["HY-CA"],
        "public_order",
        date(2018, 7, 20),
        date(2018, 12, 31),
        date(2018, 12, 20),
        "quarterly",
    ),
    (
        "Xây dựng quy chế phối hợp, hiệp đồng giữa lực lượng công an và quân sự trong bảo đảm an "
        "ninh trật tự, không để bị động, bất ngờ",
        "HY-CA",
        ["HY-BCHQS"],
        "public_order",
        date(2018, 7, 20),
        date(2018, 10, 31),
        date(2018, 10, 25),
        "monthly",
    ),
    (
        "Rà soát, giải quyết dứt điểm các vụ việc phức tạp về an ninh trật tự ngay tại cơ sở",
        "HY-CA",
        ["HY-TTR", "HY-BCHQS"],
        "public_order",
        date(2018, 7, 20),
        date(2019, 6, 30),
        date(2019, 8, 15),
        "quarterly",
    ),
    (
        "Làm tốt công tác tiếp công dân gắn với giải quyết đơn thư khiếu nại, tố cáo, tránh tình "
        "trạng đùn đẩy trách nhiệm",
        "HY-BTCD",
        ["HY-TTR"],
        "other",
        date(2018, 7, 20),
        date(2019, 7, 31),
        date(2019, 7, 18),
        "quarterly",
    ),
    (
        "Rà soát công tác quản lý đất đai, xây dựng cơ bản, chế độ chính sách, chính sách đối với "
        "người nhiễm chất độc da cam/điôxin",
        "HY-SNNMT",
        ["HY-STC", "HY-SXD"],
        "land",
        date(2018, 7, 20),
        date(2019, 3, 31),
        date(2019, 5, 10),
        "quarterly",
    ),
    (
        "Giải quyết dứt điểm các vướng mắc trong thực hiện các dự án BOT trên địa bàn",
        "HY-SXD",
        ["HY-CA", "HY-STC"],
        "bot_toll",
        date(2018, 7, 20),
        date(2019, 3, 31),
        date(2019, 3, 28),
        "quarterly",
    ),
    (
        "Rà soát, xây dựng cơ chế chặt chẽ trong thu hút, quản lý các dự án đầu tư FDI, nhất là dự "
        "án ở vị trí chiến lược hoặc thuê đất lâu dài, bảo đảm quốc phòng, an ninh",
        "HY-STC",
        ["HY-BCHQS", "HY-CA"],
        "other",
        date(2018, 7, 20),
        date(2019, 6, 30),
        date(2019, 9, 30),
        "quarterly",
    ),
]

# (title, lead, cooperating, category, due offset from today in days, progress, reporting)
TASKS_NOW = [
    (
        "Chăm lo, cải thiện đời sống công nhân tại các khu công nghiệp; phòng ngừa tranh chấp lao "
        "động tập thể",
        "HY-SNV",
        ["HY-CA"],
        "labour",
        -12,
        70,
        "monthly",
    ),
    (
        "Chủ động cung cấp thông tin cho báo chí về tình hình an ninh trật tự đầy đủ, chặt chẽ, "
        "đúng quy định",
        "HY-UBND",
        ["HY-CA"],
        "public_order",
        2,
        80,
        "monthly",
    ),
    (
        "Rà soát, giải quyết dứt điểm các vụ việc phức tạp, đông người tại cơ sở ngay từ khi mới "
        "phát sinh",
        "HY-CA",
        ["HY-TTR", "HY-BCHQS"],
        "public_order",
        45,
        55,
        "monthly",
    ),
    (
        "Tiếp công dân định kỳ của người đứng đầu cấp ủy, chính quyền; giải quyết dứt điểm đơn "
        "thư tồn đọng, kéo dài",
        "HY-BTCD",
        ["HY-TTR"],
        "other",
        30,
        60,
        "monthly",
    ),
    (
        "Kiềm chế, làm giảm tội phạm hình sự, ma túy, kinh tế trên địa bàn tỉnh",
        "HY-CA",
        ["HY-BCHQS"],
        "crime",
        120,
        40,
        "quarterly",
    ),
    (
        "Kiểm tra việc thực hiện các dự án đầu tư có yếu tố nước ngoài ở vị trí nhạy cảm về quốc "
        "phòng, an ninh",
        "HY-STC",
        ["HY-BCHQS", "HY-CA"],
        "other",
        -3,
        85,
        "monthly",
    ),
    (
        "Rà soát, xử lý dứt điểm vi phạm đất đai, lấn chiếm hành lang giao thông",
        "HY-SNNMT",
        ["HY-SXD"],
        "land",
        20,
        35,
        "monthly",
    ),
]


def _actor(ctx: Any, unit: Unit) -> Any:
    """The unit's head if the demo has one, else the administrator (recording for it)."""
    for user in ctx.officials.values():
        if user.unit_id == unit.id and user.can_act:
            return user
    return ctx.admin


def _reports(
    ctx: Any,
    task: Task,
    unit: Unit,
    start: date,
    end: date,
    final: int,
    skip: set[int],
    late: set[int],
) -> None:
    """Monthly or quarterly reports from ``start`` to ``end``: on time, late (``late``
    indexes) or missing (``skip`` indexes), progress climbing to ``final``."""
    if task.reporting == "none":
        return
    due = periods.periods_ended(task.reporting, start, end)
    for i, period in enumerate(due):
        if i in skip:
            continue
        reported_on = period.end + timedelta(days=12 if i in late else 2)
        if reported_on > end or reported_on >= clock_today():
            continue
        progress = max(5, round(final * (i + 1) / (len(due) + 1)))
        services.task_report_progress(
            actor=_actor(ctx, unit),
            unit=unit,
            task=task,
            progress=progress,
            reported_on=reported_on,
            period=period.label,
            note="Báo cáo tiến độ định kỳ" + (" (gửi muộn)" if i in late else ""),
        )
        task.matter.refresh_from_db()


def load(ctx: Any) -> None:
    u = ctx.units
    admin = ctx.admin
    bithu = ctx.officials.get("bithu", admin)
    day = clock_today()
    directive = services.directive_create(
        actor=bithu,
        number="32-KL/TW",
        title="Kết luận của Bộ Chính trị về tình hình an ninh trật tự nổi lên thời gian gần đây "
        "và nhiệm vụ, giải pháp trong thời gian tới",
        issued_on=date(2018, 7, 5),
        issuer="Bộ Chính trị",
        text="Quán triệt, triển khai thực hiện Kết luận số 32-KL/TW ngày 5/7/2018 của Bộ Chính trị "
        "về tình hình an ninh trật tự nổi lên thời gian gần đây và nhiệm vụ, giải pháp trong "
        "thời gian tới (hội nghị Ban Chấp hành Đảng bộ tỉnh mở rộng ngày 16/7/2018).",
    )
    root = services.plan_create(
        actor=bithu,
        directive=directive,
        unit=u["HY-TU"],
        number="86-KH/TU",
        title="Kế hoạch triển khai thực hiện Kết luận số 32-KL/TW ngày 5/7/2018 của Bộ Chính trị",
        issued_on=date(2018, 7, 20),
        briefing_due=date(2018, 8, 31),
        targets=PROVINCE_TARGETS,
    )
    held_2018 = {
        "HY-UBND": (date(2018, 8, 2), "Chủ tịch UBND tỉnh", 220),
        "HY-CA": (date(2018, 7, 27), "Giám đốc Công an tỉnh", 310),
        "HY-BCHQS": (date(2018, 8, 10), "Chỉ huy trưởng Bộ CHQS tỉnh", 150),
        "HY-TTR": (date(2018, 8, 24), "Chánh Thanh tra tỉnh", 45),
        "HY-BTCD": (date(2018, 9, 14), "Trưởng Ban Tiếp công dân tỉnh", 25),
        "HY-STC": (date(2018, 8, 30), "Giám đốc Sở", 60),
        "HY-SNNMT": (date(2018, 9, 7), "Giám đốc Sở", 80),
    }
    for code, (held_on, chair, n) in held_2018.items():
        services.briefing_record(
            actor=_actor(ctx, u[code]),
            plan=root,
            unit=u[code],
            held_on=held_on,
            chair=chair,
            attendees=n,
            minutes="Biên bản hội nghị quán triệt Kết luận 32-KL/TW.",
        )
    for title, lead, coop, category, opened, due, done, reporting in TASKS_2018:
        task = services.task_create(
            actor=bithu,
            plan=root,
            title=title,
            lead=lead,
            cooperating=coop,
            due_on=due,
            area="33",
            category=category,
            opened_on=opened,
            reporting=reporting,
        )
        _reports(ctx, task, u[lead], opened, done or day, 90, skip={2}, late={1})
        if done:
            services.task_complete(
                actor=_actor(ctx, u[lead]),
                task=task,
                completed_on=done,
                note="Đã hoàn thành, báo cáo Ban Thường vụ Tỉnh ủy.",
            )
    # The police's own plan under the province's.
    ca_plan = services.plan_create(
        actor=_actor(ctx, u["HY-CA"]),
        directive=directive,
        unit=u["HY-CA"],
        parent=root,
        number="152/KH-CAT",
        title="Kế hoạch của Công an tỉnh thực hiện Kết luận số 32-KL/TW",
        issued_on=date(2018, 8, 1),
        briefing_due=date(2018, 8, 31),
        targets=[],
    )
    task = services.task_create(
        actor=_actor(ctx, u["HY-CA"]),
        plan=ca_plan,
        title="Tổng rà soát địa bàn, nắm tình hình, không để bị động bất ngờ trong mọi tình huống",
        lead="HY-CA",
        cooperating=["HY-BCHQS"],
        due_on=date(2018, 12, 31),
        area="33",
        category="public_order",
        opened_on=date(2018, 8, 1),
        reporting="monthly",
    )
    _reports(ctx, task, u["HY-CA"], date(2018, 8, 1), date(2018, 12, 20), 90, skip=set(), late={3})
    services.task_complete(
        actor=_actor(ctx, u["HY-CA"]),
        task=task,
        completed_on=date(2018, 12, 20),
        note="Hoàn thành trước hạn.",
    )

    # 2026: the provincial people's committee's yearly plan, briefed in every commune.
    issued = day - timedelta(days=110)
    communes = ctx.communes[:24]
    ubnd = _actor(ctx, u["HY-UBND"])
    yearly = services.plan_create(
        actor=ubnd,
        directive=directive,
        unit=u["HY-UBND"],
        parent=root,
        number=f"45/KH-UBND/{issued.year}",
        title=f"Kế hoạch tiếp tục thực hiện Kết luận số 32-KL/TW của Bộ Chính trị năm {issued.year}",
        issued_on=issued,
        briefing_due=issued + timedelta(days=30),
        targets=["HY-CA", *[c.code for c in communes]],
    )
    services.briefing_record(
        actor=_actor(ctx, u["HY-CA"]),
        plan=yearly,
        unit=u["HY-CA"],
        held_on=issued + timedelta(days=9),
        chair="Giám đốc Công an tỉnh",
        attendees=180,
    )
    for i, commune in enumerate(communes[:15]):
        late = i in (4, 9)
        services.briefing_record(
            actor=_actor(ctx, commune),
            plan=yearly,
            unit=commune,
            held_on=issued + timedelta(days=40 if late else 8 + i),
            chair="Bí thư Đảng ủy xã" if i % 2 else "Chủ tịch UBND xã",
            attendees=35 + 3 * i,
            minutes="Quán triệt Kế hoạch của UBND tỉnh; phân công nhiệm vụ cho các thôn, tổ dân phố.",
        )
    for title, lead, coop, category, offset, final, reporting in TASKS_NOW:
        opened = issued + timedelta(days=5)
        task = services.task_create(
            actor=ubnd,
            plan=yearly,
            title=title,
            lead=lead,
            cooperating=coop,
            due_on=day + timedelta(days=offset),
            area="33",
            category=category,
            opened_on=opened,
            reporting=reporting,
        )
        _reports(
            ctx,
            task,
            u[lead],
            opened,
            day,
            final,
            skip={1} if offset < 0 else set(),
            late={0} if lead in ("HY-SNV", "HY-STC") else set(),
        )
    meeting = services.task_create(
        actor=ubnd,
        plan=yearly,
        title="Tổ chức hội nghị giao ban an ninh trật tự quý III",
        lead="HY-CA",
        cooperating=["HY-BCHQS"],
        due_on=issued + timedelta(days=60),
        area="33",
        category="public_order",
        opened_on=issued + timedelta(days=5),
        reporting="none",
    )
    services.task_complete(
        actor=_actor(ctx, u["HY-CA"]),
        task=meeting,
        completed_on=issued + timedelta(days=55),
        note="Đã tổ chức hội nghị, rút kinh nghiệm.",
    )
    # Two communes issue their own plans with their own tasks.
    for commune in communes[:2]:
        actor = _actor(ctx, commune)
        plan = services.plan_create(
            actor=actor,
            directive=directive,
            unit=commune,
            parent=yearly,
            number=f"12/KH-UBND/{issued.year}",
            title=f"Kế hoạch của {commune.name} thực hiện Kết luận 32-KL/TW",
            issued_on=issued + timedelta(days=14),
            briefing_due=issued + timedelta(days=30),
            targets=[],
        )
        area = commune.area_id or "33"
        for title, offset, final in [
            ("Rà soát, hòa giải các mâu thuẫn, tranh chấp đất đai ở thôn, tổ dân phố", -5, 60),
            ("Tổ chức tiếp công dân hằng tuần của Chủ tịch UBND xã", 25, 75),
            ("Xây dựng mô hình an ninh trật tự tự quản ở khu dân cư", 70, 30),
        ]:
            t = services.task_create(
                actor=actor,
                plan=plan,
                title=title,
                lead=commune.code,
                cooperating=["HY-CA"],
                due_on=day + timedelta(days=offset),
                area=area,
                category="public_order",
                opened_on=issued + timedelta(days=15),
                reporting="monthly",
            )
            _reports(ctx, t, commune, issued + timedelta(days=15), day, final, skip={2}, late=set())
    ctx.log.append(
        f"Plans: directive 32-KL/TW, {Plan.objects.count()} plans, {Task.objects.count()} tasks, "
        f"{Directive.objects.count()} directive."
    )
