"""A plan brought to a 支援調整会議 and approved there, in real Chromium: the worker's
case goes from プラン案 to the meeting, the chief approves it on the meeting page, and
the case page says 支援決定・確認."""

import pytest
from playwright.sync_api import expect

from tsunagu.cases.models import Case, CaseState, TimelineEntry, TimelineKind
from tsunagu.conftest import PASSWORD
from tsunagu.lib.wareki import short_wareki
from tsunagu.meetings.models import AgendaItem, Decision, MeetingKind
from tsunagu.tests.conftest import log_in
from tsunagu.tests.records import make_meeting, write_records

pytestmark = pytest.mark.browser


def test_a_plan_is_approved_in_the_coordination_meeting(page, world):
    case = world.case
    case.state = CaseState.PLAN_DRAFT
    case.save(update_fields=["state"])
    write_records(case, world.consultant)  # the application, the assessment, the agreed plan
    meeting = make_meeting(world, MeetingKind.COORDINATION, title="支援調整会議（12月定例）")

    log_in(page, "chief", PASSWORD)
    page.goto(page.base_url + case.get_absolute_url())
    page.get_by_role("button", name="支援調整会議にかける").click()
    expect(page.get_by_text("に移しました").first).to_be_visible()

    # The case page puts the case on the coming meeting.
    page.get_by_text("これからの会議の議題にする").click()
    page.get_by_label("議題にする会議").select_option(label=f"{short_wareki(meeting.held_on)} 支援調整会議（12月定例）")
    page.get_by_role("button", name="議題にする", exact=True).click()
    expect(page.get_by_text("の議題にしました（プランの承認）")).to_be_visible()
    item = AgendaItem.objects.get(meeting=meeting, case=case)

    # The meeting page: the chief approves the plan.
    page.get_by_role("link", name="支援調整会議（12月定例）").click()
    expect(page.get_by_role("heading", name="支援調整会議（12月定例）")).to_be_visible()
    paper = page.locator(f"#item-{item.code}")
    expect(paper).to_contain_text("山田 太郎")
    # A role for the plan, from the form opened in place (it lists the town's staff).
    expect(paper.locator("select[name='staff']")).to_have_count(0)
    paper.get_by_text("役割分担を追加").click()
    paper.locator("select[name='staff']").select_option(value=str(world.employment.pk))
    paper.locator("select[name='team_role']").select_option(value="employment")
    paper.get_by_role("button", name="役割分担を記録する").click()
    expect(page.get_by_text("役割分担を記録しました。")).to_be_visible()
    expect(page.locator(f"#item-{item.code}")).to_contain_text("田中 就労")
    # A missing resource, from its form, also opened in place.
    paper = page.locator(f"#item-{item.code}")
    expect(paper.locator("textarea[name='description'], input[name='description']")).to_have_count(0)
    paper.get_by_text("不足している資源を記録").click()
    paper.locator("[name='description']").fill("夜間に相談できる窓口がない")
    paper.get_by_role("button", name="記録する", exact=True).click()
    expect(page.get_by_text("不足している社会資源を記録しました。")).to_be_visible()
    expect(page.locator(f"#item-{item.code}")).to_contain_text("夜間に相談できる窓口がない")
    page.get_by_label("決定", exact=True).select_option(label="了承")
    page.get_by_label("決定の内容・理由").fill("プランのとおり了承。家賃は住居確保給付金で対応。")
    page.get_by_role("button", name="決定を記録する").click()
    expect(page.get_by_text("決定を記録しました（了承）")).to_be_visible()

    page.get_by_role("link", name="ケースを開く").click()
    expect(page.locator(".page-header .badge.state")).to_have_text("支援決定・確認")
    expect(page.locator(".timeline")).to_contain_text("支援調整会議（12月定例）")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.DECIDED
    item.refresh_from_db()
    assert item.decision == Decision.APPROVED
    assert item.decided_by == world.chief
    assert case.team.filter(staff=world.employment, team_role="employment").exists()  # the role, approved
    assert TimelineEntry.objects.filter(case=case, kind=TimelineKind.MEETING, detail__contains="了承").exists()
    assert list(item.gaps.values_list("description", flat=True)) == ["夜間に相談できる窓口がない"]
