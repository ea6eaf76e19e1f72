"""List the functions longer than a limit (80 lines by default), longest first, outside
tests, migrations, demo data, benchmarks and drills.

    .venv/bin/python scripts/long_functions.py [--limit 80]

A function's length is from its ``def`` line (decorators excluded) to its last line,
docstring and comments included; a nested function counts inside the one around it and on
its own. ``common/tests/test_function_length.py`` fails on any function over the limit that
is not in its allow-list (docs/DEVELOPING.md, "Long functions").
"""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".venv", "node_modules", "migrations", "tests", "testing", "bench", "drills"}
SKIP_FILES = {"demo.py"}


def source_files(root: Path = ROOT) -> list[Path]:
    files = []
    for path in sorted(root.rglob("*.py")):
        parts = set(path.relative_to(root).parts[:-1])
        if parts & SKIP_DIRS or path.name in SKIP_FILES or path.name.startswith("test_"):
            continue
        if any(p.startswith(".") for p in path.relative_to(root).parts):
            continue
        files.append(path)
    return files


def _visit(node: ast.AST, rel: str, prefix: str, limit: int, found: list[tuple[int, str]]) -> None:
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
            name = f"{prefix}{child.name}"
            length = (child.end_lineno or child.lineno) - child.lineno + 1
            if length > limit:
                found.append((length, f"{rel}:{name}"))
            _visit(child, rel, f"{name}.", limit, found)
        elif isinstance(child, ast.ClassDef):
            _visit(child, rel, f"{prefix}{child.name}.", limit, found)


def long_functions(limit: int = 80, root: Path = ROOT) -> list[tuple[int, str]]:
    """``(lines, "path:qualified_name")`` of every function longer than ``limit`` lines."""
    found: list[tuple[int, str]] = []
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        _visit(tree, path.relative_to(root).as_posix(), "", limit, found)
    return sorted(found, key=lambda f: (-f[0], f[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=80)
    args = parser.parse_args()
    for length, name in long_functions(args.limit):
        print(f"{length:5d}  {name}")


if __name__ == "__main__":
    main()
