"""Printed (PDF) and exported (Excel) standard forms, through HTTP with the personas of
tsunagu/conftest.py. The PDFs are read back with poppler (pdftotext, pdffonts): a
missing Japanese font prints boxes while the text still extracts, so the fonts are
checked as well."""

import datetime as dt
import io
import re
import shutil
import subprocess
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import ProgressNote, ProgressNoteRevision
from tsunagu.lib.wareki import format_wareki
from tsunagu.sheets.models import (
    AssessmentSheet,
    DecisionExtension,
    EvaluationSheet,
    GoalAttainment,
    IntakeSheet,
    Issue,
    PlanItem,
    PlanSheet,
    SupportDecision,
)
from tsunagu.tests.client import login, pdf_text, poppler

PDF_KINDS = ["intake", "assessment", "plan", "evaluation", "decisions", "notes"]
TITLES = {
    "intake": "相談受付・申込票",
    "assessment": "インテーク・アセスメントシート",
    "plan": "プラン兼事業等利用申込書",
    "evaluation": "評価シート",
    "decisions": "支援決定（一覧）",
    "notes": "支援経過記録シート",
}
# The forms that carry the person's address and phone.
CONTACT_KINDS = ["intake", "assessment", "plan"]
WAREKI_DATE = re.compile(r"令和(元|\d+)年\d+月\d+日")
CENTRE = "つなぐ市自立相談支援センター"


@pytest.fixture(scope="module", autouse=True)
def _poppler_and_fonts():
    """Without these the PDF checks below would mean nothing: fail, do not skip."""
    missing = [tool for tool in ("pdftotext", "pdffonts", "pdfinfo", "fc-list") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"PDF tests need {', '.join(missing)}: apt-get install -y poppler-utils fontconfig")
    fonts = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, check=True).stdout
    if "IPAexMincho" not in fonts or "IPAexGothic" not in fonts:
        pytest.fail("The printed forms need Debian's IPAex fonts: apt-get install -y fonts-ipaexfont")


def pdf_url(case, kind):
    return reverse("sheets:pdf", kwargs={"code": case.code, "kind": kind})


def xlsx_url(case, kind):
    return reverse("sheets:xlsx", kwargs={"code": case.code, "kind": kind})


