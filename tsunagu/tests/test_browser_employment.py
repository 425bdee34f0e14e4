"""Employment support in real Chromium under the strict CSP: the 就労支援員 lands on their
start page, records a job-seeker's profile, finds an opening that fits (and the opening
finds her), records the placement and its first 定着支援 follow-up, and corrects the placement."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tsunagu.cases.models import Task, TaskKind
from tsunagu.conftest import PASSWORD
from tsunagu.employment.models import FollowUp, JobSeekerProfile, Placement
from tsunagu.employment.tests.conftest import make_opening
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser


def test_profile_match_placement_and_first_follow_up(page, world):
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    opening = make_opening(world, "食品の箱詰め", accommodations="短時間から始められる")
    make_opening(world, "夜勤の警備", category="security", employment_type="training_employed")
    log_in(page, "employment", PASSWORD, landing="**/employment/")
    expect(page.get_by_role("heading", name="就労支援", exact=True)).to_be_visible()

    page.goto(page.base_url + world.case.get_absolute_url())
    page.get_by_role("link", name="就労支援のページを開く").click()
    page.get_by_role("link", name="プロフィールを作る").click()
    page.get_by_label("支援の段階").select_option(label="一般就労")
    page.get_by_role("checkbox", name="運搬・清掃・包装等の職業").check()
    page.get_by_label("希望する週の労働時間").fill("20")
    for day in ("月", "火", "水"):
        page.get_by_role("checkbox", name=day, exact=True).check()
    page.get_by_role("checkbox", name="東小", exact=True).check()
    page.get_by_role("checkbox", name="自転車").check()
    page.get_by_label("免許・資格").fill("普通自動車免許")
    page.get_by_label("勤務先").fill("湯沢スーパー")
    page.get_by_label("辞めた理由").fill("店舗の閉鎖")
    page.get_by_role("button", name="プロフィールを保存する").click()
    expect(page.get_by_text("求職者プロフィールを保存しました（第1版）。")).to_be_visible()
    # Named as the 就労支援員 (the form's default for them), they join the case team.
    expect(page.get_by_text("田中 就労さんをケースチームに加えました。")).to_be_visible()
    assert world.case.team.filter(staff=world.employment, team_role="employment").exists()
    assert JobSeekerProfile.objects.get(case=world.case).history.get().employer_name == "湯沢スーパー"

    fits = page.locator("#fits")
    expect(fits.get_by_role("link", name="食品の箱詰め")).to_be_visible()
    expect(fits.get_by_text("希望する地区（東小）")).to_be_visible()
    expect(fits.get_by_text("夜勤の警備")).to_have_count(0)
    fits.get_by_role("link", name="食品の箱詰め").click()
    expect(page.locator("#fits").get_by_role("link", name="山田 太郎")).to_be_visible()
    page.locator("#fits").get_by_role("link", name="山田 太郎").click()

    start = timezone.localdate() - dt.timedelta(days=40)
    page.get_by_text("就労を記録する").click()
    form = page.locator("form[action$='/placements/']")
    form.get_by_label("求人").select_option(label=str(opening))
    form.get_by_label("就労開始日").fill(start.isoformat())
    form.get_by_label("雇用形態").select_option(label="パート・アルバイト")
    form.get_by_label("週の労働時間").fill("20")
    form.get_by_label("月収（円）").fill("82000")
    form.get_by_role("button", name="就労を保存する").click()
    expect(page.get_by_text("就労を記録しました。定着支援のタスクを3件作りました。")).to_be_visible()
    placement = Placement.objects.get(case=world.case)
    assert placement.employer == opening.employer
    assert Task.objects.filter(case=world.case, kind=TaskKind.RETENTION, assignee=world.employment).count() == 3

    page.get_by_text("1か月の定着支援を記録する").click()
    first = placement.follow_ups.get(months=1)
    form = page.locator(f"form[action$='/follow-ups/{first.code}/']")
    form.get_by_label("実施日").fill(timezone.localdate().isoformat())
    form.get_by_label("就労を継続している").select_option(label="はい")
    form.get_by_label("内容").fill("職場を訪問。朝の作業にも慣れてきた。")
    form.get_by_role("button", name="定着支援を保存する").click()
    expect(page.get_by_text("定着支援（1か月）を記録しました。")).to_be_visible()
    expect(page.get_by_text(re.compile("実施済み"))).to_be_visible()
    assert FollowUp.objects.get(pk=first.pk).still_working is True

    # The wage was a guess: corrected after saving, versioned and audited.
    page.get_by_role("link", name="就労を訂正する").click()
    page.get_by_label("月収（円）").fill("85000")
    page.get_by_role("button", name="訂正を保存する").click()
    expect(page.get_by_text("就労の記録を訂正しました。")).to_be_visible()
    placement.refresh_from_db()
    assert (placement.monthly_wage, placement.version) == (85000, 2)
    assert problems == []
