"""Office Open XML (ECMA-376) helpers: write raw elements in schema order (``order``) and
check a generated .docx/.xlsx against the schemas (``validate``, test-time only)."""
