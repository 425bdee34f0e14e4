"""Referrals through HTTP, with the personas of the root conftest: the centre
(consultant, chief) sends; the 居住支援法人 (partner_outsider, on no team) receives
housing referrals; the 地域包括 (partner, on taro's team) receives others; the
outsider (another town) sees nothing."""

import datetime as dt
import re

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import Task
from tsunagu.conftest import make_staff
from tsunagu.consents.models import Category, Disclosure, LegalBasis
from tsunagu.referrals import flow
from tsunagu.referrals.access import referral_for
from tsunagu.referrals.models import Referral, ReferralStatus
from tsunagu.tests.client import html, login, refused

R = ReferralStatus
INBOX = reverse("referrals:inbox")


def new_url(world, agency=None):
    url = reverse("referrals:new", kwargs={"case_code": world.case.code})
    return f"{url}?to_agency={agency.pk}" if agency else url


def to_housing(world, request, categories=("basic",), basis="consent", **extra):
    """The new-referral form sending taro's `categories` to the 居住支援法人."""
    return {"to_agency": world.housing.pk, "categories": list(categories), "request": request, "basis": basis, **extra}


def url(name, referral):
    return reverse(f"referrals:{name}", kwargs={"code": referral.code})


def send(
    world,
    categories=(Category.BASIC, Category.PLAN),
    agency=None,
    case=None,
    request="転居先探しの支援をお願いします。",
):
    return flow.send(case or world.case, world.consultant, agency or world.housing, list(categories), request)


def denied_count():
    return AuditEvent.objects.filter(action=Action.DENIED).count()


# -- sending from a case ----------------------------------------------------------


def test_the_case_panel_offers_to_refer_and_lists_referrals(client, world, housing_consent):
    case_url = world.case.get_absolute_url()
    page = html(login(client, world.consultant).get(case_url))
    assert "このケースからのつなぎはまだありません" in page
    assert reverse("referrals:new", kwargs={"case_code": world.case.code}) in page
    referral = send(world)
    page = html(client.get(case_url))
    assert url("detail", referral) in page
    assert "居住支援法人あんしん" in page
    assert "回答待ち" in page
    # The officer reads the case in full but sends nothing; a partner on the team sees no panel.
    page = html(login(client, world.officer).get(case_url))
    assert url("detail", referral) in page
    assert reverse("referrals:new", kwargs={"case_code": world.case.code}) not in page
    page = html(login(client, world.partner).get(case_url))
    assert url("detail", referral) not in page
    assert "つなぎ（紹介）" not in page


def test_the_new_page_asks_for_the_agency_then_shows_what_consent_covers(client, world, housing_consent):
    page = html(login(client, world.consultant).get(new_url(world)))
    assert "まず、つなぎ先を選んでください" in page
    assert "居住支援法人あんしん" in page
    assert "つなぐ市自立相談支援センター</option>" not in page  # not the centre itself
    assert "となり村" not in page
    response = client.get(new_url(world, world.housing))
    page = html(response)
    assert response.status_code == 200
    rows = dict(re.findall(r'<th scope="row">([^<]+)</th>\s*<td><span class="badge [^"]+">([^<]+)</span>', page))
    assert rows["基本情報"] == "同意あり"
    assert rows["プラン"] == "同意あり"
    assert rows["支援経過"] == "同意なし"
    assert rows["病気・障害・メンタルヘルス（要配慮個人情報）"] == "同意なし"
    assert f'name="to_agency" value="{world.housing.pk}"' in page
    # BASIC, covered, comes ticked.
    assert re.search(r'name="categories" value="basic"[^>]*checked', page)


def test_sending_through_the_form(client, world, housing_consent):
    data = to_housing(world, "転居先探しをお願いします。", ["basic", "plan"])
    response = login(client, world.consultant).post(new_url(world), data)
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response.url == url("detail", referral)
    assert referral.categories == ["basic", "plan"]
    assert referral.referred_by == world.consultant
    assert Disclosure.objects.get().basis == LegalBasis.CONSENT
    page = html(client.get(response.url))
    assert "居住支援法人あんしんへつなぎました" in page
    assert "転居先探しをお願いします。" in page


def test_uncovered_categories_are_refused_by_the_field_and_nothing_is_saved(client, world, housing_consent):
    login(client, world.consultant)
    page = html(refused(client, new_url(world), to_housing(world, "私の依頼文", ["basic", "progress"])))
    assert re.search(r'class="field-error" id="id_categories_error"><span>「支援経過」は', page)
    assert "私の依頼文" in page  # input kept
    assert not Referral.objects.exists()
    assert not Disclosure.objects.exists()
    assert not Task.objects.exists()


