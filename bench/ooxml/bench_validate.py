"""How long the Office Open XML check takes: ``common.ooxml.validate`` on a Decree 30 report
and on a register workbook, and the LibreOffice round trip of the report.

Run: .venv/bin/python bench/ooxml/bench_validate.py [--paragraphs 60] [--rows 2000]

No database: the report is built with ``reports.docx.Decree30Document`` (``--paragraphs`` body
paragraphs and a 30-row table), the workbook with openpyxl (``--rows`` rows of 12 text cells,
the shape of the petitions export). Prints the first use (the schema data is parsed then)
and the median of 5 further runs for each. With the Ecma XSD files on the machine
(``DUTDIEM_OOXML_SCHEMAS=...``, see common/ooxml/README.md) ``validate_*`` runs both passes,
and the XSD pass is timed alone too.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def report(paragraphs: int) -> bytes:
    from reports.docx import Decree30Document, Header, Recipients, Signature

    doc = Decree30Document()
    doc.header(
        Header(
            "Ủy ban nhân dân tỉnh Hưng Yên",
            "Ban Tiếp công dân tỉnh",
            "Số: 05/BC-BTCD",
            "Hưng Yên",
            date(2026, 1, 5),
            subject="Kết quả công tác tiếp công dân",
        )
    )
    for i in range(paragraphs):
        doc.paragraph(f"Đoạn nội dung số {i} của báo cáo, căn đều hai bên và thụt đầu dòng.")
    doc.table(
        ["Lĩnh vực", "Số đơn"], [[f"Lĩnh vực {i}", i] for i in range(30)], widths_cm=[10, 6.5]
    )
    doc.closing(
        Signature("KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN", "Bùi Văn Nam"),
        Recipients(["Ủy ban nhân dân tỉnh"], "BTCD"),
    )
    return doc.to_bytes()


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sổ đơn")
    for r in range(rows):
        sheet.append([f"Ô {r}-{c} khiếu nại về đất đai" for c in range(12)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    fn()
    first = time.perf_counter() - start
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    print(f"{label}: first {first:.2f} s, then median {statistics.median(runs):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, default=60)
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()
    import django

    django.setup()
    from common.ooxml import libreoffice, xsd
    from common.ooxml.validate import validate_docx, validate_xlsx

    docx, xlsx = report(args.paragraphs), workbook(args.rows)
    print(f"report {len(docx):,} bytes, workbook {len(xlsx):,} bytes")
    timed(f"validate_docx ({args.paragraphs} paragraphs)", lambda: validate_docx(docx))
    timed(f"validate_xlsx ({args.rows} rows x 12)", lambda: validate_xlsx(xlsx))
    if xsd.available():
        docx_parts, xlsx_parts = parts(docx), parts(xlsx)
        timed("XSD pass alone, the report", lambda: xsd.validate_parts(docx_parts))
        timed("XSD pass alone, the workbook", lambda: xsd.validate_parts(xlsx_parts))
    if libreoffice.available() is None:
        timed("LibreOffice round trip of the report", lambda: libreoffice.to_pdf({"r.docx": docx}))


if __name__ == "__main__":
    main()
