"""cases.access.full_case_for: the one access function for pages that show a case in full
(the standard forms, the resources matched to its issues), issue 14."""

import pytest
from django.http import Http404
from django.urls import reverse

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.access import full_case_for
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
