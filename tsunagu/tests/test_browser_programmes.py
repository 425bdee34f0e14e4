"""The programmes in real Chromium: a worker records an emergency food parcel from the
case's programme page, then a month's 住居確保給付金 payment to the landlord; the
finance office's Excel opens with the month's total."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tsunagu.conftest import PASSWORD
from tsunagu.programmes import changes
from tsunagu.programmes.models import EmergencyAid, HousingPayment
from tsunagu.programmes.tests.conftest import application_values
from tsunagu.sheets.models import SupportDecision
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_record_a_food_parcel_and_a_month_of_housing_benefit(page, world):
    case = world.case
    SupportDecision.objects.create(
        case=case,
        programme="housing_benefit",
        decided_on=dt.date(2026, 10, 28),
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2027, 1, 31),
        decided_by=world.officer,
    )
    application = changes.save_application(case, world.consultant, application_values(rent="35000"))
    log_in(page, "consultant", PASSWORD)
    page.goto(page.base_url + case.get_absolute_url())

    # From the case page's panel to the programme records.
    page.get_by_role("link", name="事業の利用（緊急支援・住居確保給付金・家計・居住支援）を開く").click()
    page.locator("summary", has_text="緊急支援を記録する").click()
    form = page.locator("#aid-form")
    form.get_by_label("支援の種類").select_option(label="食料")
    form.get_by_label("資源（どこから）").select_option(label="フードバンク")
    form.get_by_label("支援日").fill("2026-12-03")
    form.get_by_label("数量（食料パック・泊数・枚数など）").fill("2")
    form.get_by_role("button", name="緊急支援を記録する").click()
    expect(page.get_by_text("緊急支援を記録しました。")).to_be_visible()
    aid = EmergencyAid.objects.get(case=case)
    assert (aid.kind, aid.source, aid.quantity, aid.given_on) == ("food", "food_bank", 2, dt.date(2026, 12, 3))
    expect(page.locator(".aid-list")).to_contain_text("フードバンク")

    # The 住居確保給付金: December's payment to the landlord.
    page.get_by_role("link", name="令和8年10月20日の申請").click()
    expect(page.get_by_text("支給額は月額35,000円")).to_be_visible()
    row = page.locator("#month-202612")
    row.locator("summary").click()
    row.get_by_label("支給日").fill("2026-12-25")
    row.get_by_role("button", name="記録する").click()
    expect(page.get_by_text("2026年12月の支給を記録しました。")).to_be_visible()
    payment = HousingPayment.objects.get(application=application)
    assert (payment.month, payment.status, payment.amount) == (dt.date(2026, 12, 1), "paid", 35000)
    expect(page.locator("#month-202612")).to_contain_text("支給済み")

    # The month's list for the finance office, as Excel.
    page.goto(page.base_url + "/programmes/payments/?month=2026-12")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excelで出力（財務担当へ）").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert rows[-1][3] == "合計"
    assert rows[-1][4] == sum(r[4] for r in rows[:-1]) == 35000
