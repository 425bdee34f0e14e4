"""Shared helpers for request-level tests that read rendered pages: the visible text
(what a reader sees, without tags, scripts, styles, comments or attribute values) and the
links of a page or of one part of it."""

from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

# Elements whose content is never shown as text.
HIDDEN = frozenset({"script", "style", "template", "title", "head"})
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Reader(HTMLParser):
    def __init__(self, within: str | None, translatable: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.translatable = translatable  # leave out what is marked translate="no" (codes, IDs)
        self.within = within  # an element id, or None for the whole page
        self.depth_in = 0 if within is None else -1
        self.stack: list[str] = []
        self.hidden = 0
        self.text: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in VOID:
            if tag == "br":
                self.text.append("\n")
            return
        self.stack.append(tag)
        if self.depth_in < 0 and values.get("id") == self.within:
            self.depth_in = len(self.stack)
        if tag in HIDDEN or (self.translatable and values.get("translate") == "no"):
            self.hidden += 1
            self.stack[-1] = "!" + tag  # closes like its tag, and ends the hiding
        if tag == "a" and self._inside() and values.get("href"):
            self.links.append(str(values["href"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID or (tag not in self.stack and "!" + tag not in self.stack):
            return
        while self.stack:
            top = self.stack.pop()
            if top.startswith("!"):
                self.hidden -= 1
                top = top[1:]
            if self.depth_in > len(self.stack):
                self.depth_in = -2  # left the element: nothing more is inside
            if top == tag:
                break
        self.text.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden and self._inside():
            self.text.append(data)

    def _inside(self) -> bool:
        return self.depth_in == 0 or self.depth_in > 0


def _read(page: Any, within: str | None = None, translatable: bool = False) -> _Reader:
    html = page if isinstance(page, str) else page.content.decode()
    reader = _Reader(within, translatable)
    reader.feed(html)
    return reader


def visible_text(page: Any, within: str | None = None) -> str:
    """The page's text as a reader sees it (a response or an HTML string), spaces collapsed."""
    return " ".join("".join(_read(page, within).text).split())


def translatable_text(page: Any) -> str:
    """The visible text without what is marked translate="no" (codes, user names): the
    words a Japanese page must have in Japanese."""
    return " ".join("".join(_read(page, translatable=True).text).split())


def links(page: Any, within: str | None = None) -> list[str]:
    """The href of every link on the page, or inside the element with the id `within`."""
    return _read(page, within).links


def assert_shows(text: str, shown: Iterable[str] = (), hidden: Iterable[str] = ()) -> None:
    """Every `shown` string is in the text and no `hidden` one is; a failure names them all."""
    missing = [s for s in shown if s not in text]
    leaked = [h for h in hidden if h in text]
    assert (missing, leaked) == ([], []), f"missing: {missing}; shown though it must not be: {leaked}"
