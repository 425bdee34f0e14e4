"""The programmes through HTTP: what each page records, what it refuses (422, nothing
written), who sees what, and the files it hands out."""

import io
import subprocess

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseState, Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.consents.models import Category
from tsunagu.programmes.models import (
    DutyCheck,
    EmergencyAid,
    HouseholdBudget,
    HousingApplication,
    HousingDuty,
    HousingLimit,
    HousingPayment,
    Session,
    Stay,
    StockMovement,
)
from tsunagu.programmes.tests.conftest import APPLICATION, D, decide
from tsunagu.tests.client import login
from tsunagu.tests.walk import pdf_text


def case_url(name, case):
    return reverse(f"programmes:{name}", kwargs={"code": case.code})


def text(response):
    return response.content.decode()


# 緊急支援 --------------------------------------------------------------------------------


def stock(world, parcels, best_before):
    return StockMovement.objects.create(
        agency=world.centre, moved_on=D(2026, 12, 1), parcels=parcels, best_before=best_before, recorded_by=world.chief
    )


FOOD = {"kind": "food", "source": "centre_stock", "given_on": "2026-12-03", "quantity": "3"}


def test_a_food_parcel_from_stock_takes_the_soonest_best_before_first(client, world):
    stock(world, 2, D(2027, 1, 31))
    stock(world, 5, D(2027, 3, 31))
    stock(world, 4, D(2026, 12, 1))  # past its date on the day: never given
    response = login(client, world.consultant).post(case_url("aid_add", world.case), FOOD)
    assert response.status_code == 302
    aid = EmergencyAid.objects.get(case=world.case)
    assert (aid.kind, aid.quantity, aid.given_by) == ("food", 3, world.consultant)
    taken = sorted((m.best_before, m.parcels) for m in StockMovement.objects.filter(aid=aid))
    assert taken == [(D(2027, 1, 31), -2), (D(2027, 3, 31), -1)]
    entry = TimelineEntry.objects.get(case=world.case, kind=TimelineKind.PROGRAMME)
    assert "緊急支援: 食料" in entry.detail
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="programmes.emergencyaid").count() == 1


def test_a_parcel_the_stock_cannot_cover_is_refused_and_nothing_is_written(client, world):
    stock(world, 2, D(2027, 1, 31))
    response = login(client, world.consultant).post(case_url("aid_add", world.case), FOOD)
    assert response.status_code == 422
    assert "センターの備蓄が足りません（賞味期限内の在庫 2個）" in text(response)
    assert not EmergencyAid.objects.exists()
    assert StockMovement.objects.count() == 1
    assert not TimelineEntry.objects.filter(kind=TimelineKind.PROGRAMME).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "loan_application", "source": "social_welfare_council"},
            "sent_on",
            "社協に送った日を入力してください。",
        ),
        ({"kind": "transport", "source": "centre_fund"}, "amount", "金額を入力してください。"),
        ({"kind": "food", "source": "food_bank"}, "quantity", "数量を入力してください。"),
        ({"kind": "food", "source": "food_bank", "quantity": "-1"}, "quantity", "0 以上"),
        ({"kind": "nonsense", "source": "food_bank"}, "kind", "正しく選択してください"),
    ],
)
def test_bad_aid_is_refused_by_its_field(client, world, data, field, message):
    response = login(client, world.consultant).post(case_url("aid_add", world.case), {"given_on": "2026-12-03", **data})
    assert response.status_code == 422
    assert f'id="id_{field}_error"' in text(response)
    assert message in text(response)
    assert not EmergencyAid.objects.exists()


def test_aid_on_a_closed_case_is_refused(client, world):
    world.case.state = CaseState.CLOSED
    world.case.save(update_fields=["state"])
    data = {"kind": "transport", "source": "centre_fund", "given_on": "2026-12-03", "amount": "500"}
    response = login(client, world.consultant).post(case_url("aid_add", world.case), data)
    assert response.status_code == 422
    assert "緊急支援は支援中のケースに記録します" in text(response)
    assert not EmergencyAid.objects.exists()


