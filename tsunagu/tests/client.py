"""The request-level test toolkit, written once for every app's tests: sign a persona in,
read a response's HTML (with or without its CSRF tokens), count the queries of a page,
read a printed PDF. Page text and links are in pages.py, the outsider sweeps' routes in
walk.py, the personas in tsunagu/conftest.py."""

import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tsunagu.tests.pages import assert_shows


def login(client: Any, staff: Any) -> Any:
    """The client, signed in as `staff` (the second factor counts as given)."""
    client.force_login(staff)
    return client


def url_of(name: str, record: Any) -> str:
    """The address of the page `name` (`app:view`) of a record addressed by its code."""
    return reverse(name, kwargs={"code": record.code})


def html(response: Any) -> str:
    return response.content.decode()


def without_tokens(response: Any) -> str:
    """The page with its CSRF token masked: the token differs on every render."""
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", html(response))


def answers_like_missing(client: Any, forbidden_url: str, missing_url: str) -> Any:
    """The refused page answers as one that does not exist (404, the same HTML but for the
    CSRF token), so that a reader learns nothing of what exists. Returns the refused answer."""
    forbidden = client.get(forbidden_url)
    missing = client.get(missing_url)
    assert forbidden.status_code == missing.status_code == 404, (forbidden.status_code, missing.status_code)
    assert without_tokens(forbidden) == without_tokens(missing)
    return forbidden


def refused(client: Any, url: str, data: dict[str, Any], *shown: str, status: int = 422) -> Any:
    """POST a form the app must refuse: the answer has `status` (422 unless said) and
    shows every text in `shown` (the message next to the field, the input kept)."""
    response = client.post(url, data)
    assert response.status_code == status, response.status_code
    assert_shows(html(response), shown=shown)
    return response


def count_queries(client: Any, url: str, params: dict[str, Any] | None = None) -> int:
    """The queries a GET of the page costs (the page must answer 200)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, response.status_code
    return len(captured)


def poppler(tool: str, pdf: Any, *args: str) -> str:
    """What one of poppler's tools (pdftotext, pdffonts, pdfinfo) says of a PDF: a response
    (which must be a PDF) or its bytes."""
    if not isinstance(pdf, bytes):
        assert pdf["Content-Type"] == "application/pdf", pdf["Content-Type"]
        pdf = pdf.content
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "printed.pdf"
        path.write_bytes(pdf)
        command = [tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def pdf_text(pdf: Any, *, layout: bool = True, squeeze: bool = False) -> str:
    """The text of a PDF. With `squeeze`, all whitespace removed: pdftotext keeps or drops
    spaces and breaks lines as the layout falls. With `layout`, text wrapped inside a narrow
    table cell interleaves with its neighbours; without it, each cell reads on."""
    text = poppler("pdftotext", pdf, *(["-layout"] if layout else []))
    return re.sub(r"\s+", "", text) if squeeze else text
