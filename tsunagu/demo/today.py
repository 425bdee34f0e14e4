"""The demo's day: whenever the demo town is loaded, something happens today, so that
every calendar and every inbox a newcomer opens has something on it (issue 10).

Run last (after the meetings): a 地域ケア会議（全体会） today that each role's calendar
shows (centre staff, the officer, the partner and every district chief attend), one
ordinary task of each worker due today, and a supporter's report from this morning in
each district that has reports."""

import datetime as dt

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tsunagu.accounts.models import Municipality, Role, Staff
from tsunagu.cases.models import Task, TaskKind
from tsunagu.community.models import SupporterReport
from tsunagu.demo.meetings import _attend, _meeting
from tsunagu.meetings import decisions
from tsunagu.meetings.models import MeetingKind

# Tasks whose day follows from another record (a plan's review, a referral's answer) keep it.
MOVABLE = (TaskKind.MANUAL, TaskKind.MEETING_ACTION, TaskKind.OUTREACH, TaskKind.FOLLOW_UP)


def load_today(municipality: Municipality, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    staff = Staff.objects.filter(agency__municipality=municipality, is_active=True)
    chief = staff.filter(role=Role.CHIEF).first()
    if chief is None:
        return {}
    with transaction.atomic():
        meetings = _meeting_today(municipality, today, chief, staff)
        tasks = _tasks_today(staff, today)
        reports = _reports_this_morning(municipality)
    return {"meetings": meetings, "tasks": tasks, "reports": reports}


def _meeting_today(municipality: Municipality, today: dt.date, chief: Staff, staff: QuerySet[Staff]) -> int:
    meeting = _meeting(
        municipality,
        MeetingKind.COMMUNITY_CARE,
        "地域ケア会議（全体会）",
        today,
        chief,
        starts_at=dt.time(15, 0),
        place="総合福祉センター 大会議室",
    )
    decisions.create_meeting(meeting, chief)
    roles = (Role.CONSULTANT, Role.EMPLOYMENT_SUPPORTER, Role.COORDINATOR, Role.MUNICIPAL_OFFICER, Role.PARTNER)
    attending = Staff.objects.filter(agency__municipality=municipality, is_active=True, role__in=roles)
    district_chiefs = Staff.objects.filter(districts_led__municipality=municipality).distinct()
    _attend(meeting, *attending, *district_chiefs)
    return 1


def _tasks_today(staff: QuerySet[Staff], today: dt.date) -> int:
    moved = 0
    for person in staff.order_by("pk"):
        task = (
            Task.objects.open()
            .filter(assignee=person, kind__in=MOVABLE, due_on__gt=today)
            .order_by("due_on", "id")
            .first()
        )
        if task is not None:
            Task.objects.filter(pk=task.pk).update(due_on=today)
            moved += 1
    return moved


def _reports_this_morning(municipality: Municipality) -> int:
    """The newest report still waiting in each district arrives today, a little before now
    (earlier reports of the same district stay as they were)."""
    now = timezone.now()
    waiting = SupporterReport.objects.filter(municipality=municipality).open()
    moved = 0
    for district_id in waiting.order_by().values_list("district_id", flat=True).distinct():
        newest = waiting.filter(district_id=district_id).order_by("-submitted_at", "-id").first()
        if newest is None:
            continue
        at = max(now - dt.timedelta(minutes=20 + 15 * moved), timezone.localtime(now).replace(hour=0, minute=1))
        SupporterReport.objects.filter(pk=newest.pk).update(submitted_at=at)
        moved += 1
    return moved