def test_the_loan_application_is_recorded_with_date_sent_and_amount_asked(client, world):
    data = {
        "kind": "loan_application",
        "source": "social_welfare_council",
        "given_on": "2026-12-03",
        "loan_kind": "emergency_small",
        "sent_on": "2026-12-04",
        "amount_asked": "100000",
        "loan_result": "pending",
    }
    login(client, world.consultant).post(case_url("aid_add", world.case), data)
    page = text(client.get(case_url("case", world.case)))
    assert "緊急小口資金" in page
    assert "令和8年12月4日" in page or "R8.12.4" in page
    assert "100,000円" in page


def test_the_loan_result_is_recorded_later_and_a_stale_answer_is_refused(client, world):
    aid = EmergencyAid.objects.create(
        case=world.case,
        kind="loan_application",
        source="social_welfare_council",
        loan_kind="emergency_small",
        sent_on=D(2026, 12, 4),
        amount_asked=100000,
        loan_result="pending",
        given_by=world.consultant,
        recorded_by=world.consultant,
    )
    url = reverse("programmes:aid_result", kwargs={"code": aid.code})
    prefix = f"loan-{aid.pk}"
    login(client, world.consultant)
    bad = client.post(
        url, {f"{prefix}-loan_result": "approved", f"{prefix}-result_on": "x", f"{prefix}-base_version": "1"}
    )
    assert bad.status_code == 422
    assert "日付" in text(bad)
    ok = client.post(
        url, {f"{prefix}-loan_result": "approved", f"{prefix}-result_on": "2026-12-10", f"{prefix}-base_version": "1"}
    )
    assert ok.status_code == 302
    aid.refresh_from_db()
    assert (aid.loan_result, aid.result_on, aid.version) == ("approved", D(2026, 12, 10), 2)
    stale = client.post(
        url, {f"{prefix}-loan_result": "refused", f"{prefix}-result_on": "2026-12-11", f"{prefix}-base_version": "1"}
    )
    assert stale.status_code == 422
    assert "他の職員がこの記録を先に更新しました" in text(stale)
    aid.refresh_from_db()
    assert aid.loan_result == "approved"
    assert TimelineEntry.objects.filter(case=world.case, detail="貸付の結果: 貸付決定").count() == 1


def test_the_monthly_ledger_counts_what_went_out_and_to_how_many_households(client, world):
    stock(world, 10, D(2027, 3, 31))
    login(client, world.consultant)
    client.post(case_url("aid_add", world.case), FOOD)
    client.post(case_url("aid_add", world.case), {**FOOD, "given_on": "2026-12-20", "quantity": "2"})
    client.post(case_url("aid_add", world.hanako_case), {**FOOD, "given_on": "2026-12-31", "quantity": "1"})
    client.post(case_url("aid_add", world.case), {**FOOD, "given_on": "2027-01-01", "quantity": "1"})
    page = text(client.get(reverse("programmes:ledger") + "?month=2026-12"))
    assert "支援した世帯: 2世帯" in page
    row = page[page.index('<th scope="row">食料</th>') :].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('class="number">')[1:]] == ["3", "2", "6", "0"]
    # The stock: 10 in, 6 out in December, 1 out in January.
    assert '<td class="number">10</td>' in page
    january = text(client.get(reverse("programmes:ledger") + "?month=2027-01"))
    assert "支援した世帯: 1世帯" in january


def test_stock_in_is_recorded_and_a_bad_count_is_refused(client, world):
    login(client, world.chief)
    url = reverse("programmes:stock_add")
    response = client.post(url, {"moved_on": "2026-12-01", "parcels": "0", "best_before": "2027-01-31"})
    assert response.status_code == 422
    assert not StockMovement.objects.exists()
    client.post(url, {"moved_on": "2026-12-01", "parcels": "12", "best_before": "2027-01-31", "source": "フードバンク"})
    assert StockMovement.objects.get().parcels == 12


# 住居確保給付金 ---------------------------------------------------------------------------


def test_the_application_is_checked_against_the_settings_limits(client, world, housing):
    assert housing.eligible
    assert housing.monthly_payment == 37000  # rent 42,000 over the single household's cap
    assert housing.decision is not None
    page = text(login(client, world.consultant).get(housing.get_absolute_url()))
    assert "支給額は月額37,000円" in page


