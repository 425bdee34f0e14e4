"""Whereabouts by decision (issue 9): joining the team of a person under whereabouts
confidentiality, lifting her order, the deputy's emergency read, searches by phone and
e-mail, and the agencies she was sent to (consents, timeline, the 他機関へつなぎ move).

hanako (world) is under an order; consultant is her worker; consultant2 and employment
are centre workers outside her team; the chief sees everything."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import Case, CaseState, CaseTeamMember, TeamRequest, TimelineEntry, TimelineKind
from tsunagu.conftest import make_person, person_form
from tsunagu.meetings.tests.conftest import attend
from tsunagu.people.models import EmergencyRead, Person, WhereaboutsConfidentiality
from tsunagu.tests.client import html, login
from tsunagu.tests.records import make_meeting, referral_consent, write_intake, write_plan
from tsunagu.tests.walk import xlsx_text

HANAKO_ADDRESS = "ひみつ荘"
HANAKO_PHONE = "090-9999-0000"
MY = reverse("my_day")


def sees_hanako(client, staff, world):
    """Whether the staff member sees hanako's address on her page and her case page."""
    login(client, staff)
    person = html(client.get(world.hanako.get_absolute_url()))
    case = html(client.get(world.hanako_case.get_absolute_url()))
    return (HANAKO_ADDRESS in person and HANAKO_ADDRESS in case) or HANAKO_PHONE in person


def team_url(case):
    return reverse("cases:team_add", kwargs={"code": case.code})


def decide_url(request):
    return reverse("cases:team_request_decide", kwargs={"code": request.code})


def decision(request, verdict, reason):
    prefix = str(request.code)
    return {f"{prefix}-decision": verdict, f"{prefix}-reason": reason}


# 1. Joining her team is a request the chief decides ----------------------------------


def test_adding_oneself_to_her_team_is_a_request_until_the_chief_approves(client, world):
    assert not sees_hanako(client, world.consultant2, world)
    response = login(client, world.consultant2).post(
        team_url(world.hanako_case), {"staff": world.consultant2.pk, "team_role": "co_worker", "note": ""}
    )
    assert response.status_code == 302
    assert not CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.consultant2).exists()
    request = TeamRequest.objects.get(case=world.hanako_case)
    assert (request.staff, request.kind, request.requested_by, request.decided_at) == (
        world.consultant2,
        "member",
        world.consultant2,
        None,
    )
    assert AuditEvent.objects.filter(
        action=Action.CREATE, object_type="cases.teamrequest", person_code=world.hanako.code
    ).exists()
    assert not sees_hanako(client, world.consultant2, world)

    # The chief's /my/ lists it; the chief approves with the reason.
    page = html(login(client, world.chief).get(MY))
    assert "ケースチームへの参加申請" in page
    assert "秘匿 花子" in page
    assert decide_url(request) in page
    client.post(decide_url(request), decision(request, "approve", "夜間の同行支援のため"))
    request.refresh_from_db()
    assert (request.approved, request.decided_by, request.decision_reason) == (
        True,
        world.chief,
        "夜間の同行支援のため",
    )
    assert CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.consultant2).exists()
    event = AuditEvent.objects.filter(object_code=str(request.code), action=Action.CHANGE).get()
    assert (event.actor, event.detail, event.changes["approved"]) == (world.chief, "夜間の同行支援のため", True)
    assert sees_hanako(client, world.consultant2, world)
    assert decide_url(request) not in html(login(client, world.chief).get(MY))


