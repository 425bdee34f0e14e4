"""The standard forms through HTTP: each save is a new version, past versions stay readable,
and only the centre's full-access staff see them (docs/testing.md)."""

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Case, CaseConcern, CaseState, Task, TimelineEntry
from tsunagu.lib.wareki import format_wareki
from tsunagu.people.models import Person
from tsunagu.sheets.models import (
    CONDITIONS,
    AssessmentSheet,
    DecisionExtension,
    EvaluationSheet,
    GoalAttainment,
    IntakeSheet,
    PlanItem,
    PlanSheet,
    SupportDecision,
)
from tsunagu.tests.client import answers_like_missing, count_queries, html, login
from tsunagu.tests.pages import assert_shows
from tsunagu.tests.records import write_intake

STALE = "他の職員がこの帳票（第1版）を先に更新しました。あなたの入力は残っています。"
SHEETS = ["intake", "assessment", "plan", "evaluation"]
PAGES = [*SHEETS, "decisions", "as_of"]


def url(name, case):
    return reverse(f"sheets:{name}", kwargs={"code": case.code})


def today():
    return timezone.localdate()


def days(n):
    return (today() + dt.timedelta(days=n)).isoformat()


def hidden_base_version(page):
    """The version the sheet's form carries (the plan page's agreement form has its own)."""
    return re.search(r'name="base_version" value="(\d+)" id="id_base_version"', page)[1]


def refused_as_stale(response, typed):
    """A save from a page older than the sheet is refused: the message, what was typed
    kept, and the form still based on version 1."""
    page = html(response)
    assert STALE in page
    assert typed in page
    assert hidden_base_version(page) == "1"


# What a browser posts for each sheet ----------------------------------------------------------


def intake_data(world, **changes):
    data = {
        "base_version": 0,
        "received_on": days(0),
        "receiving_worker": world.consultant.pk,
        "visitor_name": "",
        "visitor_relation": "",
        "concerns": ["income", "rent_loan", "job_search"],
        "primary_concern": "rent_loan",
        "concern_detail": "家賃を2か月滞納している。",
        "work_status": "job_seeking",
        "housing_status": "rented",
        "insurance": "national",
        "pension": "unpaid",
        "applied": "on",
        "applied_on": days(0),
        "consent_method": "signature",
        "consent_purposes": ["assessment", "coordination"],
        "consent_agencies": [world.community_care.pk],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def assessment_data(**changes):
    data = {
        "base_version": 0,
        "assessed_on": days(0),
        "life_history": "地元の高校を卒業後、製材所に20年勤めた。",
        "work_history": "",
        "education": "",
        "health": "腰痛で通院中。",
        "disability_certificate": "none",
        "disability_detail": "",
        "mental_health": "",
        "addictions": "",
        "criminal_record": "",
        "victimisation": "",
        "monthly_income": "80000",
        "income_detail": "",
        "household_budget": "",
        "debts": "",
        "debt_total": "",
        "assets": "",
        "schemes_enrolled": "",
        "family": "",
        "key_person": "",
        "social_relations": "",
        "desired_life": "また山の仕事がしたい。",
        "issues": ["economic_hardship", "debt", "unstable_housing"],
        "judgement": "",
        "suicide_risk": "none",
        "emergency_note": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


ITEM = {
    "issue": "debt",
    "goal": "家賃の分納を大家さんと合意する",
    "person_action": "大家さんに連絡する",
    "support": "同行して交渉を支える",
    "provider_agency": "",
    "provider_worker": "",
    "period": "3か月",
    "frequency": "週1回",
}


def plan_data(rows=(), initial_forms=0, **changes):
    """The plan form and its item rows, with the management form the page rendered
    (rows shown when the page was read count as initial forms)."""
    data = {
        "base_version": 0,
        "long_term_goal": "住まいを失わずに、また働けるようになる。",
        "short_term_goals": "家賃の滞納を解消する。",
        "programmes": ["housing_benefit"],
        "period_start": days(0),
        "period_end": days(180),
        "next_evaluation_on": days(90),
        "items-TOTAL_FORMS": len(rows),
        "items-INITIAL_FORMS": initial_forms,
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 30,
    }
    for i, row in enumerate(rows):
        for key, value in {**ITEM, **row}.items():
            data[f"items-{i}-{key}"] = value
    data.update(changes)
    return data


def make_plan(world, *, version=1, agreed=True, goals=("家賃の分納を大家さんと合意する",), case=None, **fields):
    case = case or world.case
    plan = PlanSheet.objects.create(
        case=case,
        version=version,
        recorded_by=world.consultant,
        long_term_goal=fields.pop("long_term_goal", "住まいを失わずに暮らす。"),
        period_start=today(),
        period_end=today() + dt.timedelta(days=180),
        next_evaluation_on=fields.pop("next_evaluation_on", today() + dt.timedelta(days=90)),
        agreed_on=today() if agreed else None,
        agreement_method="signature" if agreed else "",
        **fields,
    )
    for i, goal in enumerate(goals):
        PlanItem.objects.create(
            plan=plan, position=i, issue="debt", goal=goal, provider_agency=world.housing, provider_worker="中村"
        )
    return plan


def evaluation_data(plan, outcome="replan", **changes):
    data = {
        "base_version": 0,
        "evaluated_on": days(0),
        "outcome": outcome,
        "reason": "家計の見直しがまだ必要。",
        **{f"{name}_before": 2 for name, _label in CONDITIONS},
        **{f"{name}_after": 3 for name, _label in CONDITIONS},
    }
    for item in plan.items.all():
        data[f"goal-{item.pk}-attainment"] = "partly"
        data[f"goal-{item.pk}-comment"] = "分納は始まった。"
    data.update(changes)
    return data


def in_support(case):
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_SUPPORT)
    case.refresh_from_db()


def recorded_sheet_event(model, sheet, action):
    return AuditEvent.objects.filter(
        action=action, object_type=f"sheets.{model._meta.model_name}", object_code=str(sheet.code)
    ).exists()


# 相談受付・申込票 -----------------------------------------------------------------------------


def test_intake_is_recorded_as_version_1_with_audit_and_timeline(client, world):
    response = login(client, world.consultant).post(url("intake", world.case), intake_data(world))
    assert response["Location"] == url("intake", world.case)
    sheet = IntakeSheet.objects.get(case=world.case)
    assert (sheet.version, sheet.recorded_by, sheet.receiving_worker) == (1, world.consultant, world.consultant)
    assert (sheet.primary_concern, sheet.work_status, sheet.applied, sheet.applied_on) == (
        "rent_loan",
        "job_seeking",
        True,
        today(),
    )
    assert sheet.concerns == ["income", "rent_loan", "job_search"]
    assert sheet.consent_purposes == ["assessment", "coordination"]
    assert list(sheet.consent_agencies.all()) == [world.community_care]
    assert recorded_sheet_event(IntakeSheet, sheet, Action.CREATE)
    assert TimelineEntry.objects.filter(case=world.case, kind="sheet", detail__contains="第1版").exists()
    page = html(client.get(url("intake", world.case)))
    assert_shows(
        page,
        shown=[
            "相談受付・申込票を保存しました（第1版）",
            "家賃を2か月滞納している。",
            "現在の内容（第1版）",
            "つなぐ市地域包括支援センター",
        ],
    )


def test_intake_edit_makes_version_2_and_leaves_version_1_as_it_was(client, world):
    login(client, world.consultant).post(url("intake", world.case), intake_data(world))
    response = client.post(
        url("intake", world.case),
        intake_data(world, base_version=1, concern_detail="大家さんと分納で合意した。", housing_status="acquaintance"),
    )
    assert response.status_code == 302
    first, second = IntakeSheet.objects.filter(case=world.case).order_by("version")
    assert (first.version, first.concern_detail, first.housing_status) == (1, "家賃を2か月滞納している。", "rented")
    assert (second.version, second.concern_detail) == (2, "大家さんと分納で合意した。")
    assert second.housing_status == "acquaintance"
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(second.code))
    assert event.object_type == "sheets.intakesheet"
    assert set(event.changes) == {"concern_detail", "housing_status"}
    page = html(client.get(url("intake", world.case) + "?edit=1"))
    assert "現在の内容（第2版）" in page
    assert 'name="base_version" value="2"' in page