def test_a_withdrawn_consent_is_refused_by_the_field(client, world, housing_consent):
    form_page = login(client, world.consultant).get(new_url(world, world.housing))
    assert "同意あり" in html(form_page)
    housing_consent.withdrawn_at = timezone.now()
    housing_consent.save(update_fields=["withdrawn_at"])
    refused(client, new_url(world), to_housing(world, "依頼"), "この機関への同意は撤回されています")
    assert not Referral.objects.exists()


def test_emergency_without_a_reason_is_refused_and_with_one_is_logged(client, world):
    data = to_housing(world, "今夜の宿", basis="emergency")
    refused(login(client, world.consultant), new_url(world), data, 'id="id_emergency_reason_error"')
    assert not Referral.objects.exists()
    response = client.post(new_url(world), {**data, "emergency_reason": "路上で一夜を過ごしており命の危険がある"})
    assert response.status_code == 302
    disclosure = Disclosure.objects.get()
    assert disclosure.basis == LegalBasis.EMERGENCY
    assert disclosure.reason == "路上で一夜を過ごしており命の危険がある"


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "officer", "outsider", "supporter"])
def test_only_the_centre_opens_the_new_page(client, world, housing_consent, who):
    before = denied_count()
    response = login(client, getattr(world, who)).get(new_url(world, world.housing))
    assert response.status_code in {403, 404}
    assert "山田" not in html(response)
    assert denied_count() == before + 1
    response = client.post(new_url(world), to_housing(world, "x"))
    assert response.status_code in {403, 404}
    assert not Referral.objects.exists()


# -- the loop through the receiving agency's pages ----------------------------------


