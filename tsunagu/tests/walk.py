"""Walking every URL of the project: the patterns, filling their parameters with real
codes, and the text of any answer (HTML, PDF, Excel, JSON, ZIP), for sweeps that look
for what must not be shown (tsunagu/tests/test_whereabouts_sweep.py)."""

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.urls import URLPattern, URLResolver, get_resolver

from tsunagu.tests.client import pdf_text

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


@dataclass(frozen=True)
class Route:
    """One URL pattern: its name with the namespace (`people:detail`) and its route
    (`people/<uuid:code>/`), with the parameters in the order they appear."""

    name: str
    route: str

    @property
    def parameters(self) -> list[str]:
        return [m.group("name") for m in PARAMETER.finditer(self.route)]

    def url(self, values: dict[str, Any]) -> str:
        return "/" + PARAMETER.sub(lambda m: str(values[m.group("name")]), self.route)


def routes(patterns: Any = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    """Every pattern of the URLconf (regex patterns of the admin included)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern):
            yield Route(namespace + (pattern.name or ""), prefix + str(pattern.pattern))


def xlsx_text(content: bytes) -> str:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content), read_only=True)
    cells: list[str] = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells.extend(str(value) for value in row if value is not None)
    return "\n".join(cells)


def zip_text(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return "\n".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())


EXTRACTORS: dict[str, Callable[[bytes], str]] = {
    "application/pdf": pdf_text,
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": xlsx_text,
    "application/zip": zip_text,
}


def answer_text(response: HttpResponse) -> str:
    """What a reader gets from an answer: the HTML or JSON as sent, the text of a PDF,
    the cells of a workbook, the files of an archive; a redirect's target."""
    if response.status_code in {301, 302, 303, 307, 308}:
        return response.get("Location", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "").split(";")[0].strip()
    extract = EXTRACTORS.get(kind)
    return extract(content) if extract else content.decode("utf-8", "replace")


OFFERED_OPTION = re.compile(r"<option\b(?![^>]*\bselected\b)[^>]*>[^<]*</option>")
OPTGROUP = re.compile(r"<optgroup\b[^>]*>")
OFFERED_BOX = re.compile(
    r"<label\b[^>]*>\s*<input\b(?=[^>]*type=\"(?:checkbox|radio)\")(?![^>]*\bchecked\b)[^>]*>[^<]*</label>"
)


def without_choices(html: str) -> str:
    """The page without the choices a form offers (options not selected, boxes not
    ticked): a form offering every agency of the town names them all, which says
    nothing about any one person. What is selected or ticked stays."""
    return OPTGROUP.sub("<optgroup>", OFFERED_BOX.sub("", OFFERED_OPTION.sub("", html)))


def without_query(text: str, url: str) -> str:
    """The answer without what the reader typed into the address (a search box shows the
    query back): that is not something the page told them."""
    from urllib.parse import parse_qsl, urlsplit

    for _name, value in parse_qsl(urlsplit(url).query):
        if value:
            text = text.replace(value, "")
    return text
