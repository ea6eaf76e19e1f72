"""Tune and measure the duplicate finder on the labelled set of ``dataset.py``.

Run: .venv/bin/python bench/registry/tune.py [--bases 1000] [--grid]

1. Pairs: for each labelled pair, the final check (``registry.dedupe.compare``) says
   duplicate or not; prints precision, recall and F1, and recall per kind of change.
   With ``--grid`` it first scans thresholds and the number of conflicts allowed and prints the table.
2. Retrieval, as in production: every text goes into an LSH index of its bands; each base
   petition is looked up (candidates by shared bands, the best ``MAX_CANDIDATES`` checked);
   prints precision and recall of what comes back, and the recall lost by the LSH stage.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dataset import pairs  # noqa: E402

from registry import dedupe  # noqa: E402


def scores(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def pair_eval(data: list, threshold: float, max_conflicts: int) -> tuple[float, float, float, dict]:
    tp = fp = fn = 0
    per_variant: dict[str, Counter] = defaultdict(Counter)
    for pair, (a, b) in data:
        verdict = dedupe.compare(a, b, threshold, max_conflicts)
        per_variant[pair.variant]["n"] += 1
        per_variant[pair.variant]["said_dup"] += verdict.duplicate
        if verdict.duplicate and pair.duplicate:
            tp += 1
        elif verdict.duplicate:
            fp += 1
        elif pair.duplicate:
            fn += 1
    return (*scores(tp, fp, fn), per_variant)


def retrieval_eval(raw: list) -> None:
    texts: list[str] = []
    ids: dict[str, int] = {}
    truth: dict[int, set[int]] = defaultdict(set)
    for pair in raw:
        for text in (pair.a, pair.b):
            if text not in ids:
                ids[text] = len(texts)
                texts.append(text)
        if pair.duplicate:
            truth[ids[pair.a]].add(ids[pair.b])
    norms = [dedupe.normalise(t) for t in texts]
    index: dict[int, list[int]] = defaultdict(list)
    bands = [dedupe.bands_of(t) for t in texts]
    for i, keys in reversed(list(enumerate(bands))):  # newest (highest id) first
        for key in keys:
            index[key].append(i)
    tp = fp = fn = lsh_missed = 0
    candidates_seen = []
    for query in {ids[p.a] for p in raw}:
        # As the database reads them: the BUCKET_CAP ids just before the query, half as many
        # just after it.
        cap = dedupe.BUCKET_CAP
        buckets = []
        for key in bands[query]:
            before = [i for i in index[key] if i < query][:cap]
            after = sorted(i for i in index[key] if i > query)[: cap // 2]
            buckets.append(before + after)
        candidates_seen.append(len({i for k in bands[query] for i in index[k] if i != query}))
        best = dedupe.rank(buckets, near=query)
        found = {i for i in best if dedupe.compare(norms[query], norms[i]).duplicate}
        expected = truth[query]
        tp += len(found & expected)
        fp += len(found - expected)
        fn += len(expected - found)
        lsh_missed += len(expected - set(best))
    p, r, f = scores(tp, fp, fn)
    total = tp + fn
    print(
        f"retrieval over {len(texts)} texts: precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}  "
        f"(missed by LSH: {lsh_missed}/{total}; candidates per query: median "
        f"{sorted(candidates_seen)[len(candidates_seen) // 2]}, max {max(candidates_seen)})"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bases", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--grid", action="store_true")
    args = parser.parse_args()
    raw = list(pairs(args.bases, seed=args.seed))
    data = [(p, (dedupe.normalise(p.a), dedupe.normalise(p.b))) for p in raw]
    positives = sum(p.duplicate for p in raw)
    print(f"{len(raw)} labelled pairs ({positives} duplicates) from {args.bases} petitions")
    if args.grid:
        print("threshold max_conflicts precision recall F1")
        for threshold in (0.70, 0.75, 0.80, 0.83, 0.86, 0.90, 0.95):
            for max_conflicts in (0, 1, 2):
                p, r, f, _ = pair_eval(data, threshold, max_conflicts)
                print(f"{threshold:.2f} {max_conflicts} {p:.4f} {r:.4f} {f:.4f}")
    p, r, f, per_variant = pair_eval(data, dedupe.THRESHOLD, dedupe.MAX_CONFLICTS)
    print(
        f"pairs at threshold {dedupe.THRESHOLD}, conflicts <= {dedupe.MAX_CONFLICTS}: "
        f"precision {p:.4f}  recall {r:.4f}  F1 {f:.4f}"
    )
    for variant, c in sorted(per_variant.items()):
        print(f"  {variant:<14} {c['n']:>6} pairs, said duplicate {c['said_dup'] / c['n']:.3f}")
    retrieval_eval(raw)


if __name__ == "__main__":
    main()
