"""Every .docx and .xlsx that dutdiem writes is valid Office Open XML (ECMA-376 transitional,
as Word and Excel read it): each kind of ``documents.KINDS``, made through the API."""

from __future__ import annotations

from typing import Any

import pytest

from common.ooxml.tests.documents import KINDS, Kind
from common.ooxml.validate import assert_valid_docx, assert_valid_xlsx

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_every_document_kind_is_valid_office_open_xml(world: Any, kind: Kind) -> None:
    data = kind.make(world)
    if kind.extension == "docx":
        assert_valid_docx(data, kind.name)
    else:
        assert_valid_xlsx(data, kind.name)
