"""``common.ooxml.order.put``: raw property elements land where the schema puts them."""

from __future__ import annotations

import pytest
from docx.oxml import OxmlElement
from openxml_audit.codegen.schema_loader import get_registry

from common.ooxml.order import SEQUENCES, put

# The element type of the schema data that each sequence follows.
SCHEMA_TYPES = {"w:pPr": "w:CT_PPr/w:pPr", "w:tblPr": "w:CT_TblPr/w:tblPr"}


@pytest.mark.parametrize("parent", sorted(SEQUENCES))
def test_each_sequence_is_the_schemas(parent: str) -> None:
    schema_type = get_registry().get_type(SCHEMA_TYPES[parent])
    assert schema_type is not None
    schema = [str(c["Name"]).split("/")[-1] for c in schema_type.children]
    ours = SEQUENCES[parent]
    assert set(schema) <= set(ours), set(schema) - set(ours)
    # ECMA-376 has a few children the SDK keeps for table styles only: the rest, same order.
    assert [name for name in ours if name in schema] == schema


def names(parent) -> list[str]:
    return [child.tag.split("}")[1] for child in parent]


def test_a_border_goes_before_the_spacing_indent_and_alignment_already_there() -> None:
    ppr = OxmlElement("w:pPr")
    for tag in ("w:pStyle", "w:spacing", "w:ind", "w:jc"):
        ppr.append(OxmlElement(tag))
    put(ppr, OxmlElement("w:pBdr"))
    assert names(ppr) == ["pStyle", "pBdr", "spacing", "ind", "jc"]


def test_put_replaces_a_child_of_the_same_name_and_appends_when_nothing_follows() -> None:
    tbl_pr = OxmlElement("w:tblPr")
    tbl_pr.append(OxmlElement("w:tblStyle"))
    first = put(tbl_pr, OxmlElement("w:tblBorders"))
    second = put(tbl_pr, OxmlElement("w:tblBorders"))
    assert names(tbl_pr) == ["tblStyle", "tblBorders"]
    assert tbl_pr[1] is second and first.getparent() is None
    put(tbl_pr, OxmlElement("w:tblLook"))
    put(tbl_pr, OxmlElement("w:tblLayout"))
    assert names(tbl_pr) == ["tblStyle", "tblBorders", "tblLayout", "tblLook"]


def test_an_element_the_sequences_do_not_know_is_refused() -> None:
    with pytest.raises(KeyError):
        put(OxmlElement("w:pPr"), OxmlElement("w:tblBorders"))
    with pytest.raises(KeyError):
        put(OxmlElement("w:sdtPr"), OxmlElement("w:alias"))
