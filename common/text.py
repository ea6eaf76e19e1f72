"""Vietnamese text helpers: NFC normalisation on input and diacritics folding for search."""

import unicodedata

_SPECIAL = str.maketrans({"đ": "d", "Đ": "D"})


def nfc(value: str) -> str:
    """Return ``value`` in Unicode NFC with surrounding white space removed."""
    return unicodedata.normalize("NFC", value).strip()


def fold(value: str) -> str:
    """Return a lower-case, diacritics-free form: ``"Nguyễn Đức"`` -> ``"nguyen duc"``.

    Used for search keys, so that a query typed without accents finds accented text.
    """
    decomposed = unicodedata.normalize("NFD", value.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())
