"""The demo province in a real browser, as each official walks it: every page a persona
reaches by following links (the HTTP crawl of test_reach.py; each URL pattern once, by the
first persona that reaches it; the overview and the petitions as every persona) is
opened at 1366 px and at 390 px (a phone) and must have

- no serious or critical WCAG 2.1 A/AA violation found by axe-core,
- no error in the console (a style or script the Content-Security-Policy refuses included),
- on the phone, nothing wider than the screen (no sideways scroll).

The demo is loaded once per module (committed, so the live server's thread sees it) and
flushed at the end. Set DUTDIEM_A11Y_SHOTS=1 to keep a screenshot of every page checked in
var/screenshots/a11y/.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from common.testing.a11y import DESKTOP, PHONE, Finding, Watcher, check
from common.testing.browser import SCREENSHOTS
from common.testing.crawl import crawl
from conftest import ensure_reference_data
from web.tests.test_reach import ANONYMOUS, PERSONAS, _extra_data

# The mark makes pytest-django create the test databases; the demo itself is committed by the
# module's fixture (the live server's thread must see it) and flushed at the end.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(databases=["default", "vault"])]
REPORT = SCREENSHOTS.parent / "a11y"
SHOTS = os.environ.get("DUTDIEM_A11Y_SHOTS") == "1"


@dataclass
class Site:
    url: str
    cookies: dict[str, str]  # username -> session cookie
    pages: dict[str, list[str]]  # username -> URLs to open


# Pages that show each official their own work (the overview and its map): opened as every
# persona; any other page once, by the first persona that reaches it. DUTDIEM_A11Y_ONLY (names
# of URL patterns, comma-separated) narrows the walk to those pages, to check a fix quickly.
OWN_PAGES = {"reports:dashboard"}
ONLY = {n for n in os.environ.get("DUTDIEM_A11Y_ONLY", "").split(",") if n}


def _urls(client: Client, done: set[str]) -> list[str]:
    """One page per URL pattern not yet given to an earlier persona: the full pages (not htmx
    fragments) that answered 200."""
    urls = []
    for p in crawl(client, per_route=1):
        if not (p.status == 200 and p.is_html and not p.fragment):
            continue
        if ONLY and p.name not in ONLY:
            continue
        if p.route not in done or p.name in OWN_PAGES:
            done.add(p.route)
            urls.append(p.url)
    return urls


def _long_text() -> None:
    """What an official may paste: 10,000 characters without a space (it must wrap, not
    widen the page), in the first petition, whose page the crawl opens."""
    from petitions.models import Petition

    Petition.objects.filter(pk=Petition.objects.order_by("pk").values("pk")[:1]).update(
        content="Nội dung " + "x" * 10_000
    )


@pytest.fixture(scope="module")
def site(django_db_setup: Any, django_db_blocker: Any, browser: Any) -> Iterator[Site]:
    from pytest_django.live_server_helper import LiveServer

    from accounts.models import User
    from demo.services import demo_load

    started = time.monotonic()
    with django_db_blocker.unblock():
        ensure_reference_data()
        _extra_data(demo_load())
        _long_text()
        loaded = time.monotonic()
        cookies: dict[str, str] = {}
        done: set[str] = set()
        pages = {ANONYMOUS: _urls(Client(raise_request_exception=False), done)}
        for username in PERSONAS:
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=username))
            cookies[username] = client.cookies[settings.SESSION_COOKIE_NAME].value
            pages[username] = _urls(client, done)
        REPORT.mkdir(parents=True, exist_ok=True)
        (REPORT / "timing.txt").write_text(
            f"demo {loaded - started:.0f}s, crawl {time.monotonic() - loaded:.0f}s, "
            f"{sum(map(len, pages.values()))} pages\n"
            + "".join(f"{who}: {' '.join(urls)}\n" for who, urls in pages.items())
        )
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield Site(url=server.url, cookies=cookies, pages=pages)
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            for alias in ("default", "vault"):
                call_command("flush", database=alias, interactive=False, verbosity=0)
            # The flush empties what data migrations put in (areas, categories, rules): the
            # tests that run after this one in the same worker count on them.
            ensure_reference_data()


def _walk(browser: Any, site: Site, username: str) -> list[Finding]:
    findings: list[Finding] = []
    if not site.pages[username]:
        return findings
    for viewport in (DESKTOP, PHONE):
        context = browser.new_context(base_url=site.url, locale="vi-VN", viewport=viewport)
        if username in site.cookies:
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": site.cookies[username],
                        "url": site.url,
                    }
                ]
            )
        page = context.new_page()
        page.set_default_timeout(20000)
        watcher = Watcher(page)
        for url in site.pages[username]:
            findings += check(page, watcher, url, viewport["width"])
            if SHOTS:
                name = re.sub(r"[^\w]+", "_", url).strip("_") or "home"
                path = SCREENSHOTS / "a11y" / f"{username}-{viewport['width']}-{name}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(path), full_page=True)
        context.close()
    return findings


def test_every_page_is_accessible_and_fits_a_phone(browser: Any, site: Site) -> None:
    """One test, not one per persona: the demo and the crawl are made once (under xdist a
    test per persona would make them again on each worker)."""
    findings: list[Finding] = []
    for username, urls in site.pages.items():
        assert ONLY or urls or username not in (ANONYMOUS, "xa1.vanthu"), site.pages
        found = _walk(browser, site, username)
        REPORT.mkdir(parents=True, exist_ok=True)
        (REPORT / f"{username}.txt").write_text("\n".join(map(str, found)) + "\n")
        findings += found
    assert ONLY or sum(map(len, site.pages.values())) >= 40, site.pages
    assert not findings, f"{len(findings)} problems:\n" + "\n".join(map(str, findings))


BROKEN = """<!doctype html><html lang="vi"><head><title>Hỏng</title>
<link rel="stylesheet" href="/static/css/app.css"><style>p { color: red; }</style></head>
<body><main><h1>Hỏng</h1><input name="note"><input id="x"><input id="x" aria-label="x">
<p>{long}</p><div class="wide"></div></main></body></html>"""


def test_the_check_finds_what_it_looks_for(browser: Any, live_server: Any) -> None:
    """The check itself: on a page served under the site's CSP with an inline <style>, a field
        without a label, an id used twice and a table wider than a phone, it reports each. (That
    long text does wrap in the site's pages is what the demo's 10,000-character petition shows.)"""
    from django.test import Client as DjangoClient

    csp = DjangoClient().get("/accounts/login/").headers["Content-Security-Policy"]
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.route(
        "**/broken/",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": csp},
            body=BROKEN.replace("{long}", "x" * 3000).replace(
                '<div class="wide"></div>', "<table><tr><td>" + "y" * 900 + "</td></tr></table>"
            ),
        ),
    )
    try:
        found = {(f.kind, f.rule) for f in check(page, Watcher(page), "/broken/", PHONE["width"])}
    finally:
        context.close()
    assert ("axe", "label") in found
    assert ("html", "duplicate-id") in found
    assert ("console", "error") in found  # the inline <style> the CSP refuses
    assert ("scroll", "sideways") in found  # outside .content nothing makes the table wrap
