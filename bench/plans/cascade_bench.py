"""How fast a plan's status rolls up over a province-wide cascade, and what the daily job,
the reporting rates, the scorecards and a spreadsheet import of progress cost.

Run: .venv/bin/python bench/plans/cascade_bench.py [--communes 100] [--tasks 10] [--months 12]
(set DATABASE_URL=postgres://... to measure PostgreSQL; default: a scratch SQLite file).

Builds: one provincial plan with 40 tasks targeting every commune and eight departments;
one child plan per commune with ``--tasks`` tasks each; monthly progress reports for
``--months`` months on every task; briefings held by 70 % of the targets. Prints the median
of five runs (ms) and the number of SQL queries of each read.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DUTDIEM_DATA_DIR", tempfile.mkdtemp(prefix="dd-bench-plans-"))
os.environ.setdefault("DUTDIEM_AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def median_ms(fn, repeat: int = 5) -> tuple[float, int]:
    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        queries = len(ctx.captured_queries)
    return statistics.median(times), queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--communes", type=int, default=100)
    parser.add_argument("--tasks", type=int, default=10)
    parser.add_argument("--months", type=int, default=12)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    call_command("migrate", database="vault", verbosity=0)

    import openpyxl
    import time_machine
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from accounts.models import User
    from areas.models import Area
    from matters.selectors import scorecards
    from plans import services, spreadsheet
    from plans.models import Briefing, ProgressReport, Task
    from plans.periods import periods_ended
    from plans.reminders import plans_remind
    from plans.selectors import plan_rollup, plan_scorecard_extras, plan_subtree, reporting_rates
    from units.models import Unit
    from units.services import unit_create

    start_day = date(2025, 7, 1)
    today = start_day + timedelta(days=31 * args.months + 10)
    build = time.perf_counter()
    with time_machine.travel(today, tick=False), transaction.atomic():
        admin = User.objects.create_superuser("bench", "", "bench-password-1")
        unit_create(actor=admin, code="TU", name="Tỉnh ủy", kind="party_committee", area="33")
        unit_create(
            actor=admin,
            code="UB",
            name="UBND tỉnh",
            kind="peoples_committee",
            parent="TU",
            area="33",
        )
        depts = [
            unit_create(
                actor=admin, code=f"S{i}", name=f"Sở {i}", kind="department", parent="UB", area="33"
            )
            for i in range(8)
        ]
        areas = list(Area.objects.filter(parent_id="33").order_by("code")[: args.communes])
        while len(areas) < args.communes:  # more communes than the province has: borrow
            areas += list(
                Area.objects.filter(kind="commune")
                .exclude(parent_id="33")
                .order_by("code")[: args.communes - len(areas)]
            )
        communes = [
            unit_create(
                actor=admin,
                code=f"X{a.code}",
                name=f"UBND {a.name}",
                kind="peoples_committee",
                parent="UB",
                area=a.code,
            )
            for a in areas
        ]
        directive = services.directive_create(
            actor=admin,
            number="32-KL/TW",
            title="Kết luận",
            issued_on=date(2018, 7, 5),
            issuer="Bộ Chính trị",
        )
        root = services.plan_create(
            actor=admin,
            directive=directive,
            unit=Unit.objects.get(code="TU"),
            number="1-KH/TU",
            title="Kế hoạch",
            issued_on=start_day,
            briefing_due=start_day + timedelta(days=30),
            targets=[u.code for u in depts + communes],
        )
        for i in range(40):
            services.task_create(
                actor=admin,
                plan=root,
                title=f"Nhiệm vụ {i}",
                lead=depts[i % 8].code,
                cooperating=[depts[(i + 1) % 8].code],
                due_on=today + timedelta(days=i - 20),
                area="33",
                category="public_order",
                opened_on=start_day,
            )
        for n, commune in enumerate(communes):
            child = services.plan_create(
                actor=admin,
                directive=directive,
                unit=commune,
                parent=root,
                number=f"{n}/KH",
                title="Kế hoạch xã",
                issued_on=start_day + timedelta(days=10),
                briefing_due=start_day + timedelta(days=40),
                targets=[],
            )
            for i in range(args.tasks):
                services.task_create(
                    actor=admin,
                    plan=child,
                    title=f"Nhiệm vụ xã {i}",
                    lead=commune.code,
                    cooperating=[],
                    due_on=today + timedelta(days=(n + i) % 60 - 30),
                    area=commune.area_id,
                    category="public_order",
                    opened_on=start_day + timedelta(days=10),
                )
            if n % 10 < 7:
                Briefing.objects.create(
                    plan=root,
                    unit=commune,
                    held_on=start_day + timedelta(days=20 + n % 15),
                    attendees=40,
                )
        reports = []
        for task in Task.objects.select_related("matter"):
            for k, period in enumerate(
                periods_ended("monthly", task.matter.opened_on, today - timedelta(days=1))
            ):
                if (task.matter_id + k) % 5 == 0:
                    continue  # missing
                reports.append(
                    ProgressReport(
                        task=task,
                        unit_id=task.matter.owner_id,
                        progress=min(100, 8 * (k + 1)),
                        reported_on=period.end + timedelta(days=(task.matter_id + k) % 9),
                        period=period.label,
                    )
                )
        ProgressReport.objects.bulk_create(reports, batch_size=2000)
        Task.objects.update(progress=50)
    n_tasks = Task.objects.count()
    print(
        f"built {n_tasks} tasks in {1 + args.communes} plans, {len(reports)} progress reports, "
        f"{Briefing.objects.count()} briefings in {time.perf_counter() - build:.1f} s "
        f"({connection.vendor})"
    )

    with time_machine.travel(today, tick=False):
        ub = Unit.objects.get(code="UB")
        official = User.objects.create_user(
            "bench_ub", password="bench-password-1", unit=ub, roles=["leader"]
        )
        client = Client()
        client.force_login(official)
        for label, fn in [
            ("plan_rollup(root) over the cascade", lambda: plan_rollup(root, today)),
            (
                "GET /api/v1/plans/<root>/status",
                lambda: client.get(f"/api/v1/plans/{root.id}/status"),
            ),
            ("GET /api/v1/plans/<root>/tree", lambda: client.get(f"/api/v1/plans/{root.id}/tree")),
            ("GET /plans/<root>/ (page)", lambda: client.get(f"/plans/{root.id}/")),
            (
                "reporting_rates over the cascade",
                lambda: reporting_rates(Task.objects.filter(plan__in=plan_subtree(root)), today),
            ),
            (
                "plan_scorecard_extras(all units)",
                lambda: plan_scorecard_extras(
                    list(Unit.objects.values_list("id", flat=True)), today
                ),
            ),
            ("scorecards(parent=UBND)", lambda: scorecards(official, ub, today)),
        ]:
            ms, queries = median_ms(fn)
            print(f"{label:<42} {ms:9.1f} ms  {queries:4d} queries")
        commune = communes[0]
        clerk = User.objects.create_user(
            "bench_x", password="bench-password-1", unit=commune, roles=["handler"]
        )
        tasks = spreadsheet.reportable_tasks(clerk, root)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.append(spreadsheet.COLUMNS)
        for t in tasks:
            sheet.append(
                [t.matter.code, "", "", "", 60, today.strftime("%d/%m/%Y"), "", "bench", None]
            )
        path = Path(os.environ["DUTDIEM_DATA_DIR"]) / "bench.xlsx"
        book.save(path)
        data = path.read_bytes()
        start = time.perf_counter()
        imported = spreadsheet.progress_import(
            actor=clerk, plan=root, upload=SimpleUploadedFile("b.xlsx", data)
        )
        print(
            f"{'spreadsheet import of ' + str(imported) + ' rows':<42} {(time.perf_counter() - start) * 1000:9.1f} ms"
        )
        start = time.perf_counter()
        result = plans_remind(today)
        print(
            f"{'plans_remind (first run of the day)':<42} {(time.perf_counter() - start) * 1000:9.1f} ms  {result}"
        )
        start = time.perf_counter()
        plans_remind(today)
        print(
            f"{'plans_remind (second run, all deduped)':<42} {(time.perf_counter() - start) * 1000:9.1f} ms"
        )


if __name__ == "__main__":
    main()
