"""Consent in real Chromium: the worker records a consent that includes a 要配慮 category,
the partner on the team sees what it covers, the worker records the person's withdrawal,
and the partner's next page no longer shows it."""

import os

import pytest
from playwright.sync_api import expect

from tsunagu.conftest import PASSWORD
from tsunagu.consents.models import Consent
from tsunagu.consents.tests.helpers import make_plan
from tsunagu.tests.conftest import log_in

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("TSUNAGU_SCREENSHOTS", "")


def shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def open_as(page, username, path):
    """Sign out whoever was signed in, sign in as `username` and open `path`."""
    page.context.clear_cookies()
    log_in(page, username, PASSWORD)
    page.goto(page.base_url + path)


def test_consent_recorded_seen_by_the_partner_and_withdrawn(page, world, client):
    world.consent.delete()  # start from no consent at all
    make_plan(world.case, world.consultant, world.community_care)
    open_as(page, "partner", world.case.get_absolute_url())
    expect(page.get_by_text("本人の同意の範囲外のため表示できません").first).to_be_visible()
    expect(page.get_by_text("山田 太郎")).to_have_count(0)
    shot(page, "partner-without-consent")

    open_as(page, "consultant", world.taro.get_absolute_url())
    page.get_by_role("link", name="情報共有の同意（記録・撤回）").click()
    page.get_by_role("link", name="同意を記録").click()
    page.get_by_label("つなぐ市地域包括支援センター").check()
    page.get_by_label("ケースチームでの連携した支援").check()
    page.get_by_label("基本情報（氏名・ふりがな・連絡先・主訴・概要）").check()
    page.get_by_label("プラン（目標・支援内容・役割分担）").check()
    page.get_by_label("要配慮：病気・障害・メンタルヘルス").check()
    page.get_by_label("署名（紙）").check()
    page.get_by_role("button", name="記録する").click()
    # The 要配慮 category needs the explicit confirmation: refused, the ticks kept.
    expect(page.get_by_text("本人の明示的な同意を確かめてチェックしてください").first).to_be_visible()
    expect(page.get_by_label("要配慮：病気・障害・メンタルヘルス")).to_be_checked()
    shot(page, "consent-form-error")
    page.get_by_label("選んだ要配慮個人情報の一つひとつについて", exact=False).check()
    page.get_by_role("button", name="記録する").click()
    expect(page.get_by_text("同意を記録しました。")).to_be_visible()
    shot(page, "consents-page")
    consent = Consent.objects.get()
    assert consent.categories == ["basic", "plan", "health"]

    open_as(page, "partner", world.case.get_absolute_url())
    expect(page.get_by_role("heading", name="山田 太郎", exact=False)).to_be_visible()
    expect(page.get_by_text("心療内科への通院を続ける")).to_be_visible()  # the 要配慮 plan row, consented
    shot(page, "partner-with-consent")

    open_as(page, "consultant", world.taro.get_absolute_url())
    page.get_by_role("link", name="情報共有の同意（記録・撤回）").click()
    page.get_by_role("link", name="撤回を記録").click()
    page.get_by_label("撤回の内容").fill("本人から電話で撤回の申し出があった。")
    page.get_by_role("button", name="撤回を記録する").click()
    expect(page.get_by_text("同意の撤回を記録しました。", exact=False)).to_be_visible()

    open_as(page, "partner", world.case.get_absolute_url())
    expect(page.get_by_text("山田 太郎")).to_have_count(0)
    expect(page.get_by_text("心療内科への通院を続ける")).to_have_count(0)

    open_as(page, "chief", world.taro.get_absolute_url())
    page.get_by_role("link", name="情報提供の記録（誰にいつ何を提供したか）").click()
    expect(page.get_by_text("ケースチームの関係機関による閲覧").first).to_be_visible()
    shot(page, "register")
