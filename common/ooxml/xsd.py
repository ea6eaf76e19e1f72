"""A second pass of the Office Open XML check: lxml ``XMLSchema`` against the ECMA-376
transitional XSD files themselves, when a copy of them is on this machine.

Where the files are looked for, first found wins: ``$DUTDIEM_OOXML_SCHEMAS``, then
``common/ooxml/schemas/``, then ``ooxml-schemas/`` in the ``shared/`` folder beside the
checkout (``../shared`` or ``../../shared``). Any folder layout: each file is found by its
name (``wml.xsd``, ``sml.xsd``, ``dml-main.xsd``, ``opc-relationships.xsd``...), imports are
resolved relative to it. A schema that cannot be built (an import out of reach, say) is left
out and named by ``missing()``.

Before validating, each part goes through the Markup Compatibility rules of ECMA-376 Part 3
(``preprocess``): the schemas are not loosened, the markup an ECMA-376 consumer would ignore
is taken out first.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
XML = "http://www.w3.org/XML/1998/namespace"
ROOT = Path(__file__).resolve().parent.parent.parent

# The root schema of each part namespace, by file name as Ecma publishes them.
ROOTS = {
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main": "wml.xsd",
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "sml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties": (
        "shared-documentPropertiesCustom.xsd"
    ),
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "opc-coreProperties.xsd"
    ),
}


@dataclass(frozen=True)
class Problem:
    part: str
    path: str  # XPath in the part after Markup Compatibility processing
    line: int
    message: str


def folder() -> Path | None:
    """The folder holding the XSD files, or None."""
    candidates = [
        os.environ.get("DUTDIEM_OOXML_SCHEMAS", ""),
        str(ROOT / "common" / "ooxml" / "schemas"),
        str(ROOT.parent / "shared" / "ooxml-schemas"),
        str(ROOT.parent.parent / "shared" / "ooxml-schemas"),
    ]
    for candidate in candidates:
        if candidate and any(Path(candidate).rglob("wml.xsd")):
            return Path(candidate)
    return None


@cache
def _schemas() -> tuple[dict[str, Any], tuple[str, ...], frozenset[str]]:
    """(namespace -> XMLSchema, what could not be built, the namespaces the files define),
    built once per process."""
    base = folder()
    if base is None:
        return {}, tuple(ROOTS.values()), frozenset()
    files = {path.name: path for path in sorted(base.rglob("*.xsd"))}
    understood = {MC, XML}
    for path in files.values():
        try:
            target = etree.parse(str(path)).getroot().get("targetNamespace")
        except etree.XMLSyntaxError:
            continue
        # Only what ECMA-376 itself defines is understood; Microsoft's extension schemas
        # (w14, w15... in the same folder, say) stay ignorable, as a consumer of the
        # standard treats them.
        if target and "schemas.microsoft.com" not in target:
            understood.add(target)
    built: dict[str, Any] = {}
    missing = []
    for namespace, name in ROOTS.items():
        root_file = files.get(name)
        if root_file is None:
            missing.append(name)
            continue
        try:
            built[namespace] = etree.XMLSchema(etree.parse(str(root_file)))
        except (etree.XMLSchemaParseError, etree.XMLSyntaxError, OSError):
            missing.append(name)
    return built, tuple(missing), frozenset(understood)


def available() -> bool:
    return bool(_schemas()[0])


def missing() -> tuple[str, ...]:
    """The root schemas that are not in use (absent, or not buildable here)."""
    return _schemas()[1]


def validate_parts(parts: dict[str, bytes]) -> list[Problem]:
    """Every XML part whose root namespace has a schema, validated after Markup Compatibility
    processing; parts of other namespaces (custom XML data...) are not this check's."""
    schemas, _, understood = _schemas()
    problems = []
    for name, data in parts.items():
        if not (name.endswith(".xml") or name.endswith(".rels")):
            continue
        try:
            root = etree.fromstring(data)
        except etree.XMLSyntaxError as error:
            problems.append(Problem("/" + name, "", error.lineno, str(error)))
            continue
        namespace = etree.QName(root).namespace
        schema = schemas.get(namespace or "")
        if schema is None:
            continue
        root = preprocess(root, understood)
        if not schema.validate(root):
            for entry in schema.error_log:
                problems.append(Problem("/" + name, entry.path, entry.line, entry.message))
    return problems


def preprocess(root: Any, understood: frozenset[str]) -> Any:
    """A copy of ``root`` as an ECMA-376 consumer that understands ``understood`` reads it
    (Part 3): ``mc:AlternateContent`` becomes its first Choice whose ``Requires`` are all
    understood (else its Fallback, else nothing); elements and attributes of a namespace
    declared in an ``mc:Ignorable`` in scope and not understood are dropped (the children of
    an element named in ``mc:ProcessContent`` are kept in its place); the ``mc:`` attributes
    go. Markup of a namespace that is neither understood nor ignorable stays, and the schema
    reports it."""
    root = etree.fromstring(etree.tostring(root))
    _process(root, understood, frozenset(), frozenset())
    etree.cleanup_namespaces(root)
    return root


def _namespaces(element: Any, attribute: str) -> set[str]:
    value = element.get(f"{{{MC}}}{attribute}") or ""
    found = set()
    for token in value.split():
        prefix = token.split(":", 1)[0]
        namespace = element.nsmap.get(prefix)
        if namespace:
            found.add(namespace if ":" not in token else f"{{{namespace}}}{token.split(':')[1]}")
    return found


def _process(
    element: Any, understood: frozenset[str], ignorable: frozenset[str], process: frozenset[str]
) -> None:
    ignorable = ignorable | _namespaces(element, "Ignorable")
    process = process | _namespaces(element, "ProcessContent")
    for attribute in list(element.attrib):
        namespace = etree.QName(attribute).namespace
        if namespace == MC or (namespace in ignorable and namespace not in understood):
            del element.attrib[attribute]
    index = 0
    while index < len(element):
        child = element[index]
        if not isinstance(child.tag, str):
            index += 1
            continue
        namespace = etree.QName(child).namespace
        if child.tag == f"{{{MC}}}AlternateContent":
            # What replaces it is looked at again, from the same place.
            _replace(child, _chosen(child, understood))
            continue
        if namespace in ignorable and namespace not in understood:
            keep = list(child) if child.tag in process or f"{{{namespace}}}*" in process else []
            _replace(child, keep)
            continue
        _process(child, understood, ignorable, process)
        index += 1


def _chosen(alternate: Any, understood: frozenset[str]) -> list[Any]:
    for choice in alternate.findall(f"{{{MC}}}Choice"):
        required = [choice.nsmap.get(p) for p in (choice.get("Requires") or "").split()]
        if required and all(ns in understood for ns in required):
            return list(choice)
    fallback = alternate.find(f"{{{MC}}}Fallback")
    return list(fallback) if fallback is not None else []


def _replace(old: Any, new: list[Any]) -> None:
    parent = old.getparent()
    position = parent.index(old)
    parent.remove(old)
    for offset, child in enumerate(new):
        parent.insert(position + offset, child)
