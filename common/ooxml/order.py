"""Add a raw property element where the schema puts it.

ECMA-376 declares the children of ``w:pPr``, ``w:tblPr`` (and ``w:rPr``, ``w:tcPr``,
``w:sectPr``) as a sequence: Word drops a property written out of its place, or reports
unreadable content, where LibreOffice forgives it. python-docx places what its API sets;
whatever code adds beyond that API goes through ``put`` and lands in schema order.

The sequences below are those of the transitional schema (CT_PPr, CT_TblPr);
``common/ooxml/tests/test_order.py`` checks them against the schema data of the validator,
so a sequence written here cannot drift from the standard.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn

SEQUENCES: dict[str, tuple[str, ...]] = {
    # CT_PPrBase, then CT_PPr's own rPr, sectPr, pPrChange (ECMA-376 Part 1, 17.3.1.26).
    "w:pPr": (
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ),
    # CT_TblPrBase, then tblPrChange (17.4.60).
    "w:tblPr": (
        "w:tblStyle",
        "w:tblpPr",
        "w:tblOverlap",
        "w:bidiVisual",
        "w:tblStyleRowBandSize",
        "w:tblStyleColBandSize",
        "w:tblW",
        "w:jc",
        "w:tblCellSpacing",
        "w:tblInd",
        "w:tblBorders",
        "w:shd",
        "w:tblLayout",
        "w:tblCellMar",
        "w:tblLook",
        "w:tblCaption",
        "w:tblDescription",
        "w:tblPrChange",
    ),
}


def put(parent: Any, child: Any) -> Any:
    """Insert ``child`` into the properties element ``parent`` at its place in the schema
    sequence, replacing a child of the same name (each occurs at most once). Returns
    ``child``. Raises KeyError for a parent or child the sequences do not know, so that a
    new kind of raw element is added here, with its order, and not appended by luck."""
    sequence = SEQUENCES[_prefixed(parent.tag)]
    name = _prefixed(child.tag)
    if name not in sequence:
        raise KeyError(name)
    successors = {qn(tag) for tag in sequence[sequence.index(name) + 1 :]}
    for old in parent.findall(child.tag):
        parent.remove(old)
    for position, existing in enumerate(parent):
        if existing.tag in successors:
            parent.insert(position, child)
            return child
    parent.append(child)
    return child


def _prefixed(tag: str) -> str:
    namespace, local = tag[1:].split("}", 1)
    if namespace != "http://schemas.openxmlformats.org/wordprocessingml/2006/main":
        raise KeyError(tag)
    return f"w:{local}"
