"""Write the input of the ``dutdiem detect`` start-up bench: weekly counts of 3,300 series
(a nation of communes) over 156 weeks, Poisson around a mean drawn per series (seed 2026).

    .venv/bin/python bench/detection/cli_input.py /tmp/detect-3300.csv
    time .venv/bin/dutdiem detect --method ears-c1 --input /tmp/detect-3300.csv --output /tmp/out.csv

Figures in docs/benchmarks-detection.md ("Start-up of the command").
"""

import csv
import sys
from datetime import date, timedelta

import numpy as np


def main(path: str, n_series: int = 3300, n_weeks: int = 156) -> None:
    rng = np.random.default_rng(2026)
    means = rng.uniform(0.2, 6.0, size=(1, n_series))
    counts = rng.poisson(means * np.ones((n_weeks, 1)))
    start = date(2023, 1, 2)
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["week", *(f"c{i:05d}" for i in range(n_series))])
        for w in range(n_weeks):
            out.writerow([(start + timedelta(weeks=w)).isoformat(), *counts[w].tolist()])


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "detect-3300.csv")
