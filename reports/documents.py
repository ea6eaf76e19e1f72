"""The documents themselves: what each report says, laid out by ``reports.docx``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from reports.docx import Decree30Document, Header, Recipients, document_number
from reports.figures import PetitionFigures
from reports.letterhead import (
    default_recipients,
    issuer_code,
    parent_body,
    place_name,
    signature_for,
)
from reports.periods import Period
from units.models import Unit

TYPE_CODE = "BC"  # Báo cáo (Decree 30/2020, Appendix III)


@dataclass
class Issue:
    """Who issues a document, under which number, on which day, signed by whom."""

    unit: Unit
    number: int | None  # None: a draft, not numbered
    day: date
    user: Any = None

    @property
    def draft(self) -> bool:
        return self.number is None

    @property
    def number_line(self) -> str:
        if self.number is None:
            # A draft leaves the number blank, to be written when it is issued.
            return f"Số:      /{TYPE_CODE}-{issuer_code(self.unit)}"
        return document_number(self.number, TYPE_CODE, issuer_code(self.unit))

    def header(self, subject: str) -> Header:
        return Header(
            parent_body=parent_body(self.unit),
            issuing_body=self.unit.name,
            number_line=self.number_line,
            place=place_name(self.unit),
            day=self.day,
            type_name="BÁO CÁO",
            subject=subject,
        )


def _pct(part: int, whole: int) -> str:
    return f"{(100 * part / whole):.1f}".replace(".", ",") + "%" if whole else "-"


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def petitions_document(issue: Issue, period: Period, figures: PetitionFigures) -> bytes:
    doc = Decree30Document()
    subject = f"Kết quả công tác tiếp công dân, xử lý đơn thư và giải quyết khiếu nại, tố cáo {period.label()}"
    if issue.draft:
        doc.paragraph(
            f"DỰ THẢO – kỳ báo cáo chưa kết thúc (số liệu đến ngày {issue.day:%d/%m/%Y}), "
            "chưa được ban hành",
            bold=True,
        )
    doc.header(issue.header(subject))
    t = figures.total
    doc.paragraph(
        f"{issue.unit.name} báo cáo kết quả công tác tiếp công dân, tiếp nhận, xử lý đơn và giải "
        f"quyết khiếu nại, tố cáo, kiến nghị, phản ánh {period.label()} (từ ngày "
        f"{figures.start:%d/%m/%Y} đến ngày {figures.end:%d/%m/%Y}) của cơ quan, đơn vị và các "
        f"đơn vị trực thuộc như sau:"
    )
    doc.heading("I. CÔNG TÁC TIẾP CÔNG DÂN")
    if figures.reception_known:
        doc.paragraph(
            f"Trong kỳ, tổ chức {_n(figures.sessions)} buổi tiếp công dân của người đứng đầu "
            f"(trong đó {_n(figures.ad_hoc_sessions)} buổi tiếp đột xuất); tiếp {_n(figures.visits)} "
            f"lượt với {_n(figures.people)} người, trong đó {_n(figures.group_visits)} đoàn đông người."
        )
    else:
        doc.paragraph("Chưa có số liệu sổ tiếp công dân trong hệ thống cho kỳ báo cáo này.")
    doc.heading("II. TIẾP NHẬN, PHÂN LOẠI VÀ XỬ LÝ ĐƠN")
    doc.paragraph(
        f"Tổng số đơn phải xử lý trong kỳ: {_n(t.carried + t.received)} đơn, trong đó kỳ trước chuyển "
        f"sang {_n(t.carried)} đơn, tiếp nhận trong kỳ {_n(t.received)} đơn. Đã xử lý "
        f"{_n(t.processed)} đơn; thụ lý giải quyết {_n(t.accepted)} đơn."
    )
    headers = [
        "Loại đơn",
        "Kỳ trước chuyển sang",
        "Tiếp nhận trong kỳ",
        "Đã xử lý",
        "Thụ lý",
        "Giải quyết đúng hạn",
        "Giải quyết quá hạn",
        "Đang giải quyết",
    ]
    widths = [3.3, 1.9, 1.9, 1.8, 1.6, 1.9, 1.9, 2.0]
    doc.table(headers, [row.cells() for row in [*figures.by_kind, t]], widths_cm=widths)
    doc.heading("III. KẾT QUẢ GIẢI QUYẾT THEO LĨNH VỰC")
    resolved = t.resolved_on_time + t.resolved_late
    doc.paragraph(
        f"Đã giải quyết {_n(resolved)} vụ việc, trong đó đúng hạn {_n(t.resolved_on_time)} "
        f"({_pct(t.resolved_on_time, resolved)}), quá hạn {_n(t.resolved_late)}. Đến hết kỳ còn "
        f"{_n(t.pending)} đơn đang giải quyết, trong đó {_n(t.overdue)} đơn đã quá hạn."
    )
    if figures.by_category:
        headers = ["Lĩnh vực", *headers[1:]]  # the same columns, by category
        doc.table(headers, [row.cells() for row in figures.by_category], widths_cm=widths)
    doc.heading("IV. ĐÁNH GIÁ VÀ KIẾN NGHỊ")
    if figures.worst_units:
        names = "; ".join(f"{name} ({_n(n)} đơn)" for name, n in figures.worst_units)
        doc.paragraph(
            f"Các đơn vị còn nhiều đơn quá hạn giải quyết đến hết kỳ: {names}. Đề nghị thủ trưởng "
            f"các đơn vị khẩn trương chỉ đạo giải quyết dứt điểm, không để đơn tồn đọng, kéo dài."
        )
    else:
        doc.paragraph("Đến hết kỳ báo cáo không có đơn quá hạn giải quyết.")
    doc.paragraph(
        f"Trên đây là báo cáo kết quả công tác tiếp công dân, xử lý đơn và giải quyết khiếu nại, "
        f"tố cáo {period.label()} của {issue.unit.name}./."
    )
    doc.closing(
        signature_for(issue.unit, issue.user),
        Recipients(default_recipients(issue.unit, ["Thanh tra tỉnh"]), issuer_code(issue.unit)),
    )
    return doc.to_bytes()


@dataclass
class PlanFigures:
    plan: Any
    status: Any  # plans.selectors.PlanStatus, rolled up over the child plans
    held: list[tuple[str, date, bool]]  # unit name, held on, late
    missing: list[tuple[str, date]]  # unit name, briefing due
    behind: list[tuple[str, int]]  # unit name, overdue tasks
    today: date


def plan_document(issue: Issue, f: PlanFigures) -> bytes:
    plan = f.plan
    doc = Decree30Document()
    subject = (
        f"Kết quả thực hiện Kế hoạch số {plan.number} ngày {plan.issued_on:%d/%m/%Y} "
        f"về {plan.title}"
    )
    doc.header(issue.header(subject))
    directive = plan.directive
    doc.paragraph(
        f"Thực hiện {directive.number} ngày {directive.issued_on:%d/%m/%Y} của {directive.issuer} "
        f"về {directive.title}, {plan.unit.name} đã ban hành Kế hoạch số {plan.number} ngày "
        f"{plan.issued_on:%d/%m/%Y}. {issue.unit.name} báo cáo kết quả thực hiện đến ngày "
        f"{f.today:%d/%m/%Y} như sau:"
    )
    _plan_dissemination(doc, f)
    _plan_tasks(doc, f.status)
    _plan_behind(doc, f)
    doc.paragraph(
        f"Trên đây là báo cáo kết quả thực hiện Kế hoạch số {plan.number} của {issue.unit.name}./."
    )
    recipients = default_recipients(issue.unit)
    if directive.issuer and directive.issuer not in recipients:
        recipients.insert(0, directive.issuer)
    doc.closing(
        signature_for(issue.unit, issue.user), Recipients(recipients, issuer_code(issue.unit))
    )
    return doc.to_bytes()


def _plan_dissemination(doc: Decree30Document, f: PlanFigures) -> None:
    """I. The conferences held to disseminate the plan, and the units that have not held one."""
    s = f.status
    doc.heading("I. CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI")
    doc.paragraph(
        f"Số đơn vị phải tổ chức hội nghị quán triệt, triển khai: {_n(s.required)}; đã tổ chức "
        f"{_n(s.held)} (trong đó {_n(s.held_late)} đơn vị tổ chức sau thời hạn); chưa tổ chức "
        f"{_n(len(f.missing))}."
    )
    if f.held:
        doc.table(
            ["Đơn vị đã tổ chức", "Ngày tổ chức", "Đúng hạn"],
            [[name, f"{day:%d/%m/%Y}", "Không" if late else "Có"] for name, day, late in f.held],
            widths_cm=[9.5, 3.5, 3.5],
        )
    if f.missing:
        doc.paragraph(
            "Các đơn vị chưa tổ chức hội nghị quán triệt, triển khai: "
            + "; ".join(f"{name} (hạn {due:%d/%m/%Y})" for name, due in f.missing)
            + "."
        )


def _plan_tasks(doc: Decree30Document, s: Any) -> None:
    """II. The tasks by state, and the overall progress."""
    doc.heading("II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ")
    t = s.tasks
    doc.paragraph(
        f"Tổng số nhiệm vụ: {_n(t['total'])}; đã hoàn thành {_n(t['done_on_time'] + t['done_late'])} "
        f"(đúng hạn {_n(t['done_on_time'])}, quá hạn {_n(t['done_late'])}); đang thực hiện "
        f"{_n(t['in_time'] + t['due_soon'] + t['overdue'])}, trong đó quá hạn {_n(t['overdue'])}. "
        f"Tiến độ chung: {str(s.progress).replace('.', ',')}%."
    )
    doc.table(
        [
            "Tổng số",
            "Hoàn thành đúng hạn",
            "Hoàn thành quá hạn",
            "Trong hạn",
            "Sắp đến hạn",
            "Quá hạn",
        ],
        [
            [
                t["total"],
                t["done_on_time"],
                t["done_late"],
                t["in_time"],
                t["due_soon"],
                t["overdue"],
            ]
        ],
        widths_cm=[2.5, 3.0, 3.0, 2.6, 2.6, 2.6],
    )


def _plan_behind(doc: Decree30Document, f: PlanFigures) -> None:
    """III. The units behind schedule, or a sentence saying there are none."""
    doc.heading("III. ĐƠN VỊ CHẬM TIẾN ĐỘ")
    if f.behind or f.missing:
        if f.behind:
            doc.table(
                ["Đơn vị", "Nhiệm vụ quá hạn"],
                [[name, n] for name, n in f.behind],
                widths_cm=[12.0, 4.3],
            )
        doc.paragraph(
            "Đề nghị thủ trưởng các đơn vị chậm tiến độ khẩn trương chỉ đạo hoàn thành các nhiệm "
            "vụ quá hạn, tổ chức quán triệt, triển khai và báo cáo kết quả theo quy định."
        )
    else:
        doc.paragraph("Không có đơn vị chậm tiến độ.")
