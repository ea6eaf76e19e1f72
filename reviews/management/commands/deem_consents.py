"""``dutdiem deem-consents [--as-of YYYY-MM-DD]``: the daily job that records deemed consent
on consultations not answered by their due day (Decree 96/2026 Art 6(6)(b)). Safe to rerun."""

from datetime import date

from common.commands import CountingCommand
from reviews.services import consultations_deem


class Command(CountingCommand):
    help = "Record deemed consent on consultations not answered by their due day."
    done = "{count} consultation(s) recorded as deemed consent"

    def run(self, as_of: date | None) -> int:
        return consultations_deem(as_of)
