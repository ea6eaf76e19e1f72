"""Check a generated .docx or .xlsx against the Office Open XML schemas (ECMA-376 transitional
and the Office extensions that Word and Excel read), the way Word and Excel will read it.

The first pass is the schema engine of ``openxml-audit`` (PyPI, MIT), a port of the validator of
Microsoft's Open XML SDK: its schema data is the SDK's, generated from the ECMA-376 / ISO/IEC
29500 transitional schemas, and it applies the Markup Compatibility rules of ECMA-376 Part 3
(``mc:Ignorable`` namespaces are understood or ignored, never reported), so python-docx's
default template with its w14/w15 extensions passes as Word reads it. It sees what LibreOffice
forgives and Word does not: children out of their schema sequence (``w:pBdr`` after ``w:jc``),
required attributes, values out of range, parts and relationships Word needs.

Where a copy of the Ecma-published XSD files is on the machine (``common.ooxml.xsd``), a
second pass validates every part against them with lxml ``XMLSchema``, after the Markup
Compatibility processing of ECMA-376 Part 3.

    violations = validate_docx(data)      # [] when Word opens it as written
    assert_valid_docx(data, "plan report")  # in tests: fails on the first violation

Adding a document kind to the check is one line in ``common/ooxml/tests/test_documents.py``.
The validator is built once per process (its schema data is parsed on first use).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from dataclasses import dataclass, field
from functools import cache
from io import BytesIO
from typing import Any

from lxml import etree

from common.ooxml import xsd

WORD = "docx"
EXCEL = "xlsx"

# Prefixes for messages, in the spelling of the specification.
PREFIXES = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "w",
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "x",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "a",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships": "r",
    "http://schemas.openxmlformats.org/markup-compatibility/2006": "mc",
    "http://schemas.microsoft.com/office/word/2010/wordml": "w14",
    "http://schemas.microsoft.com/office/word/2012/wordml": "w15",
}


@dataclass(frozen=True)
class Violation:
    """One place where a part breaks the schema. ``expected`` is, for an element out of its
    sequence, the children its parent has, in the order the schema requires."""

    part: str  # "/word/document.xml"
    element: str  # "w:pBdr"
    path: str  # "/w:document[1]/w:body[1]/w:p[3]/w:pPr[1]"
    message: str
    kind: str = "schema"  # schema, semantic, package, relationship, markup_compatibility
    expected: tuple[str, ...] = field(default=())

    def __str__(self) -> str:
        text = f"{self.part}: {self.element} at {self.path}: {self.message}"
        if self.expected:
            text += f" (expected order: {', '.join(self.expected)})"
        return text


def validate_docx(data: bytes) -> list[Violation]:
    """Every violation in a WordprocessingML package (document, headers, footers, styles,
    numbering, settings, properties...), in document order; [] when it is valid."""
    return _validate(data, WORD)


def validate_xlsx(data: bytes) -> list[Violation]:
    """Every violation in a SpreadsheetML package (workbook, sheets, shared strings,
    styles...); [] when it is valid."""
    return _validate(data, EXCEL)


def assert_valid_docx(data: bytes, what: str = "document") -> None:
    _assert_valid(validate_docx(data), what)


def assert_valid_xlsx(data: bytes, what: str = "workbook") -> None:
    _assert_valid(validate_xlsx(data), what)


def _assert_valid(violations: list[Violation], what: str) -> None:
    if violations:
        more = f" (and {len(violations) - 1} more)" if len(violations) > 1 else ""
        raise AssertionError(f"{what} is not valid Office Open XML: {violations[0]}{more}")


@cache
def _validator() -> Any:
    # Imported here: production never validates, only the tests and the CLI of the checks do.
    from openxml_audit import FileFormat, OpenXmlValidator

    # Microsoft 365 is what the offices run; its rules include every ECMA-376 transitional
    # rule and understand the extension namespaces Word itself writes.
    return OpenXmlValidator(file_format=FileFormat.MICROSOFT_365, max_errors=0)


def _validate(data: bytes, kind: str) -> list[Violation]:
    main = "word/document.xml" if kind == WORD else "xl/workbook.xml"
    with zipfile.ZipFile(BytesIO(data)) as archive:
        if main not in archive.namelist():
            return [Violation("/" + main, "", "", f"not a .{kind} package", kind="package")]
        parts = {name: archive.read(name) for name in archive.namelist()}
    handle, path = tempfile.mkstemp(suffix=f".{kind}")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        result = _validator().validate(path)
    finally:
        os.unlink(path)
    # Warnings are advice (Excel would rewrite inline strings into a shared table on its next
    # save, say); an error is what Word or Excel refuses, repairs or drops.
    errors = [e for e in result.errors if e.severity.value == "error"]
    found = [v for v in (_violation(e, parts) for e in errors) if v is not None]
    if xsd.available():
        found.extend(_xsd_violation(problem) for problem in xsd.validate_parts(parts))
    return found


XSD_ELEMENT = re.compile(r"^Element '([^']+)'")
CLARK = re.compile(r"\{([^}]*)\}([\w.-]+)")


def _xsd_violation(problem: xsd.Problem) -> Violation:
    def short(match: re.Match[str]) -> str:
        prefix = PREFIXES.get(match.group(1))
        return f"{prefix}:{match.group(2)}" if prefix else match.group(0)

    message = CLARK.sub(short, problem.message)
    element = XSD_ELEMENT.match(message)
    return Violation(
        part=problem.part,
        element=element.group(1) if element else "",
        path=problem.path,
        message=f"{message} (line {problem.line}; ECMA-376 XSD)",
        kind="xsd",
    )


def _violation(error: Any, parts: dict[str, bytes]) -> Violation | None:
    """The error as a Violation, or None when ECMA-376 allows what the SDK's data refuses."""
    part = error.part_uri or ""
    path = error.path or ""
    element = error.node or ""
    expected: tuple[str, ...] = ()
    node = _locate(parts.get(part.lstrip("/")), path)
    if node is not None:
        path = _qualified_path(node)
        if "nexpected" in error.description or "invalid child" in error.description:
            parent = node.getparent() if _local(node.tag) == element else node
            if parent is not None and _any_order_allowed(parent):
                return None
            if parent is not None:
                present = {_prefixed(c.tag) for c in parent if isinstance(c.tag, str)}
                expected = tuple(n for n in _schema_order(parent) if n in present)
        children = [c for c in node if isinstance(c.tag, str) and _local(c.tag) == element]
        if _local(node.tag) == element:
            element = _prefixed(node.tag)
        elif children:
            element = _prefixed(children[0].tag)
        elif element:  # an attribute of the element at ``path``
            element = f"{_prefixed(node.tag)}/@{element}"
    return Violation(
        part=part,
        element=element,
        path=path,
        message=error.description,
        kind=error.error_type.value,
        expected=expected,
    )


