"""No function over 80 lines outside tests, migrations, demo data, benchmarks and drills
(scripts/long_functions.py measures). The list of exceptions below is empty and stays so:
a function that grows past the limit is split into named steps, never listed. docs/DEVELOPING.md, "Long functions".
"""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 80

# Empty since 7 December 2026, when the last 21 were split: keep it so.
STILL_LONG: set[str] = set()


def _measure() -> dict[str, int]:
    spec = importlib.util.spec_from_file_location(
        "long_functions", ROOT / "scripts/long_functions.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {name: length for length, name in module.long_functions(LIMIT, ROOT)}


def test_no_new_long_function():
    over = {name: n for name, n in _measure().items() if name not in STILL_LONG}
    assert not over, f"functions over {LIMIT} lines (split them into named steps): {over}"


def test_the_list_of_long_functions_only_shrinks():
    short_now = sorted(STILL_LONG - set(_measure()))
    assert not short_now, f"now at most {LIMIT} lines, take them off STILL_LONG: {short_now}"
