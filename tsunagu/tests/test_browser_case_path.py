"""The whole case in real Chromium, from a phone call about a new person to 支援決定: the
moves ask for the record (a refusal names the missing sheet and links to it), each saved
sheet offers the next step, and the 支援調整会議 approves the plan on the meeting's day.

The walk counts the worker's clicks (a click, a tick or a choice from a list; typing is
not counted) from the call to an agreed plan: the figure issue 10 asks to measure."""

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.cases.models import Case, CaseState
from tsunagu.conftest import PASSWORD
from tsunagu.meetings.models import MeetingKind
from tsunagu.meetings.tests.conftest import attend
from tsunagu.sheets.models import PlanSheet
from tsunagu.tests.conftest import log_in
from tsunagu.tests.records import make_meeting

pytestmark = pytest.mark.browser


class Clicks:
    """The page's actions, counted while `counting`."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.count = 0
        self.counting = True

    def _tally(self) -> None:
        if self.counting:
            self.count += 1

    def click(self, locator: Any) -> None:
        self._tally()
        locator.click()

    def check(self, locator: Any) -> None:
        self._tally()
        locator.check()

    def choose(self, locator: Any, label: str) -> None:
        self._tally()
        locator.select_option(label=label)


def test_a_new_person_to_support_decided_with_the_refusal_when_a_sheet_is_missing(page, world):
    today = timezone.localdate()
    log_in(page, "consultant", PASSWORD)  # at their desk when the phone rings
    act = Clicks(page)

    # A new person: search first, then register.
    act.click(page.get_by_role("navigation").get_by_role("link", name="相談者"))
    act.click(page.get_by_role("link", name="相談者を登録"))
    page.locator("[name='family_name']").fill("佐々木")
    page.locator("[name='given_name']").fill("花")
    page.locator("[name='family_name_kana']").fill("ささき")
    page.locator("[name='given_name_kana']").fill("はな")
    act.click(page.get_by_role("button", name="登録する"))
    expect(page.get_by_text("佐々木 花さんを登録しました。")).to_be_visible()

    # The case, opened from the call.
    act.click(page.get_by_role("link", name="新しいケースを開く"))
    act.choose(page.get_by_label("相談経路"), "電話")
    act.check(page.get_by_label("収入・生活費"))
    act.choose(page.get_by_label("最も大きな主訴"), "収入・生活費")
    page.get_by_label("概要").fill("電話で相談。家賃が払えない。")
    act.click(page.get_by_role("button", name="ケースを作成する"))
    expect(page.get_by_text("ケースを作成しました。")).to_be_visible()
    case = Case.objects.get(person__family_name="佐々木")
    checklist = page.locator(".checklist")
    expect(checklist).to_contain_text("未作成")
    assert page.locator("a[href$='.pdf']").count() == 0  # nothing written, nothing to print

    act.click(page.get_by_role("button", name="スクリーニングへ"))
    expect(page.get_by_text("「スクリーニング」に移しました。")).to_be_visible()
    # The move lands where the next step's record is written: the intake sheet.
    expect(page.get_by_role("heading", name="相談受付・申込票", level=1)).to_be_visible()

    # The refusal: a worker who goes back and asks for the application without it on
    # record is told what is missing and where to write it. (Not counted: a detour.)
    act.counting = False
    page.get_by_role("link", name="佐々木 花さんのケース").click()
    page.get_by_role("button", name="申込・同意を受ける").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text(
        "「申込・同意を受ける」の前に、相談受付・申込票の「申込と同意」を記録してください。"
    )
    assert "error-summary" in page.evaluate("document.activeElement.className")
    case.refresh_from_db()
    assert case.state == CaseState.SCREENING
    summary.get_by_role("link", name="相談受付・申込票を書く").click()
    act.counting = True

    # 相談受付・申込票 with the application and consent; a refused save first (not counted).
    act.counting = False
    page.get_by_role("button", name="保存する").click()
    # The refused page first (reading the focus at once raced the page's load).
    expect(page.locator(".error-summary").first).to_be_in_viewport()
    focused = page.evaluate("document.activeElement.className")
    assert "error-summary" in focused  # focus on the summary, not <body>
    act.counting = True
    act.choose(page.get_by_label("仕事の状況"), "求職中")
    act.choose(page.get_by_label("住まいの状況"), "民間賃貸")
    act.choose(page.get_by_label("医療保険"), "国民健康保険")
    act.choose(page.get_by_label("年金"), "加入・納付中")
    act.check(page.get_by_label("支援を申し込む"))
    page.get_by_label("申込日").fill(today.isoformat())
    act.choose(page.get_by_label("同意の方法"), "署名（紙）")
    act.check(page.get_by_label("アセスメントとプラン作成"))
    act.click(page.get_by_role("button", name="保存する"))
    expect(page.get_by_text("相談受付・申込票を保存しました（第1版）")).to_be_visible()
    act.click(page.locator(".next-step").get_by_role("button", name="申込・同意を受ける"))
    expect(page.get_by_text("「申込・同意」に移しました。")).to_be_visible()
    act.click(page.get_by_role("button", name="アセスメントへ"))
    expect(page.get_by_text("「アセスメント」に移しました。")).to_be_visible()

    # The assessment (landed on): the risk fields must be answered.
    expect(page.get_by_label("自殺のリスク")).to_have_value("")
    act.check(page.get_by_label("経済的困窮"))
    act.choose(page.get_by_label("障害の状況"), "なし")
    act.choose(page.get_by_label("自殺のリスク"), "なし")
    act.click(page.get_by_role("button", name="保存する"))
    expect(page.get_by_text("アセスメントシートを保存しました（第1版）")).to_be_visible()
    act.click(page.locator(".next-step").get_by_role("button", name="プラン案の作成へ"))
    expect(page.get_by_text("「プラン案」に移しました。")).to_be_visible()

    # The plan (landed on), agreed.
    page.get_by_label("長期目標（本人の目指す姿）").fill("家賃の心配なく暮らす")
    page.locator("[name='items-0-goal']").fill("3か月で求職活動を始める")
    act.click(page.get_by_role("button", name="保存する"))
    expect(page.get_by_text("プランを保存しました（第1版）")).to_be_visible()
    act.click(page.get_by_role("button", name="本人の同意を記録する"))
    expect(page.get_by_text("本人の同意を記録しました。")).to_be_visible()
    assert PlanSheet.objects.get(case=case).agreed
    clicks_to_agreed_plan = act.count
    print(f"\nclicks from a phone call (new person) to an agreed plan: {clicks_to_agreed_plan}")
    assert clicks_to_agreed_plan == 26

    # To the 支援調整会議, offered on the plan page now that the plan is agreed.
    page.locator(".next-step").get_by_role("button", name="支援調整会議にかける").click()
    expect(page.get_by_text("「支援調整会議」に移しました。")).to_be_visible()

    # The meeting is today; the chief puts the waiting case on the agenda and approves it.
    meeting = make_meeting(world, MeetingKind.COORDINATION, days=0, title="支援調整会議（定例）")
    attend(meeting, world.consultant)
    page.context.clear_cookies()
    log_in(page, "chief", PASSWORD)
    page.goto(page.base_url + meeting.get_absolute_url())
    page.get_by_role("button", name="支援調整会議を待つケースを議題に入れる").click()
    decision = page.locator(".decision-form").first
    decision.get_by_label("決定", exact=True).select_option(label="了承")
    decision.get_by_role("button", name="決定を記録する").click()
    expect(page.get_by_text("決定を記録しました（了承）")).to_be_visible()
    case.refresh_from_db()
    assert case.state == CaseState.DECIDED
    page.goto(page.base_url + case.get_absolute_url())
    expect(page.locator(".badge.state").first).to_have_text("支援決定・確認")
