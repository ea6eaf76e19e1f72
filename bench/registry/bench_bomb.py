"""Issue 13, finding 3: the memory the register import spends refusing a zip bomb.

Makes a ~2 MB .xlsx-shaped archive whose sheet unpacks to 2 GiB, then, in a fresh process,
hands it to ``registry.services.importer.read_register`` and reports the peak resident size
(resource.getrusage) before and after the refusal, and the time taken.

    .venv/bin/python bench/registry/bench_bomb.py [expanded GiB, default 2]
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def make_bomb(path: Path, gib: int) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (16 * 1024 * 1024)
            for _ in range(gib * 64):
                member.write(block)


def child(path: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from common.errors import Invalid
    from registry.services.importer import read_register

    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    try:
        read_register(__import__("io").BytesIO(data), None)  # type: ignore[arg-type]
        outcome = "ACCEPTED (bug)"
    except Invalid as exc:
        outcome = f"refused: {exc.errors}"
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak RSS before the import: {before / 1024:.0f} MiB")
    print(
        f"peak RSS after the refusal: {after / 1024:.0f} MiB (+{(after - before) / 1024:.1f} MiB)"
    )
    print(f"refusal took {elapsed * 1000:.1f} ms; {outcome}")


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    gib = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bomb.xlsx"
        make_bomb(path, gib)
        with zipfile.ZipFile(path) as archive:
            expanded = sum(i.file_size for i in archive.infolist())
        print(
            f"bomb: {path.stat().st_size / 1024 / 1024:.1f} MiB on disk, {expanded / 2**30:.1f} GiB unpacked"
        )
        subprocess.run([sys.executable, __file__, "--child", str(path)], check=True)


if __name__ == "__main__":
    main()
