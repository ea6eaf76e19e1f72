"""Space-time scan statistics: prospective space-time permutation (Kulldorff 2005) and the
expectation-based Poisson scan (Neill 2005). Method description: docs/EARLY-WARNING.md 1.3.

Space-time permutation (STP), for counts c[z, d] at location z in period d of the study
window (the last period is "now"):

* expected counts mu[z, d] = S_z T_d / C with S_z, T_d the margins and C the total;
* cylinders: a circle made of a centre location and its k nearest locations (k as long as
  the circle holds at most ``max_share`` of all cases), times a window of the last
  L = 1..max_weeks periods (prospective: windows end at the last period);
* for a cylinder A, mu_A = S_A T_L / C, and the high-rate log-likelihood ratio is
  LLR = c ln(c / mu) + (C - c) ln((C - c) / (C - mu)) when c > mu and c >= 2, else 0;
* Monte Carlo: permute the case time stamps with locations fixed (same margins); p-value
  = rank / (R + 1); recurrence interval = 1 / (1 - (1 - p)^(1 / I)) periods;
* secondary clusters: the best cylinder of every centre, in decreasing LLR, kept when it
  shares no location with a cluster already reported.

Because both margins are fixed, mu_A is the same in every replicate and only the cases in
the last ``max_weeks`` periods have to be re-drawn: a replicate chooses which cases fall in
those periods (a random ordered subset of all cases) and splits them by period totals.
Replicates are evaluated in blocks, vectorised over cylinders, on up to two threads; each
block has its own random stream spawned from the seed, so results do not depend on the
number of threads.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

_BLOCK_REPLICATES = 16
# Bound on (replicates x windows x centres x circle sizes) cells per block.
_BLOCK_CELLS = 6_000_000


@dataclass
class Cluster:
    """A reported cluster. ``locations`` index the rows of the input; periods are 0-based
    columns of the study window."""

    locations: list[int]
    first_period: int
    last_period: int
    observed: float
    expected: float
    llr: float
    p_value: float
    recurrence_interval: float  # in periods (weeks)


@dataclass
class ScanResult:
    """The clusters (most likely first) and the replicates' maximum statistics."""

    clusters: list[Cluster]
    replicate_max: FloatArray
    extra: dict[str, float] = field(default_factory=dict)


@dataclass
class _Circles:
    """Every centre's neighbours in distance order, padded to a common length."""

    order: NDArray[np.intp]  # (Z, K) location of the k-th nearest (padded with Z)
    size: NDArray[np.intp]  # (Z,) number of valid circle sizes per centre


