"""Reading and validating the weekly-count CSV of ``dutdiem detect``.

Layout: a header row whose first column is ``week``, then one column per series. ``week``
holds either integer week indices (consecutive, step 1) or ISO dates (consecutive weeks,
7 days apart, normally Mondays). Counts are finite, non-negative numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import sys
from dataclasses import dataclass

import numpy as np

from detection.result import FloatArray


class InputError(ValueError):
    """Bad input; the message names the file, row and column."""


@dataclass
class WeeklyCounts:
    """A validated weekly-count table.

    ``counts`` has shape (n_series, n_weeks). ``weeks`` are the labels as written in the
    file; ``dates`` is set when the labels are ISO dates, else ``None``.
    """

    series: list[str]
    weeks: list[str]
    counts: FloatArray
    dates: list[dt.date] | None

    def week_position(self, label: str) -> int:
        """The 0-based position of a week label (normalising integers and dates)."""
        key = _normalise_week(label)
        for i, w in enumerate(self.weeks):
            if _normalise_week(w) == key:
                return i
        raise InputError(f"week {label!r} is not in the input")


def _normalise_week(label: str) -> str:
    label = label.strip()
    try:
        return str(int(label))
    except ValueError:
        return label


def _open_text(path: str) -> io.TextIOBase:
    if path == "-":
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8-sig")
    try:
        return open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc


def _parse_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def read_counts(path: str) -> WeeklyCounts:
    """Read and validate a weekly-count CSV; raise :class:`InputError` on any problem."""
    with _open_text(path) as fh:
        rows = list(csv.reader(fh))
    name = "<stdin>" if path == "-" else path
    series = _series_columns(rows, name)
    # (1-based line number, fields) of the non-blank data rows; the header is row 1.
    data = [(i + 1, r) for i, r in enumerate(rows) if i > 0 and any(f.strip() for f in r)]
    if not data:
        raise InputError(f"{name}: no data rows")
    labels: list[str] = []
    counts = np.empty((len(series), len(data)))
    kinds: set[str] = set()
    dates: list[dt.date] = []
    ints: list[int] = []
    for j, (rownum, row) in enumerate(data):
        if len(row) != len(series) + 1:
            raise InputError(f"{name}: row {rownum}: {len(row)} fields, expected {len(series) + 1}")
        label = row[0].strip()
        labels.append(label)
        kinds.add(_week_label(label, ints, dates, f"{name}: row {rownum}, column 'week'"))
        if len(kinds) > 1:
            raise InputError(f"{name}: row {rownum}, column 'week': mixes integer weeks and dates")
        counts[:, j] = _row_counts(row[1:], series, f"{name}: row {rownum}")
    rows_of = [rownum for rownum, _ in data]
    if "int" in kinds:
        _check_consecutive_ints(ints, rows_of, name)
        return WeeklyCounts(series=series, weeks=labels, counts=counts, dates=None)
    _check_consecutive_dates(dates, rows_of, name)
    return WeeklyCounts(series=series, weeks=labels, counts=counts, dates=dates)


def _series_columns(rows: list[list[str]], name: str) -> list[str]:
    """The series names of the header row, after its first column ``week``."""
    if not rows:
        raise InputError(f"{name}: empty file, expected a header row starting with 'week'")
    header = [h.strip() for h in rows[0]]
    if not header or header[0] != "week":
        raise InputError(
            f"{name}: missing column 'week': the first header field must be 'week' "
            f"(found {header[0]!r})"
            if header
            else f"{name}: missing column 'week'"
        )
    series = header[1:]
    if not series:
        raise InputError(f"{name}: no series columns after 'week'")
    seen: set[str] = set()
    for col in series:
        if not col:
            raise InputError(f"{name}: row 1: empty column name")
        if col in seen:
            raise InputError(f"{name}: row 1: duplicate column {col!r}")
        seen.add(col)
    return series


def _week_label(label: str, ints: list[int], dates: list[dt.date], where: str) -> str:
    """Append the week ``label`` to ``ints`` or ``dates`` and say which: "int" or "date"."""
    try:
        ints.append(int(label))
        return "int"
    except ValueError:
        day = _parse_date(label)
        if day is None:
            raise InputError(
                f"{where}: {label!r} is neither an integer week index nor an ISO date (YYYY-MM-DD)"
            ) from None
        dates.append(day)
        return "date"


def _row_counts(fields: list[str], series: list[str], where: str) -> FloatArray:
    """The counts of one data row, or :class:`InputError` naming the first bad cell."""
    # Fast path: NumPy parses the whole row; on any problem, the per-cell loop below
    # finds the offending cell and names it.
    try:
        values = np.array(fields, dtype=np.float64)
    except ValueError:
        values = None
    if values is not None and np.isfinite(values).all() and (values >= 0).all():
        return values
    out = np.empty(len(fields))
    for i, field in enumerate(fields):
        text = field.strip()
        cell = f"{where}, column {series[i]!r}"
        if not text:
            raise InputError(f"{cell}: missing count")
        value = _number(text, cell)
        if not math.isfinite(value):
            raise InputError(f"{cell}: {text!r} is not finite")
        if value < 0:
            raise InputError(f"{cell}: negative count {text}")
        out[i] = value
    return out


def _number(text: str, cell: str) -> float:
    """``text`` as a float, or :class:`InputError` "<cell>: 'text' is not a number"."""
    try:
        return float(text)
    except ValueError:
        raise InputError(f"{cell}: {text!r} is not a number") from None


def _check_consecutive_ints(ints: list[int], rows_of: list[int], name: str) -> None:
    for j in range(1, len(ints)):
        if ints[j] != ints[j - 1] + 1:
            raise InputError(
                f"{name}: row {rows_of[j]}, column 'week': week {ints[j]} follows "
                f"{ints[j - 1]}; weeks must be consecutive"
            )


def _check_consecutive_dates(dates: list[dt.date], rows_of: list[int], name: str) -> None:
    for j in range(1, len(dates)):
        if (dates[j] - dates[j - 1]).days != 7:
            raise InputError(
                f"{name}: row {rows_of[j]}, column 'week': {dates[j].isoformat()} is not 7 days "
                f"after {dates[j - 1].isoformat()}; weeks must be consecutive"
            )


def read_coords(path: str, series: list[str]) -> FloatArray:
    """Read ``series,x,y`` coordinates and return them in the order of ``series``."""
    with _open_text(path) as fh:
        rows = list(csv.reader(fh))
    if not rows:
        raise InputError(f"{path}: empty coordinates file")
    header = [h.strip() for h in rows[0]]
    for need in ("series", "x", "y"):
        if need not in header:
            raise InputError(f"{path}: missing column {need!r} (expected series,x,y)")
    ci, xi, yi = header.index("series"), header.index("x"), header.index("y")
    found: dict[str, tuple[float, float]] = {}
    for j, row in enumerate(rows[1:]):
        if not any(f.strip() for f in row):
            continue
        rownum = j + 2
        if len(row) != len(header):
            raise InputError(f"{path}: row {rownum}: {len(row)} fields, expected {len(header)}")
        key = row[ci].strip()
        xy = []
        for idx, col in ((xi, "x"), (yi, "y")):
            v = _number(row[idx], f"{path}: row {rownum}, column {col!r}")
            if not math.isfinite(v):
                raise InputError(f"{path}: row {rownum}, column {col!r}: not finite")
            xy.append(v)
        found[key] = (xy[0], xy[1])
    missing = [s for s in series if s not in found]
    if missing:
        raise InputError(f"{path}: no coordinates for series {', '.join(missing[:5])}")
    return np.array([found[s] for s in series], dtype=np.float64)


def format_number(value: float) -> str:
    """Integers without a decimal point, other floats in shortest round-trip form, NaN empty."""
    if math.isnan(value):
        return ""
    if value == int(value) and abs(value) < 1e15:
        return str(int(value))
    return repr(float(value))
