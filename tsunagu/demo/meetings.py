"""The demo town's meetings (DOMAIN.md §4): last month's, held and minuted, and next
month's, planned. Called with the loaded municipality after the caseload:

    load_meetings(municipality)

Last month: a 支援調整会議 that approved the plans decided in that month (as the cases'
timelines say), a ケース検討会, a 地域ケア会議 and a 協議会 部会 that discussed a
regional issue. Next month: a 支援調整会議 with every case waiting in `coordination` on
its agenda, a 支援会議 (法第9条) with an outside member under a confidentiality
undertaking, a ケース検討会 built from the candidates (cases held alone or stuck), a
相談支援包括化推進会議 chaired by the coordinator with an item escalated to it, and a
地域ケア会議.

Everything that a worker's action writes with an audit entry goes through
tsunagu.meetings.decisions, as the app does it.
"""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Agency, AgencyKind, Municipality, Role, Staff
from tsunagu.audit.models import Action as AuditAction
from tsunagu.audit.models import record
from tsunagu.cases.models import Case, CaseState, TimelineEntry, TimelineKind
from tsunagu.community.models import RegionalIssue, RegionalIssueSource, RegionalIssueStatus
from tsunagu.demo.loader import is_workday
from tsunagu.meetings import decisions
from tsunagu.meetings.models import (
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Purpose,
)
from tsunagu.people.models import Person