def workbook(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(io.BytesIO(response.content))


def exports(case, kind, extension):
    return AuditEvent.objects.filter(
        action=Action.EXPORT, case_code=case.code, object_type=f"sheets.{kind}.{extension}"
    )


def days_ago(days):
    return timezone.now() - dt.timedelta(days=days)


def add_intake(case, by, version=1, recorded_at=None, **extra):
    sheet = IntakeSheet(
        case=case,
        version=version,
        recorded_by=by,
        recorded_at=recorded_at or timezone.now(),
        received_on=extra.pop("received_on", timezone.localdate() - dt.timedelta(days=20)),
        receiving_worker=by,
        concerns=extra.pop("concerns", ["income", "job_search", "rent_loan"]),
        primary_concern=extra.pop("primary_concern", "income"),
        concern_detail=extra.pop("concern_detail", "家賃を3か月滞納している。"),
        work_status="job_seeking",
        housing_status="rented",
        insurance="national",
        pension="unpaid",
        applied=True,
        applied_on=timezone.localdate() - dt.timedelta(days=20),
        consent_method="signature",
        consent_purposes=["assessment", "coordination"],
        **extra,
    )
    sheet.save()
    return sheet


def add_assessment(case, by, version=1, **extra):
    sheet = AssessmentSheet(
        case=case,
        version=version,
        recorded_by=by,
        assessed_on=timezone.localdate() - dt.timedelta(days=15),
        life_history="高校卒業後、製造業で20年勤務。",
        monthly_income=62000,
        debt_total=1200000,
        desired_life="また働いて、家賃を自分で払いたい。",
        issues=extra.pop("issues", ["economic_hardship", "job_search_difficulty", "debt"]),
        judgement="就労意欲は高い。家計の立て直しが先。",
        **extra,
    )
    sheet.save()
    return sheet


def add_plan(case, by, version=1, recorded_at=None, goal="ハローワークに週1回通う", **extra):
    sheet = PlanSheet(
        case=case,
        version=version,
        recorded_by=by,
        recorded_at=recorded_at or timezone.now(),
        long_term_goal=extra.pop("long_term_goal", "安定した仕事について、家賃を払い続けられる暮らし"),
        short_term_goals="3か月以内に就職先を決める",
        programmes=["housing_benefit", "work_preparation"],
        period_start=timezone.localdate() - dt.timedelta(days=10),
        period_end=timezone.localdate() + dt.timedelta(days=170),
        next_evaluation_on=timezone.localdate() + dt.timedelta(days=80),
        **extra,
    )
    sheet.save()
    PlanItem.objects.create(
        plan=sheet,
        position=0,
        issue="job_search_difficulty",
        goal=goal,
        person_action="求人票を毎週見る",
        support="ハローワークへの同行",
        provider_agency=None,
        provider_worker="田中 就労",
        period="3か月",
        frequency="週1回",
    )
    return sheet


def add_note(case, author, content, days=1, **extra):
    return ProgressNote.objects.create(
        case=case,
        author=author,
        method=extra.pop("method", "phone"),
        participants=extra.pop("participants", "本人"),
        content=content,
        response=extra.pop("response", "家計表の作成を提案した。"),
        next_action=extra.pop("next_action", "来週、来所で家計表を確認"),
        occurred_at=timezone.now() - dt.timedelta(days=days),
        created_at=timezone.now() - dt.timedelta(days=days),
        **extra,
    )


@pytest.fixture
def sheets(world):
    """Every form of taro's case, and the intake, assessment and plan of hanako's."""
    intake = add_intake(world.case, world.consultant)
    intake.consent_agencies.set([world.community_care])
    add_assessment(world.case, world.consultant)
    plan = add_plan(world.case, world.consultant, agreed_on=timezone.localdate() - dt.timedelta(days=9))
    plan.agreement_method = "signature"
    plan.save(update_fields=["agreement_method"])
    evaluation = EvaluationSheet(
        case=world.case,
        version=1,
        recorded_by=world.consultant,
        plan=plan,
        evaluated_on=timezone.localdate(),
        motivation_before=2,
        motivation_after=4,
        relationships_before=2,
        relationships_after=3,
        participation_before=1,
        participation_after=3,
        finances_before=1,
        finances_after=2,
        employment_before=1,
        employment_after=1,
        outcome="replan",
        reason="就職は未定。家計改善支援を加えて再プランする。",
    )
    evaluation.save()
    GoalAttainment.objects.create(
        evaluation=evaluation, plan_item=plan.items.get(), attainment="partly", comment="週1回は通えている"
    )
    decision = SupportDecision.objects.create(
        case=world.case,
        programme="housing_benefit",
        decided_on=timezone.localdate() - dt.timedelta(days=8),
        starts_on=timezone.localdate() - dt.timedelta(days=7),
        ends_on=timezone.localdate() + dt.timedelta(days=83),
        decided_by=world.officer,
    )
    DecisionExtension.objects.create(
        decision=decision,
        requested_on=timezone.localdate(),
        decided_on=timezone.localdate(),
        new_ends_on=timezone.localdate() + dt.timedelta(days=175),
        decided_by=world.officer,
    )
    add_note(world.case, world.consultant, "ハローワークに同行した。", days=3, method="accompany")
    add_note(world.case, world.consultant, "家賃の支払いについて電話で相談。", days=1, shared_with_team=True)
    for make in (add_intake, add_assessment, add_plan):
        make(world.hanako_case, world.consultant)
    add_note(world.hanako_case, world.consultant, "避難先での生活を確認。")
    return world


# Every printed form ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_each_form_prints_in_japanese_with_the_person_date_centre_and_title(client, sheets, kind, tmp_path):
    response = login(client, sheets.consultant).get(pdf_url(sheets.case, kind))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response, squeeze=True)
    assert "山田太郎" in text
    assert "ヤマダタロウ" in text
    assert WAREKI_DATE.search(text)
    assert CENTRE in text
    assert TITLES[kind] in text
    assert "1/1" in text or "1/2" in text  # page numbers: "1 / n"
    fonts = poppler("pdffonts", response)
    assert "IPAexMincho" in fonts
    assert "IPAexGothic" in fonts
    assert "A4" in poppler("pdfinfo", response)
    event = exports(sheets.case, kind, "pdf").get()
    assert event.actor == sheets.consultant
    assert event.path == pdf_url(sheets.case, kind)
    assert event.person_code == sheets.taro.code


def test_person_details_come_from_the_person_record(client, sheets, tmp_path):
    text = pdf_text(login(client, sheets.consultant).get(pdf_url(sheets.case, "intake")), squeeze=True)

    assert "昭和50年4月1日" in text
    assert f"（{_age(dt.date(1975, 4, 1))}歳）" in text
    assert "男性" in text
    assert "〒012-0801" in text
    assert "つなぐ市東小一丁目2-3" in text
    assert "0183-72-1234" in text