@pytest.mark.parametrize("sheet", ["intake", "assessment", "plan"])
def test_a_saved_sheet_is_shown_read_only_with_an_edit_link_that_opens_its_form(client, world, sheet):
    login(client, world.consultant)
    blank = html(client.get(url(sheet, world.case)))
    assert 'name="base_version"' in blank  # nothing saved yet: the form is the page
    ADD[sheet](world, 1)
    page = html(client.get(url(sheet, world.case)))
    assert "第1版" in page
    assert 'name="base_version"' not in page
    assert 'method="post" action="' + url(sheet, world.case) + '"' not in page
    assert f'href="{url(sheet, world.case)}?edit=1#form-title">編集する</a>' in page
    editing = html(client.get(url(sheet, world.case) + "?edit=1"))
    assert 'name="base_version" value="1"' in editing
    assert 'id="form-title"' in editing


def test_intake_shows_the_person_from_the_person_record_not_typed_again(client, world):
    page = html(login(client, world.consultant).get(url("intake", world.case)))
    assert "相談者の情報は相談者の記録から表示しています" in page
    assert "山田 太郎" in page
    assert "ヤマダ タロウ" in page
    assert format_wareki(dt.date(1975, 4, 1)) in page
    assert "つなぐ市東小一丁目2-3" in page
    assert "来所" in page  # the case's intake route
    assert reverse("people:edit", kwargs={"code": world.taro.code}) in page
    assert 'name="family_name"' not in page
    Person.objects.filter(pk=world.taro.pk).update(given_name="大郎")
    assert "山田 大郎" in html(client.get(url("intake", world.case)))


def test_intake_starts_from_what_the_case_knows(client, world):
    page = html(login(client, world.consultant).get(url("intake", world.case)))
    assert 'name="base_version" value="0"' in page
    assert re.search(r'<input type="checkbox" name="concerns" value="job_search"[^>]*checked', page)
    assert re.search(r'<option value="income" selected>', page)
    assert "家賃滞納と失業。" in page


def test_saving_the_intake_sets_the_cases_concerns(client, world):
    data = intake_data(world, concerns=["debt", "housing", "no_food"], primary_concern="no_food")
    login(client, world.consultant).post(url("intake", world.case), data)
    assert set(CaseConcern.objects.filter(case=world.case).values_list("concern", "is_primary")) == {
        ("debt", False),
        ("housing", False),
        ("no_food", True),
    }
    assert "食べるものがない" in html(client.get(world.case.get_absolute_url()))


def test_an_application_needs_its_date_and_consent_and_says_so_by_the_field(client, world):
    data = intake_data(world, applied_on="", consent_method="", consent_purposes=None, concern_detail="残る入力")
    response = login(client, world.consultant).post(url("intake", world.case), data)
    assert response.status_code == 422
    page = html(response)
    assert "入力内容を確認してください" in page
    assert 'id="id_applied_on_error"><span>申込日を入れてください。</span>' in page
    assert 'id="id_consent_method_error"><span>同意の方法を選んでください。</span>' in page
    assert 'id="id_consent_purposes_error"><span>同意の目的を一つ以上選んでください。</span>' in page
    assert "残る入力" in page
    assert not IntakeSheet.objects.filter(case=world.case).exists()


