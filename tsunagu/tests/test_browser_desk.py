"""The case page as a worker's desk, in Chromium at 1366×768 (the common office laptop),
on the demo town: the progress notes beside the summary, sheets read before edited, and
tables that keep dates and names whole. `scripts/page_heights.py` prints the same figures
against a running server."""

import io
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.cases.models import Case
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "tsunagu-demo-2026"
OFFICE = {"width": 1366, "height": 768}

# For each table cell: dates and each part of a name must sit on one line (a break at the
# space between family and given name is a break between words, not in one).
WRAPPED_MID_WORD = r"""() => {
  const out = [];
  const re = /令和\d+年\d+月\d+日|[一-龥々]{2,}(?= )|(?<= )[一-龥々ぁ-んァ-ン]{2,}/g;
  for (const cell of document.querySelectorAll('table td, table th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {
      for (const m of node.data.matchAll(re)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (lines.size > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""


@pytest.fixture
def demo(settings: Any) -> Case:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_demo", stdout=io.StringIO(), stderr=io.StringIO())
    return Case.objects.get(person__family_name="山田", person__given_name="太郎")


@pytest.fixture
def office(chromium: Any, live_server: Any) -> Any:
    context = chromium.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", viewport=OFFICE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.base_url = live_server.url
    yield page
    context.close()


def box(page: Any, selector: str) -> dict[str, float]:
    return page.locator(selector).bounding_box()


def test_the_case_page_is_a_desk_with_the_notes_beside_the_summary(office, demo):
    log_in(office, "consultant", DEMO_PASSWORD)
    office.goto(office.base_url + demo.get_absolute_url())
    summary, notes, tasks = box(office, "#summary-title"), box(office, "#notes-title"), box(office, "#tasks-title")
    # Side by side on the first screen (under the record's checklist): the notes start level
    # with the summary, to its right.
    assert notes["y"] < OFFICE["height"] - 100
    assert abs(notes["y"] - summary["y"]) < 4
    assert summary["x"] < notes["x"] < tasks["x"]
    first_note = office.locator(".case-notes article.note").first
    expect(first_note).to_be_in_viewport()
    height = office.evaluate("document.documentElement.scrollHeight")
    # 5,913 px before the desk (the notes started at 3,229 px); 4,293 px once the case got
    # the employment panel and the programmes' one-line panel (住居確保給付金, 緊急支援).
    assert height < 4400
    assert office.evaluate("document.documentElement.scrollWidth") <= OFFICE["width"]
    # The older timeline and the done tasks fold away but stay on the page, without JavaScript.
    expect(office.locator("details.timeline-older > summary")).to_contain_text("それより前の記録")


def test_a_task_is_added_from_the_case_page_through_the_form_opened_in_place(office, demo):
    """The task form is not on the case page until 「タスクを追加」 opens (lib.ondemand)."""
    log_in(office, "consultant", DEMO_PASSWORD)
    office.goto(office.base_url + demo.get_absolute_url())
    expect(office.locator("select[name='assignee']")).to_have_count(0)
    office.locator("#tasks-title ~ details.add-form > summary").click()
    form = office.locator("#tasks-title ~ details.add-form form")
    expect(form.get_by_label("担当者")).to_be_visible()
    form.get_by_label("内容").fill("大家さんへの連絡を確認する")
    form.get_by_label("期限").fill(timezone.localdate().isoformat())
    form.get_by_role("button", name="タスクを追加する").click()
    expect(office.get_by_text("タスクを追加しました。")).to_be_visible()
    assert office.url.endswith(demo.get_absolute_url())
    assert demo.tasks.filter(title="大家さんへの連絡を確認する", assignee__username="consultant").exists()


def test_a_saved_plan_is_read_first_and_edited_through_its_link(office, demo):
    log_in(office, "consultant", DEMO_PASSWORD)
    office.goto(office.base_url + demo.get_absolute_url() + "plan/")
    expect(office.get_by_role("heading", name=re.compile("現在のプラン"))).to_be_visible()
    expect(office.locator("form.sheet-form")).to_have_count(0)
    assert office.evaluate("document.documentElement.scrollHeight") < 3000  # 6,111 px with the form always open
    office.get_by_role("link", name="編集する").click()
    expect(office).to_have_url(re.compile(r"/plan/\?edit=1#form-title$"))
    expect(office.locator("form.sheet-form")).to_have_count(1)
    expect(office.get_by_role("heading", name="プランを変更して新しい版を保存する")).to_be_visible()


def test_tables_keep_dates_and_names_on_one_line(office, demo):
    log_in(office, "chief", DEMO_PASSWORD)
    wrapped = {}
    for path in ("/cases/", "/referrals/inbox/", "/community/supporters/", "/community/reports/", "decisions/"):
        office.goto(office.base_url + (demo.get_absolute_url() + path if path == "decisions/" else path))
        expect(office.locator("table").first).to_be_visible()
        wrapped[path] = office.evaluate(WRAPPED_MID_WORD)
    assert wrapped == {path: [] for path in wrapped}


def test_the_calendar_and_the_plan_fit_a_phone_without_sideways_scrolling(phone, demo):
    log_in(phone, "consultant", DEMO_PASSWORD)
    for path in ("/meetings/calendar/", demo.get_absolute_url() + "plan/", demo.get_absolute_url()):
        phone.goto(phone.base_url + path)
        # A page wider than the phone makes the browser widen its layout viewport.
        assert phone.evaluate("[window.innerWidth, document.documentElement.scrollWidth]") == [375, 375], path
    assert phone.csp_errors == []