def _day_in_month(today: dt.date, months: int, week: int, weekday: int) -> dt.date:
    """The `week`-th `weekday` (0 = Monday) of the month `months` away, moved to the next
    working day if it is a holiday."""
    index = today.year * 12 + today.month - 1 + months
    first = dt.date(index // 12, index % 12 + 1, 1)
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def _staff(agency: Agency, role: str) -> Staff | None:
    return Staff.objects.filter(agency=agency, role=role, is_active=True).order_by("username").first()


def _care_chair(district: Any, chief: Staff) -> Staff:
    """A 地域ケア会議 is chaired by its district's chief (DOMAIN.md §4), where there is one."""
    return district.chief if district is not None and district.chief is not None else chief


def _meeting(
    municipality: Municipality,
    kind: str,
    title: str,
    held_on: dt.date,
    chair: Staff,
    *,
    starts_at: dt.time = dt.time(13, 30),
    place: str = "雄勝野市総合福祉センター 2階会議室",
    **extra: Any,
) -> Meeting:
    """A meeting of an hour, not saved yet (decisions.create_meeting saves it)."""
    return Meeting(
        municipality=municipality,
        kind=kind,
        title=title,
        held_on=held_on,
        starts_at=starts_at,
        ends_at=dt.time(starts_at.hour + 1, starts_at.minute),
        place=place,
        chair=chair,
        **extra,
    )


def _attend(meeting: Meeting, *people: Staff | None) -> None:
    # A meeting already held had its attendance recorded with the minutes; one to come has none yet.
    attended = True if meeting.held_on < timezone.localdate() else None
    for staff in people:
        if staff is not None and not Attendee.objects.filter(meeting=meeting, staff=staff).exists():
            Attendee.objects.create(meeting=meeting, staff=staff, agency=staff.agency, attended=attended)


def load_meetings(municipality: Municipality, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    centre = Agency.objects.get(municipality=municipality, kind=AgencyKind.CONSULTATION_CENTRE)
    chief = _staff(centre, Role.CHIEF)
    if chief is None:
        return {}
    consultant = _staff(centre, Role.CONSULTANT)
    coordinator = _staff(centre, Role.COORDINATOR) or chief
    employment = _staff(centre, Role.EMPLOYMENT_SUPPORTER)
    officer = Staff.objects.filter(agency__municipality=municipality, role=Role.MUNICIPAL_OFFICER).first()
    partner = Staff.objects.filter(agency__municipality=municipality, role=Role.PARTNER).first()
    districts = list(municipality.districts.order_by("number"))
    with transaction.atomic():
        _last_month(municipality, today, chief, consultant, officer, partner, districts)
        _next_month(
            municipality, today, centre, chief, consultant, coordinator, employment, officer, partner, districts
        )
    meetings = Meeting.objects.filter(municipality=municipality)
    return {
        "meetings": meetings.count(),
        "agenda_items": AgendaItem.objects.filter(meeting__in=meetings).count(),
    }


# Last month: held -----------------------------------------------------------------------


def _last_month(
    municipality: Municipality,
    today: dt.date,
    chief: Staff,
    consultant: Staff | None,
    officer: Staff | None,
    partner: Staff | None,
    districts: list,
) -> None:
    held = MeetingStatus.HELD
    coordination = _meeting(
        municipality,
        MeetingKind.COORDINATION,
        "支援調整会議（定例）",
        _day_in_month(today, -1, 2, 2),
        chief,
        is_regular=True,
        status=held,
        notes="今月の新規プランを了承した。次回は来月第2水曜日。",
    )
    decisions.create_meeting(coordination, chief)
    _attend(coordination, consultant, officer, partner)
    _approved_last_month(coordination, chief)

    review = _meeting(
        municipality, MeetingKind.CASE_REVIEW, "ケース検討会", _day_in_month(today, -1, 3, 3), chief, status=held
    )
    decisions.create_meeting(review, chief)
    _attend(review, consultant)

    district = districts[0] if districts else None
    care = _meeting(
        municipality,
        MeetingKind.COMMUNITY_CARE,
        f"地域ケア会議（{district}）",
        _day_in_month(today, -1, 3, 1),
        _care_chair(district, chief),
        district=district,
        place="地区公民館",
        starts_at=dt.time(14, 0),
    )
    decisions.create_meeting(care, chief)
    _attend(care, consultant, partner)
    item = decisions.add_issue_item(
        care,
        chief,
        title="冬の除雪と買い物の担い手がいない高齢世帯",
        district=district,
        field="welfare",
        description="見守り対象の高齢世帯のうち、冬期の除雪と買い物を頼める人がいない世帯が多い。",
    )
    decisions.save_minutes(item, chief, "民生委員から、対象となる世帯の状況が報告された。", item.version)
    decisions.note_gap(item, chief, "冬期の除雪ボランティア", field="welfare", district=district)
    decisions.decide(item, chief, Decision.NOTED, "協議会の生活困窮者対策部会に提案する。")
    care.status = held
    care.save(update_fields=["status"])

    committee = _meeting(
        municipality,
        MeetingKind.COUNCIL_COMMITTEE,
        "生活困窮者対策部会",
        _day_in_month(today, -1, 4, 3),
        chief,
        committee="生活困窮者対策部会",
        starts_at=dt.time(10, 0),
    )
    decisions.create_meeting(committee, chief)
    _attend(committee, officer)
    issue = RegionalIssue.objects.create(
        municipality=municipality,
        title="中間的就労（認定就労訓練）の受け入れ先が少ない",
        description="就労準備支援事業の利用者の次の段階となる受け入れ先が市内に1か所しかない。",
        field="employment",
        issue="job_search_difficulty",
        figures={"cases": 6, "resources": 1},
        source=RegionalIssueSource.GAP_ANALYSIS,
        raised_by=chief,
    )
    record(chief, AuditAction.CREATE, issue, changes={"title": issue.title})
    item = decisions.add_issue_item(committee, chief, issue=issue)
    decisions.add_action(
        item, chief, "商工会に認定就労訓練事業の説明会を申し入れる", chief, committee.held_on + dt.timedelta(days=45)
    )
    decisions.decide(item, chief, Decision.CONTINUE, "商工会と協力して受け入れ先を開拓する。")
    issue.refresh_from_db()
    issue.status = RegionalIssueStatus.DEVELOPING
    issue.save(update_fields=["status"])
    committee.status = held
    committee.save(update_fields=["status"])


def _approved_last_month(meeting: Meeting, chief: Staff) -> None:
    """The plans the cases' timelines say were decided in the meeting's month: the items of
    that meeting, approved then (the cases have moved on since)."""
    start = meeting.held_on.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    decided = (
        TimelineEntry.objects.filter(
            case__agency__municipality_id=meeting.municipality_id,
            kind=TimelineKind.STATE,
            to_state=CaseState.DECIDED,
            at__date__gte=start,
            at__date__lt=end,
        )
        .select_related("case", "case__person")
        .order_by("at", "id")
    )
    when = timezone.make_aware(dt.datetime.combine(meeting.held_on, dt.time(14, 30)))
    for order, entry in enumerate(decided, start=1):
        case = entry.case
        # A case opened after the meeting cannot have been on its agenda.
        if case.created_at > when or AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            continue
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=order,
            purpose=Purpose.PLAN_APPROVAL,
            case=case,
            person=case.person,
            minutes="担当者がプランを説明し、関係機関の役割を確認した。",
            decision=Decision.APPROVED,
            decision_note="プランのとおり了承。",
            decided_at=when,
            decided_by=chief,
        )
        TimelineEntry.objects.create(
            case=case,
            at=when,
            kind=TimelineKind.MEETING,
            actor=chief,
            detail=f"{decisions.meeting_label(meeting)}：了承／プランのとおり了承。",
        )
        record(chief, AuditAction.CREATE, item, changes={"meeting": str(meeting.code), "decision": "approved"})


# Next month: planned ----------------------------------------------------------------------


def _next_month(
    municipality: Municipality,
    today: dt.date,
    centre: Agency,
    chief: Staff,
    consultant: Staff | None,
    coordinator: Staff,
    employment: Staff | None,
    officer: Staff | None,
    partner: Staff | None,
    districts: list,
) -> None:
    coordination = _meeting(
        municipality,
        MeetingKind.COORDINATION,
        "支援調整会議（定例）",
        _day_in_month(today, 1, 2, 2),
        chief,
        is_regular=True,
    )
    decisions.create_meeting(coordination, chief)  # every case waiting in coordination
    _attend(coordination, consultant, employment, officer, partner)
    for item in coordination.items.select_related("case")[:1]:
        if employment is not None:
            decisions.add_role(item, chief, employment, "employment", "ハローワーク同行・職場開拓")

    support = _meeting(
        municipality,
        MeetingKind.SUPPORT_MEETING,
        "支援会議",
        _day_in_month(today, 1, 2, 4),
        consultant or chief,
        starts_at=dt.time(15, 0),
        place="雄勝野市役所 相談室",
    )
    decisions.create_meeting(support, chief)
    _attend(support, partner)
    Attendee.objects.filter(meeting=support, staff=partner).update(undertaking_on=today)
    decisions.add_attendee(
        support, chief, name="佐々木 民生委員", agency_name="東小地区民生委員児童委員協議会", undertaking_on=today
    )
    stranger = (
        Person.objects.filter(municipality=municipality, cases__isnull=True).order_by("full_kana_key", "id").first()
    )
    if stranger is not None:
        decisions.add_person_item(support, chief, stranger, "地域で孤立しているとの情報（本人とはまだ会えていない）")

    review = _meeting(municipality, MeetingKind.CASE_REVIEW, "ケース検討会", _day_in_month(today, 1, 3, 3), chief)
    decisions.create_meeting(review, chief)
    _attend(review, consultant, employment, coordinator)
    candidates = [c.case for c in decisions.case_review_candidates(centre, today)[:4]]
    items = decisions.add_case_review_items(review, chief, candidates)

    integration = _meeting(
        municipality,
        MeetingKind.INTEGRATION,
        "相談支援包括化推進会議",
        _day_in_month(today, 1, 4, 1),
        coordinator,
        starts_at=dt.time(10, 0),
    )
    decisions.create_meeting(integration, coordinator)
    _attend(integration, chief, officer)
    if items:
        decisions.escalate(items[0], chief, integration)

    district = districts[1] if len(districts) > 1 else None
    care = _meeting(
        municipality,
        MeetingKind.COMMUNITY_CARE,
        f"地域ケア会議（{district}）",
        _day_in_month(today, 1, 3, 1),
        _care_chair(district, chief),
        district=district,
        place="地区公民館",
        starts_at=dt.time(14, 0),
    )
    decisions.create_meeting(care, chief)
    _attend(care, consultant, partner)
    waiting = Case.objects.filter(agency=centre, person__district=district, state=CaseState.IN_SUPPORT).first()
    if waiting is not None and not waiting.person.confidentiality_orders.exists():
        decisions.add_case_item(care, chief, waiting)
