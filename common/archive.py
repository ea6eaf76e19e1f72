"""Checks of an uploaded .xlsx before anything parses it: a small file that expands to
gigabytes (a zip bomb) is refused from its archive directory alone, without inflating it.

An .xlsx is a zip archive; each member's declared expanded size is in the central directory.
Refused: more than ``MAX_MEMBERS`` members, a total expanded size above the caller's ceiling,
or a large member compressed more than ``MAX_RATIO`` times (spreadsheet XML compresses
10-20 times; a bomb's member, hundreds or thousands of times). A member that lies about its
size is stopped by the zip reader (CRC and size checks) while it is read.
"""

from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _

from common.errors import Invalid

MAX_MEMBERS = 1000
MAX_RATIO = 100
RATIO_FROM_BYTES = 1024 * 1024  # small members (styles, a blank sheet) may compress more


def check_xlsx_archive(data: bytes, *, max_expanded: int, field: str = "file") -> None:
    """Raise ``Invalid`` naming ``field`` unless ``data`` is a zip archive within bounds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise Invalid({field: _("not an Excel workbook (.xlsx)")}) from None
    if len(members) > MAX_MEMBERS:
        raise Invalid(
            {field: _("the workbook has too many parts (%(n)s)") % {"n": len(members)}}
        ) from None
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FROM_BYTES and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise Invalid(
                {
                    field: _(
                        "the workbook expands %(ratio)s times when unpacked, which no "
                        "spreadsheet does (a compression bomb?): refused"
                    )
                    % {"ratio": member.file_size // max(member.compress_size, 1)}
                }
            )
    if total > max_expanded:
        raise Invalid(
            {
                field: _(
                    "the workbook unpacks to %(size)s MB, more than the %(limit)s MB allowed: "
                    "split it into smaller files"
                )
                % {"size": total // (1024 * 1024), "limit": max_expanded // (1024 * 1024)}
            }
        )
