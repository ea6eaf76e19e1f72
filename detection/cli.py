"""``dutdiem detect``: run a detection method on a weekly-count CSV.

    dutdiem detect --method <m> --input <csv> --output <csv> [options]
    python -m detection --method <m> --input <csv> --output <csv> [options]

Methods: ``farrington-flexible``, ``ears-c1``, ``ears-c2``, ``ears-c3``, ``stp-scan``.
Temporal methods write ``series,week,observed,expected,upperbound,alarm`` (one row per
evaluated series and week, ``alarm`` 1/0/empty); the scan writes
``rank,series,first_week,last_week,observed,expected,llr,p_value,recurrence_weeks``.

Exit codes: 0 success, 2 bad usage or bad input (the message names the row and column; the
output file is not written), 1 unexpected failure.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from typing import TextIO

import numpy as np

from detection.io import InputError, WeeklyCounts, format_number, read_coords, read_counts
from detection.result import DetectionResult

METHODS = ("farrington-flexible", "ears-c1", "ears-c2", "ears-c3", "stp-scan")
TEMPORAL_HEADER = ["series", "week", "observed", "expected", "upperbound", "alarm"]
SCAN_HEADER = [
    "rank",
    "series",
    "first_week",
    "last_week",
    "observed",
    "expected",
    "llr",
    "p_value",
    "recurrence_weeks",
]


def _limit54(text: str) -> tuple[int, int]:
    parts = text.split(",")
    try:
        cases, weeks = (int(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected CASES,WEEKS such as 5,4, got {text!r}"
        ) from None
    if cases < 0 or weeks <= 0:
        raise argparse.ArgumentTypeError("limit54 needs cases >= 0 and weeks > 0")
    return cases, weeks


def _checked[N: (int, float)](
    convert: Callable[[str], N], noun: str, accept: Callable[[N], bool], wanted: str
) -> Callable[[str], N]:
    """An argparse type: ``convert`` the text ("expected <noun>" if it fails), then keep the
    value only if ``accept`` says so ("expected <wanted>")."""

    def parse(text: str) -> N:
        try:
            value = convert(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected {noun}, got {text!r}") from None
        if not accept(value):
            raise argparse.ArgumentTypeError(f"expected {wanted}, got {value}")
        return value

    return parse


_positive_int = _checked(int, "an integer", lambda v: v >= 1, "a positive integer")
_nonneg_int = _checked(int, "an integer", lambda v: v >= 0, "an integer >= 0")
_probability = _checked(float, "a number", lambda v: 0.0 < v < 1.0, "a value in (0, 1)")
_share = _checked(float, "a number", lambda v: 0.0 < v <= 1.0, "a share in (0, 1]")


def build_parser(prog: str = "dutdiem detect") -> argparse.ArgumentParser:
    """The argument parser (exposed so a wrapper can show the same help)."""
    p = argparse.ArgumentParser(
        prog=prog,
        description="Run an early-warning detection method on weekly counts.",
    )
    _add_run_arguments(p)
    _add_farrington_arguments(p)
    _add_ears_arguments(p)
    _add_scan_arguments(p)
    return p


def _add_run_arguments(p: argparse.ArgumentParser) -> None:
    """What every method takes: the method, the files, the weeks and how to run."""
    p.add_argument("--method", required=True, choices=METHODS)
    p.add_argument("--input", required=True, help="CSV: 'week' then one column per series")
    p.add_argument("--output", required=True, help="CSV to write ('-' for stdout)")
    p.add_argument(
        "--range",
        dest="week_range",
        metavar="FIRST:LAST",
        help="evaluate only these weeks (labels as in the input, inclusive; either may be "
        "omitted); default: every week with enough history",
    )
    p.add_argument("--progress", action="store_true", help="always report progress")
    p.add_argument("--quiet", action="store_true", help="never report progress")
    p.add_argument("--workers", type=_positive_int, help="parallel workers (default 2)")
    p.add_argument(
        "--backend",
        choices=("threads", "processes"),
        default="threads",
        help="parallel workers as threads (default) or forked processes",
    )


def _add_farrington_arguments(p: argparse.ArgumentParser) -> None:
    """The controls of farrington-flexible; --alpha serves the EARS methods too."""
    f = p.add_argument_group("farrington-flexible (defaults as R surveillance 1.20.3)")
    f.add_argument(
        "--noufaily",
        action="store_true",
        help="improved settings: --no-periods 10 --past-weeks-not-included 26 "
        "--p-threshold-trend 1 --threshold-method nbPlugin (b=5, w=3); other "
        "options given explicitly override the preset",
    )
    f.add_argument("--b", type=_positive_int, help="years back (5)")
    f.add_argument("--w", type=_nonneg_int, help="half window (3)")
    f.add_argument("--no-reweight", action="store_true", help="do not reweight outliers")
    f.add_argument("--weights-threshold", type=float, help="Anscombe residual threshold (2.58)")
    f.add_argument(
        "--alpha",
        type=_probability,
        help="one-sided level (Farrington 0.05; EARS 0.001 for C1/C2, 0.025 for C3)",
    )
    f.add_argument("--no-trend", action="store_true", help="never fit a time trend")
    f.add_argument("--p-threshold-trend", type=float, help="trend kept if p below this (0.05)")
    f.add_argument(
        "--limit54",
        type=_limit54,
        metavar="CASES,WEEKS",
        help="no alarm with fewer than CASES cases in the last WEEKS weeks (5,4)",
    )
    f.add_argument("--powertrans", choices=("2/3", "1/2", "none"), help="delta method (2/3)")
    f.add_argument("--no-periods", type=_positive_int, help="seasonal periods (1)")
    f.add_argument(
        "--past-weeks-not-included",
        type=_nonneg_int,
        help="latest weeks left out of the fit (default: w)",
    )
    f.add_argument(
        "--threshold-method", choices=("delta", "nbPlugin", "muan"), help="threshold (delta)"
    )
    f.add_argument(
        "--r-compat",
        action="store_true",
        help="reproduce R's dispersion quirk after reweighting (delta, muan)",
    )
    f.add_argument(
        "--population", help="CSV shaped like --input with populations: adds a log offset"
    )


def _add_ears_arguments(p: argparse.ArgumentParser) -> None:
    e = p.add_argument_group("ears-c1/c2/c3")
    e.add_argument("--baseline", type=_positive_int, help="reference weeks (7)")
    e.add_argument("--min-sigma", type=float, help="lower bound on the sd (0)")


def _add_scan_arguments(p: argparse.ArgumentParser) -> None:
    s = p.add_argument_group("stp-scan")
    s.add_argument("--coords", help="CSV with series,x,y")
    s.add_argument(
        "--study-weeks",
        type=_positive_int,
        default=52,
        help="weeks of the study period, ending at the last week (52)",
    )
    s.add_argument(
        "--max-weeks", type=_positive_int, default=4, help="longest cluster in weeks (4)"
    )
    s.add_argument(
        "--max-share", type=_share, default=0.5, help="largest circle as a share of all cases (0.5)"
    )
    s.add_argument("--replicates", type=_nonneg_int, default=999, help="Monte Carlo (999)")
    s.add_argument("--seed", type=int, default=None, help="random seed")


class _Progress:
    """Progress on stderr: a rewritten line on a terminal, otherwise a few plain lines."""

    def __init__(self, label: str, enabled: bool, stream: TextIO) -> None:
        self.label = label
        self.enabled = enabled
        self.stream = stream
        self.tty = stream.isatty()
        self.start = time.monotonic()
        self.last = 0.0

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        now = time.monotonic()
        if done < total and now - self.last < (0.2 if self.tty else 5.0):
            return
        self.last = now
        pct = 100.0 * done / total
        text = f"{self.label}: {done}/{total} ({pct:.0f}%), {now - self.start:.1f} s"
        if self.tty:
            end = "\n" if done >= total else ""
            self.stream.write("\r" + text + end)
        else:
            self.stream.write(text + "\n")
        self.stream.flush()


def _select_weeks(data: WeeklyCounts, spec: str | None, default: np.ndarray) -> np.ndarray:
    if spec is None:
        return default
    if ":" not in spec:
        raise InputError(f"--range {spec!r}: expected FIRST:LAST")
    first_s, last_s = spec.split(":", 1)
    first = data.week_position(first_s) if first_s.strip() else 0
    last = data.week_position(last_s) if last_s.strip() else len(data.weeks) - 1
    if first > last:
        raise InputError(f"--range {spec!r}: the first week is after the last")
    return np.arange(first, last + 1, dtype=np.int64)


def _farrington_control(args: argparse.Namespace) -> object:
    from detection.farrington import FarringtonControl

    overrides: dict[str, object] = {}
    for attr, key in (
        ("b", "b"),
        ("w", "w"),
        ("weights_threshold", "weights_threshold"),
        ("alpha", "alpha"),
        ("p_threshold_trend", "p_threshold_trend"),
        ("limit54", "limit54"),
        ("powertrans", "powertrans"),
        ("no_periods", "no_periods"),
        ("past_weeks_not_included", "past_weeks_not_included"),
        ("threshold_method", "threshold_method"),
    ):
        value = getattr(args, attr)
        if value is not None:
            overrides[key] = value
    if args.no_reweight:
        overrides["reweight"] = False
    if args.no_trend:
        overrides["trend"] = False
    if args.r_compat:
        overrides["r_compat"] = True
    if args.population:
        overrides["population_offset"] = True
    try:
        if args.noufaily:
            return FarringtonControl.noufaily(**overrides)
        return FarringtonControl(**overrides)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError(f"farrington-flexible: {exc}") from None


def _run_temporal(
    args: argparse.Namespace, data: WeeklyCounts, progress: Callable[[int, int], None]
) -> DetectionResult:
    if args.method == "farrington-flexible":
        from detection.farrington import (
            FarringtonControl,
            default_weeks,
            farrington_flexible,
        )

        control = _farrington_control(args)
        assert isinstance(control, FarringtonControl)
        population = None
        if args.population:
            pop = read_counts(args.population)
            if pop.series != data.series or pop.weeks != data.weeks:
                raise InputError(
                    f"{args.population}: must have the same weeks and series columns as "
                    f"{args.input}"
                )
            if (pop.counts <= 0).any():
                raise InputError(f"{args.population}: populations must be positive")
            population = pop.counts
        weeks = _select_weeks(
            data, args.week_range, default_weeks(len(data.weeks), control, data.dates)
        )
        return farrington_flexible(
            data.counts,
            control,
            weeks=weeks,
            dates=data.dates,
            population=population,
            workers=args.workers,
            backend=args.backend,
            progress=progress,
        )
    from detection.ears import EarsMethod, ears_c, max_lag
    from detection.ears import default_weeks as ears_weeks

    methods: dict[str, EarsMethod] = {"ears-c1": "C1", "ears-c2": "C2", "ears-c3": "C3"}
    method = methods[args.method]
    baseline = args.baseline if args.baseline is not None else 7
    if baseline < 3:
        raise InputError("--baseline must be at least 3")
    min_sigma = args.min_sigma if args.min_sigma is not None else 0.0
    if min_sigma < 0:
        raise InputError("--min-sigma must be >= 0")
    weeks = _select_weeks(data, args.week_range, ears_weeks(len(data.weeks), method, baseline))
    lag = max_lag(method, baseline)
    weeks = weeks[weeks >= lag]
    result = ears_c(
        data.counts,
        method,
        baseline=baseline,
        alpha=args.alpha,
        min_sigma=min_sigma,
        weeks=weeks,
    )
    progress(len(data.series), len(data.series))
    return result


def _write_atomically(path: str, write: Callable[[TextIO], None]) -> None:
    """Write via a temporary file in the target directory, so a failure leaves nothing."""
    if path == "-":
        write(sys.stdout)
        sys.stdout.flush()
        return
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".detect-", suffix=".csv", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            write(fh)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _write_temporal(fh: TextIO, data: WeeklyCounts, res: DetectionResult) -> None:
    out = csv.writer(fh, lineterminator="\n")
    out.writerow(TEMPORAL_HEADER)
    alarm = res.alarm_or_nan
    labels = [data.weeks[int(k)] for k in res.weeks]
    for i, name in enumerate(data.series):
        obs, exp_, up, al = res.observed[i], res.expected[i], res.upperbound[i], alarm[i]
        for j, label in enumerate(labels):
            a = al[j]
            out.writerow(
                [
                    name,
                    label,
                    format_number(float(obs[j])),
                    format_number(float(exp_[j])),
                    format_number(float(up[j])),
                    "" if np.isnan(a) else str(int(a)),
                ]
            )


def _run_scan(
    args: argparse.Namespace,
    data: WeeklyCounts,
    fh_writer: Callable[..., None],
    progress: Callable[[int, int], None],
) -> None:
    from detection.scan import stp_scan

    if not args.coords:
        raise InputError("stp-scan needs --coords <csv> with series,x,y")
    coords = read_coords(args.coords, data.series)
    n_weeks = len(data.weeks)
    study = min(args.study_weeks, n_weeks)
    if args.max_weeks > study:
        raise InputError(f"--max-weeks {args.max_weeks} exceeds the study period ({study})")
    counts = data.counts[:, n_weeks - study :]
    if counts.sum() < 2:
        raise InputError(f"{args.input}: fewer than 2 cases in the study period")
    result = stp_scan(
        counts,
        coords,
        max_weeks=args.max_weeks,
        max_share=args.max_share,
        replicates=args.replicates,
        seed=args.seed,
        progress=progress,
    )
    labels = data.weeks[n_weeks - study :]

    def write(fh: TextIO) -> None:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(SCAN_HEADER)
        for rank, cl in enumerate(result.clusters, start=1):
            out.writerow(
                [
                    rank,
                    ";".join(data.series[i] for i in cl.locations),
                    labels[cl.first_period],
                    labels[cl.last_period],
                    format_number(cl.observed),
                    format_number(cl.expected),
                    format_number(cl.llr),
                    format_number(cl.p_value),
                    format_number(cl.recurrence_interval),
                ]
            )

    fh_writer(write)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``dutdiem detect``; returns the process exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(list(argv) if argv is not None else None)
    except SystemExit as exc:  # argparse reports usage errors with exit code 2
        return int(exc.code) if isinstance(exc.code, int) else 2
    stderr = sys.stderr
    try:
        data = read_counts(args.input)
        show = (args.progress or stderr.isatty()) and not args.quiet
        progress = _Progress(args.method, show, stderr)
        if args.method == "stp-scan":
            _run_scan(args, data, lambda write: _write_atomically(args.output, write), progress)
            return 0
        result = _run_temporal(args, data, progress)
        _write_atomically(args.output, lambda fh: _write_temporal(fh, data, result))
    except InputError as exc:
        stderr.write(f"dutdiem detect: error: {exc}\n")
        return 2
    except BrokenPipeError:
        # The reader of --output - went away (e.g. `| head`): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as exc:
        stderr.write(f"dutdiem detect: error: {exc}\n")
        return 2
    return 0
