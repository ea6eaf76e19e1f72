"""What a browser sees wrong on a page: accessibility, console errors, a phone's width.

``check(page, url)`` opens ``url`` in a Playwright page and returns the problems found:

- axe-core (vendored in static/vendor/axe/, loaded only here, never by a page of the site)
  run with the WCAG 2.0/2.1 A and AA rules: every *serious* or *critical* violation;
- every error written to the console, the Content-Security-Policy's refusals included, and
  every uncaught exception;
- an id given to two elements;
- on a narrow screen, a page wider than the screen (it scrolls sideways).

The script is added by URL from the site itself, so the page's CSP ("script-src 'self'")
lets it run as it would let the site's own scripts.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

AXE_URL = "/static/vendor/axe/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BAD_IMPACTS = ("serious", "critical")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                          resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ') + ' — ' + n.failureSummary.split('\\n')[1])
  }));
}"""


@dataclass
class Finding:
    url: str
    width: int
    kind: str  # "axe", "console", "scroll"
    rule: str  # the axe rule, "error" or "sideways"
    detail: str
    nodes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = "; ".join(self.nodes[:3]) + (" …" if len(self.nodes) > 3 else "")
        return f"{self.url} @{self.width}px {self.kind}:{self.rule} {self.detail} {where}".strip()


class Watcher:
    """Listens to a Playwright page for console errors and uncaught exceptions."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))

    def _console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def take(self) -> list[str]:
        found, self.errors = self.errors, []
        return found


def check(page: Any, watcher: Watcher, url: str, width: int, axe: bool = True) -> list[Finding]:
    """Open ``url`` at the page's current viewport (``width`` is only reported) and return
    what is wrong with it."""
    findings: list[Finding] = []
    watcher.take()
    page.goto(url, wait_until="load")
    with contextlib.suppress(Exception):  # a page that polls never goes idle: check it as is
        page.wait_for_load_state("networkidle", timeout=5000)
    if axe:
        page.add_script_tag(url=AXE_URL)
        for v in page.evaluate(_RUN_AXE, AXE_TAGS):
            if v["impact"] in BAD_IMPACTS:
                findings.append(Finding(url, width, "axe", v["id"], v["help"], v["nodes"]))
    for duplicate in page.evaluate(_DUPLICATE_IDS):
        findings.append(Finding(url, width, "html", "duplicate-id", duplicate))
    for error in watcher.take():
        findings.append(Finding(url, width, "console", "error", error))
    if width < DESKTOP["width"]:
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            widest = page.evaluate(_WIDEST)
            findings.append(
                Finding(url, width, "scroll", "sideways", f"{scroll}px > {inner}px", widest)
            )
    return findings


# Ids given to more than one element (a label then names the wrong field).
_DUPLICATE_IDS = """() => {
  const seen = {}, twice = new Set();
  for (const el of document.querySelectorAll('[id]')) {
    if (seen[el.id]) twice.add(el.id); seen[el.id] = true;
  }
  return [...twice];
}"""

# The elements that stick out of the screen on the right, deepest first (what to fix).
_WIDEST = """() => {
  const w = window.innerWidth, out = [];
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.right > w + 1 && r.width > 0) {
      const inside = [...el.children].some(c => c.getBoundingClientRect().right > w + 1);
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : '') +
        ' right=' + Math.round(r.right));
    }
  }
  return out.slice(0, 5);
}"""
