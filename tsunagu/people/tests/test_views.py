import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseTeamMember, TeamRole
from tsunagu.conftest import make_person, person_form
from tsunagu.consents.models import Method
from tsunagu.people import models as people_models
from tsunagu.people import sharing
from tsunagu.people import views as people_views
from tsunagu.people.models import HouseholdMember, Person, WhereaboutsConfidentiality
from tsunagu.tests.client import answers_like_missing, html, login
from tsunagu.tests.records import give_consent

LIST = reverse("people:list")
NEW = reverse("people:new")

TARO_ADDRESS = "つなぐ市東小一丁目2-3"
HANAKO_ADDRESS = "ひみつ荘"


# Search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["ﾔﾏﾀﾞ", "やまだ", "ヤマダ タロウ", "山田", "たろう", "山田太郎", "ﾀﾛｳ"])
def test_search_folds_kana_and_width(client, world, query):
    page = html(login(client, world.consultant).get(LIST, {"q": query}))
    assert "山田 太郎" in page
    # 山田 次郎 lives in another municipality.
    assert "次郎" not in page


def test_search_for_someone_else_finds_nothing(client, world):
    page = html(login(client, world.consultant).get(LIST, {"q": "スズキ"}))
    assert "山田 太郎" not in page
    assert "秘匿 花子" not in page


def test_search_is_audited_with_the_kind_of_query_not_its_text(client, world):
    login(client, world.consultant).get(LIST, {"q": "やまだ"})
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("id")
    assert (event.actor, event.detail) == (world.consultant, "people:name")
    assert not AuditEvent.objects.filter(detail__contains="やまだ").exists()


def test_search_results_hide_the_district_of_a_confidential_person_outside_the_team(client, world):
    page = html(login(client, world.consultant2).get(LIST, {"q": "ヒトク"}))
    assert "秘匿 花子" in page
    assert world.district2.name not in page
    page = html(login(client, world.consultant).get(LIST, {"q": "ヒトク"}))
    assert world.district2.name in page


def test_partner_finds_only_people_on_their_case_teams(client, world):
    page = html(login(client, world.partner).get(LIST, {"q": "ヤマダ"}))
    assert "山田 太郎" in page
    page = html(client.get(LIST, {"q": "ヒトク"}))
    assert "秘匿 花子" not in page


def test_outsider_finds_only_their_own_municipality(client, world):
    page = html(login(client, world.outsider).get(LIST, {"q": "ヤマダ"}))
    assert "山田 次郎" in page
    assert "太郎" not in page


