"""A Decree 30 document as PDF/A-2b, signed (PAdES) with the issuing unit's certificate.

The converter is LibreOffice headless from Debian (``libreoffice-writer-nogui``): the one
Vietnamese offices use, it reads python-docx's output as written, and its PDF export writes
PDF/A (fonts embedded and subset, sRGB output intent, XMP ``pdfaid``) by one filter option.
The signature is pyHanko's: PAdES baseline (``ETSI.CAdES.detached``), SHA-256, with an RFC
3161 timestamp when a time-stamping authority is configured (B-T), in an incremental update
that keeps the document PDF/A (pyHanko keeps the XMP metadata in step with it).

The visible signature follows Decree 30/2020, Appendix I: the signer's signature image at
the signer's place (between the title and the name in the signature block), the unit's
seal over its left third, and beside them the unit's name and the signing time (ISO 8601,
Vietnam time) in an embedded font.
"""

from __future__ import annotations

import asyncio
import io
import math
import os
import textwrap
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image
from pyhanko.config.pkcs11 import TokenCriteria
from pyhanko.keys import load_certs_from_pemder
from pyhanko.pdf_utils import images, layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.sign import fields, pkcs11, signers, timestamps
from pyhanko.stamp import TextStampStyle

from common.errors import Unavailable
from common.ooxml import libreoffice
from signing.keys import SignerConfig

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
MM = 72 / 25.4
# Fonts with Vietnamese glyphs for the stamp text, from Debian; the first one found is used.
STAMP_FONTS = (
    "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
# The stamp, in millimetres (Stamp below): the seal on the left, as tall as the stamp; the
# signature right of the seal's centre, so that the seal covers its left third; the unit's
# name and the time right of the seal, under the signature.
BOX_W = 84.0
GAP_DEFAULT = 22.0  # the signer's place when the document has no signature block
SIGN_W = 48.0
TEXT_SIZE = 8
TEXT_CHARS = 36  # per line, at TEXT_SIZE in the 48 mm beside the seal
PX_PER_MM = 10
FIELD_NAME = "Signature1"


def docx_to_pdfa(data: bytes, name: str = "document.docx") -> bytes:
    """The .docx printed to PDF/A-2b by LibreOffice headless. Unavailable (503) when it is not
    installed here or could not print the document."""
    missing = libreoffice.available()
    if missing:
        raise Unavailable(
            _("PDF documents cannot be made here: %(missing)s.") % {"missing": missing}
        )
    printed = libreoffice.to_pdf({name: data}, export=libreoffice.PDFA_WRITER).get(name)
    if printed is None:
        raise Unavailable(_("LibreOffice could not print the document."))
    return printed.pdf


@dataclass(frozen=True)
class Place:
    """Where the signer signs, in PDF points from the bottom left corner of the page."""

    page: int  # from 0
    x_mid: float
    y_low: float  # top of the name line
    y_high: float  # bottom of the title line


def signer_place(pdf: bytes) -> Place | None:
    """The gap between the title and the name in the signature block: the right column of the
    last table that starts with ``Nơi nhận:``. None when the document has no such block."""
    sizes, words = libreoffice.pdf_words(pdf)
    anchors = [
        (i, w)
        for i, w in enumerate(words[1:], 1)
        if w.text == "nhận:" and words[i - 1].text == "Nơi"
    ]
    if not anchors:
        return None
    _, anchor = anchors[-1]
    column_x = anchor.x1 + 40  # the signature column starts well right of "Nơi nhận:"
    column = [
        w for w in words if w.page == anchor.page and w.y0 >= anchor.y0 - 4 and w.x0 >= column_x
    ]
    lines: list[list[Any]] = []
    for word in sorted(column, key=lambda w: (round(w.y0), w.x0)):
        if lines and abs(lines[-1][0].y0 - word.y0) < 3:
            lines[-1].append(word)
        else:
            lines.append([word])
    if not lines:
        return None
    height = sizes[anchor.page - 1][1]
    if len(lines) == 1:
        title, name = lines[0], None
    else:
        title, name = lines[-2], lines[-1]
    ref = name or title
    x_mid = (min(w.x0 for w in ref) + max(w.x1 for w in ref)) / 2
    title_bottom = max(w.y1 for w in title)
    name_top = min(w.y0 for w in name) if name else title_bottom + GAP_DEFAULT * MM
    return Place(anchor.page - 1, x_mid, height - name_top, height - title_bottom)


def _image(path: Path | None) -> Image.Image | None:
    if path is None:
        return None
    with Image.open(path) as image:
        return image.convert("RGBA")


@dataclass(frozen=True)
class Stamp:
    """The stamp's geometry in millimetres for a signer's place ``gap`` mm high: the stamp
    reaches 3 mm over the title and the name (as a seal on paper does), the signature and
    the text stay inside the gap."""

    gap: float

    @property
    def height(self) -> float:
        return min(max(self.gap + 6, 22.0), 34.0)

    @property
    def inset(self) -> float:  # from the stamp's edge to the gap's
        return max((self.height - self.gap) / 2, 0.0)

    @property
    def seal(self) -> float:
        return self.height

    @property
    def text_x(self) -> float:
        return self.seal + 1.0

    @property
    def sign_box(self) -> tuple[float, float, float, float]:
        """(x, y from the top, width, height) of the signature."""
        return (self.seal / 2, self.inset, SIGN_W, max(self.gap - 3 * TEXT_SIZE / MM * 1.2, 8.0))


def stamp_background(stamp: Stamp, seal: Path | None, signature: Path | None) -> Image.Image:
    """The seal over the left third of the signature, at the stamp's size."""
    size = (int(BOX_W * PX_PER_MM), int(stamp.height * PX_PER_MM))
    canvas = Image.new("RGBA", size, (0, 0, 0, 0))
    sign_image = _image(signature)
    if sign_image is not None:
        x, y, w, h = (int(v * PX_PER_MM) for v in stamp.sign_box)
        sign_image.thumbnail((w, h))
        canvas.alpha_composite(sign_image, (x, y + (h - sign_image.height) // 2))
    seal_image = _image(seal)
    if seal_image is not None:
        side = int(stamp.seal * PX_PER_MM)
        seal_image = seal_image.resize((side, side), Image.Resampling.LANCZOS)
        canvas.alpha_composite(seal_image, (0, 0))
    return canvas


def stamp_lines(unit_name: str, when: datetime) -> str:
    lines = textwrap.wrap(unit_name, TEXT_CHARS) or [""]
    return "\n".join([*lines, f"Thời gian ký: {when.astimezone(VIETNAM).isoformat()}"])


def stamp_font() -> str:
    """A font with Vietnamese letters for the stamp text, scaled to 1000 units per em once and
    kept in the signing folder: pyHanko writes the glyph widths (``/W``) in the font's own
    units, which PDF reads as thousandths of an em, so a TrueType font of 2048 units per em
    (Liberation, DejaVu) would be set with its letters twice as far apart as they are."""
    source = next((Path(name) for name in STAMP_FONTS if Path(name).exists()), None)
    if source is None:
        raise Unavailable(_("No font with Vietnamese letters is installed for the signature."))
    scaled = Path(settings.SIGNING_DIR) / "fonts" / f"{source.stem}-1000.ttf"
    if not scaled.exists():
        from fontTools.ttLib import TTFont
        from fontTools.ttLib.scaleUpem import scale_upem

        scaled.parent.mkdir(parents=True, exist_ok=True)
        font = TTFont(source)
        if font["head"].unitsPerEm != 1000:
            scale_upem(font, 1000)
        tmp = scaled.with_name(f".{scaled.name}.{os.getpid()}.tmp")
        font.save(tmp)
        os.replace(tmp, scaled)
    return str(scaled)


class SignerAt(signers.PdfSigner):
    """pyHanko's signer with the signing time given: the stamp prints it in Vietnam time, and
    the signed attributes carry the same instant (pyHanko's own clock reads the server's
    local zone)."""

    def __init__(self, *args: Any, when: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.when = when

    def init_signing_session(self, pdf_out: Any, existing_fields_only: bool = False) -> Any:
        session = super().init_signing_session(pdf_out, existing_fields_only)
        session.system_time = self.when
        return session


@contextmanager
def open_signer(config: SignerConfig) -> Iterator[Any]:
    """A pyHanko signer over the unit's PKCS#12 file or PKCS#11 token, for the time of one
    signature (the token session is closed after)."""
    chain: list[Any] = []
    if config.chain is not None:
        chain = list(load_certs_from_pemder([str(config.chain)]))
    if config.pkcs12 is not None:
        password = config.password_file.read_bytes().strip() if config.password_file else None
        signer = signers.SimpleSigner.load_pkcs12(
            str(config.pkcs12), other_certs=chain, passphrase=password
        )
        if signer is None:
            raise Unavailable(_("The unit's certificate file cannot be opened."))
        yield signer
        return
    assert config.pkcs11 is not None
    p11 = config.pkcs11
    pin = Path(p11.pin_file).read_text(encoding="utf-8").strip()
    session = pkcs11.open_pkcs11_session(
        p11.module,
        slot_no=p11.slot,
        token_criteria=TokenCriteria(label=p11.token) if p11.token else None,
        user_pin=pin,
    )
    try:
        yield pkcs11.PKCS11Signer(
            session,
            cert_label=p11.cert_label,
            key_label=p11.key_label,
            key_id=p11.key_id,
            cert_id=p11.key_id if not p11.cert_label else None,
            ca_chain=chain or None,
        )
    finally:
        session.close()


def off_loop[T](function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Call ``function`` here, or in a worker thread when this thread runs an event loop:
    pyHanko's blocking calls start an event loop of their own, which asyncio refuses inside
    a running one (an ASGI worker, Playwright's sync API in a test)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def sign_pdf(
    pdf: bytes,
    config: SignerConfig,
    *,
    unit_name: str,
    reason: str = "",
    location: str = "",
    when: datetime | None = None,
) -> bytes:
    """``pdf`` signed by the unit of ``config``, the stamp at the signer's place (an invisible
    signature when the document has no signature block)."""
    return off_loop(_sign, pdf, config, unit_name, reason, location, when)


def _sign(
    pdf: bytes,
    config: SignerConfig,
    unit_name: str,
    reason: str,
    location: str,
    when: datetime | None,
) -> bytes:
    when = (when or datetime.now(VIETNAM)).astimezone(VIETNAM).replace(microsecond=0)
    stamp, spec = _stamp_place(pdf)
    style = _stamp_style(stamp, config)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
    )
    timestamper = (
        timestamps.HTTPTimeStamper(settings.SIGNING_TSA_URL, timeout=30)
        if settings.SIGNING_TSA_URL
        else None
    )
    with open_signer(config) as signer:
        pdf_signer = SignerAt(
            meta,
            signer,
            when=when,
            timestamper=timestamper,
            stamp_style=style,
            new_field_spec=spec,
        )
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        out = pdf_signer.sign_pdf(
            writer, appearance_text_params={"lines": stamp_lines(unit_name, when)}
        )
    return bytes(out.getvalue())


def _stamp_place(pdf: bytes) -> tuple[Stamp, fields.SigFieldSpec | None]:
    """The stamp, as tall as the gap left for the signature (a default one when the page
    leaves none), and the field centred in that gap (None: pyHanko's default place)."""
    place = signer_place(pdf)
    if place is None:
        return Stamp(GAP_DEFAULT), None
    stamp = Stamp((place.y_high - place.y_low) / MM)
    middle = (place.y_low + place.y_high) / 2
    left = place.x_mid - BOX_W * MM / 2
    half = stamp.height * MM / 2
    box = (
        round(left),
        math.floor(middle - half),
        round(left + BOX_W * MM),
        math.ceil(middle + half),
    )
    return stamp, fields.SigFieldSpec(FIELD_NAME, on_page=place.page, box=box)


def _stamp_style(stamp: Stamp, config: SignerConfig) -> TextStampStyle:
    """The signature's appearance: the seal and the handwritten signature behind the lines
    of text (name, unit, time)."""
    background = stamp_background(stamp, config.seal, config.signature)
    return TextStampStyle(
        stamp_text="%(lines)s",
        text_box_style=TextBoxStyle(
            font=GlyphAccumulatorFactory(stamp_font(), font_size=TEXT_SIZE),
            font_size=TEXT_SIZE,
            leading=TEXT_SIZE + 1,
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MIN,
                margins=layout.Margins.uniform(0),
                inner_content_scaling=layout.InnerScaling.NO_SCALING,
            ),
        ),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MIN,
            y_align=layout.AxisAlignment.ALIGN_MIN,
            margins=layout.Margins(
                left=round(stamp.text_x * MM), bottom=round((stamp.inset + 1) * MM)
            ),
            inner_content_scaling=layout.InnerScaling.NO_SCALING,
        ),
        background=images.PdfImage(background),
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_TO_FIT,
        ),
        background_opacity=1.0,
        border_width=0,
    )
