"""Her workplace is her whereabouts. For a person under whereabouts confidentiality
(world.hanako), the employer, the places of her steps and the 定着支援 follow-ups tell
where she is every weekday: only her case team and the chief see them (docs/security.md).
A centre worker with full access to her case but outside her team (consultant2, the
就労支援員 named on her profile whose joining the chief has not approved, the
municipality's officer) reaches none of her employment records: each page answers like a
missing one, is audited as a denial and changes nothing, and no page across cases names
her beside her employer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseTeamMember, Task, TeamRequest, TimelineEntry
from tsunagu.employment.models import Placement
from tsunagu.employment.support import record_placement
from tsunagu.employment.tests.conftest import make_employer, make_placement
from tsunagu.employment.tests.test_access import make_records, snapshot, targets
from tsunagu.tests.pages import visible_text

WORKPLACE = "しのび製作所"
OPENING = "しのびの箱詰め"
FREE_TEXT_WORKPLACE = "かくれ商店"  # a placement at an employer outside the directory
HER = "秘匿 花子"
OUTSIDE = ["consultant2", "employment", "officer"]
TEAM = ["consultant", "chief"]


@pytest.fixture
def hers(world):
    """Her records, the profile naming world.employment (not on her team)."""
    records = make_records(world, world.hanako_case, WORKPLACE, OPENING)
    today = timezone.localdate()
    # A second placement whose first follow-up falls within the week (the 就労支援員's day).
    placement = Placement(
        case=world.hanako_case,
        employer_name=FREE_TEXT_WORKPLACE,
        started_on=today - dt.timedelta(days=28),
        employment_type="part_time",
        hours_per_week=20,
        monthly_wage=80000,
    )
    record_placement(placement, world.employment)
    assert not CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.employment).exists()
    return records


def _shown(page):
    return [s for s in (WORKPLACE, OPENING, FREE_TEXT_WORKPLACE) if s in page]


def _her_targets(world, records, by_case):
    """Her case's addresses (employment_case_for) or her records' (step_for and the
    others); the directory's employer and opening pages are everyone's at the centre
    (their pages name no one: tested below)."""
    directory = {str(records["employer"].code), str(records["opening"].code)}
    found = [t for t in targets(world, records, world.hanako_case) if not any(c in t[1] for c in directory)]
    return [t for t in found if (str(world.hanako_case.code) in t[1]) == by_case]


# The officer writes nothing anywhere (a 403 before any record is looked up,
# test_access.py): what they read of her case is refused here.
READERS = [("consultant2", "case"), ("consultant2", "records"), ("employment", "case"), ("employment", "records")]


def _everything(world):
    """The employment records, and what a write would add to her case besides."""
    return (
        snapshot(world),
        list(Task.objects.values_list("pk", "title", "due_on", "done_at")),
        TimelineEntry.objects.count(),
        TeamRequest.objects.count(),
        CaseTeamMember.objects.count(),
    )


@pytest.mark.parametrize(("who", "addresses"), [*READERS, ("officer", "case")])
def test_her_employment_records_are_missing_to_full_readers_outside_her_team(client, world, hers, who, addresses):
    before = _everything(world)
    client.force_login(getattr(world, who))
    walked = [t for t in _her_targets(world, hers, addresses == "case") if who != "officer" or t[0] == "get"]
    assert len(walked) >= 3
    for method, url, data in walked:
        denied = AuditEvent.objects.filter(action=Action.DENIED).count()
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, (url, response.status_code)
        assert _shown(visible_text(response)) == [], url
        assert AuditEvent.objects.filter(action=Action.DENIED).count() == denied + 1, url
    assert _everything(world) == before


@pytest.mark.parametrize("who", TEAM)
def test_her_team_and_the_chief_read_her_employment(client, world, hers, who):
    client.force_login(getattr(world, who))
    page = visible_text(client.get(reverse("employment:case", kwargs={"code": world.hanako_case.code})))
    assert WORKPLACE in page
    assert FREE_TEXT_WORKPLACE in page


@pytest.mark.parametrize("who", OUTSIDE)
def test_her_case_page_shows_nothing_of_her_employment_outside_her_team(client, world, hers, who):
    client.force_login(getattr(world, who))
    response = client.get(world.hanako_case.get_absolute_url())
    assert response.status_code == 200
    page = visible_text(response)
    assert HER in page
    assert _shown(page) == []
    assert visible_text(response, within="employment-title") == ""
    assert reverse("employment:case", kwargs={"code": world.hanako_case.code}) not in response.content.decode()


def test_her_case_page_shows_her_employment_to_her_worker(client, world, hers):
    client.force_login(world.consultant)
    page = visible_text(client.get(world.hanako_case.get_absolute_url()))
    assert WORKPLACE in page
    assert FREE_TEXT_WORKPLACE in page
    assert "定着支援" in page


def test_the_supporters_day_lists_her_follow_up_without_the_workplace(client, world, hers):
    client.force_login(world.employment)
    page = visible_text(client.get(reverse("my_day")))
    assert "定着支援（就労1か月）" in page  # the task is still theirs to do
    assert _shown(page) == []


@pytest.mark.parametrize("who", OUTSIDE)
def test_the_employment_start_page_leaves_her_out_outside_her_team(client, world, hers, who):
    client.force_login(getattr(world, who))
    for query in ({}, {"all": "1"}):
        page = visible_text(client.get(reverse("employment:home"), query))
        assert HER not in page, query
        assert FREE_TEXT_WORKPLACE not in page, query


def test_the_employment_start_page_lists_her_for_her_worker(client, world, hers):
    client.force_login(world.consultant)
    page = visible_text(client.get(reverse("employment:home"), {"all": "1"}))
    assert HER in page
    assert FREE_TEXT_WORKPLACE in page


@pytest.mark.parametrize("who", OUTSIDE)
def test_an_opening_never_names_her_among_the_job_seekers_who_fit(client, world, hers, who):
    url = reverse("employment:opening", kwargs={"code": hers["opening"].code})
    client.force_login(world.consultant)
    assert HER in visible_text(client.get(url))  # she fits: the check can fail
    client.force_login(getattr(world, who))
    page = visible_text(client.get(url))
    assert OPENING in page
    assert HER not in page


def test_an_employers_page_counts_her_placement_but_never_names_her(client, world, hers):
    client.force_login(world.consultant2)
    page = visible_text(client.get(reverse("employment:employer", kwargs={"code": hers["employer"].code})))
    assert WORKPLACE in page
    assert HER not in page


def test_a_placement_elsewhere_is_still_shown_to_full_readers(client, world, hers):
    """Nothing changes for a person under no order: consultant2 reads taro's records."""
    make_placement(world, world.case, employer=make_employer(world, "太郎の勤め先"))
    client.force_login(world.consultant2)
    assert "太郎の勤め先" in visible_text(client.get(reverse("employment:case", kwargs={"code": world.case.code})))
    assert "太郎の勤め先" in visible_text(client.get(world.case.get_absolute_url()))
