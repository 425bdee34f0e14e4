"""A person's consents page, recording a consent and withdrawing one, through HTTP with
the personas; and who may open each of the app's pages at all."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import CaseState, TimelineEntry, TimelineKind
from tsunagu.conftest import make_case
from tsunagu.consents.models import Category, Consent, Disclosure, Purpose
from tsunagu.tests.client import answers_like_missing, count_queries, html, login, url_of
from tsunagu.tests.records import give_consent


def today(days=0):
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


# The consents page ------------------------------------------------------------------------------


def test_consents_page_groups_in_force_ended_and_withdrawn(client, world):
    ended = give_consent(
        world.taro,
        world.consultant,
        [world.housing],
        categories=[Category.BASIC, Category.HEALTH],
        given_on=timezone.localdate() - dt.timedelta(days=60),
        ends_on=timezone.localdate() - dt.timedelta(days=1),
        note="入居支援の間だけ",
    )
    withdrawn = give_consent(world.taro, world.consultant, [world.swc], withdrawn_at=timezone.now())
    Consent.objects.filter(pk=withdrawn.pk).update(withdrawal_note="社協への提供はやめてほしい")
    response = login(client, world.consultant).get(url_of("consents:person", world.taro))
    page = html(response)
    in_force, rest = page.split("終了した同意", 1)
    ended_part, withdrawn_part = rest.split("撤回された同意", 1)
    assert "つなぐ市地域包括支援センター" in in_force
    assert "ケースチームでの連携した支援" in in_force
    assert "基本情報" in in_force
    assert url_of("consents:withdraw", world.consent) in in_force
    assert "居住支援法人あんしん" in ended_part
    assert "入居支援の間だけ" in ended_part
    assert "要配慮：病気・障害・メンタルヘルス" in ended_part
    assert "要配慮" in ended_part
    assert url_of("consents:withdraw", ended) not in page
    assert "つなぐ市社会福祉協議会" in withdrawn_part
    assert "社協への提供はやめてほしい" in withdrawn_part
    event = AuditEvent.objects.filter(action=Action.VIEW, person_code=world.taro.code).latest("id")
    assert (event.actor, event.object_type) == (world.consultant, "consents.consent")


def test_the_person_page_links_the_consents_and_the_register(client, world):
    page = html(login(client, world.consultant).get(world.taro.get_absolute_url()))
    assert f'href="{url_of("consents:person", world.taro)}"' in page
    assert reverse("consents:register", kwargs={"code": world.taro.code}) in page
    page = html(login(client, world.officer).get(world.taro.get_absolute_url()))
    assert f'href="{url_of("consents:person", world.taro)}"' not in page  # consents are the centre's to manage
    assert reverse("consents:register", kwargs={"code": world.taro.code}) in page
    page = html(login(client, world.partner).get(world.taro.get_absolute_url()))
    assert url_of("consents:person", world.taro) not in page
    assert "consents/" not in page


def test_consents_page_does_not_grow_with_consents(client, world):
    login(client, world.consultant)
    one = count_queries(client, url_of("consents:person", world.taro))
    give_consent(world.taro, world.consultant, [world.housing, world.swc], withdrawn_at=timezone.now())
    give_consent(world.taro, world.consultant, agency_kinds=["hello_work"], categories=[Category.HEALTH])
    three = count_queries(client, url_of("consents:person", world.taro))
    # session, user, agency, person (+ location), consents, their agencies, the audit write
    # (with its savepoint and the chain's last hash: 4) and the session's save (3).
    assert one == three == pinned(13, 1)


# Recording a consent -------------------------------------------------------------------------


def consent_data(world, **changes):
    data = {
        "agencies": [world.housing.pk],
        "agency_kinds": [],
        "purposes": [Purpose.TEAM, Purpose.REFERRAL],
        "categories": [Category.BASIC, Category.PLAN],
        "sensitive_categories": [],
        "method": "signature",
        "given_on": today(),
        "ends_on": "",
        "case": str(world.case.code),
        "note": "住まい探しのため",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_recording_a_consent_with_a_sensitive_category(client, world):
    login(client, world.consultant)
    page = html(client.get(url_of("consents:new", world.taro) + f"?case={world.case.code}"))
    # The 要配慮 categories stand apart and are never ticked in advance.
    ordinary, sensitive = page.split("要配慮個人情報（一つずつ", 1)
    assert "基本情報" in ordinary
    assert "要配慮：病気" not in ordinary
    assert "要配慮：病気・障害・メンタルヘルス" in sensitive
    assert "checked" not in sensitive.split("</fieldset>", 1)[0]
    assert "つなぐ市自立相談支援センター" not in page.split('name="agencies"', 1)[1].split("</fieldset>", 1)[0]
    response = client.post(
        url_of("consents:new", world.taro),
        consent_data(world, sensitive_categories=[Category.HEALTH], sensitive_confirmed="on", ends_on=today(90)),
    )
    assert response.status_code == 302
    assert response["Location"] == url_of("consents:person", world.taro)
    consent = Consent.objects.exclude(pk=world.consent.pk).get()
    assert list(consent.agencies.all()) == [world.housing]
    assert consent.purposes == ["referral", "team"]
    assert consent.categories == ["basic", "plan", "health"]
    assert consent.case == world.case
    assert consent.ends_on == timezone.localdate() + dt.timedelta(days=90)
    assert consent.recorded_by == world.consultant
    assert consent.is_in_force()
    event = AuditEvent.objects.get(action=Action.CREATE, object_code=str(consent.code))
    assert event.person_code == world.taro.code
    assert event.changes["agencies"] == ["居住支援法人あんしん"]
    assert TimelineEntry.objects.filter(case=world.case, kind=TimelineKind.CONSENT, shared=False).exists()


BAD_INPUT = [
    ({"agencies": [], "agency_kinds": []}, "agencies", "同意の対象機関か、機関の種別を一つ以上選んでください。"),
    ({"purposes": []}, "purposes", "利用目的を一つ以上選んでください。"),
    ({"categories": []}, "categories", "共有する情報を一つ以上選んでください。"),
    (
        {"sensitive_categories": ["criminal_record"]},
        "sensitive_confirmed",
        "要配慮個人情報を含めるときは、本人の明示的な同意を確かめてチェックしてください。",
    ),
    ({"method": ""}, "method", "同意の方法を選んでください。"),
    ({"given_on": ""}, "given_on", "同意日を入れてください。"),
    ({"given_on": today(1)}, "given_on", "同意日が未来の日付になっています。"),
    ({"given_on": "きのう"}, "given_on", "日付として読めません。"),
    ({"given_on": today(-10), "ends_on": today(-20)}, "ends_on", "有効期限が同意日より前になっています。"),
    ({"given_on": today(-10), "ends_on": today(-1)}, "ends_on", "有効期限がすでに過ぎています。"),
    ("other_town", "agencies", "選べるのは、この自治体の関係機関（自立相談支援機関を除く）だけです。"),
    ("centre", "agencies", "選べるのは、この自治体の関係機関（自立相談支援機関を除く）だけです。"),
    ({"agencies": ["x"]}, "agencies", "選べるのは、この自治体の関係機関（自立相談支援機関を除く）だけです。"),
    ({"purposes": ["gossip"]}, "purposes", "選べない利用目的です。"),
    (
        {"sensitive_categories": ["basic"], "sensitive_confirmed": "on"},
        "sensitive_categories",
        "選べない情報の範囲です。",
    ),
    ("other_case", "case", "この相談者のケースを選んでください。"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_next_to_the_field(client, world, changes, field, message):
    if changes == "other_town":
        changes = {"agencies": [world.other_centre.pk]}
    elif changes == "centre":
        changes = {"agencies": [world.centre.pk]}
    elif changes == "other_case":
        changes = {"case": str(world.hanako_case.code)}
    response = login(client, world.consultant).post(url_of("consents:new", world.taro), consent_data(world, **changes))
    assert response.status_code == 422
    page = html(response)
    assert f'id="id_{field}_error"' in page
    error = page.split(f'id="id_{field}_error"', 1)[1].split("</p>", 1)[0]
    assert message in error
    assert "住まい探しのため" in page  # what was typed is kept
    assert Consent.objects.count() == 1


# Withdrawing a consent ---------------------------------------------------------------------------


def test_withdrawing_a_consent(client, world):
    other_case = make_case(world.taro, world.centre, world.consultant2, state=CaseState.ASSESSMENT)
    closed = make_case(world.taro, world.centre, world.consultant, state=CaseState.ENDED)
    login(client, world.consultant)
    page = html(client.get(url_of("consents:withdraw", world.consent)))
    assert "撤回を記録する" in page
    assert "つなぐ市地域包括支援センター" in page
    assert AuditEvent.objects.filter(action=Action.VIEW, object_code=str(world.consent.code)).exists()
    response = client.post(
        url_of("consents:withdraw", world.consent), {"note": "11月26日、本人から電話で撤回の申し出。"}
    )
    assert response.status_code == 302
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_by == world.consultant
    assert world.consent.withdrawal_note == "11月26日、本人から電話で撤回の申し出。"
    assert not world.consent.is_in_force()
    assert world.consent.status == "withdrawn"
    entries = TimelineEntry.objects.filter(kind=TimelineKind.CONSENT)
    assert {e.case for e in entries} == {world.case, other_case}  # the open cases, not the ended one
    assert closed not in {e.case for e in entries}
    assert all("本人から電話で撤回" in e.detail and not e.shared for e in entries)
    event = AuditEvent.objects.get(action=Action.CHANGE, object_code=str(world.consent.code))
    assert event.changes["withdrawn"] is True
    assert event.person_code == world.taro.code
    assert "撤回された同意" in html(client.get(url_of("consents:person", world.taro)))


def test_withdrawing_twice_is_refused_and_changes_nothing(client, world):
    login(client, world.consultant)
    client.post(url_of("consents:withdraw", world.consent), {"note": "一度目"})
    world.consent.refresh_from_db()
    first = world.consent.withdrawn_at
    events = AuditEvent.objects.count()
    response = client.post(url_of("consents:withdraw", world.consent), {"note": "二度目"})
    assert response.status_code == 422
    assert "すでに撤回されています。" in html(response)
    world.consent.refresh_from_db()
    assert (world.consent.withdrawn_at, world.consent.withdrawal_note) == (first, "一度目")
    assert TimelineEntry.objects.filter(kind=TimelineKind.CONSENT).count() == 1
    assert AuditEvent.objects.count() == events
    page = html(client.get(url_of("consents:withdraw", world.consent)))
    assert "この同意は有効ではないため、撤回する必要はありません。" in page
    assert "撤回を記録する" not in page


def test_withdrawal_needs_a_note(client, world):
    response = login(client, world.consultant).post(url_of("consents:withdraw", world.consent), {"note": ""})
    assert response.status_code == 422
    assert "撤回の内容を書いてください。" in html(response)
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_at is None


# Who may open what ---------------------------------------------------------------------------------


def urls(world):
    return {
        "person": url_of("consents:person", world.taro),
        "new": url_of("consents:new", world.taro),
        "withdraw": url_of("consents:withdraw", world.consent),
        "register": reverse("consents:register", kwargs={"code": world.taro.code}),
        "register_pdf": reverse("consents:register_pdf", kwargs={"code": world.taro.code}),
        "emergency": reverse("consents:emergency", kwargs={"code": world.case.code}),
    }


MISSING = {
    "person": lambda: reverse("consents:person", kwargs={"code": uuid.uuid4()}),
    "new": lambda: reverse("consents:new", kwargs={"code": uuid.uuid4()}),
    "withdraw": lambda: reverse("consents:withdraw", kwargs={"code": uuid.uuid4()}),
    "register": lambda: reverse("consents:register", kwargs={"code": uuid.uuid4()}),
    "register_pdf": lambda: reverse("consents:register_pdf", kwargs={"code": uuid.uuid4()}),
    "emergency": lambda: reverse("consents:emergency", kwargs={"code": uuid.uuid4()}),
}
# Who gets a 404 where: consents are the centre's; the register is for full access.
FORBIDDEN = [
    *((who, name) for who in ("outsider", "partner", "partner_outsider") for name in MISSING),
    *(("officer", name) for name in ("person", "new", "withdraw", "emergency")),
]


@pytest.mark.parametrize(("who", "name"), FORBIDDEN)
def test_a_forbidden_page_answers_like_a_missing_one_and_is_audited(client, world, who, name):
    login(client, getattr(world, who))
    forbidden = answers_like_missing(client, urls(world)[name], MISSING[name]())
    assert "山田" not in html(forbidden)
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=getattr(world, who)).count() == 2


@pytest.mark.parametrize("who", ["outsider", "partner", "officer"])
def test_forbidden_posts_change_nothing(client, world, who):
    login(client, getattr(world, who))
    assert client.post(urls(world)["withdraw"], {"note": "撤回"}).status_code == 404
    assert client.post(urls(world)["new"], consent_data(world)).status_code == 404
    emergency = {"agency": world.housing.pk, "categories": ["basic"], "reason": "緊急"}
    assert client.post(urls(world)["emergency"], emergency).status_code == 404
    world.consent.refresh_from_db()
    assert world.consent.withdrawn_at is None
    assert Consent.objects.count() == 1
    assert not Disclosure.objects.exists()


@pytest.mark.parametrize("who", ["supporter", "admin_user"])
def test_roles_without_records_are_turned_away(client, world, who):
    login(client, getattr(world, who))
    for url in urls(world).values():
        response = client.get(url)
        assert response.status_code == 403
        assert world.taro.full_name not in html(response)
