"""Browser tests: Playwright for Python driving Debian's Chromium (never `playwright install`).

Without /usr/bin/chromium they are skipped with a message, unless TSUNAGU_REQUIRE_BROWSER=1
(CI), which turns a missing browser into a failure."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
# themselves would otherwise raise SynchronousOnlyOperation. Tests only.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("TSUNAGU_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


class OneRequestAtATime(WSGIServer):
    """The live server answers one request at a time.

    On SQLite the tests' in-memory database is one connection that every server thread
    shares; a page's parallel requests (the live duplicate check while the form is posted)
    then meet on it and fail with "database table is locked". Django's non-threaded server
    closes each connection after its response, so Chromium's parallel requests queue."""

    def __init__(self, *args: Any, connections_override: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime  # type: ignore[assignment]  # runserver --nothreading


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: browser tests skipped (apt-get install chromium)"
        if os.environ.get("TSUNAGU_REQUIRE_BROWSER") == "1":
            pytest.fail(message + " — TSUNAGU_REQUIRE_BROWSER=1 makes this a failure")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport={"width": 1024, "height": 768})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


@pytest.fixture
def phone(chromium: Any, live_server: Any) -> Iterator[Any]:
    """A phone-sized page (375×667, touch) that collects Content-Security-Policy errors."""
    context = chromium.new_context(
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 375, "height": 667},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    page.csp_errors = []
    page.on("console", lambda m: "Content Security Policy" in m.text and page.csp_errors.append(m.text))
    yield page
    context.close()


def log_in(page: Any, username: str, password: str, landing: str = "**/my/") -> None:
    """Sign in through the form, then give the second factor when the account owes it
    (the persona's authenticator app is made on first use: tsunagu/tests/second_factor.py)."""
    from tsunagu.accounts import mfa
    from tsunagu.accounts.models import Staff
    from tsunagu.tests.second_factor import code_now, enrolled

    user = Staff.objects.get(username=username)
    device = enrolled(user) if mfa.required_for(user) else None
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    if device is not None:
        page.wait_for_url("**/accounts/second-factor/**")
        page.get_by_label("確認コード").fill(code_now(device))
        page.get_by_role("button", name="確認する").click()
    page.wait_for_url(landing)
