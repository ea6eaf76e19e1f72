"""The petition register as offices keep it in Excel (API.md, ``import-petitions``): its
columns, the values they take, and the reading of one cell.

Shared by the importer, the export (so that an export imports back) and the template.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from common.edge import xlsx_safe
from common.text import fold, nfc

DATE = "Ngày nhận"
KIND = "Loại đơn"
CHANNEL = "Nguồn đơn"
NAME = "Họ tên"
ID_NUMBER = "Số CCCD"
ADDRESS = "Địa chỉ"
PHONE = "Điện thoại"
AREA = "Mã địa bàn"
CATEGORY = "Lĩnh vực"
SUMMARY = "Tóm tắt"
CONTENT = "Nội dung"
SIGNERS = "Số người ký"
COLUMNS = [
    DATE,
    KIND,
    CHANNEL,
    NAME,
    ID_NUMBER,
    ADDRESS,
    PHONE,
    AREA,
    CATEGORY,
    SUMMARY,
    CONTENT,
    SIGNERS,
]
# Columns whose values must stay text (leading zeros).
TEXT_COLUMNS = (ID_NUMBER, PHONE, AREA)
REQUIRED = (DATE, KIND, CHANNEL, AREA, CATEGORY, SUMMARY)

KINDS = {"complaint": "Khiếu nại", "denunciation": "Tố cáo", "proposal": "Kiến nghị, phản ánh"}
CHANNELS = {
    "in_person": "Trực tiếp",
    "post": "Bưu chính",
    "online": "Trực tuyến",
    "forwarded": "Chuyển đến",
}
# Other spellings met in registers.
KIND_ALIASES = {"kien nghi": "proposal", "phan anh": "proposal", "kien nghi phan anh": "proposal"}
CHANNEL_ALIASES = {"buu dien": "post", "qua buu dien": "post", "truc tiep tai tru so": "in_person"}

_SPACES = re.compile(r"[\s,;.\-/]+")
DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def ascii_fold(text: str) -> str:
    """Lower-case ASCII letters and digits of a text, diacritics removed (đ -> d), everything
    else (punctuation, other scripts) dropped to spaces by the callers' patterns. All in C:
    NFD, then an ASCII encoding that ignores the combining marks."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", text).encode("ascii", "ignore").decode("ascii").lower()


def _fold_table() -> dict[int, str]:
    """``common.text.fold`` of every letter of the Latin blocks, as a translation table."""
    table: dict[int, str] = {}
    for code in range(0xC0, 0x2000):
        ch = chr(code)
        if unicodedata.category(ch) == "Mn":
            table[code] = ""
            continue
        folded = fold(ch)
        if folded != ch.lower():
            table[code] = folded
    return table


_FOLD_TABLE = _fold_table()


def fold_exact(text: str) -> str:
    """``common.text.fold`` with a translation table: the same result (letters of other
    scripts are kept), in C. For search keys written in bulk."""
    return " ".join(text.lower().translate(_FOLD_TABLE).split())


def fold_fast(text: str) -> str:
    """``common.text.fold`` for matching keys (headers, labels, fingerprints): the same on
    Vietnamese text, many times faster, but letters of other scripts are dropped."""
    return " ".join(ascii_fold(text).split())


@lru_cache(maxsize=4096)
def key(text: str) -> str:
    """Header and label matching ignores case, diacritics and punctuation."""
    return _SPACES.sub(" ", fold_fast(str(text))).strip()


_CHOICE_KEYS: dict[int, dict[str, str]] = {}


def match_choice(value: str, choices: dict[str, str], aliases: dict[str, str]) -> str | None:
    table = _CHOICE_KEYS.get(id(choices))
    if table is None:
        table = {**aliases}
        for code, label in choices.items():
            table[key(label)] = code
            table[key(code)] = code
        _CHOICE_KEYS[id(choices)] = table
    return table.get(key(value))