def test_limits_set_by_the_admin_override_the_settings_and_a_refusal_gives_the_reason(client, world):
    HousingLimit.objects.create(
        municipality=world.town, household_size=1, income_base=30000, rent_cap=40000, asset_cap=50000
    )
    response = login(client, world.consultant).post(case_url("application_add", world.case), APPLICATION)
    application = HousingApplication.objects.get()
    assert response["Location"] == application.get_absolute_url()
    assert not application.eligible
    assert application.refusal_reason.startswith("世帯の金融資産（100,000円）が上限（50,000円）")
    assert "世帯の金融資産（100,000円）が上限（50,000円）を超えています。" in text(client.get(response["Location"]))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("account_number", "12-456", "口座番号は7桁の数字で入力してください。"),
        ("household_size", "0", "世帯人数は1から20の間で入力してください。"),
        ("rent", "abc", "整数を入力してください"),
        ("applied_on", "2026-13-01", "日付"),
    ],
)
def test_a_bad_application_is_refused_by_its_field(client, world, field, value, message):
    response = login(client, world.consultant).post(
        case_url("application_add", world.case), {**APPLICATION, field: value}
    )
    assert response.status_code == 422
    assert message in text(response)
    assert not HousingApplication.objects.exists()


def pay(client, application, month, **data):
    prefix = f"m{month:%Y%m}"
    values = {"month": month.isoformat(), "status": "paid", "paid_on": "", "stop_reason": "", "base_version": "0"}
    values.update(data)
    return client.post(
        reverse("programmes:housing_pay", kwargs={"code": application.code}),
        {f"{prefix}-{k}": v for k, v in values.items()},
    )


def test_the_schedule_runs_across_the_year_end_and_the_extension(client, world, housing):
    login(client, world.consultant)
    page = text(client.get(housing.get_absolute_url()))
    for label in ["2026年11月分", "2026年12月分", "2027年1月分", "2027年2月分", "2027年4月分"]:
        assert label in page
    assert "2027年5月分" not in page
    assert pay(client, housing, D(2027, 4, 1), paid_on="2027-04-25").status_code == 302
    assert HousingPayment.objects.get().amount == 37000
    response = pay(client, housing, D(2027, 5, 1), paid_on="2027-05-25")
    assert response.status_code == 422
    assert "2027年5月は支給決定の期間（延長を含む）に入っていません。" in text(response)
    assert HousingPayment.objects.count() == 1


def test_a_stopped_month_needs_its_reason_and_pays_nothing(client, world, housing):
    login(client, world.consultant)
    response = pay(client, housing, D(2026, 12, 1), status="stopped")
    assert response.status_code == 422
    assert "支給を停止する理由を入力してください。" in text(response)
    assert not HousingPayment.objects.exists()
    pay(client, housing, D(2026, 12, 1), status="stopped", stop_reason="就職により収入が基準額を超えた")
    payment = HousingPayment.objects.get()
    assert (payment.status, payment.amount, payment.stop_reason) == ("stopped", 0, "就職により収入が基準額を超えた")
    assert TimelineEntry.objects.filter(detail__contains="2026年12月分を停止").exists()


def test_a_month_recorded_by_someone_else_meanwhile_is_refused_as_stale(client, world, housing):
    login(client, world.consultant)
    pay(client, housing, D(2026, 11, 1), paid_on="2026-11-25")
    response = pay(client, housing, D(2026, 11, 1), status="stopped", stop_reason="x")  # read at version 0
    assert response.status_code == 422
    assert "他の職員がこの記録を先に更新しました" in text(response)
    assert HousingPayment.objects.get().status == "paid"
    assert pay(client, housing, D(2026, 11, 1), status="stopped", stop_reason="x", base_version="1").status_code == 302
    assert HousingPayment.objects.get().version == 2


def test_the_finance_list_opens_in_excel_and_its_total_matches_the_rows(client, world, housing):
    login(client, world.consultant)
    pay(client, housing, D(2026, 12, 1), paid_on="2026-12-25")
    response = client.get(reverse("programmes:payments_xlsx") + "?month=2026-12")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    data, total = rows[:-1], rows[-1]
    assert [(r[1], r[3], r[4], r[5], r[9]) for r in data] == [("山田 太郎", "支給済み", 37000, "湯沢不動産", "1234567")]
    assert total[3] == "合計"
    assert total[4] == sum(r[4] for r in data) == 37000
    page = text(client.get(reverse("programmes:payments") + "?month=2026-12"))
    assert "<strong>37,000円</strong>" in page
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.object_type == "programmes.housing_payments.xlsx"


