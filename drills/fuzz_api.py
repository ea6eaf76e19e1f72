"""The longer Schemathesis run over the JSON API: ops/tests/test_fuzz_api.py with a larger
budget per operation, persona and mode; prints requests fuzzed and findings.

    .venv/bin/python drills/fuzz_api.py [examples]   (default 20; figures in
    docs/benchmarks-fuzz.md)
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    examples = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    report = Path(tempfile.mkdtemp()) / "fuzz.json"
    env = {**os.environ, "DUTDIEM_FUZZ_EXAMPLES": str(examples), "DUTDIEM_FUZZ_REPORT": str(report)}
    started = time.monotonic()
    run = subprocess.run(
        [str(ROOT / ".venv/bin/pytest"), "-q", "-p", "no:xdist", "ops/tests/test_fuzz_api.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    elapsed = time.monotonic() - started
    figures = json.loads(report.read_text()) if report.exists() else {}
    print(f"examples per operation, persona and mode: {examples}")
    print(f"operations: {figures.get('operations')}, requests fuzzed: {figures.get('requests')}")
    print(f"responses by status: {figures.get('by_status')}")
    print(f"findings: {len(figures.get('findings', []))}")
    for line in figures.get("findings", []):
        print("  " + line)
    print(f"wall time: {elapsed:.0f} s (load average {os.getloadavg()[0]:.1f})")
    if run.returncode not in (0, 1):
        print(run.stdout[-3000:], run.stderr[-3000:])
    return run.returncode


if __name__ == "__main__":
    raise SystemExit(main())
