"""The consents panel of the case page."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tsunagu.consents.models import Category
from tsunagu.tests.client import html, login
from tsunagu.tests.records import give_consent


def panel(page):
    return page.split('id="consent-panel-title"', 1)[1].split("</section>", 1)[0]


def test_full_access_sees_the_consents_in_force_and_the_links(client, world):
    give_consent(world.taro, world.consultant, [world.housing], categories=[Category.HEALTH])
    give_consent(
        world.taro, world.consultant, [world.swc], ends_on=timezone.localdate() - dt.timedelta(days=1)
    )  # ended: not listed
    part = panel(html(login(client, world.consultant).get(world.case.get_absolute_url())))
    assert "つなぐ市地域包括支援センター" in part
    assert "居住支援法人あんしん" in part
    assert "要配慮：病気・障害・メンタルヘルス" in part
    assert "つなぐ市社会福祉協議会" not in part
    assert reverse("consents:person", kwargs={"code": world.taro.code}) in part
    assert reverse("consents:register", kwargs={"code": world.taro.code}) in part
    assert reverse("consents:emergency", kwargs={"code": world.case.code}) in part
    part = panel(html(login(client, world.officer).get(world.case.get_absolute_url())))
    assert "つなぐ市地域包括支援センター" in part
    assert f'href="{reverse("consents:person", kwargs={"code": world.taro.code})}"' not in part
    assert reverse("consents:register", kwargs={"code": world.taro.code}) in part
    assert reverse("consents:emergency", kwargs={"code": world.case.code}) not in part


def test_without_consents_the_panel_says_partners_see_nothing(client, world):
    part = panel(html(login(client, world.consultant).get(world.hanako_case.get_absolute_url())))
    assert "有効な情報共有の同意はありません。" in part
    # consultant2 may not see hanako's whereabouts: no register link (it would answer 404).
    part = panel(html(login(client, world.consultant2).get(world.hanako_case.get_absolute_url())))
    assert reverse("consents:register", kwargs={"code": world.hanako.code}) not in part


def test_a_partner_reads_which_categories_are_shared_and_that_there_is_no_plan_yet(client, world):
    part = panel(html(login(client, world.partner).get(world.case.get_absolute_url())))
    assert "つなぐ市地域包括支援センターと共有されている情報：" in part
    assert "基本情報（氏名・ふりがな・連絡先・主訴・概要）" in part
    assert "プラン（目標・支援内容・役割分担）" in part
    assert "要配慮" not in part
    assert "プランはまだ作成されていません。" in part
    assert "consents/" not in part  # no links to the centre's pages
