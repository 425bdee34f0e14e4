"""cases.access.full_case_for: the one access function for pages that show a case in full
(the standard forms, the resources matched to its issues), issue 14; and what case_for and
people.access.person_for tell a view (SeenCase, SeenPerson)."""

import pytest
from django.http import Http404
from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.access import FULL, TEAM, case_for, full_case_for
from tsunagu.people.access import person_for, sees_whereabouts
from tsunagu.sheets.models import AssessmentSheet
from tsunagu.tests.client import html, login


def test_full_access_reads_the_centre_writes(world):
    assert full_case_for(world.consultant2, world.case.code) == world.case
    assert full_case_for(world.officer, world.case.code) == world.case
    assert full_case_for(world.consultant, world.case.code, write=True) == world.case
    with pytest.raises(Http404):
        full_case_for(world.officer, world.case.code, write=True, denied_as="sheets")
    assert AuditEvent.objects.filter(action=Action.DENIED, actor=world.officer, object_type="sheets").count() == 1


@pytest.mark.parametrize(
    ("name", "denied_as"), [("sheets:assessment", "sheets"), ("resources:for_case", "resources.for_case")]
)
def test_a_team_partner_reads_neither_the_sheets_nor_the_matched_resources(client, world, name, denied_as):
    # The partner is on taro's team (TEAM level): the case's summary, never its sheets.
    response = login(client, world.partner).get(reverse(name, kwargs={"code": world.case.code}))
    assert response.status_code == 404
    assert "山田" not in html(response)
    denied = AuditEvent.objects.filter(action=Action.DENIED, actor=world.partner)
    assert list(denied.values_list("object_type", "object_code")) == [(denied_as, str(world.case.code))]
    assert not AssessmentSheet.objects.exists()


# What case_for and person_for tell a view, typed (issue 14) -------------------------------


@pytest.mark.parametrize(
    ("who", "case", "access", "location_visible"),
    [
        ("consultant", "hanako_case", FULL, True),  # her worker
        ("chief", "hanako_case", FULL, True),
        ("consultant2", "hanako_case", FULL, False),  # the centre, outside her team
        ("officer", "hanako_case", FULL, False),
        ("consultant2", "case", FULL, True),  # taro is under no order
        ("partner", "case", TEAM, True),  # on taro's team
    ],
)
def test_case_for_and_person_for_say_how_much_and_whether_her_whereabouts(world, who, case, access, location_visible):
    user, case = getattr(world, who), getattr(world, case)
    seen = case_for(user, case.code)
    assert (seen.case, seen.access, seen.full, seen.location_visible) == (
        case,
        access,
        access == FULL,
        location_visible,
    )
    person = person_for(user, case.person.code)
    assert (person.person, person.access, person.location_visible) == (case.person, access, location_visible)
    # The case's person comes annotated as person_for's: the case page reads her from it.
    assert (seen.case.person.location_visible, seen.case.person.whereabouts_confidential) == (
        person.person.location_visible,
        person.person.whereabouts_confidential,
    )
    # The same rule as the one code asks elsewhere (DOMAIN.md §7).
    assert sees_whereabouts(user, case.person) is location_visible


@pytest.mark.parametrize(("who", "sends"), [("consultant", True), ("chief", True), ("consultant2", False)])
def test_the_case_page_panels_read_whether_the_reader_sees_her_whereabouts(client, world, who, sends):
    # The panels get the case as case_for saw it: her worker and the chief may send her
    # somewhere (「つなぐ」), the rest of the centre may not; none of them is a partner.
    page = html(login(client, getattr(world, who)).get(world.hanako_case.get_absolute_url()))
    assert "つなぎ（紹介）" in page
    assert (reverse("referrals:new", kwargs={"case_code": world.hanako_case.code}) in page) is sends
    assert ("ひみつ荘" in page) is sends