def _age(birth):
    today = timezone.localdate()
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def test_intake_ticks_the_concerns_and_marks_the_biggest(client, sheets, tmp_path):
    text = pdf_text(login(client, sheets.consultant).get(pdf_url(sheets.case, "intake")), squeeze=True)

    assert "■収入・生活費◎" in text
    assert "■仕事探し・就職" in text
    assert "■家賃・ローン支払い" in text
    assert "■仕事探し・就職◎" not in text
    for unticked in ("病気・健康・障害", "住まい", "債務", "介護", "DV・虐待", "食べるものがない", "その他"):
        assert f"□{unticked}" in text
    assert text.count("◎") == 2  # the mark, and its legend
    assert "■求職中" in text  # work status among its choices
    assert "□自営業" in text
    assert "家賃を3か月滞納している。" in text
    assert "つなぐ市地域包括支援センター" in text  # consent to share with
    assert "本人署名欄" in text


def test_assessment_prints_the_28_issues_with_ticks(client, sheets, tmp_path):
    text = pdf_text(login(client, sheets.consultant).get(pdf_url(sheets.case, "assessment")), squeeze=True)

    ticked = {"economic_hardship", "job_search_difficulty", "debt"}
    assert len(Issue.choices) == 28
    for value, label in Issue.choices:
        box = "■" if value in ticked else "□"
        assert f"{box}{label}" in text, label
    assert "62,000円" in text
    assert "また働いて、家賃を自分で払いたい。" in text


def test_plan_prints_items_programmes_and_the_agreement(client, sheets, tmp_path):
    text = pdf_text(login(client, sheets.consultant).get(pdf_url(sheets.case, "plan")), layout=False, squeeze=True)

    assert "ハローワークに週1回通う" in text
    assert "ハローワークへの同行" in text
    assert "■住居確保給付金" in text
    assert "■就労準備支援事業" in text
    assert "□家計改善支援事業" in text
    assert "本人署名欄" in text
    assert "同意日" in text
    assert format_wareki(timezone.localdate() - dt.timedelta(days=9), seireki=False) in text  # agreed_on
    assert "■署名（紙）" in text


def test_unagreed_plan_leaves_the_agreement_date_to_be_written(client, world, tmp_path):
    add_plan(world.case, world.consultant)

    text = pdf_text(login(client, world.consultant).get(pdf_url(world.case, "plan")), squeeze=True)

    assert "同意日令和年月日" in text
    assert "■署名（紙）" not in text


def test_evaluation_decisions_and_notes_contents(client, sheets, tmp_path):
    login(client, sheets.consultant)

    evaluation = pdf_text(client.get(pdf_url(sheets.case, "evaluation")), layout=False, squeeze=True)
    assert "■一部達成" in evaluation
    assert "週1回は通えている" in evaluation
    assert "■再プラン" in evaluation
    assert "□終結" in evaluation

    decisions = pdf_text(client.get(pdf_url(sheets.case, "decisions")), layout=False, squeeze=True)
    assert "住居確保給付金" in decisions
    extended_to = format_wareki(timezone.localdate() + dt.timedelta(days=175), seireki=False)
    assert f"{extended_to}まで" in decisions
    assert "伊藤担当" in decisions

    notes = pdf_text(client.get(pdf_url(sheets.case, "notes")), layout=False, squeeze=True)
    assert notes.index("ハローワークに同行した。") < notes.index("家賃の支払いについて電話で相談。")
    assert "同行" in notes
    assert "家計表の作成を提案した。" in notes
    assert "高橋相談員" in notes


def test_a_long_record_runs_over_several_pages_with_page_numbers(client, world, tmp_path):
    add_note(world.case, world.consultant, "長い記録。" * 4000)

    response = login(client, world.consultant).get(pdf_url(world.case, "notes"))

    info = poppler("pdfinfo", response)
    pages = int(re.search(r"Pages:\s+(\d+)", info)[1])
    assert pages > 3
    text = pdf_text(response, squeeze=True)
    assert f"1/{pages}" in text
    assert f"{pages}/{pages}" in text
    assert text.count(CENTRE) == pages  # the centre heads every page


# The version in force -------------------------------------------------------------------------


