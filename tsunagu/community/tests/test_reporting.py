"""Supporters report, by account and by personal link, and see only the status of their
own reports; they reach nothing else in the app."""

import uuid

import pytest
from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.community.models import ReportStatus, Supporter, SupporterReport
from tsunagu.community.tests.conftest import make_report
from tsunagu.tests.client import html, login

REPORT = reverse("community:report")
MINE = reverse("community:my_reports")


def link_url(world, name="community:link_report"):
    return reverse(name, kwargs={"token": world.link_token})


def form_data(world, **extra):
    return {
        "signs": ["mail_piling_up", "lights_on"],
        "other_text": "",
        "place": "東小一丁目 青い屋根の家",
        "district": world.district.pk,
        "urgency": "normal",
        "reporter_contact": "090-1111-2222",
        **extra,
    }


# By account -------------------------------------------------------------------------


def test_supporter_lands_on_the_report_page(client, world):
    login(client, world.supporter)
    response = client.get("/")
    assert response["Location"] == REPORT
    page = html(client.get(REPORT))
    assert "気になることを知らせる" in page
    assert "新聞・郵便がたまっている" in page
    # The nav offers the report pages only, no staff links.
    nav = page.split('class="site-nav"', 1)[1].split("</nav>", 1)[0]
    assert "知らせる" in nav
    assert reverse("cases:list") not in nav
    assert reverse("people:list") not in nav
    assert reverse("my_day") not in nav


def test_supporter_submits_by_account_and_sees_the_thank_you_and_status(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world))
    assert response["Location"] == reverse("community:report_thanks")
    report = SupporterReport.objects.get()
    assert (report.supporter, report.district, report.municipality) == (
        world.supporter_record,
        world.district,
        world.town,
    )
    assert report.signs == ["mail_piling_up", "lights_on"]
    assert report.neighbourhood == world.neighbourhood
    assert report.status == ReportStatus.RECEIVED
    assert not report.via_link
    assert AuditEvent.objects.filter(action=Action.CREATE, object_code=str(report.code), actor=world.supporter).exists()
    page = html(client.get(response["Location"]))
    assert "ありがとうございました" in page
    assert "受け付けました" in page
    assert "新聞・郵便がたまっている、昼も電気がついたまま" in page
    assert "東小" in page
    # The supporter's own place text is not echoed back: only status, date, district, signs.
    assert "青い屋根" not in page


def test_the_form_starts_from_the_supporters_district_and_phone(client, world):
    world.supporter_record.phone = "0183-55-6666"
    world.supporter_record.save(update_fields=["phone"])
    page = html(login(client, world.supporter).get(REPORT))
    assert f'<option value="{world.district.pk}" selected>' in page
    assert 'value="0183-55-6666"' in page


def test_the_urgent_notice_follows_the_radios_and_needs_no_script(client, world):
    page = html(login(client, world.supporter).get(REPORT))
    urgency = page.split('class="report-step urgency"', 1)[1].split("</fieldset>", 1)[0]
    radio = urgency.index('value="urgent"')
    notice = urgency.index('class="urgent-notice"')
    assert radio < notice  # a sibling after the inputs, for `:checked ~ .urgent-notice`
    assert "119（救急）" in urgency
    assert "110（警察）" in urgency
    assert "<script" not in page.split("</head>", 1)[1]
    assert "style=" not in page


def test_an_urgent_report_repeats_119_and_110_on_the_thank_you_page(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, urgency="urgent"), follow=True)
    page = html(response)
    assert "urgent-notice-shown" in page
    assert "119" in page
    assert SupporterReport.objects.get().urgency == "urgent"


# Bad input ----------------------------------------------------------------------------


def test_an_empty_report_is_refused_by_the_field_and_keeps_what_was_typed(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, signs=[], other_text="  ", place="駅前の角の家", urgency="soon"))
    assert response.status_code == 422
    page = html(response)
    assert "気づいたことを1つ以上選ぶか" in page
    assert 'value="駅前の角の家"' in page
    assert 'value="soon" id="id_urgency_1" required checked' in page
    assert not SupporterReport.objects.exists()


def test_other_needs_words(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, signs=["other"], other_text=""))
    assert response.status_code == 422
    assert "「その他」を選んだときは、くわしく書いてください。" in html(response)
    assert not SupporterReport.objects.exists()


def test_oversize_texts_are_refused_and_kept(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, other_text="あ" * 1001, place="い" * 201))
    assert response.status_code == 422
    page = html(response)
    assert "1000文字以内にしてください（いまは1001文字です）。" in page
    assert "200文字以内にしてください（いまは201文字です）。" in page
    assert "あ" * 1001 in page
    assert not SupporterReport.objects.exists()


def test_a_missing_place_is_refused(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, place=""))
    assert response.status_code == 422
    assert "場所を書いてください" in html(response)
    assert not SupporterReport.objects.exists()


def test_a_district_of_another_municipality_is_refused_with_a_field_message(client, world):
    from tsunagu.accounts.models import District

    elsewhere = District.objects.create(municipality=world.other_town, name="となり地区")
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, district=elsewhere.pk))
    assert response.status_code == 422
    page = html(response)
    assert "この地区は選べません。あなたの市町村の地区から選んでください。" in page
    assert "となり地区" not in page  # not even offered
    assert not SupporterReport.objects.exists()


def test_malformed_values_never_make_a_500(client, world):
    login(client, world.supporter)
    response = client.post(REPORT, form_data(world, district="abc", urgency="panic", signs=["nonsense"]))
    assert response.status_code == 422
    assert not SupporterReport.objects.exists()


# By personal link -----------------------------------------------------------------------