def test_a_stale_intake_is_refused_keeps_the_input_and_can_then_be_saved(client, world):
    login(client, world.consultant2).post(url("intake", world.case), intake_data(world, concern_detail="先に保存"))
    response = login(client, world.consultant).post(
        url("intake", world.case), intake_data(world, concern_detail="古い画面から保存")
    )
    page = html(response)
    assert STALE in page
    assert "古い画面から保存" in page  # the typed text is kept
    assert "先に保存" in page  # beside the stored version
    assert list(IntakeSheet.objects.filter(case=world.case).values_list("version", "concern_detail")) == [
        (1, "先に保存")
    ]
    # The refused form now carries the stored version: saving again after reading it works.
    assert hidden_base_version(page) == "1"
    client.post(url("intake", world.case), intake_data(world, base_version=1, concern_detail="古い画面から保存"))
    assert IntakeSheet.objects.get(case=world.case, version=2).concern_detail == "古い画面から保存"


def test_intake_marks_the_national_survey_items(client, world):
    page = html(login(client, world.consultant).get(url("intake", world.case)))
    assert "国の支援状況調査で報告する項目です" in page
    form = page.split('action="' + url("intake", world.case), 1)[1]
    assert form.count('<span class="mark mark-national">国</span>') == len(IntakeSheet.NATIONAL_FIELDS)
    # The mark heads the field it belongs to.
    assert re.search(r'mark-national">国</span></p>\s*<div class="field[^"]*">\s*<label[^>]*for="id_received_on"', form)
    assert "要配慮個人情報を含みます" not in page  # IntakeSheet.SENSITIVE_FIELDS is empty
    # Nothing written yet: no printed form to offer (it would answer 404).
    assert reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": "intake"}) not in page
    assert reverse("sheets:xlsx", kwargs={"code": world.case.code, "kind": "intake"}) not in page
    client.post(url("intake", world.case), intake_data(world))
    page = html(client.get(url("intake", world.case)))
    assert reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": "intake"}) in page
    assert reverse("sheets:xlsx", kwargs={"code": world.case.code, "kind": "intake"}) in page


# インテーク・アセスメントシート ------------------------------------------------------------------


def test_assessment_is_recorded_edited_and_viewed(client, world):
    login(client, world.consultant).post(url("assessment", world.case), assessment_data())
    sheet = AssessmentSheet.objects.get(case=world.case)
    assert (sheet.version, sheet.monthly_income, sheet.health) == (1, 80000, "腰痛で通院中。")
    assert sheet.issues == ["economic_hardship", "debt", "unstable_housing"]
    assert recorded_sheet_event(AssessmentSheet, sheet, Action.CREATE)
    assert TimelineEntry.objects.filter(case=world.case, kind="sheet").count() == 1

    client.post(url("assessment", world.case), assessment_data(base_version=1, desired_life="畑をやりたい。"))
    first, second = AssessmentSheet.objects.filter(case=world.case).order_by("version")
    assert (first.desired_life, second.desired_life, second.version) == ("また山の仕事がしたい。", "畑をやりたい。", 2)
    assert recorded_sheet_event(AssessmentSheet, second, Action.CHANGE)

    page = html(client.get(url("assessment", world.case)))
    assert "現在の内容（第2版）" in page
    assert "畑をやりたい。" in page
    assert "住まい不安定" in page


def test_a_stale_assessment_is_refused_and_keeps_the_input(client, world):
    login(client, world.consultant2).post(url("assessment", world.case), assessment_data())
    data = assessment_data(judgement="私の見立て")
    refused_as_stale(login(client, world.consultant).post(url("assessment", world.case), data), "私の見立て")
    assert AssessmentSheet.objects.filter(case=world.case).count() == 1


def test_assessment_marks_sensitive_information_and_national_items(client, world):
    page = html(login(client, world.consultant).get(url("assessment", world.case)))
    assert "要配慮個人情報を含みます" in page
    # The note heads the fieldset of health, and of criminal record and victimisation.
    health = page.split("健康・障害・メンタルヘルス・依存症</legend>", 1)[1]
    assert health.index("要配慮個人情報を含みます") < health.index('id="id_health"')
    crime = page.split("刑事手続・被害</legend>", 1)[1]
    assert crime.index("要配慮個人情報を含みます") < crime.index('id="id_criminal_record"')
    # Sensitive issues are marked in the checklist, the others are not.
    assert re.search(r"自死企図 <span class=\"mark mark-sensitive\">要配慮</span>", page)
    assert re.search(r"刑余者 <span class=\"mark mark-sensitive\">要配慮</span>", page)
    assert not re.search(r"経済的困窮 <span class=\"mark mark-sensitive\">", page)
    assert 'class="form-group national' in page
    assert "国の支援状況調査で報告する項目です" in page


def test_new_plan_items_start_from_the_assessed_issues(client, world):
    login(client, world.consultant).post(url("assessment", world.case), assessment_data(issues=["debt", "homeless"]))
    page = html(client.get(url("plan", world.case)))
    assert 'name="items-TOTAL_FORMS" value="3"' in page  # two issues and one empty row
    assert 'name="items-INITIAL_FORMS" value="2"' in page
    first = page.split('name="items-0-issue"', 1)[1].split("</select>", 1)[0]
    second = page.split('name="items-1-issue"', 1)[1].split("</select>", 1)[0]
    assert '<option value="debt" selected>' in first
    assert '<option value="homeless" selected>' in second
    assert "selected>" not in page.split('name="items-2-issue"', 1)[1].split("</select>", 1)[0].replace(
        '<option value="" selected>', ""
    )


# プラン -------------------------------------------------------------------------------------


