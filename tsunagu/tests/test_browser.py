"""The core of a worker's day in real Chromium: log in, find a person by kana, open the
case, add a progress note, move the case on, and see the timeline change."""

import re

import pytest
from playwright.sync_api import expect

from tsunagu.cases.models import CaseState, ProgressNote
from tsunagu.conftest import PASSWORD
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_worker_finds_a_person_by_kana_notes_and_moves_the_case(page, world):
    log_in(page, "consultant", PASSWORD)
    expect(page.get_by_role("heading", name="マイページ")).to_be_visible()

    # Search with half-width katakana: the live search (htmx) shows 山田 太郎.
    page.get_by_role("link", name="相談者").first.click()
    page.get_by_label("氏名・ふりがなで検索").fill("ﾔﾏﾀﾞ")
    expect(page.locator("#results")).to_contain_text("山田 太郎")
    expect(page.locator("#results")).not_to_contain_text("次郎")
    page.locator("#results").get_by_role("link", name="山田 太郎").click()
    expect(page.get_by_role("heading", name=re.compile("山田 太郎"))).to_be_visible()

    # Open the case from the person's page.
    page.locator(f'a[href="{world.case.get_absolute_url()}"]').first.click()
    expect(page).to_have_url(re.compile(world.case.get_absolute_url() + "$"))

    # Add a progress note.
    page.get_by_text("記録を書く").click()
    note_form = page.locator("form[action$='/notes/new/']")
    note_form.get_by_label("方法").select_option(label="訪問")
    note_form.get_by_label("内容").fill("自宅を訪問。家賃の督促状が届いている。")
    note_form.get_by_role("button", name="記録を保存する").click()
    expect(page.get_by_text("支援経過記録を追加しました。")).to_be_visible()
    expect(page.get_by_text("自宅を訪問。家賃の督促状が届いている。").first).to_be_visible()
    assert ProgressNote.objects.filter(case=world.case, method="home_visit").count() == 1

    # Move the case on: it lands on the sheet the next step needs; the timeline shows the move.
    page.get_by_role("button", name="スクリーニングへ").click()
    expect(page.get_by_text("「スクリーニング」に移しました。")).to_be_visible()
    page.get_by_role("link", name="山田 太郎さんのケース").click()
    timeline = page.get_by_role("region", name="タイムライン")
    expect(timeline).to_contain_text("相談受付")
    expect(timeline).to_contain_text("スクリーニング")
    world.case.refresh_from_db()
    assert world.case.state == CaseState.SCREENING


def test_a_confidential_persons_address_never_reaches_a_colleague_outside_the_team(page, world):
    log_in(page, "consultant2", PASSWORD)
    page.goto(page.base_url + world.hanako.get_absolute_url())
    expect(page.get_by_text("所在秘匿").first).to_be_visible()
    assert "ひみつ荘" not in page.content()
    page.goto(page.base_url + "/cases/?district=" + str(world.district2.pk))
    assert "秘匿 花子" not in page.content()
