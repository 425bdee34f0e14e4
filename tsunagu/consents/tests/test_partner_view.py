"""The heart of the consents app: a partner-agency member of a case team sees exactly
what the person's consents in force cover for their agency and the team's work, and
every page that shows them something is logged as a disclosure in the same request."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.audit.testing import pinned
from tsunagu.cases.models import CaseTeamMember, Task, TeamRole
from tsunagu.conftest import make_case, make_person
from tsunagu.consents.models import Category, Channel, Consent, Disclosure, LegalBasis, Purpose
from tsunagu.consents.tests.helpers import NOTICE, add_note, make_plan
from tsunagu.tests.client import count_queries, html, login
from tsunagu.tests.records import give_consent

SHARED_NOTE = "包括と共有する記録：大家さんと面談した。"
INNER_NOTE = "センター内だけの記録：本人は不眠を訴えた。"
PLAN_ROW = "大家さんと分納を合意する"
SENSITIVE_ROW = "心療内科への通院を続ける"
TARO_ADDRESS = "つなぐ市東小一丁目2-3"


def case_page(client, staff, case):
    return html(login(client, staff).get(case.get_absolute_url()))


def team_views():
    return Disclosure.objects.filter(channel=Channel.TEAM_VIEW)


# What the case page shows a partner ------------------------------------------------------------


def test_partner_sees_exactly_the_consented_categories(client, shared):
    w = shared
    page = case_page(client, w.partner, w.case)
    # BASIC: name, reading, 主訴 and summary; not the address.
    assert "山田 太郎" in page
    assert "ヤマダ タロウ" in page
    assert "家賃滞納と失業。" in page
    assert "収入・生活費" in page
    assert TARO_ADDRESS not in page
    assert "0183-72-1234" not in page
    # PROGRESS: the notes shared with the team, never the centre's own.
    assert SHARED_NOTE in page
    assert INNER_NOTE not in page
    # PLAN: the summary of the current plan, without the row about mental health.
    assert "住まいを失わずに、また山の仕事をする。" in page
    assert PLAN_ROW in page
    assert SENSITIVE_ROW not in page
    # No consent to 要配慮 information: the 主訴 "病気・健康・障害" stays hidden.
    assert "病気・健康・障害" not in page
    assert "つなぐ市地域包括支援センターと共有されている情報：" in page
    # What was shown is logged, in the request that showed it, next to the audit entry.
    disclosure = team_views().get()
    assert disclosure.person == w.taro
    assert disclosure.case == w.case
    assert disclosure.recipient == w.partner
    assert disclosure.recipient_agency == w.community_care
    assert disclosure.basis == LegalBasis.CONSENT
    assert disclosure.consent == w.consent
    assert disclosure.categories == ["basic", "plan", "progress"]
    assert AuditEvent.objects.filter(action=Action.VIEW, case_code=w.case.code, actor=w.partner).count() == 1


def test_with_basic_only_the_partner_sees_no_notes_and_no_plan(client, shared):
    w = shared
    Consent.objects.filter(pk=w.consent.pk).update(categories=[Category.BASIC])
    page = case_page(client, w.partner, w.case)
    assert "山田 太郎" in page
    assert "家賃滞納と失業。" in page
    assert SHARED_NOTE not in page
    assert "住まいを失わずに、また山の仕事をする。" not in page
    assert PLAN_ROW not in page
    assert NOTICE in page  # where the notes and the timeline would be
    assert team_views().get().categories == ["basic"]


def test_with_progress_and_plan_but_no_basic_the_name_is_withheld(client, shared):
    w = shared
    Consent.objects.filter(pk=w.consent.pk).update(categories=[Category.PLAN, Category.PROGRESS])
    page = case_page(client, w.partner, w.case)
    for secret in ["山田 太郎", "山田", "ヤマダ", "家賃滞納と失業。", "収入・生活費"]:
        assert secret not in page
    assert NOTICE in page
    assert SHARED_NOTE in page
    assert PLAN_ROW in page
    assert team_views().get().categories == ["plan", "progress"]


def test_a_partner_named_by_no_consent_sees_nothing_of_the_person_and_nothing_is_logged(client, shared):
    w = shared
    CaseTeamMember.objects.create(case=w.case, staff=w.partner_outsider, team_role=TeamRole.PARTNER)
    page = case_page(client, w.partner_outsider, w.case)
    for secret in ["山田 太郎", "ヤマダ", "家賃滞納と失業。", SHARED_NOTE, PLAN_ROW, "収入・生活費"]:
        assert secret not in page
    assert NOTICE in page
    assert "と共有することに本人が同意している情報はありません" in page
    assert not Disclosure.objects.exists()
    assert AuditEvent.objects.filter(action=Action.VIEW, actor=w.partner_outsider).exists()


def test_a_sensitive_category_needs_its_own_consent(client, shared):
    w = shared
    health = give_consent(w.taro, w.consultant, [w.community_care], categories=[Category.HEALTH])
    page = case_page(client, w.partner, w.case)
    assert SENSITIVE_ROW in page
    assert "病気・健康・障害" in page
    rows = {tuple(d.categories): d.consent for d in team_views()}
    assert rows == {("basic", "plan", "progress"): w.consent, ("health",): health}


@pytest.mark.parametrize(
    ("change", "sees"),
    [
        ({"purposes": [Purpose.REFERRAL, Purpose.COORDINATION]}, False),  # not for the team's work
        ({"ends_on": dt.date(2000, 1, 1)}, False),  # ended
        ({"agency_kinds": ["community_care_centre"]}, True),  # every 地域包括 (with no named agency)
    ],
)
def test_purpose_end_and_agency_kind_decide(client, world, change, sees):
    world.consent.agencies.clear()
    if "agency_kinds" not in change:
        world.consent.agencies.set([world.community_care])
    Consent.objects.filter(pk=world.consent.pk).update(**change)
    page = case_page(client, world.partner, world.case)
    assert ("山田 太郎" in page) is sees
    assert (NOTICE in page) is not sees


def test_a_consent_for_another_agency_does_not_count(client, world):
    world.consent.agencies.set([world.housing])
    page = case_page(client, world.partner, world.case)
    assert "山田 太郎" not in page
    assert NOTICE in page


def test_withdrawal_cuts_access_at_once(client, shared):
    w = shared
    assert "山田 太郎" in case_page(client, w.partner, w.case)
    assert SHARED_NOTE in case_page(client, w.partner, w.case)
    response = login(client, w.consultant).post(
        reverse("consents:withdraw", kwargs={"code": w.consent.code}), {"note": "本人から電話で撤回の申し出。"}
    )
    assert response.status_code == 302
    page = case_page(client, w.partner, w.case)
    assert "山田 太郎" not in page
    assert SHARED_NOTE not in page
    assert PLAN_ROW not in page
    assert NOTICE in page
    person_page = html(client.get(w.taro.get_absolute_url()))
    assert "山田 太郎" not in person_page
    assert NOTICE in person_page
    assert team_views().count() == 2  # the two views before the withdrawal, none after


def test_centre_staff_and_officers_are_not_limited_and_nothing_is_logged(client, shared):
    w = shared
    w.consent.agencies.clear()  # no consent for anyone
    page = case_page(client, w.consultant2, w.case)
    assert "山田 太郎" in page
    assert INNER_NOTE in page
    assert "病気・健康・障害" in page
    page = case_page(client, w.officer, w.case)
    assert "山田 太郎" in page
    assert INNER_NOTE in page
    assert not Disclosure.objects.exists()


# The person page and the lists ------------------------------------------------------------------


def test_person_page_for_a_partner(client, world):
    page = html(login(client, world.partner).get(world.taro.get_absolute_url()))
    assert "山田 太郎" in page
    assert "ヤマダ タロウ" in page
    disclosure = team_views().get()
    assert (disclosure.categories, disclosure.case, disclosure.consent) == (["basic"], None, world.consent)
    world.consent.agencies.clear()
    page = html(client.get(world.taro.get_absolute_url()))
    assert "山田 太郎" not in page
    assert "ヤマダ" not in page
    assert NOTICE in page
    assert team_views().count() == 1


def more_partner_cases(world, n, *, consent):
    for i in range(n):
        person = make_person(world.town, "川口", f"三郎{i}", "カワグチ", f"サブロウ{i}", district=world.district)
        case = make_case(person, world.centre, world.consultant, summary=f"概要{i}")
        CaseTeamMember.objects.create(case=case, staff=world.partner, team_role=TeamRole.PARTNER)
        add_note(case, world.consultant, f"共有記録{i}", shared=True)
        Task.objects.create(case=case, title=f"包括の訪問{i}", due_on=timezone.localdate(), assignee=world.partner)
        if consent:
            give_consent(person, world.consultant, [world.community_care])


def test_case_list_rows_for_a_partner(client, world):
    more_partner_cases(world, 1, consent=False)
    page = html(login(client, world.partner).get(reverse("cases:list")))
    assert "山田 太郎" in page
    assert "川口" not in page
    assert "カワグチ" not in page
    assert NOTICE in page
    disclosure = team_views().get()
    assert (disclosure.person, disclosure.case, disclosure.categories) == (world.taro, world.case, ["basic"])
    # 主訴 can be 要配慮: a partner cannot filter on it either.
    assert 'name="concern"' not in page
    assert 'name="concern"' in html(login(client, world.consultant).get(reverse("cases:list")))


def test_people_list_and_search_for_a_partner(client, world):
    more_partner_cases(world, 1, consent=False)
    login(client, world.partner)
    page = html(client.get(reverse("people:list")))
    assert "山田 太郎" in page
    assert "川口" not in page
    assert NOTICE in page
    # A search must not confirm a name the partner may not see.
    page = html(client.get(reverse("people:list"), {"q": "カワグチ"}))
    assert "0件" in page
    assert "三郎" not in page
    page = html(client.get(reverse("people:list"), {"q": "ヤマダ"}))
    assert "山田 太郎" in page


def test_my_day_task_rows_withhold_the_name(client, world):
    more_partner_cases(world, 1, consent=False)
    page = html(login(client, world.partner).get(reverse("my_day")))
    assert "包括の訪問0" in page
    assert "川口" not in page
    assert NOTICE in page
    # Ticking the task off answers with the row again (HTMX): still without the name.
    task = Task.objects.get(title="包括の訪問0")
    row = html(client.post(reverse("cases:task_done", kwargs={"code": task.code}), HTTP_HX_REQUEST="true"))
    assert "完了" in row
    assert "川口" not in row
    assert NOTICE in row


# Query counts: a partner's pages cost the same for 1 row as for 3 -------------------------------

# (queries on SQLite, audit events written)
PINNED = {
    # session, user, agency, case (+ its person and location), the audit write (4), the scope (consents,
    # their agencies), concerns, plan, plan items, the disclosure, notes, tasks, team, timeline
    # and the session's save (3), + the meetings panel (the case's items in meetings the
    # partner attends).
    "case": (22, 1),
    "cases": (14, 0),  # the list as for the centre (11), + consents, their agencies, the disclosures
    "people": (12, 0),  # + 1: the page's ids in reading order, then its rows
}


def test_case_page_for_a_partner_does_not_grow(client, world):
    login(client, world.partner)
    make_plan(world.case, world.consultant, world.community_care)
    add_note(world.case, world.consultant, "共有1", shared=True)
    Task.objects.create(case=world.case, title="訪問1", due_on=timezone.localdate(), assignee=world.partner)
    one = count_queries(client, world.case.get_absolute_url())
    for i in (2, 3):
        add_note(world.case, world.consultant, f"共有{i}", shared=True)
        Task.objects.create(case=world.case, title=f"訪問{i}", due_on=timezone.localdate(), assignee=world.partner)
    give_consent(world.taro, world.consultant, [world.community_care], categories=[Category.HEALTH])
    give_consent(world.taro, world.consultant, agency_kinds=["community_care_centre"])
    CaseTeamMember.objects.create(case=world.case, staff=world.partner_outsider, team_role=TeamRole.PARTNER)
    three = count_queries(client, world.case.get_absolute_url())
    assert one == three == pinned(*PINNED["case"])


@pytest.mark.parametrize(("name", "url"), [("cases", reverse("cases:list")), ("people", reverse("people:list"))])
def test_list_pages_for_a_partner_do_not_grow(client, world, name, url):
    login(client, world.partner)
    more_partner_cases(world, 1, consent=True)
    one = count_queries(client, url)
    more_partner_cases(world, 2, consent=True)
    three = count_queries(client, url)
    assert one == three == pinned(*PINNED[name])
