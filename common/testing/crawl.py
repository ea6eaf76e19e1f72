"""Walk the site as an official, following what a person can follow, and read what it shows.

``crawl(client)`` starts at the home page and follows every link (``<a href>``), every URL a
page loads by itself (``hx-get``) and every form sent by GET, on this site only, never the
JSON API, the Django admin or static files. Each URL pattern is visited a few times at most,
so a list of 2,000 petitions costs a handful of requests. It returns the pages reached, each
with its URL pattern, status, content type and (for HTML) the text a person sees.

``crawl_personas(usernames)`` does it for each official and returns their reached URLs: the
browser checks (accessibility, phone layout, console errors) visit exactly those.

``page_patterns()`` lists every URL pattern of the site's pages (API and admin left out), to
compare with what the crawl reached.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, URLPattern, URLResolver, get_resolver, resolve

# Not pages a person walks to: the JSON API, Django's admin site, files and scripts.
SKIPPED_PREFIXES = ("/api/", "/admin/", "/static/", "/jsi18n/", "/media/")
# Elements whose text nobody reads on the page.
HIDDEN_ELEMENTS = {"script", "style", "template", "noscript", "head"}
# Attributes a person reads or hears (tooltips, placeholders, screen readers).
VISIBLE_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
VOID_ELEMENTS = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass
class Page:
    url: str
    route: str  # the URL pattern, e.g. "petitions/<str:code>/"
    name: str  # the pattern's name with its namespace, e.g. "petitions:detail"
    status: int
    content_type: str
    found_on: str  # the page whose link led here ("" for the start page)
    fragment: bool = False  # fetched by htmx into another page, not a page of its own
    text: str = ""  # what a person sees, for HTML pages
    links: list[str] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")


class _PageParser(HTMLParser):
    """Collects the links of a page and its visible text (not scripts, styles, hidden inputs,
    nor the parts marked as another language, such as the language switch)."""

    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.links: list[tuple[str, bool]] = []  # (url, fetched by htmx)
        self.chunks: list[str] = []
        self._stack: list[tuple[str, bool]] = []  # (tag, text hidden)

    def _hidden(self) -> bool:
        return bool(self._stack) and self._stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        hidden = (
            self._hidden()
            or tag in HIDDEN_ELEMENTS
            or "hidden" in a
            or a.get("aria-hidden") == "true"
            or (bool(a.get("lang")) and not a["lang"].startswith("vi"))
        )
        if tag == "a" and a.get("href"):
            self.links.append((a["href"], False))
        if a.get("hx-get"):
            self.links.append((a["hx-get"], True))
        if tag == "form" and a.get("method", "get").lower() == "get" and not a.get("hx-get"):
            self.links.append((a.get("action") or self.base, False))
        if not hidden:
            for name in VISIBLE_ATTRIBUTES:
                if a.get(name):
                    self.chunks.append(a[name])
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.chunks.append(a["value"])
        if tag == "title":
            hidden = False  # the title is read in the tab and by screen readers
        if tag not in VOID_ELEMENTS:
            self._stack.append((tag, hidden))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self._stack and self._stack[-1][0] == tag:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if not self._hidden() and data.strip():
            self.chunks.append(data)


def parse(html: str, base: str) -> tuple[str, list[tuple[str, bool]]]:
    """The visible text of ``html`` (one string, whitespace collapsed) and its links."""
    parser = _PageParser(base)
    parser.feed(html)
    parser.close()
    text = re.sub(r"\s+", " ", " ".join(parser.chunks)).strip()
    return text, parser.links


def _local(url: str, base: str) -> str | None:
    """``url`` made absolute against ``base`` as a path with query, if it is on this site
    and worth visiting; else None."""
    url = urldefrag(urljoin(base, url.strip())).url
    parts = urlsplit(url)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIPPED_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _pattern_of(path: str) -> tuple[str, str] | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route, match.view_name


def crawl(client: Client, start: str = "/", per_route: int = 3, limit: int = 600) -> list[Page]:
    """Follow links from ``start`` as the client's user; visit at most ``per_route`` URLs of
    each URL pattern and ``limit`` URLs in all. Returns the pages in the order visited."""
    queue: deque[tuple[str, str, bool]] = deque([(start, "", False)])
    seen: set[str] = {start}
    per: dict[str, int] = {}
    pages: list[Page] = []
    while queue and len(pages) < limit:
        url, found_on, htmx = queue.popleft()
        pattern = _pattern_of(urlsplit(url).path)
        if pattern is None:
            route, name = "", ""
        else:
            route, name = pattern
            if per.get(route, 0) >= per_route:
                continue
            per[route] = per.get(route, 0) + 1
        headers = {"HX-Request": "true"} if htmx else {}
        response: Any = client.get(url, headers=headers)
        page = Page(
            url=url,
            route=route,
            name=name,
            status=response.status_code,
            content_type=response.get("Content-Type", ""),
            found_on=found_on,
            fragment=htmx,
        )
        pages.append(page)
        targets: list[tuple[str, bool]] = []
        if response.status_code in (301, 302, 303, 307, 308):
            targets = [(response["Location"], htmx)]
        elif page.is_html and response.status_code == 200 and not response.streaming:
            page.text, targets = parse(response.content.decode("utf-8", "replace"), url)
        for target, by_htmx in targets:
            local = _local(target, url)
            if local is None or local in seen:
                continue
            seen.add(local)
            page.links.append(local)
            queue.append((local, url, by_htmx))
    return pages


def crawl_personas(
    usernames: Iterable[str], start: str = "/", per_route: int = 3
) -> dict[str, list[Page]]:
    """Crawl as each official named (logged in without a password); pages per username."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    result: dict[str, list[Page]] = {}
    for username in usernames:
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        result[username] = crawl(client, start=start, per_route=per_route)
    return result


