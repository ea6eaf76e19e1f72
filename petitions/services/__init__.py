"""Every write to petitions and citizen reception (STYLE.md: services are the only code that
changes state)."""

from petitions.services.actions import (
    petition_accept,
    petition_discontinue,
    petition_extend,
    petition_file_away,
    petition_guide,
    petition_refuse,
    petition_resolve,
    petition_resume,
    petition_suspend,
    petition_transfer,
    petition_withdraw,
)
from petitions.services.intake import petition_receive, petition_receive_once, receipt_pin_matches
from petitions.services.notices import notify_deadlines

__all__ = [
    "notify_deadlines",
    "petition_accept",
    "petition_discontinue",
    "petition_extend",
    "petition_file_away",
    "petition_guide",
    "petition_receive",
    "petition_receive_once",
    "petition_refuse",
    "petition_resolve",
    "petition_resume",
    "petition_suspend",
    "petition_transfer",
    "petition_withdraw",
    "receipt_pin_matches",
]