def test_the_finance_list_hides_the_landlord_of_a_person_under_whereabouts_confidentiality(client, world):
    decide(world, world.hanako_case, "housing_benefit", D(2026, 11, 1), D(2027, 1, 31))
    login(client, world.consultant).post(case_url("application_add", world.hanako_case), APPLICATION)
    response = login(client, world.officer).get(reverse("programmes:payments_xlsx") + "?month=2026-12")
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = next(sheet.iter_rows(min_row=5, max_row=5, values_only=True))
    assert row[5] == "所在秘匿のため記載しません"
    assert "湯沢不動産" not in str(list(sheet.iter_rows(values_only=True)))
    assert row[4] == 37000  # still to pay: the amount is not a location


def test_a_duty_recorded_goes_to_the_timeline(client, world, housing):
    login(client, world.consultant)
    response = client.post(
        reverse("programmes:housing_duty", kwargs={"code": housing.code}),
        {"kind": "hello_work", "done_on": "2026-12-02", "note": "職業相談"},
    )
    assert response.status_code == 302
    assert HousingDuty.objects.get().kind == "hello_work"
    bad = client.post(reverse("programmes:housing_duty", kwargs={"code": housing.code}), {"kind": "x"})
    assert bad.status_code == 422
    assert HousingDuty.objects.count() == 1


def test_the_monthly_check_flags_a_shortfall_as_a_task_due_before_the_month_ends(world, housing):
    for day in (1, 8):
        HousingDuty.objects.create(
            application=housing, kind="consultation", done_on=D(2026, 12, day), recorded_by=world.consultant
        )
    HousingDuty.objects.create(
        application=housing, kind="hello_work", done_on=D(2026, 12, 3), recorded_by=world.consultant
    )
    for day in (7, 14):
        HousingDuty.objects.create(
            application=housing, kind="job_application", done_on=D(2026, 12, day), recorded_by=world.consultant
        )
    out = io.StringIO()
    call_command("check_housing_duties", "--date", "2026-12-25", stdout=out)
    assert "1人を確認、不足 1人" in out.getvalue()
    task = Task.objects.get(kind=TaskKind.HOUSING_DUTIES)
    assert task.assignee == world.consultant
    assert task.due_on == D(2026, 12, 31)
    assert "面談 2/4回" in task.title
    assert "ハローワーク 1/2回" in task.title
    # The week from 12/21 had no application and is over on the 27th.
    call_command("check_housing_duties", "--date", "2026-12-27", stdout=io.StringIO())
    task.refresh_from_db()
    assert Task.objects.filter(kind=TaskKind.HOUSING_DUTIES).count() == 1
    assert "令和8年12月21日" in task.title
    assert DutyCheck.objects.get().checked_on == D(2026, 12, 27)


def test_the_monthly_check_passes_a_month_fully_done_and_skips_months_outside_the_period(world, housing):
    for day in (1, 8, 15, 22):
        HousingDuty.objects.create(
            application=housing, kind="consultation", done_on=D(2027, 1, day), recorded_by=world.consultant
        )
    for day in (5, 19):
        HousingDuty.objects.create(
            application=housing, kind="hello_work", done_on=D(2027, 1, day), recorded_by=world.consultant
        )
    for day in (4, 11, 18, 25):
        HousingDuty.objects.create(
            application=housing, kind="job_application", done_on=D(2027, 1, day), recorded_by=world.consultant
        )
    call_command("check_housing_duties", "--date", "2027-01-31", stdout=io.StringIO())
    assert DutyCheck.objects.get().shortfall == {}
    assert not Task.objects.filter(kind=TaskKind.HOUSING_DUTIES).exists()
    call_command("check_housing_duties", "--date", "2027-05-20", stdout=io.StringIO())  # after the extension
    assert DutyCheck.objects.count() == 1


# 家計改善支援 ---------------------------------------------------------------------------


def budget_data(base_version, **extra):
    return {
        "budget_month": "2026-12-01",
        "starting_balance": "20000",
        "base_version": str(base_version),
        "income_wages": "120000",
        "spending_housing": "42000",
        "spending_food": "40000",
        "spending_repayment": "30000",
        "debts-TOTAL_FORMS": "1",
        "debts-INITIAL_FORMS": "0",
        "debts-0-creditor": "消費者金融A",
        "debts-0-balance": "500000",
        "debts-0-monthly": "30000",
        "debts-0-status": "consulting",
        "events-TOTAL_FORMS": "1",
        "events-INITIAL_FORMS": "0",
        "events-0-month": "1",
        "events-0-label": "冬の灯油代",
        "events-0-spending": "15000",
        **extra,
    }