def test_making_oneself_her_worker_is_a_request(client, world):
    case = world.hanako_case
    login(client, world.consultant2)
    response = client.post(
        reverse("cases:edit", kwargs={"code": case.code}),
        {
            "intake_route": case.intake_route,
            "opened_on": case.opened_on.isoformat(),
            "worker": world.consultant2.pk,
            "summary": "DV避難。追記",
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.worker, case.summary) == (world.consultant, "DV避難。追記")  # the rest is saved
    request = TeamRequest.objects.get(case=case)
    assert (request.kind, request.staff) == ("worker", world.consultant2)
    assert not sees_hanako(client, world.consultant2, world)
    login(client, world.chief).post(decide_url(request), decision(request, "approve", "担当替え"))
    case.refresh_from_db()
    assert case.worker == world.consultant2
    assert sees_hanako(client, world.consultant2, world)


def protected_without_case(world):
    person = make_person(
        world.town,
        "隠岐",
        "静",
        "オキ",
        "シズカ",
        address="つなぐ市東小三丁目 しずか寮",
        postal_code="012-0333",
        phone="080-3333-3333",
    )
    WhereaboutsConfidentiality.objects.create(
        person=person,
        source="protection_order",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + dt.timedelta(days=100),
        protects_against="元交際相手",
        requested_by=world.chief,
    )
    return person


def test_opening_a_case_for_her_opens_it_without_a_worker_until_the_chief_decides(client, world):
    person = protected_without_case(world)
    login(client, world.consultant2)
    response = client.post(
        reverse("cases:new") + f"?person={person.code}",
        {"intake_route": "walk_in", "opened_on": timezone.localdate().isoformat(), "worker": world.consultant2.pk},
    )
    case = Case.objects.get(person=person)
    assert response.status_code == 302
    assert case.worker is None
    request = TeamRequest.objects.get(case=case)
    assert (request.kind, request.staff) == ("worker", world.consultant2)
    assert "しずか寮" not in html(client.get(case.get_absolute_url()))
    # Moving the case on does not make the mover her worker either (申込 needs the intake first).
    write_intake(case, world.chief)
    for target, state in (("screening", "intake"), ("applied", "screening")):
        client.post(reverse("cases:move", kwargs={"code": case.code}), {"to": target, "expected_state": state})
    case.refresh_from_db()
    assert (case.state, case.worker) == ("applied", None)
    assert "しずか寮" not in html(client.get(person.get_absolute_url()))


def test_the_chief_adds_a_member_at_once(client, world):
    login(client, world.chief).post(
        team_url(world.hanako_case), {"staff": world.employment.pk, "team_role": "employment", "note": ""}
    )
    assert CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.employment).exists()
    assert not TeamRequest.objects.exists()


def test_a_refusal_needs_a_reason_and_leaves_the_team_as_it_was(client, world):
    login(client, world.consultant2).post(
        team_url(world.hanako_case), {"staff": world.consultant2.pk, "team_role": "co_worker"}
    )
    request = TeamRequest.objects.get()
    login(client, world.chief).post(decide_url(request), decision(request, "refuse", ""))
    request.refresh_from_db()
    assert request.decided_at is None
    client.post(decide_url(request), decision(request, "refuse", "必要性が確認できない"))
    request.refresh_from_db()
    assert (request.approved, request.decision_reason) == (False, "必要性が確認できない")
    assert not CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.consultant2).exists()
    assert not sees_hanako(client, world.consultant2, world)


@pytest.mark.parametrize("who", ["consultant2", "consultant", "employment", "officer", "partner", "outsider"])
def test_no_one_but_the_chief_decides_without_a_delegation(client, world, who):
    login(client, world.consultant2).post(
        team_url(world.hanako_case), {"staff": world.consultant2.pk, "team_role": "co_worker"}
    )
    request = TeamRequest.objects.get()
    changes = AuditEvent.objects.filter(action=Action.CHANGE).count()
    response = login(client, getattr(world, who)).post(decide_url(request), decision(request, "approve", "自分で"))
    assert response.status_code in {302, 403, 404}
    request.refresh_from_db()
    assert request.decided_at is None
    assert not CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.consultant2).exists()
    assert AuditEvent.objects.filter(action=Action.CHANGE).count() == changes


def test_the_chief_may_delegate_the_decision_to_her_team(client, world):
    order = world.order
    login(client, world.consultant).post(
        reverse("people:confidentiality_delegate", kwargs={"code": order.code}), {"delegated": "1"}
    )
    order.refresh_from_db()
    assert not order.team_decisions_delegated  # only the chief delegates
    login(client, world.chief).post(
        reverse("people:confidentiality_delegate", kwargs={"code": order.code}), {"delegated": "1"}
    )
    order.refresh_from_db()
    assert order.team_decisions_delegated
    login(client, world.consultant2).post(
        team_url(world.hanako_case), {"staff": world.consultant2.pk, "team_role": "co_worker"}
    )
    request = TeamRequest.objects.get()
    # Her worker (on her team) now sees and decides it; a worker outside her team does not.
    assert decide_url(request) not in html(login(client, world.employment).get(MY))
    assert decide_url(request) in html(login(client, world.consultant).get(MY))
    client.post(decide_url(request), decision(request, "approve", "チームで合意"))
    request.refresh_from_db()
    assert (request.approved, request.decided_by) == (True, world.consultant)


