"""Meetings on top of the shared `world` (tsunagu/conftest.py).

- w.coordination: today's 支援調整会議, chaired by the chief; consultant and the
  地域包括 partner attend (partner_outsider does not); decisions can be recorded today
- w.support: a 支援会議 chaired by the consultant; the partner attends with an
  undertaking of confidentiality; the chief and consultant2 do not attend
- w.integration: a 相談支援包括化推進会議 in two weeks; w.past_integration held last month
- taro's case is in `coordination` (waiting for the meeting) with its application,
  assessment and agreed plan written; hanako's stays in assessment
"""

from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from tsunagu.cases.models import CaseState
from tsunagu.meetings.models import Attendee, Meeting, MeetingKind, MeetingStatus
from tsunagu.tests.records import make_meeting, write_records


def attend(meeting: Meeting, staff: Any, **extra: Any) -> Attendee:
    return Attendee.objects.create(meeting=meeting, staff=staff, agency=staff.agency, **extra)


@pytest.fixture
def w(world: SimpleNamespace) -> SimpleNamespace:
    world.case.state = CaseState.COORDINATION
    world.case.save(update_fields=["state"])
    write_records(world.case, world.consultant)
    world.coordination = make_meeting(world, MeetingKind.COORDINATION, days=0, title="支援調整会議（定例）")
    attend(world.coordination, world.consultant)
    attend(world.coordination, world.partner)
    world.support = make_meeting(
        world,
        MeetingKind.SUPPORT_MEETING,
        chair=world.consultant,
        title="支援会議",
        legal_basis="生活困窮者自立支援法第9条",
    )
    attend(world.support, world.partner, undertaking_on=timezone.localdate())
    world.integration = make_meeting(world, MeetingKind.INTEGRATION, days=14, title="包括化推進会議")
    world.past_integration = make_meeting(
        world, MeetingKind.INTEGRATION, days=-30, title="先月の包括化推進会議", status=MeetingStatus.HELD
    )
    return world