def test_the_budget_is_versioned_and_a_stale_save_is_refused(client, world):
    login(client, world.consultant)
    url = case_url("budget", world.case)
    assert client.post(url, budget_data(0)).status_code == 302
    assert client.post(url, budget_data(1, spending_food="30000")).status_code == 302
    stale = client.post(url, budget_data(1, spending_food="1"))
    assert stale.status_code == 422
    assert "他の職員がこの記録を先に更新しました" in text(stale)
    versions = list(HouseholdBudget.objects.filter(case=world.case).order_by("version"))
    assert [(v.version, v.spending["food"]) for v in versions] == [(1, 40000), (2, 30000)]
    assert versions[1].debts[0]["creditor"] == "消費者金融A"
    assert versions[1].debt_total == 500000
    page = text(client.get(url))
    assert "第2版" in page
    assert "法律相談中" in page


def test_a_bad_budget_row_is_refused_by_its_field(client, world):
    response = login(client, world.consultant).post(
        case_url("budget", world.case), budget_data(0, **{"debts-0-balance": "-5", "income_wages": "x"})
    )
    assert response.status_code == 422
    assert "整数を入力してください" in text(response)
    assert not HouseholdBudget.objects.exists()


def test_the_budget_and_cashflow_print_as_pdfs_in_the_forms_fonts(client, world, tmp_path):
    login(client, world.consultant)
    client.post(case_url("budget", world.case), budget_data(0))
    budget = client.get(reverse("programmes:budget_pdf", kwargs={"code": world.case.code, "kind": "budget"}))
    assert budget["Content-Type"] == "application/pdf"
    words = "".join(pdf_text(budget.content).split())
    for expected in ["家計表", "山田太郎", "給与（手取り）", "120,000", "消費者金融A", "500,000", "法律相談中"]:
        assert expected in words
    path = tmp_path / "budget.pdf"
    path.write_bytes(budget.content)
    assert "IPAex" in subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    cashflow = client.get(reverse("programmes:budget_pdf", kwargs={"code": world.case.code, "kind": "cashflow"}))
    words = "".join(pdf_text(cashflow.content).split())
    # 120,000 in, 112,000 out a month from 20,000; the second month pays 15,000 for heating.
    assert "2026年12月" in words
    assert "28,000" in words  # end of the first month
    assert "冬の灯油代" in words
    assert "21,000" in words  # 28,000 + 8,000 - 15,000
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="programmes.cashflow.pdf").count() == 1


# 居住支援 -------------------------------------------------------------------------------

THREE_MONTHS = {"starts_on": "2026-11-01", "planned_end": "2027-01-31"}
STAY = {"place_kind": "shelter", "place": "シェルターゆざわ", "meals_per_day": "3", **THREE_MONTHS}


def test_a_stay_of_three_months_is_recorded_and_a_longer_one_needs_the_extended_decision(client, world):
    login(client, world.consultant)
    url = case_url("stay_add", world.case)
    response = client.post(url, {**STAY, "planned_end": "2027-02-01"})
    assert response.status_code == 422
    assert "それより長い滞在には支援決定とその延長が必要です" in text(response)
    assert not Stay.objects.exists()
    assert client.post(url, STAY).status_code == 302
    stay = Stay.objects.get()
    decide(world, world.case, "housing_support", D(2026, 11, 1), D(2027, 1, 31), D(2027, 4, 30))
    edit = reverse("programmes:stay_edit", kwargs={"code": stay.code})
    assert client.post(edit, {**STAY, "planned_end": "2027-04-30", "base_version": "1"}).status_code == 302
    stay.refresh_from_db()
    assert (stay.planned_end, stay.version, stay.decision.programme) == (D(2027, 4, 30), 2, "housing_support")
    too_long = client.post(edit, {**STAY, "planned_end": "2027-05-01", "base_version": "2"})
    assert too_long.status_code == 422
    assert "居住支援の滞在は最長6か月です" in text(too_long)
    stay.refresh_from_db()
    assert stay.planned_end == D(2027, 4, 30)