def test_a_link_reports_without_login(client, community):
    world = community
    page = html(client.get(link_url(world)))
    assert "斎藤 郵便さん" in page
    assert f'<option value="{world.district2.pk}" selected>' in page
    response = client.post(link_url(world), form_data(world, district=world.district2.pk, signs=["not_seen"]))
    assert response["Location"] == link_url(world, "community:link_thanks")
    report = SupporterReport.objects.get()
    assert (report.supporter, report.district, report.via_link) == (world.mail_carrier, world.district2, True)
    world.link.refresh_from_db()
    assert world.link.last_used_at is not None
    event = AuditEvent.objects.get(action=Action.CREATE, object_code=str(report.code))
    assert event.actor is None
    assert world.link_token not in str(event.detail) + str(event.changes) + event.path
    page = html(client.get(response["Location"]))
    assert "ありがとうございました" in page
    assert "姿を見かけない" in page


def test_a_revoked_link_says_so_in_japanese_with_the_centres_contact(client, community):
    world = community
    world.centre.phone = "0183-72-3150"
    world.centre.save(update_fields=["phone"])
    from django.utils import timezone

    world.link.revoked_at = timezone.now()
    world.link.revoked_by = world.chief
    world.link.save(update_fields=["revoked_at", "revoked_by"])
    for name in ["community:link_report", "community:link_thanks", "community:link_mine"]:
        response = client.get(link_url(world, name))
        assert response.status_code == 410
        page = html(response)
        assert "このリンクは無効になっています" in page
        assert "0183-72-3150" in page
        assert "斎藤" not in page
    response = client.post(link_url(world), form_data(world, district=world.district2.pk))
    assert response.status_code == 410
    assert not SupporterReport.objects.exists()
    assert AuditEvent.objects.filter(
        action=Action.DENIED, object_type="community.supporterlink", detail="revoked"
    ).exists()


def test_an_unknown_link_is_a_clear_404(client, community):
    response = client.get(reverse("community:link_report", kwargs={"token": "no-such-token"}))
    assert response.status_code == 404
    page = html(response)
    assert "このリンクは使えません" in page
    assert "自立相談支援センター" in page
    assert "119" in page
    assert AuditEvent.objects.filter(action=Action.DENIED, detail="unknown").exists()
    long = reverse("community:link_report", kwargs={"token": "x" * 500})
    assert client.get(long).status_code == 404


def test_an_inactive_supporter_can_no_longer_report(client, community):
    world = community
    Supporter.objects.filter(pk=world.mail_carrier.pk).update(active=False)
    assert client.get(link_url(world)).status_code == 410
    Supporter.objects.filter(pk=world.supporter_record.pk).update(active=False)
    assert login(client, world.supporter).get(REPORT).status_code == 403
    response = client.post(REPORT, {"signs": ["not_seen"], "place": "東小", "district": world.district.pk})
    assert response.status_code == 403
    assert not SupporterReport.objects.exists()


# What a supporter sees and reaches ---------------------------------------------------------


def test_a_supporter_sees_only_their_own_reports_status(client, community):
    world = community
    mine = make_report(world, status=ReportStatus.HANDLED, triage_note="訪問した。独居の高齢男性、食料支援につないだ。")
    mine.person = world.taro
    mine.case = world.case
    mine.save(update_fields=["person", "case"])
    make_report(world, supporter=world.mail_carrier, district=world.district2, signs=["dunning"], place="西小の家")
    page = html(login(client, world.supporter).get(MINE))
    assert "対応しました" in page
    assert "新聞・郵便がたまっている" in page
    for secret in ["独居", "食料支援", "山田", "太郎", "督促状", "西小", "090-1111-2222", "東小一丁目2-3"]:
        assert secret not in page, secret


def test_a_link_shows_only_the_links_supporters_reports(client, community):
    world = community
    make_report(world, signs=["noise"])
    make_report(world, supporter=world.mail_carrier, district=world.district2, signs=["dunning"])
    page = html(client.get(link_url(world, "community:link_mine")))
    assert "督促状・差押え" in page
    assert "大きな声・物音" not in page


@pytest.mark.parametrize(
    "url",
    [
        reverse("my_day"),
        reverse("cases:list"),
        reverse("people:list"),
        reverse("community:network"),
        reverse("community:reports"),
        reverse("community:issues"),
        reverse("community:supporter_list"),
    ],
)
def test_a_supporter_account_reaches_no_staff_screen(client, world, url):
    login(client, world.supporter)
    response = client.get(url)
    assert response.status_code == 403
    assert "山田" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=world.supporter).exists()


def test_a_supporter_cannot_open_a_case_a_person_or_a_report(client, world):
    report = make_report(world)
    login(client, world.supporter)
    for url in [
        world.case.get_absolute_url(),
        world.taro.get_absolute_url(),
        report.get_absolute_url(),
        reverse("community:district_detail", kwargs={"code": world.district.code}),
        reverse("community:report_handled", kwargs={"code": report.code}),
    ]:
        response = client.get(url) if "handled" not in url else client.post(url, {"version": 1})
        assert response.status_code in {403, 404}, url
        assert "山田" not in html(response)
    report.refresh_from_db()
    assert report.status == ReportStatus.RECEIVED


def test_staff_cannot_use_the_supporters_report_page(client, world):
    response = login(client, world.consultant).get(REPORT)
    assert response.status_code == 403
    assert not SupporterReport.objects.exists()


def test_an_anonymous_visitor_must_log_in_for_the_account_page(client, world):
    response = client.get(REPORT)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_a_bad_code_in_a_report_address_is_a_404(client, world):
    login(client, world.chief)
    code = uuid.uuid4()
    response = client.get(reverse("community:report_detail", kwargs={"code": code}))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, object_code=str(code)).exists()
