"""Vietnamese text helpers: NFC normalisation on input and diacritics folding for search."""

import unicodedata

from django.utils.translation import gettext as _

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


def text_field(
    errors: dict[str, str], name: str, value: object, *, required: bool, limit: int
) -> str:
    """``value`` as NFC text for a service's field ``name``: "must be text" for anything but a
    string or None, "required" when ``required`` and empty, "at most N characters" past
    ``limit``, each put into ``errors``. (The API's field checks of reviews and statements.)"""
    if value is not None and not isinstance(value, str):
        errors[name] = _("must be text")
        return ""
    text = nfc(value or "")
    if required and not text:
        errors[name] = _("required")
    elif len(text) > limit:
        errors[name] = _("at most %(n)s characters") % {"n": limit}
    return text
