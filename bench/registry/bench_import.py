"""How fast a petition register imports: ``dutdiem import-petitions`` on a generated .xlsx.

Run: .venv/bin/python bench/registry/bench_import.py [--rows 100000] [--keep DIR]
     (DATABASE_URL=postgres://... for PostgreSQL; default a fresh SQLite file)

Builds a fresh database in a scratch data directory, writes a register of ``--rows`` rows
(60 % complaints, 20 % denunciations sealed in the vault, 20 % proposals; dates as date
cells and as dd/mm/yyyy text; IDs and phones as text; 500-character contents), then times:
the whole command (read + check + save in one transaction), the read-and-check phase alone,
and the background job that puts the new petitions into the duplicate finder's index.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def write_register(path: Path, rows: int, seed: int = 3) -> None:
    from dataset import corpus_texts
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    from registry import register as reg

    rng = random.Random(seed)
    texts = corpus_texts(rows, seed=seed)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ đơn")
    sheet.append(reg.COLUMNS)
    kinds = ["Khiếu nại"] * 3 + ["Tố cáo", "Kiến nghị, phản ánh"]
    channels = list(reg.CHANNELS.values())
    categories = [
        "Đất đai",
        "Bồi thường, giải phóng mặt bằng",
        "Chế độ, chính sách",
        "Môi trường",
        "land",
        "labour",
    ]
    start = date(2025, 1, 2)
    for i in range(rows):
        day = start + timedelta(days=rng.randrange(400))
        text_date = rng.random() < 0.5
        id_cell = WriteOnlyCell(sheet, value=f"0{rng.randrange(10**10, 10**11)}")
        id_cell.number_format = "@"
        phone = WriteOnlyCell(sheet, value=f"09{rng.randrange(10**7, 10**8)}")
        phone.number_format = "@"
        content = next(texts)
        sheet.append(
            [
                f"{day:%d/%m/%Y}" if text_date else day,
                rng.choice(kinds),
                rng.choice(channels),
                f"Người gửi số {i}",
                id_cell,
                f"Thôn {i % 97}, xã {i % 31}",
                phone,
                "33",
                rng.choice(categories),
                content[:120].split("\n")[-1][:120] or f"Đơn số {i}",
                content,
                1,
            ]
        )
    workbook.save(path)


def calibration() -> float:
    """Milliseconds for a fixed pure-Python workload (SHA-256 of 200,000 short strings):
    printed beside every figure, so that runs on a shared machine can be compared."""
    import hashlib

    started = time.perf_counter()
    for i in range(200_000):
        hashlib.sha256(str(i).encode()).digest()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", default="", help="data directory to use (kept afterwards)")
    parser.add_argument("--skip-read", action="store_true", help="do not time the read alone")
    parser.add_argument("--skip-index", action="store_true", help="do not run the index job")
    args = parser.parse_args()
    from setup_db import bench_office, start_django

    data_dir = start_django(args.keep, "dutdiem-bench-import-", "WARNING")
    from django.core.management import call_command
    from django.db import connection

    from accounts.models import User
    from registry.models import ImportBatch
    from registry.services.duplicates import index_batch
    from registry.services.importer import read_register

    _admin, unit = bench_office()
    clerk = User.objects.filter(username="bench-clerk").first() or User.objects.create_user(
        "bench-clerk", password="bench-password-123", unit=unit, roles=["clerk"]
    )
    path = data_dir / f"register-{args.rows}.xlsx"
    if not path.exists():
        started = time.perf_counter()
        write_register(path, args.rows)
        print(
            f"wrote {path.name}: {path.stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s"
        )
    if not args.skip_read:
        started = time.perf_counter()
        result = read_register(path, unit)
        read = time.perf_counter() - started
        print(
            f"read and check only: {read:.1f} s "
            f"({len(result.rows)} good rows, {len(result.errors)} errors)"
        )
    print(f"load average before: {os.getloadavg()}; calibration: {calibration():.0f} ms")
    out, err = io.StringIO(), io.StringIO()
    started = time.perf_counter()
    call_command(
        "import_petitions",
        str(path),
        "--unit",
        unit.code,
        "--user",
        clerk.username,
        stdout=out,
        stderr=err,
    )
    total = time.perf_counter() - started
    print(
        f"import-petitions: {total:.1f} s -> {out.getvalue().strip()} {err.getvalue().strip()[:200]}"
    )
    batch = ImportBatch.objects.order_by("-pk").first()
    assert batch is not None
    if not args.skip_index:
        started = time.perf_counter()
        written = index_batch.call(batch.pk)
        print(f"duplicate index job: {time.perf_counter() - started:.1f} s ({written} bands)")
    print(f"load average: {os.getloadavg()}; calibration: {calibration():.0f} ms")
    connection.close()


if __name__ == "__main__":
    main()