def then_and_now(client, case, kind, days):
    """The day `days` ago, the form printed as it stood then, and as it stands now."""
    past = (timezone.localdate() - dt.timedelta(days=days)).isoformat()
    then = pdf_text(client.get(pdf_url(case, kind), {"on": past}), layout=False, squeeze=True)
    now = pdf_text(client.get(pdf_url(case, kind)), layout=False, squeeze=True)
    return past, then, now


def test_on_a_past_day_the_version_then_in_force_is_printed(client, world, tmp_path):
    add_plan(world.case, world.consultant, version=1, recorded_at=days_ago(20), goal="第一版の目標")
    add_plan(world.case, world.consultant, version=2, goal="第二版の目標")
    past, then, now = then_and_now(login(client, world.consultant), world.case, "plan", days=10)

    assert "第一版の目標" in then
    assert "第二版の目標" not in then
    assert "時点の内容です" in then
    assert "第二版の目標" in now
    assert "第一版の目標" not in now
    day = format_wareki(dt.date.fromisoformat(past), seireki=False)
    assert exports(world.case, "plan", "pdf").first().detail == f"第1版 {day}時点"


def test_on_a_past_day_notes_read_as_they_did_then(client, world, tmp_path):
    note = add_note(world.case, world.consultant, "最初に書いた内容", days=10)
    ProgressNoteRevision.objects.create(
        note=note,
        version=1,
        occurred_at=note.occurred_at,
        method=note.method,
        content="最初に書いた内容",
        shared_with_team=False,
        written_by=world.consultant,
        replaced_by=world.chief,
        replaced_at=days_ago(2),
    )
    note.content = "書き直した内容"
    note.version = 2
    note.save(update_fields=["content", "version"])
    add_note(world.case, world.consultant, "あとから書いた記録", days=1)
    _past, then, now = then_and_now(login(client, world.consultant), world.case, "notes", days=5)

    assert "最初に書いた内容" in then
    assert "書き直した内容" not in then
    assert "あとから書いた記録" not in then
    assert "書き直した内容" in now
    assert "あとから書いた記録" in now


def test_before_the_first_version_there_is_nothing_to_print(client, world):
    add_intake(world.case, world.consultant, recorded_at=days_ago(3))
    past = (timezone.localdate() - dt.timedelta(days=10)).isoformat()

    response = login(client, world.consultant).get(pdf_url(world.case, "intake"), {"on": past})

    assert response.status_code == 404
    assert "時点では、この帳票はまだ作成されていませんでした" in response.content.decode()
    assert not exports(world.case, "intake", "pdf").exists()


@pytest.mark.parametrize(("kind", "url"), [("evaluation", pdf_url), ("plan", pdf_url), ("plan", xlsx_url)])
def test_a_sheet_not_written_yet_gives_a_japanese_page_not_an_error(client, world, kind, url):
    response = login(client, world.consultant).get(url(world.hanako_case, kind))

    assert response.status_code == 404
    page = response.content.decode()
    assert f"{TITLES[kind]}はまだありません" in page
    assert reverse(f"sheets:{kind}", kwargs={"code": world.hanako_case.code}) in page
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_empty_lists_still_print(client, world, tmp_path):
    login(client, world.consultant)

    assert "支援決定はまだありません。" in pdf_text(client.get(pdf_url(world.case, "decisions")), squeeze=True)
    assert "支援経過記録はまだありません。" in pdf_text(client.get(pdf_url(world.case, "notes")), squeeze=True)


@pytest.mark.parametrize(("kind", "url"), [("minutes", pdf_url), ("assessment", xlsx_url), ("evaluation", xlsx_url)])
def test_unknown_kind_is_404(client, sheets, kind, url):
    response = login(client, sheets.chief).get(url(sheets.case, kind))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


# Who may print -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["partner", "partner_outsider", "outsider"])
@pytest.mark.parametrize("url", [pdf_url, xlsx_url])
def test_partners_and_outsiders_get_404_and_nothing_is_exported(client, sheets, persona, url):
    user = getattr(sheets, persona)

    response = login(client, user).get(url(sheets.case, "plan"))

    assert response.status_code == 404
    assert b"%PDF" not in response.content
    assert "ハローワークに週1回通う" not in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=user).exists()


def test_supporter_is_refused_at_the_door(client, sheets):
    response = login(client, sheets.supporter).get(pdf_url(sheets.case, "intake"))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_the_municipal_officer_may_print(client, sheets, tmp_path):
    response = login(client, sheets.officer).get(pdf_url(sheets.case, "decisions"))

    assert "住居確保給付金" in pdf_text(response, squeeze=True)
    assert exports(sheets.case, "decisions", "pdf").get().actor == sheets.officer


