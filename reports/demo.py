"""Demo data of the reports app: periodic reports scheduled for the citizen reception office
and the inspectorate, last month's report asked for (the job worker writes it), and the
dashboard's counts built over everything the other apps loaded."""

from __future__ import annotations

from typing import Any

from common.clock import today
from reports.dashboard import dashboard_refresh
from reports.periods import period_last_complete
from reports.services import report_request, schedule_set


def load(ctx: Any) -> None:
    reception = ctx.units.get("HY-BTCD")
    inspectorate = ctx.units.get("HY-TTR")
    head_reception = ctx.officials.get("tcd.truongban")
    head_inspectorate = ctx.officials.get("thanhtra.chanhtt")
    if reception and head_reception:
        schedule_set(actor=head_reception, unit=reception, period="month")
        last = period_last_complete("month", today())
        report_request(
            actor=head_reception, unit=reception, period="month", year=last.year, index=last.index
        )
    if inspectorate and head_inspectorate:
        schedule_set(actor=head_inspectorate, unit=inspectorate, period="quarter")
    dashboard_refresh()
    ctx.log.append(
        "reports: schedules for HY-BTCD and HY-TTR, last month's report, dashboard counts"
    )
