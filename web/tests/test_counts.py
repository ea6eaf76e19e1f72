"""Every count shown beside a list is the length of that list: the state tabs of the petition
list, the dashboard's cards and its tables of kinds and units below, for each persona of the
demo (web/tests/test_reach.py), counted over all the pages of the list.

The demo is loaded once for the module and rolled back; the tests read what was seen.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from conftest import ensure_reference_data
from web.tests.test_reach import PERSONAS

pytestmark = pytest.mark.django_db(databases=["default", "vault"])

PER_PAGE = 50
# A row of a list: the link of its code (petitions: <a><code>, matters: <code><a>).
ROW = re.compile(r'<tr[^>]*>\s*<td>(?:<a href="/petitions/[^"]+"><code>|<code><a href=)')


def _rows_in_list(client: Client, url: str) -> int:
    """The rows of the list at ``url``, over all its pages: the full pages before the last
    and the rows of the last one."""
    sep = "&" if "?" in url else "?"
    last = client.get(f"{url}{sep}page=99999").content.decode()
    pages = [int(n) for n in re.findall(r"page=(\d+)", last) if int(n) < 99999]
    last_number = max(pages) + 1 if pages else 1
    return PER_PAGE * (last_number - 1) + len(ROW.findall(last))


def _shown(client: Client, url: str, pattern: str) -> list[tuple[str, int]]:
    """(link, figure) of each figure the page at ``url`` shows as a link matching
    ``pattern``."""
    page = client.get(url).content.decode()
    return [(html.unescape(href), int(n)) for href, n in re.findall(pattern, page)]


@pytest.fixture(scope="module")
def seen(django_db_setup: Any, django_db_blocker: Any) -> list[tuple[str, str, int, int]]:
    """(persona, link, figure shown, rows of the list it leads to)."""
    from accounts.models import User
    from demo.services import demo_load
    from reports.dashboard import dashboard_refresh

    found: list[tuple[str, str, int, int]] = []
    with django_db_blocker.unblock(), transaction.atomic(), transaction.atomic(using="vault"):
        ensure_reference_data()
        demo_load()
        dashboard_refresh()
        for username in PERSONAS:
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=username))
            figures: list[tuple[str, int]] = []
            for scope in ("unit", "all"):
                figures += _shown(
                    client,
                    f"/petitions/?scope={scope}",
                    r'<a href="(\?[^"]*)" data-state="\w*"[^>]*>[^<]*<b>(\d+)</b>',
                )
            figures = [(f"/petitions/{href}", n) for href, n in figures]
            figures += _shown(
                client,
                "/reports/dashboard/",
                r'<a class="(?:card|state)[^"]*" href="(/matters/\?[^"]*)">'
                r'(?:<div class="n">)?(\d+)',
            )
            for href, n in figures:
                found.append((username, href, n, _rows_in_list(client, href)))
        transaction.set_rollback(True, using="vault")
        transaction.set_rollback(True)
    return found


def test_each_count_is_the_length_of_its_list(seen: list[tuple[str, str, int, int]]) -> None:
    wrong = [f"{who}: {href} shows {n}, lists {rows}" for who, href, n, rows in seen if n != rows]
    assert not wrong, "\n".join(wrong)


def test_the_check_saw_the_figures(seen: list[tuple[str, str, int, int]]) -> None:
    """It means something only if it read tabs and cards for everyone, some of them large."""
    for username in PERSONAS:
        hrefs = [href for who, href, _n, _r in seen if who == username]
        assert sum("state=" in h and h.startswith("/petitions/") for h in hrefs) >= 6, username
    for username in ("xa1.chutich", "ubnd.phochutich", "admin"):
        hrefs = [href for who, href, _n, _r in seen if who == username]
        assert sum(h.startswith("/matters/") for h in hrefs) >= 3, username
    assert any(n > PER_PAGE for _w, _h, n, _r in seen)