@pytest.mark.parametrize("who", ["supporter", "admin_user"])
def test_roles_without_records_cannot_search(client, world, who):
    response = login(client, getattr(world, who)).get(LIST, {"q": "ヤマダ"})
    assert response.status_code == 403
    assert "山田" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(world, who)).exists()


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(LIST, {"q": "ヤマダ"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_htmx_search_returns_only_the_results_fragment(client, world):
    response = login(client, world.consultant).get(LIST, {"q": "やまだ"}, headers={"HX-Request": "true"})
    page = html(response)
    assert "山田 太郎" in page
    assert "<html" not in page


# Person page -------------------------------------------------------------------------


def test_worker_sees_the_person_and_the_view_is_audited(client, world):
    page = html(login(client, world.consultant).get(world.taro.get_absolute_url()))
    assert "山田 太郎" in page
    assert "ヤマダ タロウ" in page
    assert TARO_ADDRESS in page
    assert "昭和50年4月1日" in page
    event = AuditEvent.objects.filter(action=Action.VIEW, person_code=world.taro.code).latest("id")
    assert event.actor == world.consultant


def test_partner_on_the_team_sees_the_summary_but_no_contact_details(client, world):
    page = html(login(client, world.partner).get(world.taro.get_absolute_url()))
    assert "山田 太郎" in page
    assert TARO_ADDRESS not in page
    assert "0183-72-1234" not in page


def test_without_the_consents_app_a_partner_is_shown_no_name(client, world, monkeypatch):
    """The consent rule is registered by consents (people.sharing); without it nothing
    is shared with a partner, though taro consented to his name being shared."""
    registered = sharing.CONSENT_RULE
    monkeypatch.setattr(sharing, "CONSENT_RULE", [])
    login(client, world.partner)
    assert "山田 太郎" not in html(client.get(LIST, {"q": "ヤマダ"}))
    assert "山田 太郎" not in html(client.get(LIST))
    page = html(client.get(world.taro.get_absolute_url()))
    assert "山田 太郎" not in page
    assert "ヤマダ タロウ" not in page
    monkeypatch.setattr(sharing, "CONSENT_RULE", registered)
    assert "山田 太郎" in html(client.get(world.taro.get_absolute_url()))


def test_without_the_cases_app_nobody_is_on_a_case_team(client, world, monkeypatch):
    """Who is on a person's case team is registered by cases (people.models.CASE_TEAM);
    without it a partner finds nobody, and only the chief sees a confidential person's
    whereabouts: not her own worker. The person page lists cases only through its panel."""
    registered_teams, registered_panels = people_models.CASE_TEAM, people_views.PERSON_PANELS
    monkeypatch.setattr(people_models, "CASE_TEAM", [])
    monkeypatch.setattr(people_views, "PERSON_PANELS", [])
    login(client, world.partner)
    assert "山田 太郎" not in html(client.get(LIST, {"q": "ヤマダ"}))
    assert client.get(world.taro.get_absolute_url()).status_code == 404
    page = html(login(client, world.consultant).get(world.hanako.get_absolute_url()))
    assert "秘匿 花子" in page
    assert HANAKO_ADDRESS not in page
    assert "090-9999-0000" not in page
    assert world.hanako_case.get_absolute_url() not in page
    assert "ケースはまだありません。" in page
    assert HANAKO_ADDRESS in html(login(client, world.chief).get(world.hanako.get_absolute_url()))
    monkeypatch.setattr(people_models, "CASE_TEAM", registered_teams)
    monkeypatch.setattr(people_views, "PERSON_PANELS", registered_panels)
    page = html(login(client, world.consultant).get(world.hanako.get_absolute_url()))
    assert HANAKO_ADDRESS in page
    assert world.hanako_case.get_absolute_url() in page
    assert "山田 太郎" in html(login(client, world.partner).get(LIST, {"q": "ヤマダ"}))


@pytest.mark.parametrize("who", ["partner_outsider", "outsider"])
def test_a_forbidden_person_answers_like_a_missing_one(client, world, who):
    login(client, getattr(world, who))
    missing = reverse("people:detail", kwargs={"code": uuid.uuid4()})
    forbidden = answers_like_missing(client, world.taro.get_absolute_url(), missing)
    assert "山田" not in html(forbidden)
    denied = AuditEvent.objects.filter(action=Action.DENIED, object_code=str(world.taro.code)).latest("id")
    assert denied.actor == getattr(world, who)


def test_confidential_person_is_withheld_from_staff_outside_the_team(client, world):
    page = html(login(client, world.consultant2).get(world.hanako.get_absolute_url()))
    assert "秘匿 花子" in page
    assert "所在秘匿" in page
    assert HANAKO_ADDRESS not in page
    assert "090-9999-0000" not in page
    assert "012-0999" not in page
    assert "元配偶者" not in page


@pytest.mark.parametrize("who", ["consultant", "chief"])
def test_confidential_person_is_shown_to_the_team_and_the_chief(client, world, who):
    page = html(login(client, getattr(world, who)).get(world.hanako.get_absolute_url()))
    assert HANAKO_ADDRESS in page
    assert "所在秘匿" in page


def test_officer_reads_the_person_but_not_a_confidential_address(client, world):
    login(client, world.officer)
    assert TARO_ADDRESS in html(client.get(world.taro.get_absolute_url()))
    assert HANAKO_ADDRESS not in html(client.get(world.hanako.get_absolute_url()))


def test_household_links_are_withheld_for_a_confidential_person(client, world):
    child = make_person(world.town, "秘匿", "一郎", "ヒトク", "イチロウ")
    login(client, world.consultant)
    response = client.post(
        reverse("people:household_add", kwargs={"code": world.hanako.code}),
        {"member": str(child.code), "relation": "child"},
    )
    assert response.status_code == 302
    assert HouseholdMember.objects.filter(person=child, relation="child").exists()
    assert "秘匿 一郎" in html(client.get(world.hanako.get_absolute_url()))
    assert "秘匿 一郎" not in html(login(client, world.consultant2).get(world.hanako.get_absolute_url()))


# Creating and editing ------------------------------------------------------------------

VALID = {
    "family_name": "佐々木",
    "given_name": "健",
    "family_name_kana": "ささき",
    "given_name_kana": "けん",
    "birth_date": "昭和55年6月1日",
    "sex": "male",
    "postal_code": "０１２－０８０１",
    "address": "つなぐ市西小二丁目",
    "phone": "090-1111-2222",
    "email": "",
    "notes": "",
}


def test_worker_creates_a_person_with_wareki_birth_date(client, world):
    response = login(client, world.consultant).post(NEW, VALID)
    person = Person.objects.get(family_name="佐々木")
    assert response["Location"] == person.get_absolute_url()
    assert person.birth_date == dt.date(1980, 6, 1)
    assert person.postal_code == "012-0801"
    assert person.family_name_kana == "ササキ"
    assert person.full_kana_key == "ササキケン"
    assert person.municipality == world.town
    assert AuditEvent.objects.filter(action=Action.CREATE, person_code=person.code).exists()


def test_search_before_create_shows_the_possible_duplicate(client, world):
    data = {**VALID, **person_form("山田", "太郎", "やまだ", "たろう", birth_date="1975-04-01", phone="")}
    login(client, world.consultant)
    response = client.post(NEW, data)
    assert response.status_code == 200
    page = html(response)
    assert "同じ人が登録されていませんか" in page
    assert world.taro.get_absolute_url() in page
    assert Person.objects.filter(family_name="山田", municipality=world.town).count() == 1
    response = client.post(NEW, {**data, "confirmed_new": "1"})
    assert response.status_code == 302
    assert Person.objects.filter(family_name="山田", municipality=world.town).count() == 2


def test_same_phone_is_a_possible_duplicate(client, world):
    page = html(login(client, world.consultant).post(NEW, {**VALID, "phone": "0183 72 1234"}))
    assert world.taro.get_absolute_url() in page
    assert not Person.objects.filter(family_name="佐々木").exists()


def test_htmx_duplicate_check_returns_the_fragment(client, world):
    data = {**VALID, "family_name_kana": "やまだ", "given_name_kana": "たろう", "birth_date": "S50.4.1", "check": "1"}
    response = login(client, world.consultant).post(NEW, data, headers={"HX-Request": "true"})
    page = html(response)
    assert "<html" not in page
    assert world.taro.get_absolute_url() in page
    assert not Person.objects.filter(family_name="佐々木").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("birth_date", (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "生年月日が未来の日付になっています"),
        ("birth_date", "平成31年5月1日", "日付として読めません"),
        ("birth_date", "2026-02-30", "日付として読めません"),
        ("postal_code", "12345", "郵便番号は7桁の数字で入れてください"),
        ("family_name_kana", "佐々木", "ふりがなはひらがなかカタカナで入れてください"),
        ("notes", "あ" * 20001, "20000"),
        ("family_name", "", "「姓」を入れてください。"),
    ],
)
def test_bad_input_gets_a_japanese_message_by_the_field_and_keeps_the_input(client, world, field, value, message):
    data = {**VALID, field: value}
    response = login(client, world.consultant).post(NEW, data)
    assert response.status_code == 200
    page = html(response)
    assert message in page
    assert 'id="id_address"' in page
    assert "つなぐ市西小二丁目" in page  # what was typed is still there
    assert not Person.objects.filter(address="つなぐ市西小二丁目").exists()


def test_partner_cannot_create_people(client, world):
    response = login(client, world.partner).post(NEW, VALID)
    assert response.status_code == 403
    assert not Person.objects.filter(family_name="佐々木").exists()


def edit_data(person, **changes):
    data = {
        "family_name": person.family_name,
        "given_name": person.given_name,
        "family_name_kana": person.family_name_kana,
        "given_name_kana": person.given_name_kana,
        "birth_date": person.birth_date.isoformat() if person.birth_date else "",
        "sex": person.sex,
        "postal_code": person.postal_code,
        "address": person.address,
        "district": person.district_id or "",
        "phone": person.phone,
        "email": person.email,
        "notes": person.notes,
        "version": person.version,
    }
    data.update(changes)
    return data


def test_edit_saves_and_audits_what_changed(client, world):
    url = reverse("people:edit", kwargs={"code": world.taro.code})
    response = login(client, world.consultant).post(url, edit_data(world.taro, address="つなぐ市東小五丁目"))
    assert response.status_code == 302
    world.taro.refresh_from_db()
    assert world.taro.address == "つなぐ市東小五丁目"
    assert world.taro.version == 2
    event = AuditEvent.objects.filter(action=Action.CHANGE, person_code=world.taro.code).latest("id")
    assert event.changes == {"address": [TARO_ADDRESS, "つなぐ市東小五丁目"]}


def test_a_stale_edit_is_refused_and_the_typed_text_kept(client, world):
    url = reverse("people:edit", kwargs={"code": world.taro.code})
    stale = edit_data(world.taro, address="古い画面からの住所")
    login(client, world.consultant2).post(url, edit_data(world.taro, phone="0183-00-0001"))
    response = login(client, world.consultant).post(url, stale)
    assert response.status_code == 200
    page = html(response)
    assert "他の職員がこの記録を先に更新しました" in page
    assert "古い画面からの住所" in page
    world.taro.refresh_from_db()
    assert world.taro.phone == "0183-00-0001"
    assert world.taro.address == TARO_ADDRESS


def test_staff_outside_the_team_cannot_open_a_confidential_persons_edit_form(client, world):
    url = reverse("people:edit", kwargs={"code": world.hanako.code})
    response = login(client, world.consultant2).get(url)
    assert response.status_code == 302
    assert HANAKO_ADDRESS not in html(client.get(response["Location"]))


# Whereabouts confidentiality -------------------------------------------------------------


def test_setting_confidentiality_protects_at_once_and_needs_a_second_person(client, world):
    login(client, world.consultant)
    response = client.post(
        reverse("people:confidentiality_new", kwargs={"code": world.taro.code}),
        {
            "source": "protection_order",
            "starts_on": timezone.localdate().isoformat(),
            "ends_on": (timezone.localdate() + dt.timedelta(days=364)).isoformat(),
            "protects_against": "元交際相手",
        },
    )
    assert response.status_code == 302
    order = WhereaboutsConfidentiality.objects.get(person=world.taro)
    assert order.awaiting_confirmation
    assert world.taro.whereabouts_confidential
    # consultant2 is on no team of taro: the address is withheld already.
    assert TARO_ADDRESS not in html(login(client, world.consultant2).get(world.taro.get_absolute_url()))
    # The one who asked cannot confirm.
    login(client, world.consultant).post(reverse("people:confidentiality_confirm", kwargs={"code": order.code}))
    order.refresh_from_db()
    assert order.confirmed_by is None
    login(client, world.chief).post(reverse("people:confidentiality_confirm", kwargs={"code": order.code}))
    order.refresh_from_db()
    assert order.confirmed_by == world.chief


def test_lifting_is_the_chiefs_act_with_a_reason_and_ends_protection_at_once(client, world):
    order = world.order
    login(client, world.chief).post(
        reverse("people:confidentiality_lift", kwargs={"code": order.code}), {"lift_reason": "転居し危険がなくなった"}
    )
    order.refresh_from_db()
    assert (order.lifted_by, order.lift_reason) == (world.chief, "転居し危険がなくなった")
    assert not Person.objects.get(pk=world.hanako.pk).whereabouts_confidential
    event = AuditEvent.objects.filter(object_code=str(order.code), action=Action.CHANGE).latest("id")
    assert (event.actor, event.changes, event.detail) == (world.chief, {"lifted": True}, "転居し危険がなくなった")
    assert HANAKO_ADDRESS in html(login(client, world.consultant2).get(world.hanako.get_absolute_url()))


def test_confidentiality_dates_are_checked(client, world):
    response = login(client, world.consultant).post(
        reverse("people:confidentiality_new", kwargs={"code": world.taro.code}),
        {"source": "protection_order", "starts_on": "2026-05-01", "ends_on": "2026-04-01", "protects_against": "x"},
    )
    assert "終了日が開始日より前になっています" in html(response)
    assert not WhereaboutsConfidentiality.objects.filter(person=world.taro).exists()


def test_partner_cannot_touch_confidentiality(client, world):
    confirmed = (world.order.confirmed_at, world.order.confirmed_by_id)
    login(client, world.partner)
    changes = AuditEvent.objects.exclude(action__in=[Action.VIEW, Action.DENIED]).count()
    response = client.post(reverse("people:confidentiality_confirm", kwargs={"code": world.order.code}))
    assert response.status_code == 403
    world.order.refresh_from_db()
    assert (world.order.confirmed_at, world.order.confirmed_by_id) == confirmed
    assert AuditEvent.objects.exclude(action__in=[Action.VIEW, Action.DENIED]).count() == changes


def test_an_order_ending_in_a_month_is_reminded_on_my_page(client, world):
    order = world.order
    WhereaboutsConfidentiality.objects.filter(pk=order.pk).update(ends_on=timezone.localdate() + dt.timedelta(days=20))
    page = html(login(client, world.consultant).get(reverse("my_day")))
    assert "秘匿 花子" in page
    page = html(login(client, world.consultant2).get(reverse("my_day")))
    assert "秘匿 花子" not in page


# Access log -------------------------------------------------------------------------


def test_chief_sees_who_viewed_the_person(client, world):
    login(client, world.consultant).get(world.taro.get_absolute_url())
    page = html(login(client, world.chief).get(reverse("people:access_log", kwargs={"code": world.taro.code})))
    assert "高橋 相談員" in page  # the staff member's name, not the account's
    assert "閲覧" in page


def test_only_the_chief_reads_the_access_log(client, world):
    login(client, world.consultant2).get(world.taro.get_absolute_url())
    response = login(client, world.consultant).get(reverse("people:access_log", kwargs={"code": world.taro.code}))
    assert response.status_code == 404
    assert "鈴木 相談員" not in html(response)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=world.consultant).exists()


def test_partner_added_to_a_team_finds_the_person(client, world):
    CaseTeamMember.objects.create(case=world.hanako_case, staff=world.partner_outsider, team_role=TeamRole.PARTNER)
    # Her name is shown only as far as she consented (tsunagu/consents).
    give_consent(world.hanako, world.consultant, [world.housing], method=Method.SPOKEN, given_on=timezone.localdate())
    page = html(login(client, world.partner_outsider).get(world.hanako.get_absolute_url()))
    assert "秘匿 花子" in page
    # On the team, but a partner sees no contact details at summary level.
    assert HANAKO_ADDRESS not in page
