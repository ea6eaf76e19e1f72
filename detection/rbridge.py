"""Run the reference implementation (R ``surveillance``) on the same data, for tests and the
benchmark. Nothing here is needed to run the detectors themselves.

Every control argument is passed explicitly because the package defaults changed between
versions.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from detection.farrington import FarringtonControl
from detection.result import FloatArray, IntArray


def rscript_path() -> str | None:
    """Path of ``Rscript`` if it is installed with library(surveillance), else None."""
    path = shutil.which("Rscript")
    if path is None:
        return None
    probe = subprocess.run(
        [path, "-e", "suppressMessages(library(surveillance)); cat('ok')"],
        capture_output=True,
        text=True,
        check=False,
    )
    return path if probe.returncode == 0 and probe.stdout.endswith("ok") else None


@dataclass
class ROutput:
    """R's results, shaped (n_series, n_weeks evaluated); NaN where R gives NA."""

    upperbound: FloatArray
    alarm: FloatArray
    expected: FloatArray
    seconds: float  # elapsed time R spent in the detection calls themselves
    cpu_seconds: float  # CPU time (user + system) of those calls


def _r_bool(value: bool) -> str:
    return "TRUE" if value else "FALSE"


def farrington_call(control: FarringtonControl) -> str:
    """The R ``control`` list for farringtonFlexible, every argument explicit."""
    c = control
    parts = [
        "range=rng",
        f"b={c.b}",
        f"w={c.w}",
        f"reweight={_r_bool(c.reweight)}",
        f"weightsThreshold={float(c.weights_threshold)!r}",
        "verbose=FALSE",
        "glmWarnings=FALSE",
        f"alpha={float(c.alpha)!r}",
        f"trend={_r_bool(c.trend)}",
        f"pThresholdTrend={float(c.p_threshold_trend)!r}",
        f"limit54=c({c.limit54[0]},{c.limit54[1]})",
        f'powertrans="{c.powertrans}"',
        'fitFun="algo.farrington.fitGLM.flexible"',
        f"populationOffset={_r_bool(c.population_offset)}",
        f"noPeriods={c.no_periods}",
        f"pastWeeksNotIncluded={c.pwni}",
        f'thresholdMethod="{c.threshold_method}"',
    ]
    return "list(" + ", ".join(parts) + ")"


def _write_matrix(path: str, matrix: FloatArray) -> None:
    # R reads weeks as rows and series as columns.
    np.savetxt(path, np.asarray(matrix).T, delimiter=",", fmt="%.17g")


def run_r(
    counts: FloatArray,
    method_calls: Sequence[tuple[str, str]],
    weeks: IntArray,
    *,
    dates: Sequence[dt.date] | None = None,
    population: FloatArray | None = None,
    rscript: str | None = None,
) -> dict[str, ROutput]:
    """Run R on ``counts`` (n_series, n_weeks) for each ``(name, call)``.

    ``call`` is an R expression using ``s`` (the sts object) and ``rng`` (1-based range),
    e.g. ``farringtonFlexible(s, control=...)`` or ``earsC(s, control=...)``.
    """
    exe = rscript or rscript_path()
    if exe is None:
        raise RuntimeError("Rscript with library(surveillance) is not available")
    with tempfile.TemporaryDirectory(prefix="detect-r-") as tmp:
        lines = _r_input_lines(tmp, counts, weeks, dates, population)
        for name, call in method_calls:
            lines += _r_method_lines(tmp, name, call)
        script = os.path.join(tmp, "run.R")
        with open(script, "w", encoding="ascii") as fh:
            fh.write("\n".join(lines) + "\n")
        proc = subprocess.run([exe, script], capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"Rscript failed:\n{proc.stderr[-3000:]}")
        return {name: _r_output(tmp, name, len(weeks)) for name, _ in method_calls}


def _r_input_lines(
    tmp: str,
    counts: FloatArray,
    weeks: IntArray,
    dates: Sequence[dt.date] | None,
    population: FloatArray | None,
) -> list[str]:
    """Write the inputs into ``tmp`` and return the R lines that build ``s`` and ``rng``."""
    _write_matrix(os.path.join(tmp, "y.csv"), counts)
    lines = [
        "suppressMessages(library(surveillance))",
        f"y <- as.matrix(read.csv('{tmp}/y.csv', header=FALSE))",
        "colnames(y) <- NULL",
        f"rng <- c({','.join(str(int(k) + 1) for k in weeks)})",
    ]
    pop_arg = ""
    if population is not None:
        _write_matrix(os.path.join(tmp, "pop.csv"), population)
        lines.append(f"pop <- as.matrix(read.csv('{tmp}/pop.csv', header=FALSE))")
        lines.append("colnames(pop) <- NULL")
        pop_arg = ", population=pop"
    if dates is not None:
        with open(os.path.join(tmp, "dates.txt"), "w", encoding="ascii") as fh:
            fh.write("\n".join(d.isoformat() for d in dates) + "\n")
        lines.append(f"d <- as.Date(readLines('{tmp}/dates.txt'))")
        lines.append(
            "s <- sts(observed=y, epoch=as.numeric(d), epochAsDate=TRUE, frequency=52"
            + pop_arg
            + ")"
        )
    else:
        lines.append("s <- sts(observed=y, frequency=52" + pop_arg + ")")
    return lines


def _r_method_lines(tmp: str, name: str, call: str) -> list[str]:
    """The R lines that time ``call`` and write its results as ``tmp/<name>_*``."""
    return [
        "p0 <- proc.time()",
        f"r <- {call}",
        "p1 <- proc.time() - p0",
        "el <- c(p1[['elapsed']], p1[['user.self']] + p1[['sys.self']])",
        f"write.table(upperbound(r), '{tmp}/{name}_ub.csv', sep=',', "
        "row.names=FALSE, col.names=FALSE)",
        f"write.table(alarms(r)*1, '{tmp}/{name}_al.csv', sep=',', "
        "row.names=FALSE, col.names=FALSE)",
        "ex <- if (is.null(r@control$expected)) matrix(NA, nrow(r), ncol(r)) "
        "else r@control$expected",
        f"write.table(ex, '{tmp}/{name}_ex.csv', sep=',', row.names=FALSE, col.names=FALSE)",
        f"cat(el, file='{tmp}/{name}_time.txt', sep=' ')",
    ]


def _r_output(tmp: str, name: str, n_weeks: int) -> ROutput:
    """Read back what the script wrote for ``name``, shaped (n_series, n_weeks)."""

    def load(kind: str) -> FloatArray:
        arr = np.genfromtxt(
            os.path.join(tmp, f"{name}_{kind}.csv"), delimiter=",", missing_values="NA"
        )
        return np.atleast_2d(arr.reshape(n_weeks, -1)).T.astype(np.float64)

    with open(os.path.join(tmp, f"{name}_time.txt"), encoding="ascii") as fh:
        elapsed, cpu = (float(v) for v in fh.read().split())
    return ROutput(
        upperbound=load("ub"),
        alarm=load("al"),
        expected=load("ex"),
        seconds=elapsed,
        cpu_seconds=cpu,
    )


def ears_call(
    method: str, baseline: int = 7, min_sigma: float = 0.0, alpha: float | None = None
) -> str:
    """An R ``earsC`` call with every control argument explicit."""
    a = 0.025 if alpha is None and method == "C3" else (0.001 if alpha is None else alpha)
    return (
        f'earsC(s, control=list(range=rng, method="{method}", baseline={baseline}, '
        f"minSigma={float(min_sigma)!r}, alpha={float(a)!r}))"
    )