def test_plan_is_recorded_with_its_items(client, world):
    rows = [ITEM, {"issue": "unstable_housing", "goal": "住まいを確保する", "provider_agency": world.housing.pk}]
    response = login(client, world.consultant).post(url("plan", world.case), plan_data(rows))
    assert response["Location"] == url("plan", world.case)
    plan = PlanSheet.objects.get(case=world.case)
    assert (plan.version, plan.agreed, plan.programmes) == (1, False, ["housing_benefit"])
    assert list(plan.items.values_list("position", "issue", "goal", "provider_agency")) == [
        (0, "debt", "家賃の分納を大家さんと合意する", None),
        (1, "unstable_housing", "住まいを確保する", world.housing.pk),
    ]
    assert recorded_sheet_event(PlanSheet, plan, Action.CREATE)
    assert TimelineEntry.objects.filter(case=world.case, kind="sheet").exists()
    page = html(client.get(url("plan", world.case)))
    assert "住まいを失わずに、また働けるようになる。" in page
    assert "居住支援法人あんしん" in page
    assert "未同意" in page
    assert "本人の同意を記録する" in page
    assert reverse("sheets:plan_agree", kwargs={"code": world.case.code}) in page
    assert reverse("sheets:xlsx", kwargs={"code": world.case.code, "kind": "plan"}) in page


def test_a_deleted_row_is_not_saved(client, world):
    rows = [ITEM, {"goal": "消す行", "DELETE": "on"}]
    login(client, world.consultant).post(url("plan", world.case), plan_data(rows))
    assert list(PlanItem.objects.filter(plan__case=world.case).values_list("goal", flat=True)) == [ITEM["goal"]]


def test_a_plan_ending_before_it_starts_is_refused_and_nothing_is_saved(client, world):
    data = plan_data([ITEM], period_start=days(30), period_end=days(10), next_evaluation_on=days(20))
    response = login(client, world.consultant).post(url("plan", world.case), data)
    assert response.status_code == 422
    page = html(response)
    assert 'id="id_period_end_error"><span>プランの終了日が開始日より前になっています。</span>' in page
    assert "入力内容を確認してください" in page
    assert ITEM["goal"] in page
    assert not PlanSheet.objects.filter(case=world.case).exists()
    assert not PlanItem.objects.exists()


def test_a_row_without_a_goal_is_refused_by_the_row(client, world):
    data = plan_data([{**ITEM, "goal": ""}])
    page = html(login(client, world.consultant).post(url("plan", world.case), data))
    assert "課題ごとの項目を確認してください" in page
    assert 'href="#id_items-0-goal"' in page
    assert not PlanSheet.objects.exists()


def test_an_agreement_dated_before_the_plan_is_refused_by_the_field(client, world):
    login(client, world.consultant).post(url("plan", world.case), plan_data([ITEM]))
    response = client.post(
        reverse("sheets:plan_agree", kwargs={"code": world.case.code}),
        {"agreed_on": days(-30), "agreement_method": "spoken", "base_version": 1},
    )
    assert response.status_code == 422
    page = html(response)
    assert 'id="id_agreed_on_error"' in page
    assert "同意日がこの版のプランを作った日より前になっています。" in page
    assert PlanSheet.objects.get(case=world.case).agreed_on is None
    assert not Task.objects.filter(case=world.case, kind="evaluation_due").exists()


def test_agreement_is_recorded_and_the_review_lands_on_the_workers_day(client, world):
    login(client, world.consultant).post(url("plan", world.case), plan_data([ITEM], next_evaluation_on=days(5)))
    response = client.post(
        reverse("sheets:plan_agree", kwargs={"code": world.case.code}),
        {"agreed_on": days(0), "agreement_method": "spoken", "base_version": 1},
    )
    assert response["Location"] == url("plan", world.case)
    plan = PlanSheet.objects.get(case=world.case)
    assert (plan.agreed_on, plan.agreement_method) == (today(), "spoken")
    task = Task.objects.get(case=world.case, kind="evaluation_due")
    assert (task.due_on, task.assignee, task.done_at) == (today() + dt.timedelta(days=5), world.consultant, None)
    assert AuditEvent.objects.filter(
        action=Action.CHANGE, object_type="sheets.plansheet", changes__agreement_method="spoken"
    ).exists()
    assert TimelineEntry.objects.filter(case=world.case, kind="sheet", detail__contains="同意").exists()
    page = html(client.get(url("plan", world.case)))
    assert f"本人同意済み（{format_wareki(today())}、口頭（記録））" in page
    assert "本人の同意を記録する" not in page
    assert task.title in html(client.get(reverse("my_day")))


def test_editing_an_agreed_plan_makes_a_new_version_that_needs_agreement_again(client, world):
    make_plan(world, agreed=True)
    response = login(client, world.consultant).post(
        url("plan", world.case), plan_data([ITEM], initial_forms=1, base_version=1, long_term_goal="新しい目標")
    )
    assert response.status_code == 302
    first, second = PlanSheet.objects.filter(case=world.case).order_by("version")
    assert (first.agreed, first.long_term_goal) == (True, "住まいを失わずに暮らす。")
    assert (second.version, second.agreed, second.long_term_goal) == (2, False, "新しい目標")
    assert list(second.items.values_list("goal", flat=True)) == [ITEM["goal"]]
    page = html(client.get(url("plan", world.case)))
    assert "同意が必要です。" in page
    assert "本人の同意（第2版）" in page


def test_a_past_date_shows_the_plan_as_it_stood_then(client, world):
    first = make_plan(world, agreed=True, long_term_goal="最初の目標")
    PlanSheet.objects.filter(pk=first.pk).update(recorded_at=timezone.now() - dt.timedelta(days=10))
    login(client, world.consultant).post(
        url("plan", world.case), plan_data([ITEM], initial_forms=1, base_version=1, long_term_goal="二番目の目標")
    )
    before = days(-5)
    page = html(client.get(url("plan", world.case), {"on": before}))
    assert "最初の目標" in page
    assert "二番目の目標" not in page
    assert f"{format_wareki(today() - dt.timedelta(days=5))}時点の内容（第1版）" in page
    assert 'method="post" action="' + url("plan", world.case) not in page  # read-only: no form
    page = html(client.get(url("as_of", world.case), {"on": before}))
    assert "最初の目標" in page
    assert "二番目の目標" not in page
    now = html(client.get(url("plan", world.case)))
    assert "現在のプラン（第2版）" in now
    assert f"?on={today().isoformat()}" in now  # the version list links each version's date
    assert f"?on={(today() - dt.timedelta(days=10)).isoformat()}" in now


