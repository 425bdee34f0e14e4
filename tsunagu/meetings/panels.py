"""What the pages of the apps below show of this app, each registered in
MeetingsConfig.ready(): the case page's agenda items and decisions in the meetings the
user may see, and a form that puts the case on an upcoming meeting (cases.panels); the
officer's items awaiting decision on /my/; the coming 地域ケア会議 on a district page
(community.panels)."""

from typing import Any

from django.db.models import Exists, OuterRef
from django.utils import timezone

from tsunagu.accounts.models import District, Staff
from tsunagu.cases.access import SeenCase
from tsunagu.cases.access import may_write as may_write_case
from tsunagu.cases.models import Case
from tsunagu.meetings.access import may_write, meetings_visible_to
from tsunagu.meetings.forms import PanelAddForm
from tsunagu.meetings.models import (
    CASE_PURPOSES,
    PURPOSES_BY_KIND,
    AgendaItem,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Purpose,
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