def test_a_stay_ends_in_the_move_on_housing(client, world):
    login(client, world.consultant)
    client.post(case_url("stay_add", world.case), STAY)
    stay = Stay.objects.get()
    edit = reverse("programmes:stay_edit", kwargs={"code": stay.code})
    no_move_on = client.post(edit, {**STAY, "ended_on": "2027-01-20", "base_version": "1"})
    assert no_move_on.status_code == 422
    assert "退所後の住まいも選んでください" in text(no_move_on)
    client.post(edit, {**STAY, "ended_on": "2027-01-20", "move_on": "rented_flat", "base_version": "1"})
    stay.refresh_from_db()
    assert (stay.ended_on, stay.move_on) == (D(2027, 1, 20), "rented_flat")
    stale = client.post(edit, {**STAY, "ended_on": "2027-01-21", "move_on": "family", "base_version": "1"})
    assert stale.status_code == 422
    stay.refresh_from_db()
    assert stay.move_on == "rented_flat"


# 学習支援・就労準備支援 ----------------------------------------------------------------------


def test_a_session_records_attendance_and_the_month_rate(client, world):
    decide(world, world.case, "work_preparation", D(2026, 11, 1), D(2027, 10, 31))
    login(client, world.employment)
    url = reverse("programmes:sessions") + "?programme=work_preparation"
    key = world.case.code
    data = {"programme": "work_preparation", "held_on": "2026-12-01", "place": "センター", "title": "生活リズム"}
    assert client.post(url, {**data, f"attended-{key}": "on", f"step-{key}": "1"}).status_code == 302
    assert client.post(url, {**data, "held_on": "2026-12-08", f"step-{key}": "2"}).status_code == 302
    bad = client.post(url, {**data, "held_on": "2026-12-15", f"attended-{key}": "on", f"step-{key}": "9"})
    assert bad.status_code == 422
    assert "段階は就労準備支援事業の" in text(bad)
    page = text(client.get(url + "&month=2026-12"))
    assert "1/2" in page
    assert "50%" in page
    assert "社会生活自立" in page
    assert "1/2" in text(login(client, world.consultant).get(case_url("case", world.case)))


def test_a_class_never_names_a_person_under_an_order_outside_her_team(client, world):
    """A class's place and day say where she is each week: her name stays with her team."""
    for case in (world.case, world.hanako_case):
        decide(world, case, "work_preparation", D(2026, 11, 1), D(2027, 10, 31))
    login(client, world.consultant)  # the worker of both
    url = reverse("programmes:sessions") + "?programme=work_preparation"
    data = {"programme": "work_preparation", "held_on": "2026-12-01", "place": "センター", "title": "生活リズム"}
    marks = {f"attended-{c.code}": "on" for c in (world.case, world.hanako_case)}
    assert client.post(url, {**data, **marks}).status_code == 302
    session = Session.objects.get()
    assert "秘匿 花子" in text(client.get(session.get_absolute_url()))

    login(client, world.employment)  # centre staff, not on her team
    for page in (text(client.get(session.get_absolute_url())), text(client.get(url + "&month=2026-12"))):
        assert "花子" not in page
        assert "所在秘匿の対象者" in page
        assert "山田 太郎" in page


def test_a_session_without_participants_is_refused(client, world):
    response = login(client, world.employment).post(
        reverse("programmes:sessions"),
        {"programme": "child_learning", "held_on": "2026-12-01", "place": "公民館", "title": "宿題"},
    )
    assert response.status_code == 422
    assert "この日に支援決定のある参加者がいません" in text(response)


# Partners: only with the consent's category ----------------------------------------------


def test_a_partner_sees_the_programmes_only_with_the_category(client, world):
    stock(world, 5, D(2027, 3, 31))
    login(client, world.consultant).post(case_url("aid_add", world.case), FOOD)
    page = text(login(client, world.partner).get(world.case.get_absolute_url()))
    assert "同意の範囲に含まれていないため表示しません" in page
    assert "緊急支援: 食料" not in page
    world.consent.categories = [*world.consent.categories, Category.PROGRAMMES]
    world.consent.save(update_fields=["categories"])
    page = text(client.get(world.case.get_absolute_url()))
    assert "緊急支援: 食料" in page  # the timeline
    assert "緊急支援 1件" in page  # the panel
    assert "programmes/case/" not in page  # no link to the full records
    disclosure = world.taro.disclosures.latest("id")
    assert Category.PROGRAMMES in disclosure.categories
