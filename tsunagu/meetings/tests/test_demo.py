"""The demo town's meetings (tsunagu.demo.meetings) on a freshly loaded demo town."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from tsunagu.accounts.models import Municipality, Role, Staff
from tsunagu.cases.models import Case, CaseState
from tsunagu.demo.loader import DemoLoader
from tsunagu.meetings.models import AgendaItem, Attendee, Decision, Meeting, MeetingKind, MeetingStatus, Purpose


def test_last_and_next_months_meetings_of_every_kind(client, db):
    DemoLoader().load()
    town = Municipality.objects.get(name="雄勝野市")
    today = timezone.localdate()
    # load_demo ran load_meetings for each town.
    meetings = Meeting.objects.filter(municipality=town)
    assert meetings.count() == 10  # last month 4, next month 5, and today's (demo.today)
    assert AgendaItem.objects.filter(meeting__municipality=town).count() > 5
    assert set(meetings.values_list("kind", flat=True)) == set(MeetingKind.values)
    assert all(m.held_on < today for m in meetings.filter(status=MeetingStatus.HELD))

    following = meetings.filter(held_on__gt=today)
    coordination = following.get(kind=MeetingKind.COORDINATION)
    waiting = set(Case.objects.filter(agency__municipality=town, state=CaseState.COORDINATION))
    assert waiting
    assert {i.case for i in coordination.items.all()} == waiting
    assert set(coordination.items.values_list("purpose", flat=True)) == {Purpose.PLAN_APPROVAL}

    support = following.get(kind=MeetingKind.SUPPORT_MEETING)
    outside = Attendee.objects.get(meeting=support, staff__isnull=True)
    assert outside.undertaking_on is not None
    assert "民生委員" in outside.name
    assert support.items.filter(case__isnull=True, person__isnull=False).exists()
    assert "第9条" in support.legal_basis

    review = following.get(kind=MeetingKind.CASE_REVIEW)
    assert review.items.count() >= 1
    integration = following.get(kind=MeetingKind.INTEGRATION)
    assert integration.chair.role == Role.COORDINATOR
    assert integration.items.filter(purpose=Purpose.ESCALATED, escalated_from__meeting=review).exists()

    held = meetings.get(kind=MeetingKind.COORDINATION, status=MeetingStatus.HELD)
    approved = AgendaItem.objects.filter(meeting=held, decision=Decision.APPROVED)
    assert approved.exists()
    assert all(i.decided_at.date() == held.held_on for i in approved)

    # Every page opens for the chief, and the calendar shows next month's meetings.
    client.force_login(Staff.objects.get(username="chief"))
    for meeting in meetings.exclude(kind=MeetingKind.SUPPORT_MEETING):
        assert client.get(meeting.get_absolute_url()).status_code == 200
    month = coordination.held_on.strftime("%Y-%m")
    page = client.get(reverse("meetings:calendar"), {"month": month}).content.decode()
    assert "支援調整会議（定例）" in page
    assert coordination.held_on - today < dt.timedelta(days=62)