# Whereabouts confidentiality ------------------------------------------------------------------


@pytest.mark.parametrize("kind", PDF_KINDS)
def test_outside_the_team_a_confidential_persons_whereabouts_are_not_printed(client, sheets, kind, tmp_path):
    add_evaluation_and_decision(sheets)

    response = login(client, sheets.consultant2).get(pdf_url(sheets.hanako_case, kind))

    text = pdf_text(response, squeeze=True)
    assert "秘匿花子" in text
    assert "ひみつ荘" not in text
    assert "西小九丁目" not in text
    assert "090-9999-0000" not in text
    assert "012-0999" not in text
    assert "所在秘匿" in text
    if kind in CONTACT_KINDS:
        assert "所在秘匿のため記載しません" in text


def add_evaluation_and_decision(world):
    plan = PlanSheet.objects.get(case=world.hanako_case)
    EvaluationSheet(
        case=world.hanako_case,
        version=1,
        recorded_by=world.consultant,
        plan=plan,
        evaluated_on=timezone.localdate(),
        **{f"{name}_{when}": 3 for name in CONDITION_NAMES for when in ("before", "after")},
        outcome="closure",
        reason="落ち着いた。",
    ).save()
    SupportDecision.objects.create(
        case=world.hanako_case,
        programme="housing_support",
        decided_on=timezone.localdate(),
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=90),
        decided_by=world.officer,
    )


CONDITION_NAMES = ("motivation", "relationships", "participation", "finances", "employment")


@pytest.mark.parametrize("kind", CONTACT_KINDS)
def test_on_the_team_the_address_is_printed_with_a_warning(client, sheets, kind, tmp_path):
    response = login(client, sheets.consultant).get(pdf_url(sheets.hanako_case, kind))

    text = pdf_text(response, squeeze=True)
    assert "つなぐ市西小九丁目9-9ひみつ荘" in text
    assert "090-9999-0000" in text
    assert "所在秘匿のため記載しません" not in text
    assert "取扱注意：所在秘匿（支援措置）の対象者です" in text


def test_excel_intake_hides_a_confidential_persons_whereabouts_outside_the_team(client, sheets):
    outside = workbook(login(client, sheets.consultant2).get(xlsx_url(sheets.hanako_case, "intake")))
    inside = workbook(login(client, sheets.consultant).get(xlsx_url(sheets.hanako_case, "intake")))

    outside_values = [str(c.value) for row in outside.active.iter_rows() for c in row if c.value is not None]
    assert not any("ひみつ荘" in v or "090-9999-0000" in v or "012-0999" in v for v in outside_values)
    assert "所在秘匿のため記載しません" in outside_values
    assert labels(inside.active)["住所"] == "つなぐ市西小九丁目9-9 ひみつ荘"
    assert labels(inside.active)["電話番号"] == "090-9999-0000"


# Excel -------------------------------------------------------------------------------------------


def labels(ws):
    """Column A label → column B value."""
    return {row[0].value: row[1].value for row in ws.iter_rows(min_row=1) if row[0].value is not None}


def test_plan_workbook_has_header_rows_and_one_row_per_item(client, sheets):
    PlanItem.objects.create(
        plan=PlanSheet.objects.get(case=sheets.case), position=1, issue="debt", goal="債務を整理する"
    )

    response = login(client, sheets.consultant).get(xlsx_url(sheets.case, "plan"))

    ws = workbook(response).active
    head = labels(ws)
    assert ws["A1"].value == "プラン兼事業等利用申込書"
    assert CENTRE in ws["A2"].value
    assert head["氏名"] == "山田 太郎"
    assert head["長期目標（本人の目指す姿）"] == "安定した仕事について、家賃を払い続けられる暮らし"
    assert head["利用を申し込む事業"] == "住居確保給付金、就労準備支援事業"
    assert WAREKI_DATE.search(head["期間"])
    header = next(r for r in ws.iter_rows() if r[1].value == "課題")
    assert [c.value for c in header] == [
        "No.",
        "課題",
        "目標",
        "本人の取り組み",
        "支援内容",
        "支援機関",
        "担当者",
        "期間",
        "頻度",
    ]
    first, second = (ws[header[0].row + 1], ws[header[0].row + 2])
    assert [first[0].value, first[1].value, first[2].value, first[6].value] == [
        1,
        "就職活動困難",
        "ハローワークに週1回通う",
        "田中 就労",
    ]
    assert [second[0].value, second[1].value, second[2].value] == [2, "債務", "債務を整理する"]
    assert ws.max_row == header[0].row + 2
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    day, ref = f"{timezone.localdate():%Y%m%d}", sheets.case.code.hex[:8]
    assert f"filename*=UTF-8''{quote(f'プラン_{ref}_{day}.xlsx')}" in disposition
    assert f'filename="plan_{ref}_{day}.xlsx"' in disposition
    assert quote("山田") not in disposition
    assert exports(sheets.case, "plan", "xlsx").get().actor == sheets.consultant