def reached_urls(usernames: Iterable[str], start: str = "/") -> dict[str, list[str]]:
    """The HTML pages (status 200) each official reaches by following links from ``start``."""
    return {
        username: [p.url for p in pages if p.status == 200 and p.is_html]
        for username, pages in crawl_personas(usernames, start=start).items()
    }


def page_patterns() -> dict[str, str]:
    """Every URL pattern of the site's pages: route → name (the JSON API and the Django
    admin left out: they are not pages of the application)."""
    found: dict[str, str] = {}

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, prefix + str(p.pattern), ns)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                if ("/" + route).startswith(SKIPPED_PREFIXES):
                    continue
                found[route] = namespace + (p.name or "")

    walk(get_resolver().url_patterns, "", "")
    return found


# --- what a Vietnamese page must not show ----------------------------------------------------------

# English words that have no place in the Vietnamese interface (none of them is also a
# Vietnamese word, so a match is English showing through): Django's defaults, our codes'
# English names, and the little words of any English sentence.
ENGLISH_WORDS = [
    "the",
    "The",
    "and",
    "of",
    "is",
    "are",
    "with",
    "from",
    "for",
    "your",
    "you",
    "this",
    "This",
    "not",
    "Select",
    "select",
    "option",
    "None",
    "True",
    "False",
    "Error",
    "error",
    "Not Found",
    "Page",
    "page",
    "Submit",
    "required",
    "Required",
    "Loading",
    "Save",
    "Cancel",
    "Delete",
    "Search",
    "Next",
    "Previous",
    "Yes",
    "Invalid",
    "invalid",
    "unknown",
    "Unknown",
    "normal",
    "complex",
    "remote",
    "accept",
    "refuse",
    "transfer",
    "flexible",
    "pending",
    "failed",
    "Forbidden",
    "Bad Request",
    "Server Error",
    "Overview",
    "Petitions",
    "Matters",
    "Help",
    "Sign",
    "matter",
    "petition",
    "received",
    "accepted",
    "overdue",
    "due",
]
# Codes of the program: snake_case names, dotted event names ("petition.arrived", "3.accept"),
# lower-case hyphenated method names ("farrington-flexible"), references to our own documents.
CODE_PATTERNS = [
    r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b",
    r"\b(?:\d+|[a-z]+)\.[a-z][a-z_]+\b",
    r"\b[a-z]+[0-9]*(?:-[a-z0-9]+)+\b",
    r"\b[A-Z]+-[A-Z]+\.md\b|\bLAW-[A-Z]+|\bDESIGN\b|\bGLOSSARY\b|§",
]
# Shown on purpose: words Vietnamese officials write in Latin letters as they are.
ALLOWED_TOKENS = {"e-mail"}
_WORDS = re.compile("|".join(r"(?<![\w-])" + re.escape(w) + r"(?![\w-])" for w in ENGLISH_WORDS))
_CODES = re.compile("|".join(CODE_PATTERNS))


# Shown as they are: e-mail addresses, web addresses, domain names, names of files.
_ADDRESSES = re.compile(
    r"\S+@\S+|https?://\S+|\b(?:[\w-]+\.)+(?:vn|com|org|net)\b"
    r"|[\w.-]+\.(?:xlsx|xls|docx|doc|pdf|csv|odt|ods|zip|png|jpg)\b"
    r"|(?<!\S)/[\w.+/-]+"  # a folder on the server (the outbox page names where files go)
)


def foreign_tokens(text: str) -> list[str]:
    """English words and program codes in ``text`` (the visible text of a page)."""
    text = _ADDRESSES.sub(" ", text)
    found = [m.group(0) for m in _WORDS.finditer(text)]
    found += [m.group(0) for m in _CODES.finditer(text)]
    return [t for t in found if t not in ALLOWED_TOKENS]
