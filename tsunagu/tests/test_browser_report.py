"""A supporter reports from a phone (375×667) in real Chromium: log in, tick signs, say
where, choose 急いでいる (the 119/110 notice appears without JavaScript), send, and see
the status. The time from opening the report page to the submitted report is printed
(measured, not asserted)."""

import time

import pytest
from playwright.sync_api import expect

from tsunagu.community.models import SupporterReport
from tsunagu.conftest import PASSWORD

pytestmark = pytest.mark.browser


def test_a_supporter_reports_from_a_phone(phone, world):
    page = phone
    page.goto(page.base_url + "/accounts/login/")
    page.get_by_label("ユーザー名").fill("supporter")
    page.get_by_label("パスワード").fill(PASSWORD)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/community/report/")

    started = time.monotonic()
    page.goto(page.base_url + "/community/report/")
    sign = page.get_by_label("新聞・郵便がたまっている")
    box = page.locator("label.sign-choice").first.bounding_box()
    assert box["height"] >= 44  # a thumb-sized target
    assert box["width"] >= 300  # the whole row
    sign.check()
    page.get_by_label("姿を見かけない").check()
    page.get_by_label("場所（住所や目印）").fill("東小一丁目 角の青い屋根の家")
    notice = page.locator(".urgent-notice")
    expect(notice).to_be_hidden()
    page.get_by_label("急いでいる").check()
    expect(notice).to_be_visible()  # CSS alone: `:checked ~ .urgent-notice`
    expect(notice).to_contain_text("119")
    page.get_by_role("button", name="送る").click()
    expect(page.get_by_role("heading", name="ありがとうございました")).to_be_visible()
    elapsed = time.monotonic() - started
    print(f"\nsupporter report on a phone: {elapsed:.2f} s from opening the report page to the submitted report")

    expect(page.get_by_text("受け付けました").first).to_be_visible()
    expect(page.get_by_text("新聞・郵便がたまっている、姿を見かけない")).to_be_visible()
    report = SupporterReport.objects.get()
    assert (report.supporter, report.urgency, report.signs) == (
        world.supporter_record,
        "urgent",
        ["mail_piling_up", "not_seen"],
    )
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.csp_errors == []