def _circles(coords: FloatArray, weight: FloatArray, limit: float) -> _Circles:
    """Circles of k nearest locations whose cumulative ``weight`` stays <= ``limit``.

    Distance ties are broken by location index (a stable order), so circles are nested and
    reproducible. Only the nearest candidates are sorted (argpartition), falling back to a
    full sort for the rare rows whose circle could be larger.
    """
    n_loc = coords.shape[0]
    if n_loc == 0:
        return _Circles(order=np.zeros((0, 0), dtype=np.intp), size=np.zeros(0, dtype=np.intp))
    rows_out: list[NDArray[np.intp]] = []
    sizes = np.zeros(n_loc, dtype=np.intp)
    cap = min(n_loc, 64)
    block = max(1, 2_000_000 // n_loc)
    for lo in range(0, n_loc, block):
        c = coords[lo : lo + block]
        m = c.shape[0]
        dist = ((c[:, None, :] - coords[None, :, :]) ** 2).sum(axis=2)
        centre = np.arange(lo, lo + m)
        dist[np.arange(m), centre] = -1.0  # the centre itself always comes first
        if cap < n_loc:
            part = np.argpartition(dist, cap - 1, axis=1)[:, :cap]
        else:
            part = np.tile(np.arange(n_loc), (m, 1))
        # stable order by (distance, index) among the candidates
        cand_d = np.take_along_axis(dist, part, axis=1)
        order = np.take_along_axis(part, np.lexsort((part, cand_d), axis=1), axis=1)
        cum = np.cumsum(weight[order], axis=1)
        k = (cum <= limit * (1.0 + 1e-12)).sum(axis=1)
        # The partition is exact only up to the cap-th distance (ties beyond it aside):
        # rows that fill the whole cap need the full sort.
        full = (k >= cap) & (cap < n_loc)
        for i in range(m):
            if full[i]:
                o = np.lexsort((np.arange(n_loc), dist[i]))
                cw = np.cumsum(weight[o])
                kk = max(int((cw <= limit * (1.0 + 1e-12)).sum()), 1)
                rows_out.append(o[:kk])
            else:
                kk = max(int(k[i]), 1)
                rows_out.append(order[i, :kk])
            sizes[lo + i] = kk
    kmax = int(sizes.max())
    padded = np.full((n_loc, kmax), n_loc, dtype=np.intp)
    for i, row in enumerate(rows_out):
        padded[i, : row.size] = row
    return _Circles(order=padded, size=sizes)


def _stp_llr(c: FloatArray, mu: FloatArray, total: float) -> FloatArray:
    """High-rate Poisson LLR of the space-time permutation model (0 unless c > mu, c >= 2).

    ``mu`` broadcasts against ``c``. Logs are taken only where the LLR is non-zero.
    """
    mu_full = np.broadcast_to(mu, c.shape)
    sel = (c > mu_full) & (c >= 2)
    out = np.zeros(c.shape)
    cs = c[sel]
    ms = mu_full[sel]
    rest = total - cs
    with np.errstate(divide="ignore", invalid="ignore"):
        inner = np.where(rest > 0, rest * np.log(rest / (total - ms)), 0.0)
        out[sel] = cs * np.log(cs / ms) + inner
    return out


# Stand-in for mu on invalid circle sizes: finite (inf and NaN slow the arithmetic down),
# and with 1 / (total - mu) replaced by the same value both LLR terms come out exactly 0.
_HUGE = 1e300


def _stp_llr_max(
    c: FloatArray,
    mu: FloatArray,
    inv_rest_mu: FloatArray,
    small: NDArray[np.intp],
    total: float,
) -> FloatArray:
    """Per-replicate maximum of the STP LLR, for cylinder counts c (n, ...) and mu (...).

    Branch-free (boolean selection costs more than the arithmetic): c := max(c, mu), for
    which the LLR is 0 whenever c <= mu. Where mu >= 1, c > mu already implies c >= 2;
    the few cells with mu < 1 (flat indices ``small``) are fixed up afterwards.
    ``inv_rest_mu`` = 1 / (total - mu).
    """
    n = c.shape[0]
    ce = np.maximum(c, mu)
    term = ce / mu
    np.log(term, out=term)
    term *= ce
    rest = np.subtract(total, ce, out=ce)
    np.maximum(rest, 1e-300, out=rest)  # the whole total in one cylinder: 0 * log 0 = 0
    ratio = rest * inv_rest_mu
    np.log(ratio, out=ratio)
    ratio *= rest
    ratio += term
    flat = ratio.reshape(n, -1)
    if small.size:
        c_small = c.reshape(n, -1)[:, small]
        flat[:, small] = np.where(c_small >= 2.0, flat[:, small], 0.0)
    return np.asarray(flat.max(axis=1), dtype=np.float64)


def _ebp_score(c: FloatArray, b: FloatArray) -> FloatArray:
    """Expectation-based Poisson score: C ln(C/B) + B - C when C > B, else 0."""
    b_full = np.broadcast_to(b, c.shape)
    sel = c > b_full
    out = np.zeros(c.shape)
    cs = c[sel]
    bs = b_full[sel]
    out[sel] = cs * np.log(cs / bs) + bs - cs
    return out


def _recurrence(p: float, analyses: int) -> float:
    p_adj = 1.0 - (1.0 - p) ** (1.0 / analyses)
    return float("inf") if p_adj <= 0 else 1.0 / p_adj


@dataclass
class _Geometry:
    circles: _Circles
    valid: NDArray[np.bool_]  # (Z, K) circle size k+1 allowed for the centre


def _geometry(coords: FloatArray, weight: FloatArray, limit: float) -> _Geometry:
    circles = _circles(coords, weight, limit)
    kmax = circles.order.shape[1]
    valid = np.arange(kmax)[None, :] < circles.size[:, None]
    return _Geometry(circles=circles, valid=valid)


def _cylinder_sums(recent: FloatArray, geom: _Geometry) -> FloatArray:
    """Cumulative sums over circles: recent (..., L, Z) -> (..., L, Z, K)."""
    pad = np.concatenate([recent, np.zeros(recent.shape[:-1] + (1,))], axis=-1)
    # np.take keeps the result C-contiguous (fancy indexing here would not, and every
    # later pass over a strided array is several times slower).
    gathered = np.take(pad, geom.circles.order, axis=-1)
    return np.cumsum(gathered, axis=-1, out=gathered)


def _best_per_centre(
    stat: FloatArray, geom: _Geometry
) -> tuple[FloatArray, NDArray[np.intp], NDArray[np.intp]]:
    """For stat (L, Z, K): each centre's best value, its window length index and size."""
    masked = np.where(geom.valid[None, :, :], stat, -np.inf)
    n_l, n_z, n_k = masked.shape
    flat = masked.transpose(1, 0, 2).reshape(n_z, n_l * n_k)
    arg = np.argmax(flat, axis=1)
    best = flat[np.arange(n_z), arg]
    return best, arg // n_k, arg % n_k


def _secondary(
    best: FloatArray,
    best_l: NDArray[np.intp],
    best_k: NDArray[np.intp],
    geom: _Geometry,
    max_clusters: int,
) -> list[tuple[int, int, int]]:
    """Non-overlapping clusters (centre, window index, size index) in decreasing order."""
    chosen: list[tuple[int, int, int]] = []
    used: set[int] = set()
    for z in np.argsort(-best, kind="stable"):
        if best[z] <= 0 or len(chosen) >= max_clusters:
            break
        locs = geom.circles.order[z, : best_k[z] + 1].tolist()
        if used.intersection(locs):
            continue
        used.update(locs)
        chosen.append((int(z), int(best_l[z]), int(best_k[z])))
    return chosen


def _run_blocks(
    n_rep: int,
    seed: int | None,
    n_threads: int | None,
    block_fn: Callable[[np.random.Generator, int], FloatArray],
    block_size: int,
    progress: Callable[[int, int], None] | None,
) -> FloatArray:
    """Evaluate replicates in blocks, each with its own spawned random stream (none when
    ``n_rep`` <= 0)."""
    if n_rep <= 0:
        return np.zeros(0)
    n_blocks = (n_rep + block_size - 1) // block_size
    seeds = np.random.SeedSequence(seed).spawn(n_blocks)
    sizes = [min(block_size, n_rep - i * block_size) for i in range(n_blocks)]
    out = np.empty(n_rep)
    workers = n_threads if n_threads is not None else min(2, os.cpu_count() or 1)
    done = 0

    def one(i: int) -> tuple[int, FloatArray]:
        return i, block_fn(np.random.default_rng(seeds[i]), sizes[i])

    def collect(i: int, values: FloatArray) -> None:
        nonlocal done
        out[i * block_size : i * block_size + sizes[i]] = values
        done += sizes[i]
        if progress is not None:
            progress(done, n_rep)

    if workers <= 1 or n_blocks <= 1:
        for i in range(n_blocks):
            collect(*one(i))
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for i, values in pool.map(one, range(n_blocks)):
                collect(i, values)
    return out


def _block_size(n_windows: int, geom: _Geometry) -> int:
    cells = n_windows * geom.circles.order.size
    return int(max(1, min(_BLOCK_REPLICATES * 4, _BLOCK_CELLS // max(cells, 1))))


def _recent_sums(x: FloatArray, n_win: int) -> FloatArray:
    """(L, Z): row l sums the last l + 1 periods of ``x`` (Z, periods) at every location."""
    return np.cumsum(x[:, ::-1][:, :n_win], axis=1).T


@dataclass
class _Cylinders:
    """Every cylinder (window length, centre, circle size) of the observed data, with the
    statistic and the observed and expected counts; windows end at the last period."""

    geom: _Geometry
    n_periods: int
    stat: FloatArray  # (L, Z, K)
    observed: FloatArray  # (L, Z, K)
    expected: FloatArray  # (L, Z, K)


def _report(
    cyl: _Cylinders, rep_max: FloatArray, replicates: int, analyses: int, max_clusters: int
) -> ScanResult:
    """The non-overlapping clusters, most likely first, with their Monte Carlo p-values."""
    best, best_l, best_k = _best_per_centre(cyl.stat, cyl.geom)
    last = cyl.n_periods - 1
    clusters = []
    for z, li, ki in _secondary(best, best_l, best_k, cyl.geom, max_clusters):
        llr = float(cyl.stat[li, z, ki])
        p = float((1 + np.sum(rep_max >= llr)) / (replicates + 1))
        clusters.append(
            Cluster(
                locations=cyl.geom.circles.order[z, : ki + 1].tolist(),
                first_period=last - li,
                last_period=last,
                observed=float(cyl.observed[li, z, ki]),
                expected=float(cyl.expected[li, z, ki]),
                llr=llr,
                p_value=p,
                recurrence_interval=_recurrence(p, analyses),
            )
        )
    return ScanResult(clusters=clusters, replicate_max=rep_max)


def stp_scan(
    counts: ArrayLike,
    coords: ArrayLike,
    *,
    max_weeks: int = 4,
    max_share: float = 0.5,
    replicates: int = 999,
    seed: int | None = None,
    analyses: int = 1,
    max_clusters: int = 10,
    n_threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Prospective space-time permutation scan.

    ``counts``: (n_locations, n_periods) case counts of the study window, last period =
    now. ``coords``: (n_locations, 2) planar coordinates (project lon/lat first).
    ``max_share``: largest circle as a share of all cases. ``analyses``: the number of
    prospective analyses so far, for the recurrence interval (1 = no adjustment).
    Returns clusters with p-value = (1 + #{replicate max >= LLR}) / (R + 1).
    """
    c, xy = _stp_input(counts, coords)
    total = float(c.sum())
    if total < 2:
        return ScanResult(clusters=[], replicate_max=np.zeros(0))
    n_win = min(max_weeks, c.shape[1])
    cyl = _stp_cylinders(c, xy, n_win, max_share)
    block = _stp_replicate_block(c, cyl, n_win)
    size = _block_size(n_win, cyl.geom)
    rep_max = _run_blocks(replicates, seed, n_threads, block, size, progress)
    return _report(cyl, rep_max, replicates, analyses, max_clusters)


def _stp_input(counts: ArrayLike, coords: ArrayLike) -> tuple[FloatArray, FloatArray]:
    """``counts`` and ``coords`` as float arrays, checked for the permutation scan."""
    c = np.asarray(counts, dtype=np.float64)
    xy = np.asarray(coords, dtype=np.float64)
    if c.ndim != 2 or xy.shape != (c.shape[0], 2):
        raise ValueError("counts must be (locations, periods) and coords (locations, 2)")
    if (c < 0).any() or not np.isfinite(c).all():
        raise ValueError("counts must be finite and non-negative")
    if not np.array_equal(c, np.round(c)):
        raise ValueError("the permutation scan needs integer case counts")
    return c, xy


def _stp_cylinders(c: FloatArray, xy: FloatArray, n_win: int, max_share: float) -> _Cylinders:
    """The observed LLR of every cylinder; windows are the last 1..n_win periods."""
    total = float(c.sum())
    s_loc = c.sum(axis=1)
    t_per = c.sum(axis=0)
    geom = _geometry(xy, s_loc, max_share * total)
    # Window L = last l+1 periods; mu_A = S_A * T_L / C, the same in every replicate.
    t_win = np.cumsum(t_per[::-1])[:n_win]
    s_circle = _cylinder_sums(s_loc[None, :], geom)[0]  # (Z, K)
    mu = s_circle[None, :, :] * (t_win / total)[:, None, None]  # (L, Z, K)
    obs = _cylinder_sums(_recent_sums(c, n_win), geom)
    stat = _stp_llr(obs, mu, total)
    return _Cylinders(geom=geom, n_periods=c.shape[1], stat=stat, observed=obs, expected=mu)


def _stp_replicate_block(
    c: FloatArray, cyl: _Cylinders, n_win: int
) -> Callable[[np.random.Generator, int], FloatArray]:
    """The function that draws ``n`` permutation replicates and returns their maximum LLR.

    A replicate chooses which cases fall in the last n_win periods, and in which of them;
    mu stays that of the observed data (both margins are fixed).
    """
    n_loc = c.shape[0]
    total = float(c.sum())
    geom, mu = cyl.geom, cyl.expected
    loc_of_case = np.repeat(np.arange(n_loc), c.sum(axis=1).astype(np.int64))
    per_counts = c.sum(axis=0)[::-1][:n_win].astype(np.int64)  # cases per period, newest first
    n_recent = int(per_counts.sum())
    bucket = np.repeat(np.arange(n_win), per_counts)
    valid = np.broadcast_to(geom.valid[None, :, :], mu.shape)
    mu_rep = np.where(valid, mu, _HUGE)
    inv_rest = np.where(valid, 1.0 / np.where(valid, total - mu, 1.0), _HUGE)
    small = np.flatnonzero(valid & (mu < 1.0))

    def block(rng: np.random.Generator, n: int) -> FloatArray:
        recent = np.zeros((n, n_win, n_loc))
        for r in range(n):
            picked = rng.choice(loc_of_case.size, size=n_recent, replace=False)
            locs = loc_of_case[picked]
            table = np.bincount(bucket * n_loc + locs, minlength=n_win * n_loc)
            recent[r] = table.reshape(n_win, n_loc)
        np.cumsum(recent, axis=1, out=recent)
        sums = _cylinder_sums(recent, geom)
        with np.errstate(divide="ignore", invalid="ignore"):
            best = _stp_llr_max(sums, mu_rep, inv_rest, small, total)
        return np.maximum(best, 0.0)

    return block


def ebp_scan(
    counts: ArrayLike,
    baselines: ArrayLike,
    coords: ArrayLike,
    *,
    max_weeks: int = 4,
    max_share: float = 0.5,
    replicates: int = 999,
    seed: int | None = None,
    analyses: int = 1,
    max_clusters: int = 10,
    n_threads: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ScanResult:
    """Expectation-based Poisson scan (Neill et al. 2005) on given baselines.

    ``counts`` and ``baselines`` (n_locations, n_periods): observed counts and their
    forecasts (e.g. Farrington's expected values) for the last periods; only the last
    ``max_weeks`` periods are scanned. Circles hold at most ``max_share`` of the total
    baseline of those periods. Replicates draw c ~ Poisson(b) in the scanned periods.
    Unlike the permutation scan it detects increases that affect every location.
    """
    c = np.asarray(counts, dtype=np.float64)
    b = np.asarray(baselines, dtype=np.float64)
    xy = np.asarray(coords, dtype=np.float64)
    if c.shape != b.shape or c.ndim != 2 or xy.shape != (c.shape[0], 2):
        raise ValueError("counts and baselines must be (locations, periods), coords (locations, 2)")
    if (b <= 0).any() or not np.isfinite(b).all():
        raise ValueError("baselines must be positive and finite")
    n_win = min(max_weeks, c.shape[1])
    recent_b = _recent_sums(b, n_win)  # (L, Z)
    geom = _geometry(xy, recent_b[-1], max_share * float(recent_b[-1].sum()))
    base = _cylinder_sums(recent_b, geom)
    obs = _cylinder_sums(_recent_sums(c, n_win), geom)
    stat = _ebp_score(obs, base)
    cyl = _Cylinders(geom=geom, n_periods=c.shape[1], stat=stat, observed=obs, expected=base)
    lam = b[:, ::-1][:, :n_win].T  # (L, Z) per-period baselines, newest first
    mask = geom.valid[None, None, :, :]

    def block(rng: np.random.Generator, n: int) -> FloatArray:
        draws = rng.poisson(lam[None], size=(n,) + lam.shape).astype(np.float64)
        np.cumsum(draws, axis=1, out=draws)
        f = _ebp_score(_cylinder_sums(draws, geom), base[None])
        f = np.where(mask, f, 0.0)
        return np.asarray(f.reshape(n, -1).max(axis=1), dtype=np.float64)

    size = _block_size(n_win, geom)
    rep_max = _run_blocks(replicates, seed, n_threads, block, size, progress)
    return _report(cyl, rep_max, replicates, analyses, max_clusters)
