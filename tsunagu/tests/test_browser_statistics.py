"""The chief opens the month's statistics in real Chromium under the strict CSP, reads a
figure against the 目安値, opens the cases behind it and downloads the Excel."""

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tsunagu.cases.models import Case
from tsunagu.conftest import PASSWORD
from tsunagu.statistics.tests import month as hand
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_the_chief_reads_the_month_and_downloads_the_excel(page, world):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    Case.objects.filter(pk__in=[world.case.pk, world.hanako_case.pk]).update(opened_on=hand.day(6, 1, 2024))
    hand.build(world)
    log_in(page, "chief", PASSWORD)

    page.get_by_role("link", name="統計", exact=True).click()
    page.get_by_label("月", exact=True).fill("2026-04")
    page.get_by_role("button", name="表示する").click()
    expect(page.get_by_text("つなぐ市自立相談支援センター").first).to_be_attached()
    row = page.locator("#figure-new_consultations")
    expect(row).to_contain_text("3件")
    expect(row).to_contain_text("7.14")
    expect(row).to_contain_text("目安値未満")
    expect(row.locator("svg.trend-svg polyline")).to_have_count(1)

    page.locator("#figure-plans").get_by_role("link", name="2件").click()
    expect(page.get_by_role("heading", name="プラン作成件数")).to_be_visible()
    expect(page.get_by_role("link", name="統計 B")).to_be_visible()
    expect(page.get_by_role("link", name="統計 C")).to_be_visible()
    page.get_by_role("link", name="統計に戻る").click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel（2026年度の月次表）").click()
    download = download_info.value
    assert download.suggested_filename == "支援状況調査_2026年度.xlsx"
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))["月次"]
    values = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["プラン作成件数"][2] == 2
    assert values["新規相談受付件数"][2] == 3
    assert not [p for p in problems if "Content Security Policy" in p]