STEP = re.compile(r"([^/\[\]]+)\[(\d+)\]")


def _locate(xml: bytes | None, path: str) -> Any:
    """The element at an SDK path of local names (``/document[1]/body[1]/p[3]``)."""
    if not xml or not path:
        return None
    try:
        node = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return None
    steps = STEP.findall(path)
    if not steps or _local(node.tag) != steps[0][0]:
        return None
    for name, index in steps[1:]:
        same = [c for c in node if isinstance(c.tag, str) and _local(c.tag) == name]
        if len(same) < int(index):
            return None
        node = same[int(index) - 1]
    return node


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _prefixed(tag: str) -> str:
    if tag.startswith("{"):
        namespace, local = tag[1:].split("}", 1)
        prefix = PREFIXES.get(namespace)
        return f"{prefix}:{local}" if prefix else local
    return tag


def _qualified_path(node: Any) -> str:
    steps = []
    while node is not None:
        parent = node.getparent()
        index = 1
        if parent is not None:
            index = [c for c in parent if c.tag == node.tag].index(node) + 1
        steps.append(f"{_prefixed(node.tag)}[{index}]")
        node = parent
    return "/" + "/".join(reversed(steps))


# Properties that ECMA-376 declares as ``xsd:choice maxOccurs="unbounded"`` (any order, each
# at most once in practice), where the Open XML SDK's data has a sequence: a SpreadsheetML
# font (sml.xsd CT_Font) and a rich-text run's properties (CT_RPrElt). openpyxl writes them in
# an order of its own; Excel reads any order, and so does the standard.
SML = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
ANY_ORDER = {f"{{{SML}}}font", f"{{{SML}}}rPr"}


def _any_order_allowed(parent: Any) -> bool:
    """True when ``parent`` is one of ``ANY_ORDER`` and its children are each allowed there
    and not repeated: only their order differs from the SDK's sequence."""
    if parent.tag not in ANY_ORDER:
        return False
    allowed = set(_schema_order(parent))
    children = [_prefixed(c.tag) for c in parent if isinstance(c.tag, str)]
    return len(children) == len(set(children)) and set(children) <= allowed


def _schema_order(parent: Any) -> tuple[str, ...]:
    """The children the schema allows under ``parent``, in its sequence: of the element types
    the schema declares under this name, the one that allows every child present."""
    from openxml_audit.codegen.schema_loader import get_registry

    present = {_prefixed(c.tag) for c in parent if isinstance(c.tag, str)}
    best: tuple[str, ...] = ()
    for candidate in get_registry().get_element_type_candidates(parent.tag):
        names = tuple(str(child["Name"]).split("/")[-1] for child in candidate.children)
        if present <= set(names) and len(names) > len(best):
            best = names
    return best
