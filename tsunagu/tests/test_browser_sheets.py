"""A case from the intake sheet to an agreed, printed plan in real Chromium, typing each
fact once: the person's details and 主訴 carry over, the plan rows start from the
assessment's issues, and the plan prints as a PDF."""

import subprocess
import tempfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.cases.models import CaseState, Task
from tsunagu.conftest import PASSWORD
from tsunagu.sheets.models import AssessmentSheet, IntakeSheet, PlanSheet
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser


def press(page, label):
    page.get_by_role("button", name=label).first.click()
    expect(page.get_by_text("に移しました").first).to_be_visible()


def test_intake_to_agreed_printed_plan(page, world):
    case = world.case
    today = timezone.localdate().isoformat()
    log_in(page, "consultant", PASSWORD)
    page.goto(page.base_url + case.get_absolute_url())

    # 相談受付・申込票: the person comes from the Person record, 主訴 from the case.
    page.get_by_role("link", name="相談受付・申込票").first.click()
    expect(page.get_by_text("山田 太郎").first).to_be_visible()
    expect(page.get_by_label("収入・生活費")).to_be_checked()
    page.get_by_label("仕事の状況").select_option(label="求職中")
    page.get_by_label("住まいの状況").select_option(label="民間賃貸")
    page.get_by_label("医療保険").select_option(label="国民健康保険")
    page.get_by_label("年金").select_option(label="加入・納付中")
    page.get_by_label("支援を申し込む").check()
    page.get_by_label("申込日").fill(today)
    page.get_by_label("同意の方法").select_option(label="署名（紙）")
    page.get_by_label("アセスメントとプラン作成").check()
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("相談受付・申込票を保存しました（第1版）")).to_be_visible()
    assert IntakeSheet.objects.get(case=case).applied is True

    page.goto(page.base_url + case.get_absolute_url())
    press(page, "スクリーニングへ")
    press(page, "申込・同意を受ける")
    press(page, "アセスメントへ")

    # Assessment: two issues ticked.
    page.get_by_role("link", name="アセスメント").first.click()
    page.get_by_label("経済的困窮").check()
    page.get_by_role("checkbox", name="債務", exact=True).check()
    page.get_by_label("障害の状況").select_option(label="なし")
    page.get_by_label("自殺のリスク").select_option(label="なし")
    page.get_by_label("本人が望む暮らし（本人の言葉）").fill("家賃の心配をせずに暮らしたい")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("アセスメントシートを保存しました（第1版）")).to_be_visible()
    assert AssessmentSheet.objects.get(case=case).issues == ["economic_hardship", "debt"]

    page.goto(page.base_url + case.get_absolute_url())
    press(page, "プラン案の作成へ")

    # Plan: the rows start from the assessment's issues; only the goals are typed.
    page.get_by_role("link", name="プラン").first.click()
    expect(page.locator("[name='items-0-issue']")).to_have_value("economic_hardship")
    expect(page.locator("[name='items-1-issue']")).to_have_value("debt")
    page.get_by_label("長期目標（本人の目指す姿）").fill("安心して暮らせる住まいと収入を得る")
    page.locator("[name='items-0-goal']").fill("3か月で求職活動を始める")
    page.locator("[name='items-1-goal']").fill("債務を整理する")
    page.get_by_role("button", name="保存する").click()
    expect(page.get_by_text("プランを保存しました（第1版）")).to_be_visible()
    page.get_by_role("button", name="本人の同意を記録する").click()
    expect(page.get_by_text("本人の同意を記録しました。")).to_be_visible()
    plan = PlanSheet.objects.get(case=case)
    assert plan.agreed_on == timezone.localdate()
    assert [i.goal for i in plan.items.all()] == ["3か月で求職活動を始める", "債務を整理する"]
    assert Task.objects.filter(case=case, kind="evaluation_due", due_on=plan.next_evaluation_on).exists()

    page.goto(page.base_url + case.get_absolute_url())
    press(page, "支援調整会議にかける")
    case.refresh_from_db()
    assert case.state == CaseState.COORDINATION

    # Print the plan.
    response = page.request.get(page.base_url + f"/cases/{case.code}/plan.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    with tempfile.NamedTemporaryFile(suffix=".pdf") as pdf:
        pdf.write(response.body())
        pdf.flush()
        text = subprocess.run(["pdftotext", pdf.name, "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())
    assert "山田太郎" in flat
    assert "債務を整理する" in flat
    assert "令和" in flat
