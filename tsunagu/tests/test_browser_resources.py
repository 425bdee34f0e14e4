"""The directory in real Chromium under the strict CSP: register a resource, find it
by its reading, see it offered on a case, add it to the plan; the gap chart draws."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.cases.models import Case
from tsunagu.conftest import PASSWORD
from tsunagu.resources.models import Resource
from tsunagu.sheets.models import AssessmentSheet, PlanSheet
from tsunagu.tests.conftest import log_in
from tsunagu.tests.records import write_plan

pytestmark = pytest.mark.browser


def test_register_find_offer_and_plan_a_resource(page, world):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    today = timezone.localdate()
    Case.objects.filter(pk=world.case.pk).update(state="plan_draft")
    AssessmentSheet.objects.create(
        case=world.case, version=1, recorded_by=world.consultant, assessed_on=today, issues=["debt"]
    )
    write_plan(world.case, world.consultant, agreed=False, long_term_goal="落ち着いて暮らす")
    log_in(page, "consultant", PASSWORD)

    page.goto(page.base_url + "/resources/new/")
    page.get_by_label("名称").fill("ホウテラス出張相談")
    page.get_by_label("種類").select_option(label="専門資源")
    page.get_by_role("checkbox", name="金融", exact=True).check()
    page.get_by_role("checkbox", name="債務", exact=True).check()
    page.get_by_label("提供機関").select_option(label="居住支援法人あんしん")
    page.get_by_role("checkbox", name="東小", exact=True).check()
    page.get_by_role("button", name="登録する").click()
    expect(page.get_by_text("「ホウテラス出張相談」を登録しました。")).to_be_visible()

    page.goto(page.base_url + "/resources/")
    page.get_by_label("キーワード").fill("ほうてらす")
    page.get_by_role("button", name="絞り込む").click()
    expect(page.get_by_role("link", name="ホウテラス出張相談")).to_be_visible()
    expect(page.get_by_text("1件", exact=True)).to_be_visible()

    page.goto(page.base_url + world.case.get_absolute_url())
    expect(page.get_by_text("東小地区が対象")).to_be_visible()
    page.get_by_role("button", name=re.compile("プランに追加")).first.click()
    expect(page.get_by_text("「ホウテラス出張相談」をプランに追加しました（第2版）")).to_be_visible()
    assert PlanSheet.objects.get(case=world.case, version=2).items.get().provider_agency == world.housing

    page.goto(page.base_url + "/resources/gaps/")
    expect(page.get_by_role("heading", name="不足している資源（0件）")).to_be_visible()
    assert Resource.objects.count() == 1
    assert problems == []
