"""The register's cell rules and the duplicate check, without a database."""

from __future__ import annotations

import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from common.text import fold
from registry import dedupe
from registry import register as reg

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "registry"))
from dataset import corpus_texts, pairs  # noqa: E402


@pytest.mark.parametrize(
    ("text", "font", "expected"),
    [
        ("Céng hoµ x· héi chñ nghÜa ViÖt Nam", None, "TCVN3"),
        ("NguyÔn V¨n An", None, "TCVN3"),
        ("§éc lËp - Tù do - H¹nh phóc", None, "TCVN3"),
        ("Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", None, "VNI"),
        ("Nguyeãn Vaên An", None, "VNI"),
        ("Nguyễn Văn An", ".VnTime", "TCVN3"),
        ("Nguyễn Văn An", "VNI-Times", "VNI"),
        ("Nguyen Van An", ".VnTime", None),  # plain ASCII reads the same in any font
        ("Nguyễn Văn An", "Times New Roman", None),
        ("Hoà Bình, khoẻ, hoá đơn, quế, Thuý, Ea Súp, Đắk Lắk", None, None),
    ],
)
def test_legacy_fonts(text: str, font: str | None, expected: str | None) -> None:
    assert reg.legacy_font(text, font) == expected


def test_no_unicode_petition_is_taken_for_a_legacy_font() -> None:
    assert [t for t in corpus_texts(3000) if reg.legacy_font(t)] == []


def test_cells() -> None:
    assert reg.date_of("03/04/2026") == date(2026, 4, 3)  # day first, always
    assert reg.date_of(datetime(2026, 4, 3, 10, 0)) == date(2026, 4, 3)
    assert reg.date_of("2026-04-03") is None and reg.date_of("31/02/2026") is None
    assert reg.digits_of(34080001234, lengths=(9, 12)) == "034080001234"
    assert reg.digits_of(34080001234.0, lengths=(9, 12)) == "034080001234"
    assert reg.digits_of("034 080 001 234", lengths=(9, 12)) == "034080001234"
    assert reg.digits_of(912345678, lengths=(10, 11)) == "0912345678"
    assert reg.area_code_of(1) == "01" and reg.area_code_of(4) == "04"
    assert reg.area_code_of(1234.0) == "01234" and reg.area_code_of("33") == "33"
    assert reg.match_choice("kien nghi, phan anh", reg.KINDS, reg.KIND_ALIASES) == "proposal"
    assert reg.match_choice("TỐ CÁO", reg.KINDS, reg.KIND_ALIASES) == "denunciation"
    assert reg.match_choice("Bưu điện", reg.CHANNELS, reg.CHANNEL_ALIASES) == "post"


@pytest.mark.parametrize("value", ["=1+1", "+84912", "-5", "@SUM(A1)", "\tx", "\rx"])
def test_formulas_are_defused_and_restored(value: str) -> None:
    safe = reg.defuse(value)
    assert safe.startswith("'") and reg.undefuse(safe) == value
    assert reg.defuse("Nguyễn") == "Nguyễn" and reg.undefuse("'tên") == "'tên"


def test_fast_folding_matches_common_fold() -> None:
    for text in corpus_texts(300):
        assert reg.fold_fast(text) == fold(text)


def test_the_check_on_labelled_pairs() -> None:
    """Precision and recall on a held-out labelled set (the figures of the benchmark page
    come from ``bench/registry/tune.py`` on a larger one)."""
    tp = fp = fn = 0
    for pair in pairs(150, seed=123):
        said = dedupe.compare(dedupe.normalise(pair.a), dedupe.normalise(pair.b)).duplicate
        tp += said and pair.duplicate
        fp += said and not pair.duplicate
        fn += pair.duplicate and not said
    assert tp / (tp + fp) >= 0.98
    assert tp / (tp + fn) >= 0.97


def test_salutation_and_marks_do_not_count() -> None:
    a = dedupe.normalise("Kính gửi: UBND xã Tân Lập.\nTôi là Nguyễn Văn An, thửa đất số 12.")
    b = dedupe.normalise("Kinh gui: Thanh tra tinh.\nToi la Nguyen Van An, thua dat so 12.")
    assert a == b == "toi la nguyen van an thua dat so 12"
    assert dedupe.compare(a, b).duplicate
    c = dedupe.normalise("Tôi là Nguyễn Văn An, thửa đất số 13.")
    assert not dedupe.compare(a, c).duplicate  # another plot


def test_exact_folding_matches_common_fold_on_any_text() -> None:
    for text in [*corpus_texts(200), "Ăn ở 中文 Ωμέγα ﬁ ½", "Ｆｕｌｌ"]:
        assert reg.fold_exact(text) == fold(text)
