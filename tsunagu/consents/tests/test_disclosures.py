"""Emergency disclosures and the register of who received a person's information
(情報提供の記録), on screen and as the PDF handed over for a 開示請求."""

import datetime as dt
import shutil

import pytest
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import CaseTeamMember, TeamRole, TimelineEntry, TimelineKind
from tsunagu.consents.models import Channel, Disclosure, LegalBasis, disclose
from tsunagu.consents.tests.helpers import NOTICE
from tsunagu.tests.client import count_queries, html, login, pdf_text, poppler, url_of

REASON = "自宅で倒れているのを訪問時に発見。救急隊に持病と服薬を伝えた。"


def emergency_data(world, **changes):
    data = {
        "agency": world.housing.pk,
        "recipient_name": "中村（居住支援法人）",
        "categories": ["basic"],
        "sensitive_categories": ["health"],
        "reason": REASON,
    }
    data.update(changes)
    return data


# Emergency disclosure --------------------------------------------------------------------------


def test_an_emergency_disclosure_is_logged_with_its_basis_and_grants_nothing(client, world):
    login(client, world.consultant)
    page = html(client.get(url_of("consents:emergency", world.case)))
    assert "個人情報保護法第27条第1項第2号" in page
    assert "つなぐ市自立相談支援センター" not in page.split('name="agency"', 1)[1].split("</select>", 1)[0]
    response = client.post(url_of("consents:emergency", world.case), emergency_data(world))
    assert response.status_code == 302
    assert response["Location"] == world.case.get_absolute_url()
    disclosure = Disclosure.objects.get()
    assert disclosure.channel == Channel.EMERGENCY
    assert disclosure.basis == LegalBasis.EMERGENCY
    assert disclosure.reason == REASON
    assert disclosure.consent is None
    assert disclosure.recipient_agency == world.housing
    assert disclosure.recipient_name == "中村（居住支援法人）"
    assert disclosure.categories == ["basic", "health"]
    assert (disclosure.person, disclosure.case, disclosure.disclosed_by) == (world.taro, world.case, world.consultant)
    entry = TimelineEntry.objects.get(case=world.case, kind=TimelineKind.CONSENT)
    assert not entry.shared
    assert "居住支援法人あんしん" in entry.detail
    event = AuditEvent.objects.get(action=Action.CREATE, object_code=str(disclosure.code))
    assert (event.person_code, event.case_code) == (world.taro.code, world.case.code)
    assert event.changes["reason"] == REASON
    # No ongoing access: not on the team, nothing; on the team, still only what consents cover.
    assert login(client, world.partner_outsider).get(world.case.get_absolute_url()).status_code == 404
    CaseTeamMember.objects.create(case=world.case, staff=world.partner_outsider, team_role=TeamRole.PARTNER)
    page = html(client.get(world.case.get_absolute_url()))
    assert "山田 太郎" not in page
    assert NOTICE in page
    # The entry is not shared with the team.
    assert REASON not in html(login(client, world.partner).get(world.case.get_absolute_url()))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reason": ""}, "reason", "緊急の必要があった理由を書いてください。"),
        ({"agency": ""}, "agency", "提供先の機関を選んでください。"),
        ({"categories": [], "sensitive_categories": []}, "categories", "提供した情報を一つ以上選んでください。"),
        ("centre", "agency", "選べるのは、この自治体の関係機関（自立相談支援機関を除く）だけです。"),
        ("other_town", "agency", "選べるのは、この自治体の関係機関（自立相談支援機関を除く）だけです。"),
        ({"sensitive_categories": ["plan"]}, "sensitive_categories", "選べない情報の範囲です。"),
    ],
)
def test_emergency_bad_input(client, world, changes, field, message):
    if changes == "centre":
        changes = {"agency": world.centre.pk}
    elif changes == "other_town":
        changes = {"agency": world.other_centre.pk}
    response = login(client, world.consultant).post(
        url_of("consents:emergency", world.case), emergency_data(world, recipient_name="救急隊", **changes)
    )
    assert response.status_code == 422
    page = html(response)
    assert message in page.split(f'id="id_{field}_error"', 1)[1].split("</p>", 1)[0]
    assert "救急隊" in page
    assert not Disclosure.objects.exists()


def test_only_the_centre_holding_the_case_records_an_emergency(client, world):
    for who in ("officer", "partner"):
        response = login(client, getattr(world, who)).post(
            url_of("consents:emergency", world.case), emergency_data(world)
        )
        assert response.status_code == 404
    assert not Disclosure.objects.exists()


# The register --------------------------------------------------------------------------------------