def test_meeting_roles_for_her_become_requests(client, world):
    from tsunagu.cases.team import needs_decision, request_join

    assert needs_decision(world.hanako, world.officer)
    assert not needs_decision(world.hanako, world.chief)
    assert not needs_decision(world.taro, world.consultant2)
    first = request_join(world.hanako_case, world.employment, world.officer, "member", team_role="employment")
    again = request_join(world.hanako_case, world.employment, world.officer, "member", team_role="employment")
    assert first.pk == again.pk
    assert TeamRequest.objects.count() == 1


# 2. Lifting an order is the chief's act ---------------------------------------------


def test_two_workers_outside_her_team_cannot_lift_her_order(client, world):
    order = world.order
    denied = AuditEvent.objects.filter(action=Action.DENIED).count()
    login(client, world.consultant2).post(
        reverse("people:confidentiality_lift", kwargs={"code": order.code}), {"lift_reason": "もう大丈夫"}
    )
    login(client, world.employment).post(reverse("people:confidentiality_lift_confirm", kwargs={"code": order.code}))
    login(client, world.consultant).post(
        reverse("people:confidentiality_lift", kwargs={"code": order.code}), {"lift_reason": "担当者でも不可"}
    )
    order.refresh_from_db()
    assert (order.lift_requested_at, order.lifted_at, order.lift_reason) == (None, None, "")
    assert Person.objects.get(pk=world.hanako.pk).whereabouts_confidential
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied + 3
    assert not sees_hanako(client, world.consultant2, world)
    page = html(login(client, world.consultant).get(world.hanako.get_absolute_url()))
    assert reverse("people:confidentiality_lift", kwargs={"code": order.code}) not in page


def test_the_lift_needs_a_reason(client, world):
    order = world.order
    response = login(client, world.chief).post(
        reverse("people:confidentiality_lift", kwargs={"code": order.code}), {"lift_reason": ""}
    )
    order.refresh_from_db()
    assert order.lifted_at is None
    assert "必須" in html(response)


# 3. Break-glass ---------------------------------------------------------------------


@pytest.fixture
def deputy(world):
    world.employment.is_deputy_chief = True
    world.employment.save(update_fields=["is_deputy_chief"])
    return world.employment


def test_the_deputy_reads_her_whereabouts_with_a_reason_and_the_chief_sees_it_at_once(client, world, deputy):
    url = reverse("people:emergency_read", kwargs={"code": world.hanako.code})
    login(client, deputy)
    assert url in html(client.get(world.hanako.get_absolute_url()))
    assert HANAKO_ADDRESS not in html(client.get(url))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 422
    assert not EmergencyRead.objects.exists()
    page = html(client.post(url, {"reason": "本人から助けを求める電話、警察に所在を伝えるため"}))
    assert HANAKO_ADDRESS in page
    assert HANAKO_PHONE in page
    read = EmergencyRead.objects.get()
    assert (read.person, read.reader) == (world.hanako, deputy)
    # Only that answer: her pages stay as they were.
    assert HANAKO_ADDRESS not in html(client.get(world.hanako.get_absolute_url()))

    my = html(login(client, world.chief).get(MY))
    assert "所在の緊急閲覧" in my
    assert "警察に所在を伝えるため" in my
    log = html(client.get(reverse("people:access_log", kwargs={"code": world.hanako.code})))
    assert "people.emergency_read" in log or "警察に所在を伝えるため" in log
    client.post(reverse("people:emergency_read_acknowledge", kwargs={"code": read.code}))
    read.refresh_from_db()
    assert read.acknowledged_by == world.chief
    assert "警察に所在を伝えるため" not in html(client.get(MY))


@pytest.mark.parametrize("who", ["consultant2", "officer", "partner"])
def test_only_the_deputy_may_break_the_glass(client, world, who):
    url = reverse("people:emergency_read", kwargs={"code": world.hanako.code})
    response = login(client, getattr(world, who)).post(url, {"reason": "見たい"})
    assert response.status_code in {403, 404}
    assert HANAKO_ADDRESS not in html(response)
    assert not EmergencyRead.objects.exists()


