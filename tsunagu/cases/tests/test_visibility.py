"""cases_visible_to as row conditions and EXISTS (issue 12): the same cases as the rule
says, for every persona, and still the right ones after the records change."""

import pytest
from django.urls import reverse

from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.models import Case, CaseTeamMember, TeamRole
from tsunagu.conftest import PERSONAS, make_case, make_person
from tsunagu.consents.models import withdraw_consent
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.tests.records import protect


def expected(user):
    """The rule of architecture.md § Access, written out row by row."""
    if user.role in NO_RECORDS_ROLES or user.agency_id is None:
        return set()
    seen = set()
    for case in Case.objects.select_related("agency"):
        on_team = case.worker_id == user.pk or CaseTeamMember.objects.filter(case=case, staff=user).exists()
        centre = user.works_in_centre and case.agency_id == user.agency_id
        officer = user.is_municipal_officer and case.agency.municipality_id == user.municipality_id
        if on_team or centre or officer:
            seen.add(case.pk)
    return seen


def visible(user):
    return set(cases_visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def more(world):
    """A second centre's case in the same town with the partner on its team, and a case
    of the other town whose team the district chief is on."""
    second = make_person(world.town, "川口", "三郎", "カワグチ", "サブロウ", district=world.district)
    world.case2 = make_case(second, world.centre, world.consultant2)
    CaseTeamMember.objects.create(case=world.case2, staff=world.district_chief, team_role=TeamRole.PARTNER)
    CaseTeamMember.objects.create(case=world.other_case, staff=world.partner_outsider, team_role=TeamRole.PARTNER)
    return world


@pytest.mark.parametrize("who", PERSONAS)
def test_every_persona_sees_exactly_the_cases_the_rule_gives(more, who):
    user = getattr(more, who)
    assert visible(user) == expected(user)
    # The rule is not vacuous: the centre sees its three cases, an outsider only the other town's.
    assert visible(more.consultant2) == {more.case.pk, more.hanako_case.pk, more.case2.pk}
    assert visible(more.partner_outsider) == {more.other_case.pk}
    assert visible(more.district_chief) == {more.case2.pk}


def test_the_query_has_no_in_subquery_over_cases(world):
    """The shape PostgreSQL could not plan at 300k (issue 12) must not come back."""
    sql = str(cases_visible_to(world.partner).query).upper()
    assert "EXISTS" in sql
    assert '"CASES_CASE"."ID" IN (SELECT' not in sql.replace("U0.", "")
    officer_sql = str(cases_visible_to(world.officer).query).upper()
    assert "INNER JOIN" not in officer_sql


def test_a_partner_taken_off_the_team_stops_seeing_the_case_at_once(client, world):
    client.force_login(world.partner)
    assert "山田 太郎" in client.get(reverse("cases:list")).content.decode()
    CaseTeamMember.objects.filter(case=world.case, staff=world.partner).delete()
    assert visible(world.partner) == set() == expected(world.partner)
    page = client.get(reverse("cases:list")).content.decode()
    assert "山田 太郎" not in page
    assert client.get(world.case.get_absolute_url()).status_code == 404


def test_a_withdrawn_consent_keeps_the_case_but_hides_the_name_from_the_partner(client, world):
    client.force_login(world.partner)
    assert "山田 太郎" in client.get(reverse("cases:list")).content.decode()
    withdraw_consent(world.consent, world.consultant, "本人の申出")
    assert visible(world.partner) == {world.case.pk}  # still on the team
    page = client.get(reverse("cases:list")).content.decode()
    assert "山田 太郎" not in page
    assert "ヤマダ" not in page


def test_a_new_whereabouts_order_takes_the_person_out_of_a_district_list_for_others(client, world):
    by_district = reverse("cases:list") + f"?district={world.district.pk}"
    client.force_login(world.consultant2)  # centre staff, not on taro's team
    assert "山田 太郎" in client.get(by_district).content.decode()
    protect(world.taro, world.consultant)
    assert visible(world.consultant2) == expected(world.consultant2)  # the case itself stays visible
    assert "山田 太郎" not in client.get(by_district).content.decode()
    client.force_login(world.consultant)  # her worker still finds her by district
    assert "山田 太郎" in client.get(by_district).content.decode()


def test_a_case_moved_to_another_worker_moves_between_their_own_lists(client, world):
    mine = reverse("cases:list") + "?mine=on&include_closed=on"
    edit = reverse("cases:edit", kwargs={"code": world.case.code})
    client.force_login(world.chief)
    response = client.post(
        edit,
        {
            "version": world.case.version,
            "intake_route": world.case.intake_route,
            "opened_on": world.case.opened_on.isoformat(),
            "worker": world.consultant2.pk,
            "summary": world.case.summary,
            "concerns": ["income", "job_search"],
            "primary_concern": "income",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.case.refresh_from_db()
    assert world.case.worker_id == world.consultant2.pk
    for held in ("on_team_of", "held_by"):  # the condition and the list's ids read first
        assert set(
            getattr(cases_visible_to(world.consultant2), held)(world.consultant2).values_list("pk", flat=True)
        ) == {world.case.pk}
        assert world.case.pk not in set(
            getattr(cases_visible_to(world.consultant), held)(world.consultant).values_list("pk", flat=True)
        )
    client.force_login(world.consultant2)
    assert "山田 太郎" in client.get(mine).content.decode()
    client.force_login(world.consultant)
    page = client.get(mine).content.decode()
    assert "山田 太郎" not in page
    assert "秘匿 花子" in page


def test_held_by_is_on_team_of_read_the_other_way(world):
    """The user's cases as a worker, as a team member, both, and none: held_by (ids first,
    for lists) and on_team_of (one condition) agree, whatever else the queryset filters."""
    from tsunagu.cases.models import Case, CaseTeamMember, TeamRole

    CaseTeamMember.objects.create(case=world.case, staff=world.employment, team_role=TeamRole.EMPLOYMENT)
    for user in (world.consultant, world.consultant2, world.employment, world.partner_outsider, world.chief):
        one = set(Case.objects.on_team_of(user).values_list("pk", flat=True))
        other = set(Case.objects.held_by(user).values_list("pk", flat=True))
        assert one == other, user.username
        assert set(Case.objects.filter(state=world.case.state).held_by(user)) == set(
            Case.objects.filter(state=world.case.state).on_team_of(user)
        )
    assert world.case.pk in set(Case.objects.held_by(world.employment).values_list("pk", flat=True))
    assert not Case.objects.held_by(world.partner_outsider).exists()
