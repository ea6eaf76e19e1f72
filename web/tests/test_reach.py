"""The demo province walked by its officials, as a new user would: every page must be
reachable by following links, no link may lead to an error, and every page must speak
Vietnamese (no English words, no program codes).

The demo is loaded once for the module, crawled as each persona (common/testing/crawl.py)
and rolled back; the tests read what the crawl saw.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from common.testing.crawl import Page, crawl, crawl_personas, foreign_tokens, page_patterns
from conftest import ensure_reference_data

# The demo's officials a new user tries, one of each kind of daily work.
PERSONAS = {
    "xa1.vanthu": "clerk and handler of a commune",
    "tcd.vanthu": "clerk of the provincial citizen reception office",
    "thanhtra.thuly": "handler of the inspectorate",
    "xa1.chutich": "head of a commune",
    "ubnd.phochutich": "leader of the province",
    "thanhtra.kiemtra": "auditor",
    "admin": "administrator",
    "stc.chuyenvien": "handler of the Department of Finance (registers project dossiers)",
    "sxd.chuyenvien": "official of a department that has a briefing to record",
}
ANONYMOUS = "(not signed in)"
# The vault too: the demo seals its denouncers' identities there.
pytestmark = pytest.mark.django_db(databases=["default", "vault"])

POST = "sent by a form (POST); a GET is refused with 405"
# Pages that no link leads to, each with the reason. Keep it short: a page that a person
# needs is linked from somewhere.
NOT_LINKED = {
    "healthz": "the load balancer's probe (JSON)",
    "readyz": "the load balancer's probe (JSON)",
    "favicon": "the icon browsers ask for by habit; base.html links /static/favicon.svg",
    "set_language": "the language switch, a form in the top bar sent by POST (a GET changes "
    "nothing)",
    "accounts:logout": POST,
    "accounts:otp": "shown instead of any page when the second factor is required "
    "(DUTDIEM_REQUIRE_MFA), which the demo does not switch on; accounts/tests cover it",
    "accounts:sso_login": "the button of the sign-in page when single sign-on with the "
    "province's identity provider is configured, which the demo does not do; "
    "accounts/tests/test_sso_browser.py follows it",
    "accounts:sso_callback": "where the province's identity provider sends the browser back",
    "accounts:password_reset_done": "where the reset form leads once sent (POST)",
    "accounts:password_reset_confirm": "the link in the reset e-mail "
    "(accounts/tests/test_password_reset.py follows it)",
    "accounts:password_reset_complete": "where the new-password form leads once sent (POST)",
    "petitions:advice": POST,
    "petitions:act": POST,
    "petitions:document_upload": POST,
    "petitions:document": "a file download, linked from a petition's documents; the demo "
    "attaches none",
    "registry:sealed_file": "a sealed file, opened from the identity panel with a reason; "
    "the demo seals no files",
    "registry:duplicates_link": POST,
    "citizens:routing_delete": POST,
    "citizens:data_request_answer": POST,
    "plans:task_new": POST,
    "plans:child_new": POST,
    "plans:task_progress": POST,
    "plans:task_complete": POST,
    "plans:minutes": "a file download (the minutes of a briefing); the demo keeps no file",
    "plans:directive_file": "a file download (the directive's text); the demo keeps no file",
    "cases:action": POST,
    "cases:settle": POST,
    "alerts:run_start": POST,
    "alerts:run_status": "where starting a check (POST) leads",
    "reviews:action": POST,
    "statements:action": POST,
    "statements:spokesperson_action": POST,
    "reports:download": "a generated document, linked from the reports page once made; "
    "the crawl makes none",
    "reports:download_pdf": "the signed PDF of a generated document, linked beside its "
    ".docx once made; the crawl makes none",
    "reports:schedule": POST,
    "signing:check": POST,
    "notifications:read_all": POST,
    **{
        f"open311:{name}": "Open311 GeoReport v2, an interface for other programs (JSON and "
        "XML, no pages); opendata/tests/test_open311.py covers it"
        for name in ("discovery", "services", "service", "requests", "request", "token")
    },
    "web:official_password": POST,
    "outbox:requeue": POST,
    "outbox:discard": POST,
    "outbox:requeue_channel": POST,
}


@dataclass
class Walk:
    pages: dict[str, list[Page]]  # by username (and ANONYMOUS)
    # username -> route -> (status, type) of the pages without arguments they did not reach
    direct: dict[str, dict[str, tuple[int, str]]]


def _extra_data(ctx: Any) -> None:
    """What the demo lacks for every page to have a way in: an import to follow."""
    from registry.models import ImportBatch

    clerk = ctx.officials["xa1.vanthu"]
    ImportBatch.objects.create(
        unit=clerk.unit, user=clerk, file_name="so-theo-doi.xlsx", file_hash="0" * 64
    )


def _no_argument_routes() -> dict[str, str]:
    """Route -> name of the page patterns that take no argument."""
    found = {}
    for route, name in page_patterns().items():
        if "<" not in route:
            found[route] = name
    return found


@pytest.fixture(scope="module")
def walk(django_db_setup: Any, django_db_blocker: Any) -> Walk:
    from demo.services import demo_load

    with django_db_blocker.unblock(), transaction.atomic(), transaction.atomic(using="vault"):
        ensure_reference_data()
        ctx = demo_load()
        _extra_data(ctx)
        pages = crawl_personas(PERSONAS, per_route=2)
        pages[ANONYMOUS] = crawl(Client(raise_request_exception=False), per_route=2)
        # Each page without arguments that a persona did not reach, asked for directly:
        # does it render for them all the same?
        direct: dict[str, dict[str, tuple[int, str]]] = {}
        public = {p.route for p in pages[ANONYMOUS] if p.status < 400}
        from accounts.models import User

        for username in PERSONAS:
            client = Client(raise_request_exception=False)
            client.force_login(User.objects.get(username=username))
            reached = public | {p.route for p in pages[username] if p.status < 400}
            direct[username] = {}
            for route, name in _no_argument_routes().items():
                if name in NOT_LINKED or route in reached:
                    continue
                response = client.get("/" + route)
                direct[username][route] = (response.status_code, response.get("Content-Type", ""))
        transaction.set_rollback(True, using="vault")
        transaction.set_rollback(True)
    return Walk(pages=pages, direct=direct)


def _reached_routes(walk: Walk) -> set[str]:
    return {p.route for pages in walk.pages.values() for p in pages if p.status < 400}


def test_every_page_is_linked_from_somewhere(walk: Walk) -> None:
    """Every URL pattern of the site is reached by following links as some persona, or is
    on the short list of pages that have a reason not to be linked."""
    reached = _reached_routes(walk)
    missing = [
        f"{route} ({name})"
        for route, name in page_patterns().items()
        if route not in reached and name not in NOT_LINKED
    ]
    assert not missing, "pages no link leads to:\n" + "\n".join(missing)


def test_each_persona_reaches_every_page_it_may_open(walk: Walk) -> None:
    """A page that renders for an official (asked for directly) is linked for that official,
    or is a public page linked for visitors: nobody has to type an address."""
    names = _no_argument_routes()
    problems = []
    for username, routes in walk.direct.items():
        for route, (status, content_type) in routes.items():
            if status == 200 and content_type.startswith("text/html"):
                problems.append(f"{username} ({PERSONAS[username]}): /{route} ({names[route]})")
    assert not problems, "pages that render but are not linked:\n" + "\n".join(problems)


def test_the_list_of_unlinked_pages_is_true(walk: Walk) -> None:
    """Each entry names a real page that is indeed not linked, and those said to take a POST
    refuse a GET."""
    names = set(page_patterns().values())
    reached_names = {p.name for pages in walk.pages.values() for p in pages if p.status < 400}
    assert not (set(NOT_LINKED) - names), "entries for pages that do not exist"
    assert not (set(NOT_LINKED) & reached_names), "entries for pages that are linked after all"
    client = Client()
    client.force_login(_admin())
    for pattern, name in page_patterns().items():
        if NOT_LINKED.get(name) == POST:
            url = "/" + _fill(pattern)
            assert client.get(url).status_code == 405, f"{name} answers a GET ({url})"


def test_no_link_leads_to_an_error(walk: Walk) -> None:
    """Every link a persona is shown leads somewhere they may go: no 404, 403 or 5xx."""
    problems = [
        f"{who}: {p.url} -> {p.status} (linked from {p.found_on or 'the start'})"
        for who, pages in walk.pages.items()
        for p in pages
        if p.status >= 400
    ]
    assert not problems, "\n".join(problems)


def test_every_page_reached_speaks_vietnamese(walk: Walk) -> None:
    problems = []
    for who, pages in walk.pages.items():
        for p in pages:
            tokens = sorted(set(foreign_tokens(p.text)))
            if tokens:
                problems.append(f"{who}: {p.url}: {tokens}")
    assert not problems, "English or program codes on the pages:\n" + "\n".join(problems)


def test_the_crawl_saw_the_pages_of_each_persona(walk: Walk) -> None:
    """The checks above mean something only if the crawl got in: each persona reached the
    petitions, the register, the notifications and the help; the anonymous visitor the
    sign-in, the tracking page and the password reset."""
    for username in PERSONAS:
        names = {p.name for p in walk.pages[username] if p.status == 200}
        assert {"petitions:inbox", "registry:home", "notifications:list", "web:help"} <= names
    anonymous = {p.name for p in walk.pages[ANONYMOUS] if p.status == 200}
    assert {"accounts:login", "registry:track", "accounts:password_reset"} <= anonymous


def test_error_pages_speak_vietnamese(world: Any) -> None:
    client = Client()
    client.force_login(world.clerk_a)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    from common.testing.crawl import parse

    text, _links = parse(response.content.decode(), "/")
    assert "Không tìm thấy trang" in text and not foreign_tokens(text)
    request = RequestFactory().get("/")
    request.user = world.clerk_a
    for template in ("400.html", "403.html", "403_csrf.html", "500.html"):
        text, _links = parse(render_to_string(template, request=request), "/")
        assert text and not foreign_tokens(text), (template, foreign_tokens(text))


def test_the_language_check_finds_english_and_codes() -> None:
    """The check itself: it catches what the new user found."""
    assert foreign_tokens("Tình trạng: - Select an option -") == ["Select", "option"]
    assert foreign_tokens("Biến thể remote_complex") == ["remote_complex"]
    assert "3.accept" in foreign_tokens("Áp dụng: 3.accept")
    assert "farrington-flexible" in foreign_tokens("Phương pháp farrington-flexible")
    assert foreign_tokens("xem LAW-PETITIONS §6.5") != []
    assert foreign_tokens("Page not found") != []
    assert foreign_tokens("Liên hệ phatngon@hungyen.gov.vn, dichvucong.gov.vn") == []
    assert foreign_tokens("Đơn thư D2026-33-000012 của UBND-11953, in phiếu, e-mail") == []


def test_catalogues_agree_on_each_translation() -> None:
    """Django merges every app's catalogue into one: a text translated two ways shows one
    app's words on another app's page (the dashboard's 'Received' read 'Ngày nhận', the
    reception table's 'Unit' read 'Đơn vị tính'). Each English text has one translation."""
    root = Path(__file__).resolve().parents[2]
    spec = importlib.util.spec_from_file_location(
        "check_catalogue", root / "scripts/check_catalogue.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    seen: dict[str, dict[str, tuple[str, ...]]] = {}
    catalogues = [root / "locale/vi/LC_MESSAGES/django.po"]
    catalogues += sorted(root.glob("*/locale/vi/LC_MESSAGES/django.po"))
    for po in catalogues:
        for msgid, (_fuzzy, strs) in module.entries(po).items():
            seen.setdefault(msgid, {})[str(po.relative_to(root))] = tuple(strs)
    clashes = [f"{k!r}: {v}" for k, v in seen.items() if len(set(v.values())) > 1]
    assert not clashes, "\n".join(clashes)


# --- helpers --------------------------------------------------------------------------------------


def _admin() -> Any:
    from accounts.models import User

    return User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "crawl-admin", "", "crawl-admin-password"
    )


def _fill(route: str) -> str:
    """The route with a sample value for each argument."""
    import re

    return re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: "1" if m.group(1) == "int" else "X1", route)
