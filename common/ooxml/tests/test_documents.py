"""Every .docx and .xlsx that dutdiem writes, made through the API (``documents.KINDS``):

1. valid Office Open XML (ECMA-376 transitional, as Word and Excel read it);
2. for a Decree 30 document, the layout a schema cannot see (``reports.tests.decree30``);
3. printed by LibreOffice headless to PDF without a warning, its text (pdftotext) holding
   what dutdiem meant to write, and for a Decree 30 document its print layout (A4, margins,
   page numbers from page 2). Skipped, with the reason, where LibreOffice is not installed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest

from common.ooxml import libreoffice
from common.ooxml.tests.documents import KINDS, Kind
from common.ooxml.validate import assert_valid_docx, assert_valid_xlsx
from reports.tests import decree30

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def compact(text: str) -> str:
    # pdftotext may split a Vietnamese word where a diacritic is placed apart: compare
    # without whitespace, in one Unicode normal form.
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_every_document_kind(world: Any, kind: Kind) -> None:
    data = kind.make(world)
    if kind.extension == "docx":
        assert_valid_docx(data, kind.name)
        decree30.check_docx(kind.name, data)
    else:
        assert_valid_xlsx(data, kind.name)

    missing = libreoffice.available()
    if missing:
        pytest.skip(f"valid; no round trip through LibreOffice: {missing} (.ci/run installs it)")
    file_name = f"{kind.name.replace(' ', '-')}.{kind.extension}"
    printed = libreoffice.to_pdf({file_name: data}).get(file_name)
    assert printed is not None, f"LibreOffice could not print the {kind.name}"
    assert printed.warnings == [], f"{kind.name}: {printed.warnings}"
    text = compact("\n".join(libreoffice.pdf_pages(printed.pdf)))
    for expected in kind.says:
        assert compact(expected) in text, f"the printed {kind.name} does not say {expected!r}"
    if kind.extension == "docx":
        decree30.check_print(kind.name, printed.pdf)
