"""``dutdiem statement-duties [--as-of YYYY-MM-DD]``: the daily job that puts the periodic press
duties of each provincial People's Committee on its list (monthly information, the next press
conference; Decree 244/2026 Art 6(2)). Safe to rerun."""

from datetime import date

from common.commands import CountingCommand
from statements.services import periodic_duties_ensure


class Command(CountingCommand):
    help = "Create the periodic press duties that are due (monthly information, press conference)."
    done = "{count} periodic duty(ies) created"

    def run(self, as_of: date | None) -> int:
        return periodic_duties_ensure(as_of)