def test_the_whole_loop_and_the_referrers_timeline(client, world, housing_consent):
    referral = send(world)
    login(client, world.partner_outsider)
    page = html(client.get(INBOX))
    assert "山田 太郎" in page
    assert "つなぐ市自立相談支援センター" in page
    page = html(client.get(url("detail", referral)))
    assert "受け入れる" in page
    assert "お断りする" in page
    response = client.post(
        url("accept", referral), {"accept-version": 1, "accept-receiving_worker": world.partner_outsider.pk}
    )
    assert response.status_code == 302
    page = html(client.get(url("detail", referral)))
    assert "受け入れる" not in page
    assert "本人と接触した" in page
    today = timezone.localdate().isoformat()
    assert (
        client.post(url("contact", referral), {"contact-version": 2, "contact-contacted_on": today}).status_code == 302
    )
    response = client.post(
        url("outcome", referral), {"outcome-version": 3, "outcome-outcome": "市営住宅に入居が決まった"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == R.COMPLETED
    assert referral.contacted_on == timezone.localdate()
    assert referral.task.done_by == world.partner_outsider
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    timeline = page[page.index('id="timeline-title"') :]
    assert timeline.count("<strong>つなぎ</strong>") == 4
    for text in ["へつなぎました", "が受け入れました", "が本人と接触しました", "市営住宅に入居が決まった"]:
        assert text in timeline
    assert "結果報告済み" in page


def test_decline_needs_a_reason_by_the_field(client, world, housing_consent):
    referral = send(world)
    response = login(client, world.partner_outsider).post(url("decline", referral), {"decline-version": 1})
    page = html(response)
    assert response.status_code == 422
    assert 'id="id_decline-reason_error"' in page
    assert Referral.objects.get().status == R.SENT
    response = client.post(url("decline", referral), {"decline-version": 1, "decline-reason": "空き物件がありません"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == R.DECLINED
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    assert "空き物件がありません" in page
    assert "お断り" in page


def test_withdraw_by_the_centre(client, world, housing_consent):
    referral = send(world)
    page = html(login(client, world.partner_outsider).get(url("detail", referral)))
    assert "取り下げる" not in page
    response = client.post(url("withdraw", referral), {"withdraw-version": 1, "withdraw-reason": "x"})
    assert response.status_code == 422
    assert Referral.objects.get().status == R.SENT
    page = html(login(client, world.chief).get(url("detail", referral)))
    assert "取り下げる" in page
    response = client.post(url("withdraw", referral), {"withdraw-version": 1, "withdraw-reason": "本人が転居した"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == R.WITHDRAWN
    assert referral.task.done_at is not None
    page = html(login(client, world.partner_outsider).get(url("detail", referral)))
    assert "取り下げ" in page
    assert "受け入れる" not in page


def test_an_answer_from_a_stale_page_says_so_and_keeps_the_input(client, world, housing_consent):
    referral = send(world)
    colleague = make_staff("housing2", world.housing, "partner", display_name="山本 居住")
    login(client, colleague).post(url("decline", referral), {"decline-version": 1, "decline-reason": "対象外"})
    response = login(client, world.partner_outsider).post(
        url("contact", referral), {"contact-version": 1, "contact-contacted_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 422
    assert "他の職員が先に更新しました（現在: お断り）" in html(response)
    referral.refresh_from_db()
    assert referral.status == R.DECLINED
    assert referral.contacted_on is None


def test_the_hand_off_follow_up_closes_when_the_agency_confirms_contact(client, world):
    world.case.state = "screening"
    world.case.save(update_fields=["state"])
    response = login(client, world.consultant).post(
        reverse("cases:move", kwargs={"code": world.case.code}),
        {"to": "handed_off", "expected_state": "screening", "to_agency": world.housing.pk, "reason": "住まいの相談"},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    task = Task.objects.get(case=world.case)
    assert referral.task == task
    page = html(login(client, world.partner_outsider).get(INBOX))
    assert "氏名の提供なし" in page  # no consent: no name
    assert "山田" not in page
    page = html(client.get(url("detail", referral)))
    assert "本人がつなぎ先に自分で連絡します" in page
    assert "住まいの相談" in page
    response = client.post(
        url("contact", referral), {"contact-version": 1, "contact-contacted_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_at is not None
    page = html(login(client, world.consultant).get(world.case.get_absolute_url()))
    assert "本人と接触済み" in page


# -- what the receiving side sees -----------------------------------------------------


def test_the_receiver_sees_the_snapshot_but_never_the_case_or_person(
    client, world, housing_consent, plan, private_note
):
    referral = send(world)
    login(client, world.partner_outsider)
    page = html(client.get(url("detail", referral)))
    assert "山田 太郎" in page
    assert "安定した住まいで働きながら暮らす" in page
    assert "家族の事情" not in page
    assert world.case.get_absolute_url() not in page
    assert world.taro.get_absolute_url() not in page
    before = denied_count()
    assert client.get(world.case.get_absolute_url()).status_code == 404
    assert client.get(world.taro.get_absolute_url()).status_code == 404
    assert denied_count() == before + 2
    # Each look is audited; sending was the disclosure, reading writes no second one.
    views = AuditEvent.objects.filter(
        action=Action.VIEW, object_type="referrals.referral", actor=world.partner_outsider
    )
    assert views.count() == 1
    assert views.get().person_code == world.taro.code
    assert views.get().detail == "receiver"
    assert Disclosure.objects.count() == 1


def test_no_address_of_a_confidential_person_anywhere(client, world):
    world.consent.person = world.hanako
    world.consent.case = world.hanako_case
    world.consent.save(update_fields=["person", "case"])
    world.consent.agencies.add(world.housing)
    referral = send(world, categories=[Category.BASIC], case=world.hanako_case, request="DV避難後の住まいの相談")
    for who in [world.partner_outsider, world.consultant2, world.consultant]:
        login(client, who)
        for page_url in [INBOX, url("detail", referral)]:
            page = html(client.get(page_url))
            for secret in ["ひみつ荘", "西小九丁目", "090-9999-0000", "012-0999"]:
                assert secret not in page, (who, page_url, secret)
    page = html(login(client, world.partner_outsider).get(url("detail", referral)))
    assert "秘匿 花子" in page
    assert "所在秘匿" in page


def test_an_address_sent_before_confidentiality_is_hidden_afterwards(client, world, housing_consent):
    referral = send(world, categories=[Category.BASIC])
    assert "東小一丁目" in html(login(client, world.partner_outsider).get(url("detail", referral)))
    world.order.person = world.taro
    world.order.save(update_fields=["person"])
    page = html(client.get(url("detail", referral)))
    assert "東小一丁目" not in page
    assert "0183-72-1234" not in page
    assert "所在秘匿" in page
    # The worker on the case team still reads it.
    assert "東小一丁目" in html(login(client, world.consultant).get(url("detail", referral)))


def test_a_withdrawn_consent_hides_what_was_sent_from_the_receiver(client, world, housing_consent, plan):
    referral = send(world)
    housing_consent.withdrawn_at = timezone.now()
    housing_consent.save(update_fields=["withdrawn_at"])
    page = html(login(client, world.partner_outsider).get(url("detail", referral)))
    assert "本人の同意が撤回された" in page
    assert "安定した住まいで働きながら暮らす" not in page
    assert "東小一丁目" not in page
    assert "転居先探しの支援をお願いします。" not in page  # the request speaks of the person too
    page = html(login(client, world.consultant).get(url("detail", referral)))
    assert "本人の同意が撤回された" in page
    assert "安定した住まいで働きながら暮らす" in page
    assert "転居先探しの支援をお願いします。" in page


def test_the_inbox_shows_a_name_only_when_basic_was_sent(client, world, housing_consent):
    send(world, categories=[Category.PLAN])
    page = html(login(client, world.partner_outsider).get(INBOX))
    assert "氏名の提供なし" in page
    assert "山田" not in page
    send(world, categories=[Category.BASIC])
    assert "山田 太郎" in html(client.get(INBOX))


def test_a_withdrawn_consent_takes_the_name_off_the_inbox(client, world, housing_consent):
    send(world, categories=[Category.BASIC])
    housing_consent.withdrawn_at = timezone.now()
    housing_consent.save(update_fields=["withdrawn_at"])
    page = html(login(client, world.partner_outsider).get(INBOX))
    assert "氏名の提供なし" in page
    assert "山田" not in page


def test_the_inbox_puts_open_first_and_highlights_the_overdue(client, world, housing_consent):
    done = send(world, request="一件目")
    flow.decline(done, world.partner_outsider, "対象外")
    late = send(world, request="二件目")
    Referral.objects.filter(pk=late.pk).update(answer_by=timezone.localdate() - dt.timedelta(days=2))
    fresh = send(world, categories=[Category.PLAN], request="三件目")
    page = html(login(client, world.partner_outsider).get(INBOX))
    order = [m.group(1) for m in re.finditer(r'href="/referrals/([0-9a-f-]+)/"', page)]
    assert order == [str(late.code), str(fresh.code), str(done.code)]
    late_row = page[: page.index(f"/referrals/{late.code}/")].rsplit("<tr", 1)[1]
    assert "referral-row-overdue" in late_row
    assert "回答期限切れ" in page
    assert page.count("回答期限切れ") == 1


def test_the_centre_sees_what_it_sent_on_the_inbox(client, world, housing_consent):
    referral = send(world)
    page = html(login(client, world.consultant2).get(INBOX))
    assert "センターから送ったつなぎ" in page
    assert url("detail", referral) in page
    assert "居住支援法人あんしん" in page
    page = html(login(client, world.partner).get(INBOX))
    assert "届いたつなぎはありません" in page
    assert "センターから送ったつなぎ" not in page
    assert url("detail", referral) not in page


# -- outsiders --------------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "partner", "district_chief"])
def test_no_referral_view_lets_an_outsider_reach_it(client, world, housing_consent, who):
    referral = send(world)
    login(client, getattr(world, who))
    targets = [
        ("get", url("detail", referral), {}),
        ("post", url("accept", referral), {"accept-version": 1, "accept-receiving_worker": world.partner_outsider.pk}),
        ("post", url("decline", referral), {"decline-version": 1, "decline-reason": "x"}),
        ("post", url("contact", referral), {"contact-version": 1, "contact-contacted_on": "2026-01-01"}),
        ("post", url("outcome", referral), {"outcome-version": 1, "outcome-outcome": "x"}),
        ("post", url("withdraw", referral), {"withdraw-version": 1, "withdraw-reason": "x"}),
    ]
    for method, target, data in targets:
        before = denied_count()
        response = getattr(client, method)(target, data)
        assert response.status_code == 404, target
        assert "山田" not in html(response)
        assert denied_count() == before + 1, target
    referral.refresh_from_db()
    assert referral.status == R.SENT
    assert referral.version == 1
    assert "山田" not in html(client.get(INBOX))


def test_the_supporter_and_admin_have_no_inbox(client, world, housing_consent):
    send(world)
    for who in [world.supporter, world.admin_user]:
        response = login(client, who).get(INBOX)
        assert response.status_code == 403
        assert world.taro.full_name not in html(response)


# -- query counts -----------------------------------------------------------------

# session, user, the user's agency (menu and role), the open and the other received
# referrals, the consents in force for them and their agencies (whether a name may still
# be shown), and the session saved on every request (savepoint, update, release); the
# centre has received nothing, and lists the open and the other referrals it sent.
INBOX_QUERIES = {"partner_outsider": 10, "consultant": 10}


@pytest.mark.parametrize("who", ["partner_outsider", "consultant"])
def test_the_inbox_costs_the_same_for_one_or_three_referrals(
    client, world, housing_consent, django_assert_num_queries, who
):
    login(client, getattr(world, who))
    referral = send(world)
    flow.decline(referral, world.partner_outsider, "対象外")
    for rows in (1, 3):
        with django_assert_num_queries(INBOX_QUERIES[who]):
            page = html(client.get(INBOX))
        assert len(set(re.findall(r'href="/referrals/([0-9a-f-]{36})/"', page))) == rows
        send(world)
        send(world, categories=[Category.PLAN])


# session, user, agency, the referral with its relations, the audit entry (last hash,
# savepoint, insert, release), the consents in force and their agencies, whether the
# person is under confidentiality, the staff to choose a receiving worker from, and
# the session saved
DETAIL_QUERIES = 15  # with one audit write (pinned below)


@pytest.mark.parametrize("categories", [[Category.BASIC], [Category.BASIC, Category.PLAN]])
def test_the_detail_page_query_count_is_pinned(
    client, world, housing_consent, plan, django_assert_num_queries, categories
):
    referral = send(world, categories=categories)
    login(client, world.partner_outsider)
    with django_assert_num_queries(pinned(DETAIL_QUERIES, 1)):
        page = html(client.get(url("detail", referral)))
    assert "山田 太郎" in page


# Where a person under whereabouts confidentiality was sent ----------------------------------


def test_where_a_confidential_person_was_sent_is_only_for_her_team(client, world):
    """A shelter or a housing corporation can tell where she is: centre staff outside her
    case team (consultant2) and the officer do not learn it from the case page, its tasks
    and timeline, the inbox or the referral page; her worker does."""
    referral = flow.send(
        world.hanako_case,
        world.consultant,
        world.housing,
        [Category.BASIC],
        "住まいの確保をお願いします。",
        basis=LegalBasis.EMERGENCY,
        emergency_reason="元配偶者が近くにいる",
    )
    assert world.housing.name not in referral.task.title
    for reader in (world.consultant2, world.officer):
        client.force_login(reader)
        page = client.get(world.hanako_case.get_absolute_url()).content.decode()
        assert world.housing.name not in page
        assert "所在秘匿のため表示しません" in page
        assert client.get(referral.get_absolute_url()).status_code == 404
    client.force_login(world.consultant2)
    inbox = client.get(reverse("referrals:inbox")).content.decode()
    assert "秘匿 花子" in inbox
    assert world.housing.name not in inbox
    client.force_login(world.consultant)
    assert world.housing.name in client.get(referral.get_absolute_url()).content.decode()
    assert world.housing.name in client.get(reverse("referrals:inbox")).content.decode()
    # Nor may consultant2 choose where she goes (that is knowing where she is).
    client.force_login(world.consultant2)
    new_url = reverse("referrals:new", kwargs={"case_code": world.hanako_case.code})
    assert client.get(new_url).status_code == 404
    assert new_url not in client.get(world.hanako_case.get_absolute_url()).content.decode()  # no 「つなぐ」
    assert AuditEvent.objects.filter(actor=world.consultant2, action=Action.DENIED, detail="refer").exists()
    client.force_login(world.consultant)
    assert client.get(new_url).status_code == 200
    # The receiving agency still has its referral, and never her address.
    client.force_login(world.partner_outsider)
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "住まいの確保をお願いします。" in page
    assert "ひみつ荘" not in page


def test_referral_for_says_from_which_side_the_user_reads_it(client, world, housing_consent):
    # The side decides the page's forms and the audit's detail (SeenReferral, issue 14).
    referral = send(world)
    sender = referral_for(world.consultant2, referral.code)
    receiver = referral_for(world.partner_outsider, referral.code)
    assert (sender.referral, sender.sender, sender.receiver, sender.side) == (referral, True, False, "sender")
    assert (receiver.referral, receiver.sender, receiver.receiver, receiver.side) == (
        referral,
        False,
        True,
        "receiver",
    )
    # The officer reads it from the sending side; acting on it is for the centre.
    assert referral_for(world.officer, referral.code).sender
    with pytest.raises(Http404):
        referral_for(world.officer, referral.code, write=True)
    page = html(login(client, world.consultant).get(url("detail", referral)))
    assert url("withdraw", referral) in page
    views = AuditEvent.objects.filter(action=Action.VIEW, object_type="referrals.referral", actor=world.consultant)
    assert list(views.values_list("detail", flat=True)) == ["sender"]