# 4. A phone number does not find a person -------------------------------------------


@pytest.mark.parametrize(
    ("who", "query", "found"),
    [
        ("consultant2", HANAKO_PHONE, False),  # under an order, outside her team
        ("employment", "09099990000", False),
        ("officer", HANAKO_PHONE, False),
        ("consultant", HANAKO_PHONE, True),  # her worker
        ("chief", HANAKO_PHONE, True),
        ("partner", "0183-72-1234", False),  # taro's partner never sees his phone
        ("consultant2", "0183-72-1234", True),  # the centre sees taro's phone
    ],
)
def test_a_phone_number_finds_only_whom_the_searcher_would_see_it_for(client, world, who, query, found):
    page = html(login(client, getattr(world, who)).get(reverse("people:list"), {"q": query}))
    name = "秘匿 花子" if query.replace("-", "") == "09099990000" else "山田 太郎"
    assert (name in page) is found
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("id")
    assert event.detail == "people:phone"
    assert not AuditEvent.objects.filter(detail__contains=query[-4:]).exists()


def test_an_email_address_finds_only_whom_the_searcher_would_see_it_for(client, world):
    Person.objects.filter(pk=world.hanako.pk).update(email="hanako@example.jp")
    assert "秘匿 花子" not in html(
        login(client, world.consultant2).get(reverse("people:list"), {"q": "hanako@example.jp"})
    )
    assert "秘匿 花子" in html(login(client, world.consultant).get(reverse("people:list"), {"q": "HANAKO@example.jp"}))
    assert AuditEvent.objects.filter(action=Action.SEARCH).latest("id").detail == "people:email"


def test_the_duplicate_check_does_not_answer_who_has_her_number(client, world):
    data = person_form("新規", "一", "しんき", "はじめ", sex="female", phone=HANAKO_PHONE)
    response = login(client, world.consultant2).post(reverse("people:new"), data)
    assert "秘匿 花子" not in html(response)
    assert HANAKO_ADDRESS not in html(response)
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("id")
    assert (event.actor, event.detail) == (world.consultant2, "duplicate_check:reading+phone")
    # Nothing matched for consultant2, so the record was made (her number told nothing).
    assert Person.objects.filter(family_name="新規").count() == 1
    # Her worker is warned of the duplicate, and nothing is made until they confirm.
    page = html(login(client, world.consultant).post(reverse("people:new"), data))
    assert world.hanako.get_absolute_url() in page
    assert Person.objects.filter(family_name="新規").count() == 1


def test_the_agenda_search_does_not_answer_who_has_her_number(client, world):
    meeting = make_meeting(world, "coordination", chair=world.consultant2)
    attend(meeting, world.consultant2)
    url = meeting.get_absolute_url()
    page = html(login(client, world.consultant2).get(url, {"find": HANAKO_PHONE}))
    assert "秘匿 花子" not in page
    assert "山田 太郎" in html(client.get(url, {"find": "0183-72-1234"}))
    event = AuditEvent.objects.filter(action=Action.SEARCH, object_type="meetings.agenda_search").latest("id")
    assert event.detail == "phone"
    meeting.chair = world.consultant
    meeting.save(update_fields=["chair"])
    assert "秘匿 花子" in html(login(client, world.consultant).get(url, {"find": HANAKO_PHONE}))


# 5. Consents do not name where she was sent -----------------------------------------


@pytest.fixture
def hanako_consent(world):
    return referral_consent(world.hanako_case, world.consultant, world.housing, given_on=timezone.localdate())


@pytest.mark.parametrize(("who", "named"), [("consultant2", False), ("chief", True), ("consultant", True)])
def test_her_consents_name_the_agency_only_to_her_team(client, world, hanako_consent, who, named):
    agency = world.housing.name
    login(client, getattr(world, who))
    consents = html(client.get(reverse("consents:person", kwargs={"code": world.hanako.code})))
    case_page = html(client.get(world.hanako_case.get_absolute_url()))
    withdraw = html(client.get(reverse("consents:withdraw", kwargs={"code": hanako_consent.code})))
    assert (agency in consents, agency in case_page, agency in withdraw) == (named, named, named)
    if not named:
        assert "所在秘匿のため機関名は表示しません" in consents