def test_intake_workbook_has_label_and_value_rows(client, sheets):
    ws = workbook(login(client, sheets.consultant).get(xlsx_url(sheets.case, "intake"))).active

    values = labels(ws)
    assert values["氏名"] == "山田 太郎"
    assert values["フリガナ"] == "ヤマダ タロウ"
    assert values["生年月日"].startswith("昭和50年4月1日（1975年）")
    assert values["住所"] == "つなぐ市東小一丁目2-3"
    assert values["主訴"] == "収入・生活費、家賃・ローン支払い、仕事探し・就職"
    assert values["最も大きな主訴"] == "収入・生活費"
    assert values["同意の対象機関"] == "つなぐ市地域包括支援センター"
    assert WAREKI_DATE.search(values["受付日"])
    assert exports(sheets.case, "intake", "xlsx").exists()


def test_notes_workbook_has_one_row_per_note(client, sheets):
    response = login(client, sheets.consultant).get(xlsx_url(sheets.case, "notes"))

    ws = workbook(response).active
    header = [c.value for c in ws[1]]
    assert header == ["日時", "日時（和暦）", "方法", "参加者", "内容", "対応", "次回の対応", "記録者", "共有"]
    assert ws.freeze_panes == "A2"
    assert ws.max_row == 3
    column = {name: i for i, name in enumerate(header)}
    notes = list(ProgressNote.objects.filter(case=sheets.case).order_by("occurred_at"))
    for row, note in zip(ws.iter_rows(min_row=2), notes, strict=True):
        local = timezone.localtime(note.occurred_at).replace(tzinfo=None, microsecond=0)
        assert isinstance(row[column["日時"]].value, dt.datetime)
        assert row[column["日時"]].value.replace(microsecond=0) == local
        assert row[column["日時"]].number_format == "yyyy/mm/dd hh:mm"
        assert row[column["日時（和暦）"]].value == f"{format_wareki(local.date(), seireki=False)} {local:%H:%M}"
        assert row[column["内容"]].value == note.content
        assert row[column["記録者"]].value == "高橋 相談員"
    first, second = list(ws.iter_rows(min_row=2, values_only=True))
    assert first[column["方法"]] == "同行"
    assert first[column["共有"]] == "非共有"
    assert second[column["方法"]] == "電話"
    assert second[column["共有"]] == "共有"
    assert second[column["次回の対応"]] == "来週、来所で家計表を確認"
    assert ws.column_dimensions["E"].width > ws.column_dimensions["C"].width
    name = f"支援経過記録_{sheets.case.code.hex[:8]}_{timezone.localdate():%Y%m%d}.xlsx"
    assert "filename*=UTF-8''" + quote(name) in response["Content-Disposition"]
    assert exports(sheets.case, "notes", "xlsx").get().actor == sheets.consultant


def test_note_text_stays_text_in_excel(client, world):
    add_note(world.case, world.consultant, '=HYPERLINK("http://example.com","開く")', response="\x0b改行\x07")

    ws = workbook(login(client, world.consultant).get(xlsx_url(world.case, "notes"))).active

    assert ws["E2"].data_type == "s"
    assert ws["E2"].value == '=HYPERLINK("http://example.com","開く")'
    assert ws["F2"].value == "改行"


# Cost -----------------------------------------------------------------------------------------


def test_notes_print_costs_the_same_queries_for_one_or_three_notes(client, world):
    login(client, world.consultant)
    add_note(world.case, world.consultant, "一件目")
    client.get(pdf_url(world.case, "notes"))  # warm the session and the content types

    with CaptureQueriesContext(connection) as one:
        client.get(pdf_url(world.case, "notes"))
    add_note(world.case, world.consultant, "二件目")
    add_note(world.case, world.consultant, "三件目")
    with CaptureQueriesContext(connection) as three:
        client.get(pdf_url(world.case, "notes"))

    assert len(three) == len(one)
