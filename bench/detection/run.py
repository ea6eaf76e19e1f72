"""Detection benchmark: dutdiem against R ``surveillance`` on the same synthetic data.

    .venv/bin/python bench/detection/run.py [--quick] [--no-install] [--out FILE]

Installs the peer if missing (``apt-get update`` once, then ``apt-get install -y
r-base-core r-cran-surveillance``), generates Noufaily-style data, runs R (one generated
script per method, every control argument explicit) and dutdiem on the same series, and
reports: alarm agreement and the largest upper-bound difference per method, time per
series-week for each and the ratio, a national weekly run (33,000 series), the
space-time scan on a planted cluster with its timing, and detection quality.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from detection.ears import ears_c  # noqa: E402
from detection.farrington import FarringtonControl, farrington_flexible  # noqa: E402
from detection.metrics import quality  # noqa: E402
from detection.rbridge import ears_call, farrington_call, rscript_path, run_r  # noqa: E402
from detection.result import DetectionResult  # noqa: E402
from detection.scan import stp_scan  # noqa: E402
from detection.synthetic import SCENARIOS, generate  # noqa: E402


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def ensure_r(install: bool) -> str | None:
    path = rscript_path()
    if path is not None or not install:
        return path
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        log("R is missing and cannot be installed here (needs root and apt-get)")
        return None
    log("installing r-base-core r-cran-surveillance ...")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update"], check=True, env=env, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "r-base-core", "r-cran-surveillance"],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    return rscript_path()


def r_version(rscript: str) -> str:
    proc = subprocess.run(
        [
            rscript,
            "-e",
            "suppressMessages(library(surveillance)); "
            "cat(R.version.string, 'surveillance', format(packageVersion('surveillance')))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    return proc.stdout.strip()


def cpu_now() -> float:
    """CPU time of this process, its threads and its reaped children (forked workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def best_of(n: int, fn: Callable[[], Any]) -> tuple[float, Any]:
    """Best wall time of ``n`` runs (the machine may be shared)."""
    wall, _, out = best_of_cpu(n, fn)
    return wall, out


def best_of_cpu(n: int, fn: Callable[[], Any]) -> tuple[float, float, Any]:
    """Best wall time of ``n`` runs and the CPU time of that run."""
    best = (float("inf"), float("inf"))
    out = None
    for _ in range(n):
        c0, t0 = cpu_now(), time.perf_counter()
        out = fn()
        run = (time.perf_counter() - t0, cpu_now() - c0)
        best = min(best, run)
    return best[0], best[1], out


@dataclass
class Agreement:
    method: str
    cells: int
    alarm_agree: float
    ub_max_diff: float
    ub_nan_mismatch: int
    r_alarms: int
    r_na: int
    r_seconds: float
    our_seconds: float
    r_cpu: float
    our_cpu: float

    @property
    def r_us_per_cell(self) -> float:
        return 1e6 * self.r_seconds / self.cells

    @property
    def our_us_per_cell(self) -> float:
        return 1e6 * self.our_seconds / self.cells

    @property
    def ratio(self) -> float:
        return self.r_seconds / self.our_seconds

    @property
    def cpu_ratio(self) -> float:
        return self.r_cpu / self.our_cpu


def compare(
    method: str, ours: DetectionResult, ref: Any, our_seconds: float, our_cpu: float
) -> Agreement:
    al = ours.alarm_or_nan
    same = (al == ref.alarm) | (np.isnan(al) & np.isnan(ref.alarm))
    both = ~np.isnan(ours.upperbound) & ~np.isnan(ref.upperbound)
    diff = np.abs(ours.upperbound - ref.upperbound)[both]
    return Agreement(
        method=method,
        cells=int(al.size),
        alarm_agree=float(same.mean()),
        ub_max_diff=float(diff.max()) if diff.size else 0.0,
        ub_nan_mismatch=int((np.isnan(ours.upperbound) != np.isnan(ref.upperbound)).sum()),
        r_alarms=int(np.nansum(ref.alarm)),
        r_na=int(np.isnan(ref.alarm).sum()),
        r_seconds=float(ref.seconds),
        our_seconds=our_seconds,
        r_cpu=float(ref.cpu_seconds),
        our_cpu=our_cpu,
    )


FARRINGTON = {
    "farrington nbPlugin (Noufaily, b=5)": FarringtonControl.noufaily(),
    "farrington delta (defaults, R-compat)": FarringtonControl(r_compat=True),
}


def agreement_section(rscript: str, n_series: int, seed: int) -> tuple[list[Agreement], Any]:
    data = generate(n_series, seed=seed)
    y = data.counts
    n_weeks = y.shape[1]
    out: list[Agreement] = []
    # EARS over the whole history.
    for method in ("C1", "C2", "C3"):
        weeks = np.arange({"C1": 7, "C2": 9, "C3": 11}[method], n_weeks)
        log(f"R earsC {method} on {y.shape[0]} x {weeks.size} series-weeks ...")
        ref = run_r(y, [(method, ears_call(method))], weeks, rscript=rscript)[method]
        secs, cpu, ours = best_of_cpu(3, lambda m=method, w=weeks: ears_c(y, m, weeks=w))
        out.append(compare(f"EARS {method}", ours, ref, secs, cpu))
    # Farrington over the evaluated weeks.
    weeks = np.arange(data.eval_start, n_weeks)
    for name, control in FARRINGTON.items():
        log(f"R farringtonFlexible [{name}] on {y.shape[0]} x {weeks.size} series-weeks ...")
        call = f"farringtonFlexible(s, control={farrington_call(control)})"
        ref = run_r(y, [("f", call)], weeks, rscript=rscript)["f"]
        secs, cpu, ours = best_of_cpu(3, lambda c=control: farrington_flexible(y, c, weeks=weeks))
        out.append(compare(name, ours, ref, secs, cpu))
    return out, data


def national_section(n_series: int, repeats: int) -> dict[str, tuple[float, float]]:
    rng = np.random.default_rng(42)
    n_weeks = 300
    t = np.arange(n_weeks)
    level = rng.uniform(-1.0, 3.0, size=(n_series, 1))
    mu = np.exp(level + 0.5 * np.sin(2 * np.pi * t / 52)[None, :])
    y = rng.negative_binomial(2, 2 / (2 + mu)).astype(float)
    week = [n_weeks - 1]
    res: dict[str, tuple[float, float]] = {}
    for label, control in (
        ("nbPlugin", FarringtonControl.noufaily()),
        ("delta", FarringtonControl()),
    ):
        for backend in ("threads", "processes"):
            for workers in (1, 2):
                if workers == 1 and backend == "processes":
                    continue
                log(f"national {label} {backend} x{workers} ...")
                secs, cpu, _ = best_of_cpu(
                    repeats,
                    lambda c=control, b=backend, w=workers: farrington_flexible(
                        y, c, weeks=week, workers=w, backend=b
                    ),
                )
                res[f"Farrington {label}, {backend} x{workers}"] = (secs, cpu)
    for method in ("C1", "C2", "C3"):
        secs, cpu, _ = best_of_cpu(repeats, lambda m=method: ears_c(y, m, weeks=week))
        res[f"EARS {method}"] = (secs, cpu)
    return res


def planted_table(
    n_loc: int, n_weeks: int, seed: int, cluster_size: int, extra: int, rate: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 100, size=(n_loc, 2))
    lam = rng.uniform(*rate, size=(n_loc, 1)) * np.ones((1, n_weeks))
    counts = rng.poisson(lam).astype(float)
    centre = int(rng.integers(n_loc))
    dist = ((xy - xy[centre]) ** 2).sum(axis=1)
    planted = np.argsort(dist, kind="stable")[:cluster_size].tolist()
    counts[np.ix_(planted, [n_weeks - 2, n_weeks - 1])] += extra
    return counts, xy, sorted(planted)


def hand_llr(counts: np.ndarray, locs: list[int], weeks: int) -> tuple[float, float, float]:
    """LLR of a cylinder computed directly from the table (no scan code)."""
    total = counts.sum()
    c = counts[locs, -weeks:].sum()
    mu = counts[locs].sum() * counts[:, -weeks:].sum() / total
    llr = c * np.log(c / mu) + (total - c) * np.log((total - c) / (total - mu))
    return float(c), float(mu), float(llr)


def scan_section(quick: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    counts, xy, planted = planted_table(100, 52, 7, 5, 6, (0.5, 3.0))
    secs, res = best_of(1, lambda: stp_scan(counts, xy, replicates=999, seed=1, max_share=0.5))
    top = res.clusters[0]
    c, mu, llr = hand_llr(counts, planted, 2)
    out["planted"] = {
        "planted_locations": planted,
        "found_locations": sorted(top.locations),
        "found_weeks": [top.first_period, top.last_period],
        "same_cluster": sorted(top.locations) == planted
        and (top.first_period, top.last_period) == (50, 51),
        "llr": top.llr,
        "llr_by_hand": llr,
        "observed": top.observed,
        "expected": top.expected,
        "expected_by_hand": mu,
        "p_value": top.p_value,
        "recurrence_weeks": top.recurrence_interval,
        "seconds": secs,
    }
    # Null tables: the top cluster's p-value should be uniform (Monte Carlo check).
    n_null = 20 if quick else 60
    pvals = []
    for i in range(n_null):
        rng = np.random.default_rng(1000 + i)
        null = rng.poisson(2.0, size=(100, 52)).astype(float)
        r = stp_scan(null, xy, replicates=99, seed=i, max_share=0.5)
        pvals.append(r.clusters[0].p_value if r.clusters else 1.0)
    p = np.array(pvals)
    out["null_p_values"] = {
        "n": n_null,
        "share_below_0.05": float((p <= 0.05).mean()),
        "share_below_0.5": float((p <= 0.5).mean()),
        "mean": float(p.mean()),
    }
    # Province: 100 communes x 10 categories = 10 scans, max 50 %.
    rng = np.random.default_rng(3)
    prov = [rng.poisson(rng.uniform(0.2, 2.0, size=(100, 1)) * np.ones((1, 52))) for _ in range(10)]
    c0, t0 = cpu_now(), time.perf_counter()
    for table in prov:
        stp_scan(table.astype(float), xy, replicates=999, seed=0, max_share=0.5)
    out["province_10_scans_seconds"] = time.perf_counter() - t0
    out["province_10_scans_cpu"] = cpu_now() - c0
    # Nation: 3,300 communes, max 1 %, one category (x10 categories = 10 such scans).
    nat_xy = rng.uniform(0, 1000, size=(3300, 2))
    nat = rng.poisson(rng.uniform(0.2, 2.0, size=(3300, 1)) * np.ones((1, 52))).astype(float)
    reps = 199 if quick else 999
    c0, t0 = cpu_now(), time.perf_counter()
    r = stp_scan(nat, nat_xy, replicates=reps, seed=0, max_share=0.01)
    out["nation_one_scan_seconds"] = time.perf_counter() - t0
    out["nation_one_scan_cpu"] = cpu_now() - c0
    out["nation_replicates"] = reps
    out["nation_clusters"] = len(r.clusters)
    return out


def quality_section(n_series: int, seed: int) -> dict[str, dict[str, float]]:
    data = generate(n_series, seed=seed)
    y = data.counts
    weeks = np.arange(data.eval_start, y.shape[1])
    outbreak = data.current[:, weeks]
    start = data.current_start - data.eval_start
    methods: dict[str, Callable[[], DetectionResult]] = {
        "EARS C1": lambda: ears_c(y, "C1", weeks=weeks),
        "EARS C2": lambda: ears_c(y, "C2", weeks=weeks),
        "EARS C3": lambda: ears_c(y, "C3", weeks=weeks),
        "Farrington nbPlugin a=0.05": lambda: farrington_flexible(
            y, FarringtonControl.noufaily(), weeks=weeks
        ),
        "Farrington nbPlugin a=0.01": lambda: farrington_flexible(
            y, FarringtonControl.noufaily(alpha=0.01), weeks=weeks
        ),
        "Farrington delta a=0.05": lambda: farrington_flexible(y, FarringtonControl(), weeks=weeks),
        "Farrington delta a=0.01": lambda: farrington_flexible(
            y, FarringtonControl(alpha=0.01), weeks=weeks
        ),
    }
    out = {}
    for name, fn in methods.items():
        res = fn()
        out[name] = quality(res.alarm_or_nan, outbreak, start).as_dict()
    return out


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# Detection benchmark ({report['mode']})", ""]
    env = report["environment"]
    lines += [
        f"- machine: {env['cpu']}, {env['cores']} cores; load average before/after "
        f"{env['load_before']} / {env['load_after']}",
        f"- R: {env.get('r', 'not available')}",
        f"- command: `{env['command']}`",
        "",
    ]
    if report.get("agreement"):
        lines += [
            "## Agreement with R and speed",
            "",
            "| method | series-weeks | identical alarms | max abs upperbound diff | "
            "NA mismatches | R alarms | R NA | R us/series-week | dutdiem us/series-week | "
            "ratio (wall) | R CPU us | dutdiem CPU us | ratio (CPU) |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for a in report["agreement"]:
            lines.append(
                f"| {a['method']} | {a['cells']} | {100 * a['alarm_agree']:.3f} % | "
                f"{a['ub_max_diff']:.2e} | {a['ub_nan_mismatch']} | {a['r_alarms']} | "
                f"{a['r_na']} | {a['r_us']:.1f} | {a['our_us']:.2f} | {a['ratio']:.0f}x | "
                f"{a['r_cpu_us']:.1f} | {a['our_cpu_us']:.2f} | {a['cpu_ratio']:.0f}x |"
            )
        lines.append("")
    if "national" in report:
        lines += ["## National weekly run (33,000 series, one week)", ""]
        lines += ["| configuration | wall seconds | CPU seconds |", "|---|---|---|"]
        for k, (wall, cpu) in report["national"].items():
            lines.append(f"| {k} | {wall:.2f} | {cpu:.2f} |")
        lines.append("")
    if "scan" in report:
        lines += scan_markdown(report["scan"])
    if "quality" in report:
        lines += quality_markdown(report["quality"])
    return "\n".join(lines)


def scan_markdown(sc: dict[str, Any]) -> list[str]:
    pl = sc["planted"]
    return [
        "## Space-time permutation scan",
        "",
        f"- planted cluster {pl['planted_locations']} in weeks 51-52 of 52; most likely "
        f"cluster {pl['found_locations']} weeks {pl['found_weeks'][0] + 1}-"
        f"{pl['found_weeks'][1] + 1}: same = {pl['same_cluster']}",
        f"- LLR {pl['llr']:.6f} (by hand from the table: {pl['llr_by_hand']:.6f}); observed "
        f"{pl['observed']:.0f}, expected {pl['expected']:.4f}; p = {pl['p_value']:.3f} "
        f"(999 replicates), recurrence {pl['recurrence_weeks']:.0f} weeks; {pl['seconds']:.2f} s",
        f"- null tables ({sc['null_p_values']['n']}, 99 replicates): share of top-cluster "
        f"p <= 0.05 = {sc['null_p_values']['share_below_0.05']:.2f}, p <= 0.5 = "
        f"{sc['null_p_values']['share_below_0.5']:.2f}, mean p = "
        f"{sc['null_p_values']['mean']:.2f}",
        f"- province, 100 communes x 10 categories (10 scans, 52 weeks, max 4 weeks, 999 "
        f"replicates, max 50 %): {sc['province_10_scans_seconds']:.1f} s wall, "
        f"{sc['province_10_scans_cpu']:.1f} s CPU",
        f"- nation, 3,300 communes, one category (max 1 %, {sc['nation_replicates']} "
        f"replicates): {sc['nation_one_scan_seconds']:.1f} s wall, "
        f"{sc['nation_one_scan_cpu']:.1f} s CPU",
        "",
    ]


def quality_markdown(quality: dict[str, dict[str, float]]) -> list[str]:
    lines = [
        "## Detection quality on the synthetic scenarios (evaluated weeks)",
        "",
        "| method | FPR | specificity | POD | POD 1st week | sensitivity | PPV | NPV | "
        "timeliness |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name, q in quality.items():
        lines.append(
            f"| {name} | {q['fpr']:.3f} | {q['specificity']:.3f} | {q['pod']:.3f} | "
            f"{q['pod_first_week']:.3f} | {q['sensitivity']:.3f} | {q['ppv']:.3f} | "
            f"{q['npv']:.3f} | {q['timeliness']:.3f} |"
        )
    lines.append("")
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--quick", action="store_true", help="smaller data (a few minutes)")
    ap.add_argument("--no-install", action="store_true", help="do not install R")
    ap.add_argument("--skip-r", action="store_true", help="skip the R comparison")
    ap.add_argument(
        "--only",
        help="comma-separated sections to run: agreement,national,scan,quality (default all)",
    )
    ap.add_argument("--out", help="also write the markdown report here")
    ap.add_argument("--json", help="also write the raw figures here")
    args = ap.parse_args()
    report: dict[str, Any] = {"mode": "quick" if args.quick else "full"}
    env: dict[str, Any] = {
        "cpu": platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "load_before": round(os.getloadavg()[0], 2),
        "command": " ".join(["bench/detection/run.py", *sys.argv[1:]]),
    }
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("model name"):
                    env["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    sections = set((args.only or "agreement,national,scan,quality").split(","))
    n_agree = 2 * len(SCENARIOS) if args.quick else 5 * len(SCENARIOS)
    rscript = None
    if "agreement" in sections and not args.skip_r:
        rscript = ensure_r(not args.no_install)
    if rscript is not None:
        env["r"] = r_version(rscript)
        agreement, _ = agreement_section(rscript, n_agree, seed=2024)
        report["agreement"] = [
            {
                **a.__dict__,
                "r_us": a.r_us_per_cell,
                "our_us": a.our_us_per_cell,
                "ratio": a.ratio,
                "r_cpu_us": 1e6 * a.r_cpu / a.cells,
                "our_cpu_us": 1e6 * a.our_cpu / a.cells,
                "cpu_ratio": a.cpu_ratio,
            }
            for a in agreement
        ]
    log("national weekly run ...")
    report["national"] = national_section(33_000, 2 if args.quick else 3)
    log("space-time scan ...")
    report["scan"] = scan_section(args.quick)
    log("detection quality ...")
    report["quality"] = quality_section((10 if args.quick else 100) * len(SCENARIOS), seed=99)
    env["load_after"] = round(os.getloadavg()[0], 2)
    report["environment"] = env
    text = markdown(report)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, default=float), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
