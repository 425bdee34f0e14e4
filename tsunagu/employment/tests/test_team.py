"""Naming the 就労支援員 on a job-seeker profile puts them on the case team, through the
cases app's one rule (cases.team.join_team): for a person under whereabouts
confidentiality it is a request the 主任相談支援員 decides, never a way onto her team."""

from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import CaseTeamMember, TeamRequest, TimelineEntry, TimelineKind
from tsunagu.cases.team import decide
from tsunagu.employment.models import JobSeekerProfile
from tsunagu.employment.tests.test_records import PROFILE
from tsunagu.tests.client import html, login
from tsunagu.tests.pages import visible_text

HIDDEN_ADDRESS = "ひみつ荘"


def _save(client, case, by, supporter, version=0):
    login(client, by)
    values = {**PROFILE, "base_version": str(version), "supporter": supporter.pk if supporter else ""}
    return client.post(reverse("employment:profile", kwargs={"code": case.code}), values, follow=True)


def _team(case):
    return set(CaseTeamMember.objects.filter(case=case).values_list("staff__username", "team_role"))


def test_naming_the_employment_supporter_puts_them_on_the_team_once(client, world):
    before = _team(world.case)
    response = _save(client, world.case, world.consultant, world.employment)
    assert "田中 就労さんをケースチームに加えました。" in visible_text(response)
    assert _team(world.case) == before | {("employment", "employment")}
    assert (
        TimelineEntry.objects.filter(case=world.case, kind=TimelineKind.TEAM, detail__contains="田中 就労").count() == 1
    )
    added = AuditEvent.objects.filter(
        action=Action.CHANGE, object_code=str(world.case.code), changes__team_added="田中 就労"
    )
    assert added.count() == 1

    # Saving the profile again (the same supporter, already on the team) adds nothing.
    response = _save(client, world.case, world.consultant, world.employment, version=1)
    assert "ケースチームに加えました" not in visible_text(response)
    assert JobSeekerProfile.objects.filter(case=world.case).count() == 2
    assert CaseTeamMember.objects.filter(case=world.case, staff=world.employment).count() == 1
    assert added.count() == 1


def test_the_case_worker_or_no_supporter_changes_no_team(client, world):
    before = _team(world.case)
    _save(client, world.case, world.consultant, world.consultant)  # the worker is on her team already
    _save(client, world.case, world.consultant, None, version=1)
    assert JobSeekerProfile.objects.filter(case=world.case).count() == 2
    assert _team(world.case) == before
    assert not TeamRequest.objects.exists()


def test_for_a_person_under_an_order_naming_a_supporter_only_asks_the_chief(client, world):
    """Her worker names the 就労支援員: a request waits for the chief, and her whereabouts
    (her workplace among them) stay hidden from them meanwhile. They cannot name
    themselves: her employment pages are missing to them (test_whereabouts.py)."""
    case = world.hanako_case
    before = _team(case)
    response = _save(client, case, world.consultant, world.employment)
    assert "主任相談支援員の承認を待っています" in visible_text(response)
    assert JobSeekerProfile.objects.get(case=case).supporter == world.employment
    assert _team(case) == before
    request = TeamRequest.objects.get(case=case)
    assert (request.staff, request.kind, request.team_role, request.approved) == (
        world.employment,
        "member",
        "employment",
        None,
    )
    assert request.requested_by == world.consultant
    employment_page = client.get(reverse("employment:case", kwargs={"code": case.code}))
    assert "ケースチームへの参加は主任相談支援員の承認待ち" in visible_text(employment_page)
    page = html(login(client, world.employment).get(case.get_absolute_url()))
    assert "所在秘匿" in page
    assert HIDDEN_ADDRESS not in page
    assert client.get(reverse("employment:case", kwargs={"code": case.code})).status_code == 404

    # Saving again waits on the same request; it does not ask twice.
    _save(client, case, world.consultant, world.employment, version=1)
    assert TeamRequest.objects.filter(case=case).count() == 1
    assert _team(case) == before


def test_a_refused_supporter_is_not_asked_for_again_until_someone_else_is_named(client, world):
    case = world.hanako_case
    _save(client, case, world.consultant, world.employment)
    decide(TeamRequest.objects.get(case=case), world.chief, approve=False, reason="面識のない職員は加えない")
    _save(client, case, world.consultant, world.employment, version=1)
    assert TeamRequest.objects.filter(case=case).count() == 1
    assert not CaseTeamMember.objects.filter(case=case, staff=world.employment).exists()
    assert HIDDEN_ADDRESS not in html(login(client, world.employment).get(case.get_absolute_url()))

    # Naming someone else, then the 就労支援員 again, asks again (the chief decides anew).
    _save(client, case, world.consultant, world.consultant2, version=2)
    _save(client, case, world.consultant, world.employment, version=3)
    assert TeamRequest.objects.filter(case=case, staff=world.employment).count() == 2
    assert TeamRequest.objects.filter(case=case, staff=world.consultant2).count() == 1
    assert not CaseTeamMember.objects.filter(case=case, staff__in=[world.employment, world.consultant2]).exists()


def test_once_the_chief_approves_the_supporter_joins_and_sees_where_she_is(client, world):
    case = world.hanako_case
    _save(client, case, world.consultant, world.employment)
    decide(TeamRequest.objects.get(case=case), world.chief, approve=True, reason="就労支援の担当として")
    assert CaseTeamMember.objects.get(case=case, staff=world.employment).team_role == "employment"
    assert HIDDEN_ADDRESS in html(login(client, world.employment).get(case.get_absolute_url()))
    employment_page = client.get(reverse("employment:case", kwargs={"code": case.code}))
    assert "承認待ち" not in visible_text(employment_page)


def test_the_chief_naming_the_supporter_decides_it_at_once(client, world):
    response = _save(client, world.hanako_case, world.chief, world.employment)
    assert "田中 就労さんをケースチームに加えました。" in visible_text(response)
    assert CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.employment).exists()
    assert not TeamRequest.objects.exists()


def test_a_refused_stale_profile_changes_no_team(client, world):
    _save(client, world.hanako_case, world.consultant, None)
    response = _save(client, world.hanako_case, world.consultant, world.employment, version=0)
    assert "他の職員がこのプロフィール（第1版）を先に更新しました" in visible_text(response)
    assert JobSeekerProfile.objects.filter(case=world.hanako_case).count() == 1
    assert not TeamRequest.objects.exists()
    assert not CaseTeamMember.objects.filter(case=world.hanako_case, staff=world.employment).exists()
