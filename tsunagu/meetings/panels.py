"""What the pages of the apps below show of this app, each registered in
MeetingsConfig.ready(): the case page's agenda items and decisions in the meetings the
user may see, and a form that puts the case on an upcoming meeting (cases.panels); the
officer's items awaiting decision on /my/; the 地域ケア会議 and 協議会 部会 on the network
page, the coming ones on a district page, and on a regional issue's page the gaps noted
in meetings, its agenda items and the form that puts it on an agenda (community.panels)."""

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from tsunagu.accounts.models import District, Staff
from tsunagu.cases.access import SeenCase
from tsunagu.cases.access import may_write as may_write_case
from tsunagu.cases.models import Case
from tsunagu.community.models import RegionalIssue
from tsunagu.meetings.access import may_write, meetings_visible_to
from tsunagu.meetings.decisions import agenda_meetings
from tsunagu.meetings.forms import IssueAgendaForm, PanelAddForm
from tsunagu.meetings.models import (
    CASE_PURPOSES,
    PURPOSES_BY_KIND,
    AgendaItem,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Purpose,
    ResourceGap,
)

CASE_KINDS = [kind for kind, purposes in PURPOSES_BY_KIND.items() if set(purposes) & CASE_PURPOSES]


def meeting_targets(user: Staff, case: Case) -> list[Meeting]:
    """Meetings still to come that the user may put this case on."""
    if not may_write_case(user, case):
        return []
    meetings = (
        meetings_visible_to(user)
        .upcoming()
        .filter(municipality_id=case.agency.municipality_id, kind__in=CASE_KINDS)
        .exclude(Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), case=case)))
        .annotate(user_attends=Exists(Attendee.objects.filter(meeting=OuterRef("pk"), staff=user)))
        .order_by("held_on", "starts_at", "id")
    )
    return [m for m in meetings if may_write(user, m, attends=m.user_attends)]


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    case = seen.case
    items = list(
        AgendaItem.objects.filter(case=case, meeting__in=meetings_visible_to(user))
        .select_related("meeting", "decided_by")
        .order_by("-meeting__held_on", "-id")
    )
    targets = meeting_targets(user, case)
    return {
        "meeting_items": items,
        "meeting_add_form": PanelAddForm(meetings=targets) if targets else None,
    }


# The purposes whose decision moves the case: what an officer is asked to decide.
DECIDING_PURPOSES = (Purpose.PLAN_APPROVAL, Purpose.EVALUATION_REVIEW, Purpose.SUPPORT_CONFIRMATION)


def my_day_panel(user: Staff) -> dict[str, Any]:
    """The officer's start page (/my/): the 支援調整会議 items waiting for their decision,
    the oldest meeting first."""
    if not user.is_municipal_officer:
        return {}
    items = (
        AgendaItem.objects.filter(
            meeting__in=meetings_visible_to(user),
            meeting__municipality_id=user.municipality_id,
            meeting__kind=MeetingKind.COORDINATION,
            purpose__in=DECIDING_PURPOSES,
            decision="",
        )
        .exclude(meeting__status=MeetingStatus.CANCELLED)
        .select_related("meeting", "case__person")
        .order_by("meeting__held_on", "meeting__id", "order", "id")
    )
    return {"awaiting_decision": list(items[:50])}


def district_meetings(user: Staff, district: District) -> dict[str, Any]:
    """The district page's next three 地域ケア会議 (community.views.district_detail); the
    page reads them once, so the query stays lazy here."""
    coming = Meeting.objects.filter(
        district=district,
        kind=MeetingKind.COMMUNITY_CARE,
        held_on__gte=timezone.localdate(),
        status=MeetingStatus.PLANNED,
    ).order_by("held_on")[:3]
    return {"meetings": coming}


def _next_and_last(meetings: list[Meeting], today: dt.date) -> tuple[Meeting | None, Meeting | None]:
    coming = next((m for m in meetings if m.held_on >= today), None)
    held = next((m for m in reversed(meetings) if m.held_on < today), None)
    return coming, held


def network_meetings(user: Staff, districts: list[District]) -> dict[str, Any]:
    """The network page's meetings of the last year and to come (community.views.network,
    one query): each district's next and last 地域ケア会議, set on the district as
    next_meeting and last_meeting, and each 協議会 部会 with its own."""
    today = timezone.localdate()
    meetings = Meeting.objects.filter(
        municipality_id=user.municipality_id,
        kind__in=[MeetingKind.COMMUNITY_CARE, MeetingKind.COUNCIL_COMMITTEE],
        held_on__gte=today - dt.timedelta(days=365),
    ).exclude(status=MeetingStatus.CANCELLED)
    care_meetings: dict[int, list[Meeting]] = defaultdict(list)
    committees: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings.order_by("held_on", "id"):
        if meeting.kind == MeetingKind.COMMUNITY_CARE and meeting.district_id:
            care_meetings[meeting.district_id].append(meeting)
        elif meeting.kind == MeetingKind.COUNCIL_COMMITTEE:
            committees[meeting.committee or meeting.title].append(meeting)
    for district in districts:
        pair = _next_and_last(care_meetings.get(district.pk, []), today)
        district.next_meeting, district.last_meeting = pair  # type: ignore[attr-defined]
    return {"committees": [(name, _next_and_last(ms, today)) for name, ms in sorted(committees.items())]}


def issue_panel(user: Staff, issue: RegionalIssue, writable: bool) -> dict[str, Any]:
    """A regional issue's page (community.issue_views.issue_context): the resource gaps
    noted in 支援調整会議 for the issue or, not tied to one, in its district (one query);
    the meetings it is on; for those who may change it, the form that puts it on a coming
    meeting's agenda (posted to meetings.views.issue_agenda)."""
    gaps = ResourceGap.objects.filter(municipality_id=issue.municipality_id).select_related("item__meeting", "district")
    noted = gaps.filter(item__meeting__kind=MeetingKind.COORDINATION).filter(
        Q(regional_issue=issue) | Q(regional_issue__isnull=True, district_id=issue.district_id)
    )
    return {
        "gaps": list(noted.order_by("-noted_at", "-id")[:50]),
        "agenda_items": issue.agenda_items.select_related("meeting").order_by("-meeting__held_on"),
        "agenda_form": IssueAgendaForm(meetings=agenda_meetings(user, issue)) if writable else None,
    }