def fill_register(world):
    """A team view by the 地域包括 (consent), then an emergency (reason), newest last."""
    login_view = disclose(
        person=world.taro,
        to_agency=world.community_care,
        channel=Channel.TEAM_VIEW,
        categories=["basic", "progress"],
        basis=LegalBasis.CONSENT,
        by=None,
        case=world.case,
        recipient=world.partner,
        consent=world.consent,
    )
    Disclosure.objects.filter(pk=login_view.pk).update(at=timezone.now() - dt.timedelta(days=2))
    return disclose(
        person=world.taro,
        to_agency=world.housing,
        channel=Channel.EMERGENCY,
        categories=["basic", "health"],
        basis=LegalBasis.EMERGENCY,
        by=world.consultant,
        case=world.case,
        recipient_name="中村",
        reason=REASON,
    )


def test_the_register_lists_every_disclosure_newest_first(client, world):
    fill_register(world)
    page = html(login(client, world.consultant).get(url_of("consents:register", world.taro)))
    assert "2件" in page
    assert page.index("居住支援法人あんしん") < page.index("つなぐ市地域包括支援センター")
    for text in [
        "渡辺 包括",
        "中村",
        "基本情報",
        "支援経過",
        "要配慮：病気・障害・メンタルヘルス",
        "ケースチームの関係機関による閲覧",
        "緊急時の提供",
        "本人の同意",
        "人の生命・身体の保護のための緊急の必要",
        REASON,
        "の同意（署名（紙））",
    ]:
        assert text in page
    event = AuditEvent.objects.filter(action=Action.VIEW, person_code=world.taro.code).latest("id")
    assert (event.actor, event.object_type) == (world.consultant, "consents.register")


def test_the_register_is_paginated(client, world, settings):
    from tsunagu.consents import views

    for _ in range(3):
        fill_register(world)
    views_per_page, views.REGISTER_PER_PAGE = views.REGISTER_PER_PAGE, 4
    try:
        login(client, world.officer)
        first = html(client.get(url_of("consents:register", world.taro)))
        second = html(client.get(url_of("consents:register", world.taro), {"page": 2}))
    finally:
        views.REGISTER_PER_PAGE = views_per_page
    assert "6件" in first
    assert "1 / 2 ページ" in first
    assert first.count("<tr>") == 1 + 4
    assert second.count("<tr>") == 1 + 2


def test_the_register_does_not_grow_with_rows(client, world):
    login(client, world.chief)
    fill_register(world)
    one = count_queries(client, url_of("consents:register", world.taro))
    fill_register(world)
    fill_register(world)
    three = count_queries(client, url_of("consents:register", world.taro))
    # session, user, agency, person (+ location), count, the audit write (4), the page (its
    # agencies, recipients and consents joined), the session's save (3).
    assert one == three == pinned(13, 1)


def test_the_register_of_a_confidential_person_is_for_those_who_may_see_her_whereabouts(client, world):
    disclose(
        person=world.hanako,
        to_agency=world.housing,
        channel=Channel.EMERGENCY,
        categories=["basic"],
        basis=LegalBasis.EMERGENCY,
        by=world.consultant,
        reason="避難先の確保",
    )
    assert "居住支援法人あんしん" in html(
        login(client, world.consultant).get(url_of("consents:register", world.hanako))
    )
    assert "居住支援法人あんしん" in html(login(client, world.chief).get(url_of("consents:register", world.hanako)))
    for who in ("consultant2", "officer"):
        response = login(client, getattr(world, who)).get(url_of("consents:register", world.hanako))
        assert response.status_code == 404
        assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(world, who)).exists()


# The register as PDF ---------------------------------------------------------------------------


@pytest.fixture
def poppler_tools():
    missing = [tool for tool in ("pdftotext", "pdffonts") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"PDF tests need {', '.join(missing)}: apt-get install -y poppler-utils")


def test_the_register_prints_as_a_pdf_with_every_disclosure(client, world, poppler_tools):
    fill_register(world)
    response = login(client, world.consultant).get(url_of("consents:register_pdf", world.taro))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    text = pdf_text(response, layout=False, squeeze=True)
    for expected in [
        "情報提供の記録",
        "山田太郎",
        "ヤマダタロウ",
        "全2件",
        "つなぐ市地域包括支援センター",
        "渡辺包括",
        "居住支援法人あんしん",
        "本人の同意",
        "緊急時の提供",
        "自宅で倒れているのを訪問時に発見",
        "要配慮：病気・障害・メンタルヘルス",
    ]:
        assert expected in text
    assert "東小一丁目" not in text  # no address in the register
    assert text.index("居住支援法人あんしん") < text.index("つなぐ市地域包括支援センター")
    assert "IPAex" in poppler("pdffonts", response)
    event = AuditEvent.objects.get(action=Action.EXPORT, person_code=world.taro.code)
    assert (event.actor, event.object_type, event.detail) == (world.consultant, "consents.register.pdf", "2件")