def test_the_officer_does_not_read_where_she_was_sent_on_her_case_page(client, world, hanako_consent):
    page = html(login(client, world.officer).get(world.hanako_case.get_absolute_url()))
    assert "秘匿 花子" in page
    assert world.housing.name not in page


def test_a_consent_for_someone_not_under_an_order_names_the_agency(client, world):
    page = html(login(client, world.consultant2).get(reverse("consents:person", kwargs={"code": world.taro.code})))
    assert world.community_care.name in page


# 6. The 他機関へつなぎ move and old timeline entries ----------------------------------


def test_handing_her_off_is_for_her_team_and_the_chief(client, world):
    Case.objects.filter(pk=world.hanako_case.pk).update(state=CaseState.SCREENING)
    url = reverse("cases:move", kwargs={"code": world.hanako_case.code})
    data = {"to": "handed_off", "expected_state": "screening", "to_agency": world.housing.pk, "reason": ""}
    login(client, world.consultant2)
    assert 'value="handed_off"' not in html(client.get(world.hanako_case.get_absolute_url()))
    response = client.post(url, data)
    assert response.status_code == 422
    world.hanako_case.refresh_from_db()
    assert (world.hanako_case.state, world.hanako_case.handed_off_to) == ("screening", None)
    assert world.housing.name not in html(response)
    login(client, world.consultant).post(url, data)
    world.hanako_case.refresh_from_db()
    assert (world.hanako_case.state, world.hanako_case.handed_off_to) == ("handed_off", world.housing)


def test_timeline_and_tasks_written_before_her_order_do_not_name_where_she_was_sent(client, world, hanako_consent):
    TimelineEntry.objects.create(
        case=world.hanako_case,
        kind=TimelineKind.STATE,
        actor=world.consultant,
        detail=f"つなぎ先: {world.housing.name} / 住まいの相談",
    )
    page = html(login(client, world.consultant2).get(world.hanako_case.get_absolute_url()))
    assert world.housing.name not in page
    assert re.search(r"つなぎ先: つなぎ先 / 住まいの相談", page)
    assert world.housing.name in html(login(client, world.consultant).get(world.hanako_case.get_absolute_url()))
    assert TimelineEntry.objects.filter(detail__contains=world.housing.name).exists()  # the record is unchanged


def test_her_plan_names_who_supports_her_only_to_her_team_and_only_they_write_it(client, world):
    from tsunagu.sheets.models import PlanItem, PlanSheet

    plan = write_plan(world.hanako_case, world.consultant, agreed=False, long_term_goal="安心して暮らす。")
    PlanItem.objects.create(plan=plan, issue="unstable_housing", goal="住まいの確保", provider_agency=world.housing)
    url = reverse("sheets:plan", kwargs={"code": world.hanako_case.code})
    xlsx = reverse("sheets:xlsx", kwargs={"code": world.hanako_case.code, "kind": "plan"})
    login(client, world.consultant2)
    page = html(client.get(url))
    assert "住まいの確保" in page
    assert world.housing.name not in page
    assert "住まいの確保" in xlsx_text(client.get(xlsx).content)
    assert world.housing.name not in xlsx_text(client.get(xlsx).content)
    denied = AuditEvent.objects.filter(action=Action.DENIED).count()
    response = client.post(url, {"long_term_goal": "書き換え", "base_version": 1})
    assert response.status_code == 404
    assert PlanSheet.objects.filter(case=world.hanako_case).count() == 1
    assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied + 1
    assert world.housing.name in html(login(client, world.consultant).get(url))
    assert world.housing.name in xlsx_text(client.get(xlsx).content)


def test_opening_her_case_from_a_supporter_report_leaves_the_worker_to_the_chief(client, world):
    from tsunagu.community.tests.conftest import make_report

    report = make_report(world, person=world.hanako)
    url = reverse("community:report_open_case", kwargs={"code": report.code})
    occurred = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    login(client, world.consultant2).post(url, {"version": report.version, "occurred_at": occurred, "content": "訪問"})
    case = Case.objects.exclude(pk=world.hanako_case.pk).get(person=world.hanako)
    assert case.worker is None
    assert TeamRequest.objects.get(case=case).staff == world.consultant2
    assert not sees_hanako(client, world.consultant2, world)
