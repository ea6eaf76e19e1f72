"""How long a signed PDF/A takes: LibreOffice headless printing a Decree 30 report to
PDF/A-2b (per document and per page), and pyHanko signing it with a PKCS#12 unit
certificate (per document), then checking it (``signing.verify.check_pdf``).

Run: .venv/bin/python bench/signing/bench_pdf.py [--paragraphs 20 60 200] [--runs 3]

No database: the reports are built with ``reports.docx.Decree30Document`` (``--paragraphs``
body paragraphs and a 30-row table, as ``bench/ooxml/bench_validate.py``); the demo
certificate authority and unit certificate are made in a scratch signing folder. Each
figure is the median of ``--runs`` runs; the first signature of a process (font scaling,
imports) is printed apart.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench" / "ooxml"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DUTDIEM_DATA_DIR"] = tempfile.mkdtemp(prefix="dutdiem-bench-signing-")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--paragraphs", type=int, nargs="+", default=[20, 60, 200])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from bench_validate import report

    from common.ooxml import libreoffice
    from signing import keys
    from signing.pdf import docx_to_pdfa, sign_pdf
    from signing.verify import check_pdf

    unit = "Ban Tiếp công dân tỉnh Hưng Yên"
    config = keys.signer_for("HY-BTCD", unit)
    assert config is not None
    first_doc = docx_to_pdfa(report(20))
    started = time.perf_counter()
    sign_pdf(first_doc, config, unit_name=unit)
    print(f"first signature of the process: {1000 * (time.perf_counter() - started):.0f} ms")
    print("| body paragraphs | pages | PDF/A print | per page | signing | check |")
    print("|---|---|---|---|---|---|")
    for paragraphs in args.paragraphs:
        docx = report(paragraphs)
        prints, signs, checks = [], [], []
        pages = 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            pdf = docx_to_pdfa(docx)
            t1 = time.perf_counter()
            signed = sign_pdf(pdf, config, unit_name=unit)
            t2 = time.perf_counter()
            assert check_pdf(signed).valid
            t3 = time.perf_counter()
            prints.append(t1 - t0)
            signs.append(t2 - t1)
            checks.append(t3 - t2)
            pages = len(libreoffice.pdf_pages(pdf))
        p, s, c = (statistics.median(x) * 1000 for x in (prints, signs, checks))
        print(
            f"| {paragraphs} | {pages} | {p:.0f} ms | {p / pages:.0f} ms | {s:.0f} ms | {c:.0f} ms |"
        )


if __name__ == "__main__":
    main()
