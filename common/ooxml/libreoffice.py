"""Print documents to PDF with LibreOffice headless and read the text back with pdftotext
(poppler): the round trip of the document checks, and the converter a PDF/A export can use.

Both are Debian packages (``libreoffice-writer-nogui``, ``libreoffice-calc-nogui``,
``poppler-utils``); ``available()`` says whether this machine has them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# What soffice prints about its own installation, never about a document.
ENVIRONMENT_NOISE = re.compile(r"javaldx|java may not function|^\s*$", re.IGNORECASE)


# Writer's PDF export as PDF/A-2b (ISO 19005-2, level B: fonts embedded, an sRGB output
# intent, XMP metadata with pdfaid), tagged. The JSON form of filter options is read by
# LibreOffice 7.4 and later.
PDFA_WRITER = (
    'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"},'
    '"UseTaggedPDF":{"type":"boolean","value":"true"}}'
)


@dataclass(frozen=True)
class Printed:
    pdf: bytes
    warnings: list[str]  # what soffice said about this run besides "convert ... -> ..."


def available() -> str | None:
    """None when LibreOffice and pdftotext are both here, else what is missing."""
    missing = [tool for tool in ("soffice", "pdftotext") if shutil.which(tool) is None]
    return ", ".join(missing) + " not installed" if missing else None


def to_pdf(
    documents: dict[str, bytes], timeout: int = 300, export: str = "pdf"
) -> dict[str, Printed]:
    """Each document (file name -> content; the extension picks Writer or Calc) printed to
    PDF in one soffice run, with a profile of its own so that runs in parallel never share
    one. A document LibreOffice could not print is missing from the result.

    ``export`` is soffice's ``--convert-to`` target: ``pdf``, or a filter with its options,
    such as ``PDFA_WRITER`` for PDF/A-2b."""
    with tempfile.TemporaryDirectory(prefix="dutdiem-lo-") as tmp:
        root = Path(tmp)
        sources = []
        for name, data in documents.items():
            path = root / name
            path.write_bytes(data)
            sources.append(str(path))
        out = root / "pdf"
        run = subprocess.run(
            [
                "soffice",
                f"-env:UserInstallation={(root / 'profile').as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                export,
                "--outdir",
                str(out),
                *sources,
            ],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        said = (run.stdout + "\n" + run.stderr).splitlines()
        warnings = [
            line
            for line in said
            if not line.startswith("convert ") and not ENVIRONMENT_NOISE.search(line)
        ]
        if run.returncode != 0:
            warnings.append(f"soffice exited with {run.returncode}")
        printed = {}
        for name in documents:
            pdf = out / (Path(name).stem + ".pdf")
            if pdf.exists():
                printed[name] = Printed(pdf.read_bytes(), warnings)
        return printed


def pdf_pages(pdf: bytes) -> list[str]:
    """The text of each page, in reading order (pdftotext -layout)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        text = subprocess.run(
            ["pdftotext", "-layout", "-enc", "UTF-8", handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    pages = text.split("\f")
    return pages[:-1] if pages and not pages[-1].strip() else pages


@dataclass(frozen=True)
class Word:
    page: int  # from 1
    x0: float  # points from the left edge
    y0: float  # points from the top edge
    x1: float
    y1: float
    text: str


def pdf_words(pdf: bytes) -> tuple[list[tuple[float, float]], list[Word]]:
    """The size of each page (width, height in points) and every word with its box."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        html = subprocess.run(
            ["pdftotext", "-bbox", "-enc", "UTF-8", handle.name, "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    sizes: list[tuple[float, float]] = []
    words = []
    for line in html.splitlines():
        page = re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line)
        if page:
            sizes.append((float(page.group(1)), float(page.group(2))))
        word = re.search(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)</word>',
            line,
        )
        if word:
            x0, y0, x1, y1 = (float(word.group(i)) for i in range(1, 5))
            words.append(Word(len(sizes), x0, y0, x1, y1, word.group(5)))
    return sizes, words
