"""Every page of the demo town, as each role, speaks Japanese (issue 10, item 10): no ISO
date (2027-01-13), no model label (sheets.plansheet) and no English word outside a short
list of terms staff use as they are (PDF, Excel, ID...).

The walk follows the links each role is offered, from its start page, like a new user
clicking through: up to two pages of each URL shape (the same path with another code),
GET only, the downloads (PDF, Excel, JSON) and Django's own admin site left out."""

import io
import re
from collections import deque
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings

from tsunagu.accounts.models import Staff
from tsunagu.tests.pages import links, translatable_text

# The admin lands on Django's admin site, which the walk leaves out.
ROLES = ["chief", "consultant", "coordinator", "officer", "partner", "chief_benten", "supporter"]

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
MODEL_LABEL = re.compile(r"\b[a-z]+\.[a-z_]+\b")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Written as is on the national forms and in the field: file formats, standards, codes.
ALLOWED = {
    "pdf",
    "excel",
    "id",
    "hsds",
    "open",
    "referral",
    "json",
    "zip",
    "csv",
    "url",
    "dv",
    "npo",
    "it",
    "sns",
    "ok",
    "tel",
    "fax",
    "no",
    "ja",  # JA（農協）, a proper name
    "mb",
    "qr",  # QRコード
}
# An e-mail address or a web address is data, not an English word.
ADDRESS = re.compile(r"[\w.+-]+@[\w.-]+|https?://\S+|\b[\w-]+(\.[\w-]+)+\.(jp|com|org|net)\b")
SKIP = re.compile(r"^/(static|admin)/|/logout/|\.(pdf|xlsx|json|zip)$|/export")
SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+")
PER_SHAPE = 1
PER_ROLE = 80


@pytest.fixture(scope="module")
def demo_town(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """The demo town, loaded once for the walk and rolled back after."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def problems_in(text: str) -> list[str]:
    found = [f"ISO date {m}" for m in ISO_DATE.findall(text)]
    text = ADDRESS.sub(" ", text)
    found += [f"model label {m}" for m in MODEL_LABEL.findall(text)]
    text = MODEL_LABEL.sub(" ", text)
    # A single letter is a code or an era's initial (S50.4.1 for 昭和50年), not a word.
    found += [f"English {w}" for w in WORD.findall(text) if len(w) > 1 and w.lower() not in ALLOWED]
    return found


def walk(client: Client) -> Iterator[tuple[str, Any]]:
    """The pages reachable by links from the start page, each URL shape at most PER_SHAPE times."""
    start = client.get("/", follow=True)
    # Django's admin site (the admin role's start page) is Django's own screen: skipped.
    queue: deque[str] = deque([start.request["PATH_INFO"]] if not SKIP.search(start.request["PATH_INFO"]) else [])
    seen: set[str] = set(queue)
    shapes: dict[str, int] = {}
    visited = 0
    while queue and visited < PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        visited += 1
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        yield path, response
        for href in links(response):
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            shape = SHAPE.sub("#", parts.path) + ("?" if parts.query else "")
            if target in seen or shapes.get(shape, 0) >= PER_SHAPE:
                continue
            seen.add(target)
            shapes[shape] = shapes.get(shape, 0) + 1
            queue.append(target)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ROLES)
def test_every_page_a_role_reaches_is_in_japanese(demo_town, username):
    client = Client()
    client.force_login(Staff.objects.get(username=username))
    pages = 0
    found: dict[str, list[str]] = {}
    for path, response in walk(client):
        pages += 1
        problems = problems_in(translatable_text(response))
        if problems:
            found[path] = sorted(set(problems))[:8]
    least = {"supporter": 2}.get(username, 10)
    assert pages >= least, f"{username} reached only {pages} pages"
    assert found == {}


def test_the_check_finds_what_it_looks_for():
    text = "会議 2027-01-13 の記録 sheets.plansheet、cases: 6 PDF、Excel、taro@example.jp"
    assert problems_in(text) == ["ISO date 2027-01-13", "model label sheets.plansheet", "English cases"]