def test_a_stale_plan_is_refused_and_keeps_the_input(client, world):
    login(client, world.consultant2).post(url("plan", world.case), plan_data([ITEM]))
    data = plan_data([{**ITEM, "goal": "私の行"}])
    refused_as_stale(login(client, world.consultant).post(url("plan", world.case), data), "私の行")
    assert PlanSheet.objects.filter(case=world.case).count() == 1
    assert list(PlanItem.objects.values_list("goal", flat=True)) == [ITEM["goal"]]


# 評価シート ---------------------------------------------------------------------------------


def test_evaluation_needs_an_agreed_plan(client, world):
    in_support(world.case)
    make_plan(world, agreed=False)
    login(client, world.consultant)
    assert "本人の同意を得たプランが必要です" in html(client.get(url("evaluation", world.case)))
    plan = PlanSheet.objects.get(case=world.case)
    response = client.post(url("evaluation", world.case), evaluation_data(plan))
    assert "同意を得たプランがないため" in html(response)
    assert not EvaluationSheet.objects.exists()
    world.case.refresh_from_db()
    assert world.case.state == CaseState.IN_SUPPORT


def test_replan_moves_the_case_through_evaluation_back_to_a_plan_draft(client, world):
    in_support(world.case)
    plan = make_plan(world, goals=("分納の合意", "求職活動"))
    response = login(client, world.consultant).post(url("evaluation", world.case), evaluation_data(plan, "replan"))
    assert response["Location"] == url("evaluation", world.case)
    sheet = EvaluationSheet.objects.get(case=world.case)
    assert (sheet.version, sheet.plan, sheet.outcome, sheet.motivation_after, sheet.improved) == (
        1,
        plan,
        "replan",
        3,
        True,
    )
    assert GoalAttainment.objects.filter(evaluation=sheet, attainment="partly").count() == 2
    world.case.refresh_from_db()
    assert world.case.state == CaseState.PLAN_DRAFT
    moves = TimelineEntry.objects.filter(case=world.case, kind="state").values_list("from_state", "to_state")
    assert set(moves) == {("in_support", "evaluation"), ("evaluation", "plan_draft")}
    assert recorded_sheet_event(EvaluationSheet, sheet, Action.CREATE)
    assert TimelineEntry.objects.filter(case=world.case, kind="sheet").exists()
    page = html(client.get(url("evaluation", world.case)))
    assert_shows(page, shown=["最新の評価（第1版）", "分納の合意", "一部達成", "分納は始まった。"])


def test_closure_by_a_consultant_asks_the_chief(client, world):
    in_support(world.case)
    plan = make_plan(world)
    login(client, world.consultant).post(url("evaluation", world.case), evaluation_data(plan, "closure"))
    world.case.refresh_from_db()
    assert world.case.state == CaseState.EVALUATION
    task = Task.objects.get(case=world.case, assignee=world.chief)
    assert "終結の承認" in task.title
    assert EvaluationSheet.objects.get(case=world.case).outcome == "closure"


def test_closure_by_the_chief_closes_the_case(client, world):
    in_support(world.case)
    plan = make_plan(world)
    login(client, world.chief).post(url("evaluation", world.case), evaluation_data(plan, "closure"))
    world.case.refresh_from_db()
    assert (world.case.state, world.case.closure_reason) == (CaseState.CLOSED, "goals_met")
    assert TimelineEntry.objects.filter(case=world.case, from_state="evaluation", to_state="closed").exists()


def test_a_second_evaluation_is_version_2(client, world):
    in_support(world.case)
    plan = make_plan(world)
    login(client, world.consultant).post(url("evaluation", world.case), evaluation_data(plan, "closure"))
    client.post(url("evaluation", world.case), evaluation_data(plan, "closure", base_version=1, reason="再評価"))
    first, second = EvaluationSheet.objects.filter(case=world.case).order_by("version")
    assert (first.version, first.reason, second.version, second.reason) == (1, "家計の見直しがまだ必要。", 2, "再評価")
    assert recorded_sheet_event(EvaluationSheet, second, Action.CHANGE)


def test_a_stale_evaluation_is_refused_and_keeps_the_input(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.EVALUATION)
    plan = make_plan(world)
    login(client, world.consultant2).post(url("evaluation", world.case), evaluation_data(plan, "closure"))
    response = login(client, world.consultant).post(
        url("evaluation", world.case), evaluation_data(plan, "closure", reason="古い画面の理由")
    )
    refused_as_stale(response, "古い画面の理由")
    assert EvaluationSheet.objects.filter(case=world.case).count() == 1


def test_evaluation_of_a_case_not_in_support_is_refused(client, world):
    plan = make_plan(world)  # world.case is in intake
    response = login(client, world.consultant).post(url("evaluation", world.case), evaluation_data(plan))
    assert "「支援提供・モニタリング」か「評価」の段階" in html(response)
    assert not EvaluationSheet.objects.exists()


def test_a_missing_attainment_is_refused_by_the_goal(client, world):
    in_support(world.case)
    plan = make_plan(world)
    item = plan.items.get()
    data = evaluation_data(plan, **{f"goal-{item.pk}-attainment": ""})
    page = html(login(client, world.consultant).post(url("evaluation", world.case), data))
    assert f'href="#id_goal-{item.pk}-attainment"' in page
    assert not EvaluationSheet.objects.exists()
    world.case.refresh_from_db()
    assert world.case.state == CaseState.IN_SUPPORT


# 支援決定 -----------------------------------------------------------------------------------

D = dt.date


def decision_data(**changes):
    return {
        "programme": "housing_benefit",
        "decided_on": "2026-03-25",
        "starts_on": "2026-04-01",
        "ends_on": "2026-06-30",
        "note": "",
        **changes,
    }


