"""Fail if any user-facing string lacks a Vietnamese translation.

For the project catalogue (locale/) and every app catalogue (<app>/locale/), regenerate the
message ids with makemessages into a scratch copy and check that every id found in the code
has a non-empty, non-fuzzy msgstr in the committed vi catalogue.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _join(block: str) -> str:
    return "".join(re.findall(r'"(.*)"', block))


def entries(po: Path) -> dict[str, tuple[bool, list[str]]]:
    text = po.read_text(encoding="utf-8")
    result: dict[str, tuple[bool, list[str]]] = {}
    for chunk in text.split("\n\n"):
        chunk = chunk.strip("\n") + "\n"
        if "msgid" not in chunk or chunk.lstrip().startswith("#~"):
            continue
        fuzzy = "#, fuzzy" in chunk or ", fuzzy" in chunk
        msgid_match = re.search(r'^msgid ((?:".*"\n)+)', chunk, re.M)
        if not msgid_match:
            continue
        msgid = _join(msgid_match.group(1))
        if not msgid:
            continue
        ctx = re.search(r'^msgctxt ((?:".*"\n)+)', chunk, re.M)
        key = (_join(ctx.group(1)) + "\x04" if ctx else "") + msgid
        strs = [_join(m) for m in re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n)+)', chunk, re.M)]
        result[key] = (fuzzy, strs)
    return result


def own_catalogue_apps() -> list[Path]:
    """Apps with a catalogue of their own (``<app>/locale``); the rest share ``locale/``."""
    return [
        c for c in sorted(ROOT.iterdir()) if (c / "apps.py").exists() and (c / "locale").is_dir()
    ]


def locale_roots() -> list[Path]:
    return [ROOT, *own_catalogue_apps()]


def main() -> int:
    problems: list[str] = []
    dutdiem = shutil.which("dutdiem") or str(ROOT / ".venv" / "bin" / "dutdiem")
    for root in locale_roots():
        with tempfile.TemporaryDirectory() as tmp:
            scratch = Path(tmp) / root.name
            ignore = shutil.ignore_patterns(
                ".venv", "node_modules", ".git", "var", "static", "bench"
            )
            if root == ROOT:
                # The project catalogue covers everything but the apps with their own.
                scratch.mkdir()
                skip = {p.name for p in own_catalogue_apps()} | {
                    "locale",
                    "detection",
                    "scripts",
                    "docs",
                    "drills",
                    "deploy",
                }
                for child in ROOT.iterdir():
                    if child.is_dir() and not child.name.startswith(".") and child.name not in skip:
                        if (child / "__init__.py").exists() or child.name == "templates":
                            shutil.copytree(child, scratch / child.name, ignore=ignore)
                (scratch / "locale").mkdir()
            else:
                shutil.copytree(root, scratch, ignore=ignore)
                (scratch / "locale").mkdir(exist_ok=True)
            env = dict(os.environ, PYTHONPATH=str(ROOT))
            subprocess.run(
                [dutdiem, "makemessages", "-l", "vi", "--no-obsolete", "-v", "0"],
                cwd=scratch,
                env=env,
                check=True,
            )
            generated = scratch / "locale" / "vi" / "LC_MESSAGES" / "django.po"
            if not generated.exists():
                continue
            wanted = entries(generated)
            committed_po = root / "locale" / "vi" / "LC_MESSAGES" / "django.po"
            have = entries(committed_po) if committed_po.exists() else {}
            label = committed_po.relative_to(ROOT)
            for msgid in wanted:
                if msgid not in have:
                    problems.append(f"{label}: missing {msgid!r}")
                    continue
                fuzzy, strs = have[msgid]
                if fuzzy or not strs or any(not s for s in strs):
                    problems.append(f"{label}: untranslated or fuzzy {msgid!r}")
    for line in problems:
        print(line)
    if problems:
        print(f"{len(problems)} strings lack a Vietnamese translation")
        return 1
    print("translation catalogue complete")
    return 0


if __name__ == "__main__":
    sys.exit(main())