def undefuse(value: str) -> str:
    """An exported cell that began with = + - @ carries a leading apostrophe: drop it."""
    if value.startswith("'") and value[1:2] and value[1] in FORMULA_START:
        return value[1:]
    return value


def defuse(value: str) -> str:
    """Make a text cell safe to open: a leading = + - @ (or tab, return) would start a
    formula in a spreadsheet, so it gets an apostrophe in front (OWASP CSV injection)."""
    value = xlsx_safe(value)  # and drop what a cell cannot hold (control characters)
    return "'" + value if value.startswith(FORMULA_START) else value


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return undefuse(nfc(str(value)))


def date_of(value: Any) -> date | None:
    """A date cell, or text dd/mm/yyyy (the day first, always). None if it is neither."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = DATE_TEXT.match(text_of(value))
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        return None


def digits_of(value: Any, *, lengths: tuple[int, ...]) -> str:
    """An ID or phone number as text. A number cell has lost its leading zero (every
    citizen ID and every mobile number starts with 0): it is put back when the length
    then fits ``lengths``."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float) and float(value).is_integer():
        digits = str(int(value))
        return "0" + digits if len(digits) + 1 in lengths else digits
    return re.sub(r"[\s.\-]", "", text_of(value))


def area_code_of(value: Any) -> str:
    """Area codes are text: "01" for Hà Nội, five digits for a commune. A number cell is
    zero-padded back to its length."""
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        number = int(value)
        return f"{number:02d}" if number < 100 else f"{number:05d}"
    return text_of(value).strip()


# --- legacy Vietnamese fonts --------------------------------------------------------------------

# Letters of Vietnamese in Unicode that are also in Latin-1; any other Latin-1 letter or
# sign inside a word is how TCVN3 (ABC) and VNI text looks once read as Unicode.
_VIETNAMESE_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
_SUSPECT = {chr(c) for c in range(0xA1, 0x100)} - _VIETNAMESE_LATIN1 - set("×÷°±²³µ·¹º¼½¾«»§©®¶¬")
# Signs used as letters by TCVN3 (e.g. "§" for Đ, "¸" for á, "µ" for à, "¬" for ơ).
_TCVN3_SIGNS = set("¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿")
LEGACY_FONTS = (".vn", "vni", "vn3", "abc")
# VNI writes a mark as a second character after the vowel ("Nguyeãn", "Khieáu", "naïi"):
# pairs that never occur in Unicode Vietnamese (where only "o" takes a marked a or e).
_VNI_PAIR = re.compile(r"[aeAE][âáàåãäêéèúüëùøûõï]|[oO][âåäêúüëùøûõï]")
_INNER_CAPITAL = r"[a-z][ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝÑÖÜ][a-z]"
_ANY_SIGN = re.compile(
    "["
    + re.escape("".join(sorted(_SUSPECT | _TCVN3_SIGNS)))
    + "]|"
    + _VNI_PAIR.pattern
    + "|"
    + _INNER_CAPITAL
)


def legacy_font(text: str, font_name: str | None = None) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when ``text`` looks typed in a legacy Vietnamese font (or its
    cell uses one), else None. Unicode Vietnamese never mixes these signs into words."""
    if not text or text.isascii():
        return None
    name = (font_name or "").strip().lower()
    if name.startswith(LEGACY_FONTS):
        return "VNI" if name.startswith("vni") else "TCVN3"
    if not _ANY_SIGN.search(text):
        return None  # the common case, decided by one scan in C
    signs = sum(1 for ch in text if ch in _TCVN3_SIGNS)
    suspects = sum(1 for ch in text if ch in _SUSPECT)
    # A capital letter with a mark inside a lower-case word: TCVN3 writes "ễ" as "Ô".
    inner_capitals = len(re.findall(_INNER_CAPITAL, text))
    if signs >= 2 or (signs and inner_capitals):
        return "TCVN3"
    if suspects >= 2 or len(_VNI_PAIR.findall(text)) >= 2:
        return "VNI"
    if inner_capitals >= 2:
        return "TCVN3"
    return None