def extend(client, decision, requested_on, new_ends_on):
    return client.post(
        reverse("sheets:decision_extend", kwargs={"code": decision.code}),
        {"requested_on": requested_on, "decided_on": requested_on, "new_ends_on": new_ends_on},
        follow=True,
    )


def test_a_consultant_cannot_record_a_decision(client, world):
    login(client, world.consultant)
    page = html(client.get(url("decisions", world.case)))
    assert "自治体担当職員だけが記録します" in page
    assert 'name="programme"' not in page
    response = client.post(url("decisions", world.case), decision_data(), follow=True)
    assert "支援決定は自治体担当職員だけが記録できます。" in html(response)
    assert not SupportDecision.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, object_type="sheets.supportdecision").exists()


def test_the_officer_records_three_months_of_housing_benefit(client, world):
    login(client, world.officer)
    page = html(client.get(url("decisions", world.case)))
    assert "延長は3か月ずつ2回まで" in page
    response = client.post(url("decisions", world.case), decision_data())
    assert response["Location"] == url("decisions", world.case)
    decision = SupportDecision.objects.get(case=world.case)
    assert (decision.programme, decision.starts_on, decision.ends_on, decision.decided_by) == (
        "housing_benefit",
        D(2026, 4, 1),
        D(2026, 6, 30),
        world.officer,
    )
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(decision.code)).exists()
    assert TimelineEntry.objects.filter(case=world.case, kind="sheet", detail__contains="住居確保給付金").exists()
    page = html(client.get(url("decisions", world.case)))
    assert "住居確保給付金" in page
    assert format_wareki(D(2026, 6, 30), seireki=False) in page
    assert "伊藤 担当" in page


def test_four_months_of_housing_benefit_is_refused(client, world):
    response = login(client, world.officer).post(url("decisions", world.case), decision_data(ends_on="2026-07-31"))
    assert response.status_code == 422
    page = html(response)
    assert "この事業の支援期間は3か月までです。終了日は令和8年6月30日以前にしてください。" in page
    assert 'id="id_ends_on_error"' in page
    assert not SupportDecision.objects.exists()


def test_housing_benefit_is_extended_twice_and_not_a_third_time(client, world):
    login(client, world.officer).post(url("decisions", world.case), decision_data())
    decision = SupportDecision.objects.get()
    assert "延長を記録しました。" in html(extend(client, decision, "2026-06-20", "2026-09-30"))
    assert "延長を記録しました。" in html(extend(client, decision, "2026-09-15", "2026-12-31"))
    page = html(extend(client, decision, "2026-12-20", "2027-03-31"))
    assert "延長は2回まで" in page
    assert list(DecisionExtension.objects.values_list("new_ends_on", flat=True)) == [D(2026, 9, 30), D(2026, 12, 31)]
    assert decision.current_end() == D(2026, 12, 31)
    assert format_wareki(D(2026, 12, 31), seireki=False) in page


def test_an_extension_requested_after_the_period_ended_is_refused(client, world):
    login(client, world.officer).post(url("decisions", world.case), decision_data())
    decision = SupportDecision.objects.get()
    response = extend(client, decision, "2026-07-01", "2026-09-30")
    page = html(response)
    message = "延長は支給・支援期間が終わる前（令和8年6月30日まで）に申請されている必要があります。"
    # By the field it concerns, on the decision's own row, with what was typed kept.
    assert f'id="extend-{decision.code}-requested_on_error"><span>{message}</span>' in page
    assert 'value="2026-07-01"' in page
    assert not DecisionExtension.objects.exists()


def test_a_consultant_cannot_extend_a_decision(client, world):
    login(client, world.officer).post(url("decisions", world.case), decision_data())
    decision = SupportDecision.objects.get()
    page = html(extend(login(client, world.consultant), decision, "2026-06-20", "2026-09-30"))
    assert "支援決定の延長は自治体担当職員だけが記録できます。" in page
    assert not DecisionExtension.objects.exists()


def test_the_decisions_before_an_extension_show_the_old_end(client, world):
    login(client, world.officer).post(url("decisions", world.case), decision_data())
    SupportDecision.objects.update(recorded_at=timezone.now() - dt.timedelta(days=10))
    extend(client, SupportDecision.objects.get(), "2026-06-20", "2026-09-30")
    old_end, new_end = format_wareki(D(2026, 6, 30), seireki=False), format_wareki(D(2026, 9, 30), seireki=False)
    page = html(client.get(url("decisions", world.case), {"on": days(-5)}))
    assert "時点の支援決定" in page
    assert f"<strong>{old_end}</strong>" in page
    assert new_end not in page
    assert "延長を記録" not in page  # the past is read-only
    page = html(client.get(url("decisions", world.case)))
    assert f"<strong>{new_end}</strong>" in page
    assert "延長を記録" in page
    page = html(client.get(url("as_of", world.case), {"on": days(-5)}))
    assert f"〜{old_end}" in page


def test_each_rows_extension_form_has_its_own_ids(client, world):
    login(client, world.officer).post(url("decisions", world.case), decision_data())
    client.post(url("decisions", world.case), decision_data(programme="household_budget", ends_on="2027-03-31"))
    page = html(client.get(url("decisions", world.case)))
    ids = re.findall(r'id="([^"]+)"', page)
    assert len(ids) == len(set(ids))
    assert page.count('name="new_ends_on"') == 2


# A case as it stood ----------------------------------------------------------------------------


def test_as_of_shows_each_sheet_as_it_stood(client, world):
    login(client, world.consultant).post(url("intake", world.case), intake_data(world))
    client.post(url("assessment", world.case), assessment_data())
    IntakeSheet.objects.update(recorded_at=timezone.now() - dt.timedelta(days=10))
    page = html(client.get(url("as_of", world.case), {"on": days(-5)}))
    assert "家賃・ローン支払い" in page  # the intake's primary concern
    assert (
        page.split("インテーク・アセスメントシート</h2>", 1)[1]
        .split("</section>", 1)[0]
        .count("この時点では記録されていませんでした。")
        == 1
    )
    page = html(client.get(url("as_of", world.case)))
    assert "住まい不安定" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, object_type="sheets.as_of").exists()


