"""The help pages: for each role, what an official of that role does day to day and where in
the application. Each item names a page (a URL name) so that the help can never point to a
page that does not exist (a test reverses them all)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


@dataclass(frozen=True)
class Item:
    title: Promise
    text: Promise
    page: str  # a URL name without arguments
    link: Promise


COMMON = [
    Item(
        _("What is new to you"),
        _(
            "The bell in the top bar counts your unread notifications: petitions that arrived, "
            "deadlines coming, answers received. In the lists, a matter registered in your unit "
            "or transferred to it is marked until you open it."
        ),
        "notifications:list",
        _("Notifications"),
    ),
    Item(
        _("Deadlines"),
        _(
            "Every deadline counts Vietnamese working days and explains itself on the matter's "
            "page: the rule, its legal source, the days not counted. Green is in time, amber is "
            "due soon, red is overdue."
        ),
        "web:matters",
        _("Matters"),
    ),
]

GUIDES: dict[str, list[Item]] = {
    Role.CLERK: [
        Item(
            _("Register a petition"),
            _(
                "Enter each letter or visit the day it arrives: the kind (complaint, "
                "denunciation, proposal), the channel, the area and the field, the petitioners. "
                "For a denunciation the denouncer's name and address are sealed in the vault at "
                "once. The receipt code and PIN are shown once: give them to the citizen."
            ),
            "petitions:intake",
            _("Register a petition"),
        ),
        Item(
            _("The receipt for the citizen"),
            _(
                "On the petition's page, open the receipt to print it with the PIN, or issue a "
                "new PIN if the citizen lost it. With the code and PIN the citizen follows the "
                "petition on the tracking page, without seeing anything personal."
            ),
            "petitions:inbox",
            _("Petitions"),
        ),
        Item(
            _("Citizen reception"),
            _(
                "Record each reception session and each visit; a visit that brings a petition "
                "registers it at the same time. Group visits are counted, not named."
            ),
            "petitions:reception",
            _("Citizen reception"),
        ),
        Item(
            _("Registers kept in Excel"),
            _(
                "Import a register in the template's columns (every row is checked before "
                "anything is saved) or export the petitions you see to Excel."
            ),
            "registry:home",
            _("Petition register (Excel)"),
        ),
    ],
    Role.HANDLER: [
        Item(
            _("Your petitions"),
            _(
                "The petitions list opens on your unit's petitions, the most urgent first. Use "
                "the tabs (overdue, due soon) and the search; what is new to you is marked."
            ),
            "petitions:inbox",
            _("Petitions"),
        ),
        Item(
            _("Decide and act"),
            _(
                "On the petition's page answer the questions of the intake step: the page shows "
                "which branch of the law applies (accept, refuse, transfer, guide, file away) and "
                "the form to record it. A transfer must name the competent unit and the legal "
                "basis; a matter sent back to a unit that already held it counts as passed back "
                "and forth."
            ),
            "petitions:inbox",
            _("Petitions"),
        ),
        Item(
            _("Denunciations"),
            _(
                "Who sent a denunciation is sealed. As its handler you may see it: on the "
                "petition's page give the reason and press the button to see it. Each look is recorded; never "
                "copy the name into the file, a transfer slip or a report."
            ),
            "petitions:inbox",
            _("Petitions"),
        ),
        Item(
            _("Tasks and cases"),
            _(
                "Tasks given to your unit by a plan are under Plans and tasks: report progress "
                "and mark them done there. Cases your unit leads or coordinates take their "
                "actions on the case's page."
            ),
            "plans:tasks",
            _("Plans and tasks"),
        ),
    ],
    Role.HEAD: [
        Item(
            _("The overview"),
            _(
                "The overview shows what your unit and the units below it have open, overdue "
                "and due soon, and which units pass matters back and forth."
            ),
            "reports:dashboard",
            _("Overview"),
        ),
        Item(
            _("Scorecards"),
            _(
                "One row per unit below yours: open, overdue, done on time and late, and the "
                "matters each passed back to another unit."
            ),
            "web:scorecards",
            _("Scorecards"),
        ),
        Item(
            _("Denunciations and escalations"),
            _(
                "As head of the owner unit you may see who sent a denunciation (give the reason; "
                "it is recorded). Matters passed back and forth too often come up to you."
            ),
            "petitions:inbox",
            _("Petitions"),
        ),
        Item(
            _("Reception days"),
            _(
                "The law asks heads to receive citizens on a schedule: the reception page shows "
                "the sessions held this month against those due."
            ),
            "petitions:reception",
            _("Citizen reception"),
        ),
        Item(
            _("Early warning"),
            _(
                "When a commune sees unusually many matters of one kind, an alert comes to you: "
                "acknowledge it and turn it into a task or a case."
            ),
            "alerts:list",
            _("Early warning"),
        ),
        Item(
            _("Plans and consultations"),
            _(
                "Carry out a directive with a plan of your unit and tasks for the units below; "
                "answer the consultations on project dossiers before their deadline (silence "
                "counts as consent)."
            ),
            "plans:list",
            _("Plans and tasks"),
        ),
    ],
    Role.LEADER: [
        Item(
            _("The overview"),
            _(
                "The overview and the scorecards show the whole province: what is overdue, "
                "where matters are passed back and forth, which communes have alerts."
            ),
            "reports:dashboard",
            _("Overview"),
        ),
        Item(
            _("Reports"),
            _(
                "Reports in the Decree 30/2020 layout (.docx) and the statistics (.xlsx) are "
                "made on request or on a schedule, for a month, a quarter or a year."
            ),
            "reports:list",
            _("Reports"),
        ),
        Item(
            _("Cases and early warning"),
            _(
                "Complex local cases with their lead and coordinating units, and the alerts of "
                "the early warning, each with who is accountable and by when."
            ),
            "cases:list",
            _("Cases"),
        ),
        Item(
            _("Press"),
            _(
                "The duties to inform the press, their deadlines in hours, the spokespersons and "
                "the statements published."
            ),
            "statements:list",
            _("Press"),
        ),
    ],
    Role.AUDITOR: [
        Item(
            _("Reading, not acting"),
            _(
                "An auditor sees the matters of the units in scope and acts on none. Every "
                "matter's page shows who held it, when it was handed over and why, and how its "
                "deadline was counted."
            ),
            "web:matters",
            _("Matters"),
        ),
        Item(
            _("Scorecards and reports"),
            _(
                "Compare units on the scorecards; take the registers and statistics to Excel "
                "for a closer look (denouncers' identities are never in them)."
            ),
            "web:scorecards",
            _("Scorecards"),
        ),
        Item(
            _("The register"),
            _("Export the petitions you see, by period and unit."),
            "registry:home",
            _("Petition register (Excel)"),
        ),
    ],
    Role.ADMIN: [
        Item(
            _("Units and officials"),
            _(
                "Create units and officials, give roles, and set a new password for an official "
                "who lost theirs (recorded in the audit log)."
            ),
            "web:units",
            _("Units and officials"),
        ),
        Item(
            _("The working-day calendar"),
            _(
                "Holidays come from the law; add the make-up working Saturdays and the one-off "
                "days off the Government announces. Deadlines follow at once."
            ),
            "web:calendar",
            _("Calendar"),
        ),
        Item(
            _("Deadline rules"),
            _(
                "Every time limit of the laws on petitions with its legal source. Confirm a rule "
                "once its source has been checked against the official text; change the limits "
                "that are settings, from the day of the change on."
            ),
            "petitions:rules",
            _("Deadline rules"),
        ),
        Item(
            _("Spokespersons and report schedules"),
            _(
                "Keep the register of spokespersons, and the schedules of the reports made "
                "automatically."
            ),
            "statements:spokespersons",
            _("Spokespersons"),
        ),
    ],
}


def guides_for(roles: list[str], is_admin: bool) -> list[str]:
    """The roles whose guide an official sees first: their own (administrators' included)."""
    mine = [r for r in Role.values if r in roles]
    if is_admin and Role.ADMIN not in mine:
        mine.append(Role.ADMIN)
    return mine
