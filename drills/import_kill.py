"""Drill: kill -9 a register import half way, then run it again.

    .venv/bin/python drills/import_kill.py [--rows 5000] [--sqlite]

Writes a register of --rows good rows (the columns of API.md, import-petitions), starts
`dutdiem import-petitions`, and sends SIGKILL when the import is in its saving phase (or,
failing that, half way through its expected time). Passes when:
- after the kill, not one petition of the file is in the database (the batch is one
  transaction) and the audit chain verifies;
- the rerun exits 0 and imports every row exactly once, each with its matter and petitioner;
- a third run imports nothing more;
- the audit chain verifies at the end.
"""

from __future__ import annotations

import signal
import subprocess
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from drillkit import ROOT, VENV, Server, arguments, audit_ok, log, prepare_officials, report, site
from openpyxl import Workbook


def register(path: Path, rows: int, marker: str) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Sổ")
    sheet.append(
        [
            "Ngày nhận",
            "Loại đơn",
            "Nguồn đơn",
            "Họ tên",
            "Số CCCD",
            "Địa chỉ",
            "Điện thoại",
            "Mã địa bàn",
            "Lĩnh vực",
            "Tóm tắt",
            "Nội dung",
            "Số người ký",
        ]
    )
    day = date.today() - timedelta(days=5)
    for n in range(rows):
        sheet.append(
            [
                day.strftime("%d/%m/%Y"),
                "Kiến nghị, phản ánh",
                "Trực tiếp",
                f"Người nhập {n}",
                f"0{n + 10**10:011d}",
                "Hưng Yên",
                "0912345678",
                "33",
                "land",
                f"{marker} {n:06d}",
                f"Nội dung kiến nghị số {n} về đất đai.",
                1,
            ]
        )
    book.save(path)


def main() -> None:
    parser = arguments(__doc__ or "")
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    marker = f"drill-import-{uuid.uuid4().hex[:6]}"
    with site("import", sqlite=args.sqlite, keep=args.keep) as s:
        with Server(s, workers=1) as server:
            prepare_officials(server.base)
        path = s.data_dir / "register.xlsx"
        register(path, args.rows, marker)
        log(f"register of {args.rows} rows written")
        count = f"SELECT count(*) FROM petitions_petition WHERE summary LIKE '{marker}%'"
        command = [
            str(VENV / "dutdiem"),
            "import-petitions",
            str(path),
            "--unit",
            "DR-TCD",
            "--user",
            "drill-clerk",
            "--skip-checks",
        ]
        started = time.monotonic()
        process = subprocess.Popen(
            command, env=s.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        phase = ""
        while process.poll() is None:
            phase = s.sql("SELECT status FROM registry_importbatch ORDER BY id DESC LIMIT 1")
            if phase == "saving":
                time.sleep(0.5)  # well inside the save
                break
            time.sleep(0.1)
        killed_in = phase
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait()
            log(f"kill -9 after {time.monotonic() - started:.1f} s, batch status {killed_in!r}")
        else:
            log("the import finished before it could be killed: use more --rows")
        after_kill = int(s.sql(count))
        audit_after_kill = audit_ok(s)

        rerun = subprocess.run(command, env=s.env, cwd=ROOT, capture_output=True, text=True)
        log(
            f"rerun exit {rerun.returncode}: {rerun.stdout.strip()[-200:]} {rerun.stderr.strip()[-200:]}"
        )
        after_rerun = int(s.sql(count))
        distinct = int(
            s.sql(
                f"SELECT count(DISTINCT summary) FROM petitions_petition WHERE summary LIKE '{marker}%'"
            )
        )
        whole = int(
            s.sql(
                "SELECT count(*) FROM petitions_petition p JOIN matters_matter m ON m.id = p.matter_id "
                f"WHERE p.summary LIKE '{marker}%' AND EXISTS (SELECT 1 FROM petitions_petitioner x WHERE x.petition_id = p.matter_id)"
            )
        )
        third = subprocess.run(command, env=s.env, cwd=ROOT, capture_output=True, text=True)
        after_third = int(s.sql(count))
        audit = audit_ok(s)
        results = {
            "database": "sqlite" if s.sqlite else "postgresql",
            "rows": args.rows,
            "killed_in_phase": killed_in,
            "petitions_after_kill": after_kill,
            "audit_after_kill": audit_after_kill,
            "rerun_exit": rerun.returncode,
            "rerun_output": rerun.stdout.strip()[-200:],
            "petitions_after_rerun": after_rerun,
            "distinct_after_rerun": distinct,
            "with_matter_and_petitioner": whole,
            "third_run_exit": third.returncode,
            "third_run_output": third.stdout.strip()[-200:],
            "petitions_after_third_run": after_third,
            "audit": audit,
        }
        passed = (
            process.returncode == -signal.SIGKILL
            and after_kill == 0
            and bool(audit_after_kill.get("ok"))
            and rerun.returncode == 0
            and after_rerun == distinct == whole == args.rows
            and after_third == args.rows
            and bool(audit.get("ok"))
        )
        report("import_kill", results, passed)


if __name__ == "__main__":
    main()