# Who sees the sheets -----------------------------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["partner", "partner_outsider", "outsider"])
def test_a_sheet_page_answers_like_a_missing_one_to_anyone_without_full_access(client, world, page, who):
    login(client, getattr(world, who))
    missing = reverse(f"sheets:{page}", kwargs={"code": uuid.uuid4()})
    forbidden = answers_like_missing(client, url(page, world.case), missing)
    assert "山田" not in html(forbidden)
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.case.code)).exists()


@pytest.mark.parametrize(
    ("page", "data"),
    [("intake", {}), ("assessment", {}), ("plan", {}), ("plan_agree", {}), ("evaluation", {}), ("decisions", {})],
)
def test_the_partner_on_the_team_cannot_write_a_sheet(client, world, page, data):
    make_plan(world, agreed=False)
    response = login(client, world.partner).post(url(page, world.case), data)
    assert response.status_code == 404
    assert IntakeSheet.objects.count() == AssessmentSheet.objects.count() == EvaluationSheet.objects.count() == 0
    assert PlanSheet.objects.get().agreed_on is None
    assert not SupportDecision.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.case.code)).exists()


def test_the_officer_reads_the_sheets_but_does_not_write_them(client, world):
    login(client, world.consultant).post(url("intake", world.case), intake_data(world))
    page = html(login(client, world.officer).get(url("intake", world.case)))
    assert "家賃を2か月滞納している。" in page
    assert 'method="post" action="' + url("intake", world.case) not in page
    response = client.post(url("intake", world.case), intake_data(world, base_version=1))
    assert response.status_code == 404
    assert IntakeSheet.objects.count() == 1


@pytest.mark.parametrize("page", PAGES)
def test_a_confidential_persons_address_stays_within_the_team_on_every_sheet_page(client, world, page):
    outside = html(login(client, world.consultant2).get(url(page, world.hanako_case)))
    assert "所在秘匿（支援措置）の対象者です" in outside
    assert "ひみつ荘" not in outside
    assert "090-9999-0000" not in outside
    inside = html(login(client, world.consultant).get(url(page, world.hanako_case)))
    assert "所在秘匿（支援措置）の対象者です" in inside
    assert "ひみつ荘" in inside


def test_the_case_page_links_the_sheets_for_full_access_only(client, world):
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    for name in PAGES:
        assert url(name, world.case) in page
    assert "過去の日付で見る" in page
    assert 'name="on"' in page
    page = html(login(client, world.partner).get(world.case.get_absolute_url()))
    assert "山田 太郎" in page
    assert url("intake", world.case) not in page
    assert "過去の日付で見る" not in page


@pytest.mark.parametrize("page", SHEETS)
def test_a_sheet_page_views_are_audited(client, world, page):
    login(client, world.consultant).get(url(page, world.case))
    event = AuditEvent.objects.get(action=Action.VIEW, case_code=world.case.code)
    assert event.object_type.startswith("sheets.")
    assert event.person_code == world.taro.code


# Query counts: a page costs the same for 1 version (or row) as for 3 --------------------------------


def add_intake(world, _version):
    """The next version of taro's application (versions are written in order)."""
    sheet = write_intake(
        world.case, world.consultant, received_on=today(), concerns=["income", "debt"], consent_purposes=["assessment"]
    )
    sheet.consent_agencies.set([world.community_care, world.housing])


def add_assessment(world, version):
    AssessmentSheet.objects.create(
        case=world.case, version=version, recorded_by=world.consultant, assessed_on=today(), issues=["debt"]
    )


def add_plan(world, version):
    make_plan(world, version=version, agreed=version % 2 == 1, goals=[f"目標{version}-{i}" for i in range(version)])


def add_evaluation(world, version):
    plan = PlanSheet.objects.filter(case=world.case).first() or make_plan(world, goals=["a", "b", "c"])
    sheet = EvaluationSheet.objects.create(
        case=world.case,
        version=version,
        recorded_by=world.consultant,
        plan=plan,
        evaluated_on=today(),
        outcome="replan",
        reason="理由",
        **{f"{name}_{when}": 3 for name, _label in CONDITIONS for when in ("before", "after")},
    )
    for item in plan.items.all()[:version]:
        GoalAttainment.objects.create(evaluation=sheet, plan_item=item, attainment="achieved")


def add_decision(world, n):
    decision = SupportDecision.objects.create(
        case=world.case,
        programme="housing_benefit",
        decided_on=D(2026, 3, 25),
        starts_on=D(2026, 4, 1),
        ends_on=D(2026, 6, 30),
        decided_by=world.officer,
    )
    for i in range(n):
        DecisionExtension.objects.create(
            decision=decision,
            requested_on=D(2026, 6, 1),
            decided_on=D(2026, 6, 5),
            new_ends_on=D(2026, 9, 30) + dt.timedelta(days=i),
            decided_by=world.officer,
        )


# (queries on SQLite, audit events written). Each count includes the session, the user
# and their agency, the case and the person through their access functions, and the audit write.
PINNED = {
    # + whether the consent agencies may be shown (people.access.sees_whereabouts; whether an
    # order is in force comes with the case, from case_for)
    "intake": (20, 1),
    "assessment": (16, 1),
    "plan": (18, 1),
    "evaluation": (20, 1),
    "decisions": (14, 1),
    "as_of": (19, 1),
}
ADD = {
    "intake": add_intake,
    "assessment": add_assessment,
    "plan": add_plan,
    "evaluation": add_evaluation,
    "decisions": add_decision,
}


