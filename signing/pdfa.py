"""The PDF/A-2b markers of a file, read with pyHanko's PDF reader: what a validator such as
veraPDF checks first. veraPDF itself is not packaged for Debian or PyPI, so the document
checks and the tests use this; it is not a full ISO 19005 validation."""

from __future__ import annotations

import io
import re
from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader


def _fonts_of(resources: Any, seen: set[int], found: list[Any]) -> None:
    if not isinstance(resources, generic.DictionaryObject):
        return
    for font in (resources.get("/Font") or {}).values():
        obj = font.get_object()
        key = id(obj)
        if key not in seen:
            seen.add(key)
            found.append(obj)
    for xobject in (resources.get("/XObject") or {}).values():
        obj = xobject.get_object()
        if obj.get("/Subtype") == "/Form" and id(obj) not in seen:
            seen.add(id(obj))
            _fonts_of(obj.get("/Resources"), seen, found)


def _embedded(font: Any) -> bool:
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    descriptor = descriptor.get_object()
    return any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def pdfa_problems(pdf: bytes) -> list[str]:
    """What keeps ``pdf`` from carrying the PDF/A-2b markers: an sRGB output intent of
    subtype GTS_PDFA1, XMP metadata declaring part 2 conformance B, no encryption, every font
    used by a page or an annotation's appearance (the signature stamp) embedded. Empty when
    all are there."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    root = reader.root
    problems = []
    intents = [i.get_object() for i in root.get("/OutputIntents", [])]
    if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        problems.append("no PDF/A output intent with an ICC profile")
    if "/Metadata" not in root:
        problems.append("no XMP metadata")
    else:
        xmp = root["/Metadata"].get_object().data.decode("utf-8", "replace")
        part = re.search(r"pdfaid:part(?:>|=\")\s*(\d)", xmp)
        level = re.search(r"pdfaid:conformance(?:>|=\")\s*([ABU])", xmp)
        if not part or part.group(1) != "2" or not level or level.group(1) != "B":
            problems.append("the XMP metadata does not declare PDF/A-2b (pdfaid)")
    if reader.encrypted:
        problems.append("encrypted")
    seen: set[int] = set()
    fonts: list[Any] = []
    for page_ref in _pages(reader):
        page = page_ref.get_object()
        _fonts_of(page.get("/Resources"), seen, fonts)
        for annot in page.get("/Annots", []) or []:
            appearance = annot.get_object().get("/AP")
            normal = appearance.get_object().get("/N") if appearance else None
            if normal is not None:
                _fonts_of(normal.get_object().get("/Resources"), seen, fonts)
    for font in fonts:
        if not _embedded(font):
            problems.append(f"font {font.get('/BaseFont')} is not embedded")
    return problems


def _pages(reader: PdfFileReader) -> list[Any]:
    count = int(reader.root["/Pages"]["/Count"])
    return [reader.find_page_for_modification(i)[0] for i in range(count)]