@pytest.mark.parametrize("page", [*SHEETS, "decisions"])
def test_sheet_pages_do_not_grow_with_versions_and_rows(client, world, page):
    login(client, world.consultant if page != "decisions" else world.officer)
    ADD[page](world, 1)
    one = count_queries(client, url(page, world.case))
    ADD[page](world, 2)
    ADD[page](world, 3)
    three = count_queries(client, url(page, world.case))
    assert one == three == pinned(*PINNED[page])
    if page in EDITING:  # the form, opened with 「編集する」
        assert count_queries(client, url(page, world.case) + "?edit=1") == pinned(*EDITING[page])


# The same with the form open (?edit): its choices add queries.
EDITING = {"intake": (22, 1), "assessment": (16, 1), "plan": (19, 1), "evaluation": (20, 1)}


def test_the_as_of_page_does_not_grow_with_rows(client, world):
    login(client, world.consultant)
    add_intake(world, 1)
    add_plan(world, 1)
    add_decision(world, 1)
    one = count_queries(client, url("as_of", world.case))
    add_plan(world, 3)
    add_decision(world, 3)
    add_decision(world, 2)
    three = count_queries(client, url("as_of", world.case))
    assert one == three == pinned(*PINNED["as_of"])


# Risk fields, printed forms, refused saves, the next step (issue 10 §3, §6, §7, §1) -------------


def test_the_risk_fields_start_unanswered_and_must_be_answered(client, world):
    page = html(login(client, world.consultant).get(url("assessment", world.case)))
    for name in ("suicide_risk", "disability_certificate"):
        select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)[1]
        assert re.search(r'<option value="" selected>選んでください</option>', select), name
        assert 'value="none" selected' not in select
    response = client.post(url("assessment", world.case), assessment_data(suicide_risk="", disability_certificate=""))
    assert response.status_code == 422
    page = html(response)
    assert "「自殺のリスク」を選んでください。" in page
    assert "「障害の状況」を選んでください。" in page
    assert "このフィールドは必須です" not in page
    assert not AssessmentSheet.objects.exists()
    assert not AuditEvent.objects.filter(action__in=[Action.CREATE, Action.CHANGE]).exists()


@pytest.mark.parametrize(
    ("page", "data"),
    [
        ("intake", lambda w: intake_data(w, received_on="", work_status="")),
        ("assessment", lambda w: assessment_data(assessed_on="", suicide_risk="")),
        ("plan", lambda w: plan_data([ITEM], long_term_goal="")),
        ("evaluation", lambda w: {"base_version": 0, "outcome": ""}),
    ],
)
def test_a_refused_save_answers_422_with_a_focused_summary_at_the_top_of_the_form(client, world, page, data):
    if page == "evaluation":
        make_plan(world)
        in_support(world.case)
    changes = AuditEvent.objects.filter(action__in=[Action.CREATE, Action.CHANGE]).count()
    sheet = {"intake": IntakeSheet, "assessment": AssessmentSheet, "plan": PlanSheet, "evaluation": EvaluationSheet}[
        page
    ]
    sheets = sheet.objects.filter(case=world.case).count()
    response = login(client, world.consultant).post(url(page, world.case), data(world))
    assert response.status_code == 422
    assert sheet.objects.filter(case=world.case).count() == sheets
    assert AuditEvent.objects.filter(action__in=[Action.CREATE, Action.CHANGE]).count() == changes
    body = html(response)
    form = body.split(f'action="{url(page, world.case)}"', 1)[1]
    summary = re.search(r'<div class="error-summary"[^>]*>', form)
    assert summary, "the summary is inside the form"
    assert 'tabindex="-1"' in summary[0]
    assert "autofocus" in summary[0]
    # The summary comes before the first field of the form.
    assert form.index("error-summary") < form.index('class="field')
    # Each message links to an element of the page.
    for target in re.findall(r'<li><a href="#([^"]+)">', form.split("</ul>", 1)[0]):
        assert f'id="{target}"' in body, target
    assert "このフィールドは必須です" not in body


def test_the_summary_links_a_choice_list_to_its_first_choice(client, world):
    response = login(client, world.consultant).post(url("intake", world.case), intake_data(world, concerns=None))
    body = html(response)
    assert '<a href="#id_concerns_0">' in body
    assert 'id="id_concerns_0"' in body


def test_printed_forms_are_offered_only_for_sheets_that_are_written(client, world):
    login(client, world.consultant)
    for kind in ("intake", "assessment", "plan", "evaluation", "decisions"):
        page = html(client.get(url(kind, world.case)))
        pdf = reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": kind})
        assert pdf not in page, kind
        if kind != "decisions":  # an empty list of decisions prints; a sheet not written does not
            assert client.get(pdf).status_code == 404  # what the link would have answered
    make_plan(world)
    page = html(client.get(url("plan", world.case)))
    assert reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": "plan"}) in page
    assert reverse("sheets:xlsx", kwargs={"code": world.case.code, "kind": "plan"}) in page
    assert reverse("sheets:pdf", kwargs={"code": world.case.code, "kind": "assessment"}) not in html(
        client.get(url("assessment", world.case))
    )


def test_saving_the_intake_offers_the_next_step(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SCREENING)
    login(client, world.consultant)
    page = html(client.get(url("intake", world.case)))
    assert "「申込・同意を受ける」に進むには、次の記録が必要です。" in page
    response = client.post(url("intake", world.case), intake_data(world), follow=True)
    page = html(response)
    move_url = reverse("cases:move", kwargs={"code": world.case.code})
    offered = re.search(rf'<form method="post" action="{move_url}".*?</form>', page, re.S)[0]
    assert 'name="to" value="applied"' in offered
    assert "申込・同意を受ける" in offered
    response = client.post(move_url, {"to": "applied", "expected_state": "screening"})
    assert response.status_code == 302
    world.case.refresh_from_db()
    assert world.case.state == CaseState.APPLIED


def test_the_next_step_is_not_offered_to_a_reader(client, world):
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SCREENING)
    page = html(login(client, world.officer).get(url("intake", world.case)))
    assert "次の段階へ" not in page
