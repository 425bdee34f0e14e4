"""What a meeting changes, one named function each (DOMAIN.md §4, STYLE.md principle 6).

Each function runs in one transaction that writes the change, its audit entry, the
case's timeline entry (kind MEETING: a meeting's decisions show on the case) and any
task. A change that may not be made raises MeetingError with a Japanese message (and
the form field it belongs to) and changes nothing. Decisions that move a case go
through tsunagu.cases.transitions.move(), whose rules on who may make a move apply:
only the centre's chief or the municipality's officer decides a 支援調整会議's plan.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import AgencyKind, District, Staff
from tsunagu.audit.models import Action as AuditAction
from tsunagu.audit.models import record
from tsunagu.cases.models import (
    OPEN_STATES,
    Case,
    CaseState,
    CaseTeamMember,
    ClosureReason,
    Task,
    TaskKind,
    TeamRequestKind,
    TeamRole,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.cases.team import needs_decision, request_join
from tsunagu.cases.transitions import TransitionError, move
from tsunagu.community.access import manages_network
from tsunagu.community.models import RegionalIssue, RegionalIssueSource, RegionalIssueStatus, RegionalIssueUpdate
from tsunagu.lib.versioning import save_if_current
from tsunagu.lib.wareki import format_wareki
from tsunagu.meetings.access import is_outside, may_decide
from tsunagu.meetings.models import (
    CASE_PURPOSES,
    PURPOSES_BY_KIND,
    REGIONAL_KINDS,
    SUPPORT_MEETING_BASIS,
    Action,
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Purpose,
    ResourceGap,
    RoleAssignment,
)
from tsunagu.people.models import Person, confidentiality_in_force


class MeetingError(Exception):
    """A meeting change that may not be made; the message is for the user, in Japanese."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# A refused move names its own fields; on the decision form they are these.
_DECISION_FIELD = {"reason": "note", "closure_reason": "closure_reason"}
MEETING_FIELDS = (
    "title",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "chair",
    "district",
    "committee",
    "legal_basis",
    "is_regular",
    "status",
    "notes",
)


def meeting_label(meeting: Meeting) -> str:
    """支援調整会議 11月（令和8年11月26日）: how the case timeline names a meeting."""
    return _("%(title)s（%(day)s）") % {"title": meeting.title, "day": format_wareki(meeting.held_on, seireki=False)}


def _trim(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _on_timeline(case: Case, by: Staff, meeting: Meeting, detail: str, *, shared: bool = True) -> None:
    # What a 支援会議 discussed stays with its members (法第9条): the case's timeline, read
    # by every centre worker, only says that it was discussed, and never to partners.
    if meeting.is_support_meeting:
        detail = SUPPORT_MEETING_ENTRY % {"meeting": meeting_label(meeting)}
    TimelineEntry.objects.create(
        case=case,
        kind=TimelineKind.MEETING,
        actor=by,
        detail=_trim(detail, 500),
        shared=shared and not meeting.is_support_meeting,
    )


SUPPORT_MEETING_ENTRY = gettext_lazy("%(meeting)sで検討しました（内容は会議の構成員だけが閲覧できます）。")
SUPPORT_MEETING_TASK = gettext_lazy("%(meeting)sで決まったこと（内容は会議の記録で確認）")


def _is_member(staff: Staff, meeting: Meeting) -> bool:
    return staff.pk == meeting.chair_id or meeting.attendees.filter(staff=staff).exists()


def _refuse_unless_open(meeting: Meeting) -> None:
    if meeting.status == MeetingStatus.CANCELLED:
        raise MeetingError(_("中止された会議は変更できません。"))


def _next_order(meeting: Meeting) -> int:
    highest = AgendaItem.objects.filter(meeting=meeting).aggregate(highest=Max("order"))["highest"]
    return (highest or 0) + 1


# Meetings and attendees ---------------------------------------------------------------


def create_meeting(meeting: Meeting, by: Staff) -> list[AgendaItem]:
    """Save a new meeting; its creator attends it. A 支援調整会議 starts with every case
    waiting for one on its agenda; a 支援会議 records its legal basis."""
    with transaction.atomic():
        meeting.created_by = by
        if meeting.is_support_meeting and not meeting.legal_basis:
            meeting.legal_basis = str(SUPPORT_MEETING_BASIS)
        meeting.save()
        if meeting.chair_id != by.pk:
            Attendee.objects.create(meeting=meeting, staff=by, agency=by.agency)
        record(by, AuditAction.CREATE, meeting, changes={f: str(getattr(meeting, f)) for f in MEETING_FIELDS})
        items: list[AgendaItem] = []
        if meeting.kind == MeetingKind.COORDINATION and meeting.status == MeetingStatus.PLANNED:
            items = prepare_coordination_agenda(meeting, by)
    return items


def update_meeting(meeting: Meeting, by: Staff, version: int, before: Meeting) -> None:
    """Save an edited meeting unless someone saved it first (StaleEditError)."""
    with transaction.atomic():
        save_if_current(meeting, version, MEETING_FIELDS)
        changes = {
            f: [str(getattr(before, f)), str(getattr(meeting, f))]
            for f in MEETING_FIELDS
            if getattr(before, f) != getattr(meeting, f)
        }
        record(by, AuditAction.CHANGE, meeting, changes=changes)


def is_outside_member(staff: Staff | None, meeting: Meeting) -> bool:
    """An attendee who is not centre staff or an officer of the meeting's municipality."""
    return is_outside(staff, meeting.municipality_id)


def add_attendee(
    meeting: Meeting,
    by: Staff,
    *,
    staff: Staff | None = None,
    name: str = "",
    agency: Any = None,
    agency_name: str = "",
    undertaking_on: dt.date | None = None,
    attended: bool | None = None,
) -> Attendee:
    _refuse_unless_open(meeting)
    name = name.strip()
    if staff is None and not name:
        raise MeetingError(_("職員を選ぶか、出席者の氏名を書いてください。"), "name")
    if staff is not None:
        if staff.municipality_id != meeting.municipality_id:
            raise MeetingError(_("この自治体の職員を選んでください。"), "staff")
        if Attendee.objects.filter(meeting=meeting, staff=staff).exists():
            raise MeetingError(_("この職員はすでに出席者です。"), "staff")
        agency = staff.agency
    if agency is not None and agency.municipality_id != meeting.municipality_id:
        raise MeetingError(_("この自治体の機関を選んでください。"), "agency")
    if undertaking_on is not None and undertaking_on > timezone.localdate():
        raise MeetingError(_("誓約日が未来の日付になっています。"), "undertaking_on")
    if meeting.is_support_meeting and is_outside_member(staff, meeting) and undertaking_on is None:
        raise MeetingError(
            _("支援会議の構成員には守秘義務の誓約日が必要です（生活困窮者自立支援法第9条第5項）。"), "undertaking_on"
        )
    with transaction.atomic():
        attendee = Attendee.objects.create(
            meeting=meeting,
            staff=staff,
            name="" if staff is not None else name,
            agency=agency,
            agency_name="" if agency is not None else agency_name.strip(),
            undertaking_on=undertaking_on,
            attended=attended,
        )
        record(
            by,
            AuditAction.CHANGE,
            meeting,
            changes={
                "attendee_added": str(attendee),
                "agency": attendee.display_agency,
                "undertaking_on": str(undertaking_on or ""),
            },
        )
    return attendee


def record_attendance(meeting: Meeting, by: Staff, present: Iterable[int]) -> None:
    """Who attended, recorded after the meeting (with the minutes): the ticked attendees
    were present, every other one absent. Before the meeting's day nobody knows."""
    _refuse_unless_open(meeting)
    if meeting.held_on > timezone.localdate():
        raise MeetingError(
            _("出欠は会議の開催日（%(day)s）から記録できます。")
            % {"day": format_wareki(meeting.held_on, seireki=False)},
            "present",
        )
    present = set(present)
    with transaction.atomic():
        attendees = list(
            Attendee.objects.select_for_update(of=("self",)).filter(meeting=meeting).select_related("staff")
        )
        unknown = present - {a.pk for a in attendees}
        if unknown:
            raise MeetingError(_("この会議の出席者から選んでください。"), "present")
        changes: dict[str, Any] = {}
        for attendee in attendees:
            attended = attendee.pk in present
            if attendee.attended is not attended:
                changes[str(attendee)] = [attendee.attended, attended]
                attendee.attended = attended
                attendee.save(update_fields=["attended"])
        record(by, AuditAction.CHANGE, meeting, changes={"attendance": changes}, detail=meeting_label(meeting))


def remove_attendee(attendee: Attendee, by: Staff) -> None:
    with transaction.atomic():
        meeting = attendee.meeting
        label = str(attendee)
        attendee.delete()
        record(by, AuditAction.CHANGE, meeting, changes={"attendee_removed": label})


# The agenda ---------------------------------------------------------------------------


def _case_purpose(meeting: Meeting, case: Case) -> str:
    """The purpose a case takes when none is chosen: what its state waits for."""
    if meeting.kind == MeetingKind.COORDINATION:
        if case.state == CaseState.COORDINATION:
            return Purpose.PLAN_APPROVAL
        if case.state == CaseState.EVALUATION:
            return Purpose.EVALUATION_REVIEW
    return Purpose.CASE_DISCUSSION


def _create_case_item(meeting: Meeting, by: Staff, case: Case, purpose: str, order: int) -> AgendaItem:
    item = AgendaItem.objects.create(meeting=meeting, order=order, purpose=purpose, case=case, person=case.person)
    _on_timeline(
        case,
        by,
        meeting,
        _("%(meeting)sの議題になりました（%(purpose)s）")
        % {"meeting": meeting_label(meeting), "purpose": item.get_purpose_display()},
    )
    record(by, AuditAction.CREATE, item, changes={"meeting": str(meeting.code), "purpose": purpose})
    return item


def add_case_item(meeting: Meeting, by: Staff, case: Case | None, purpose: str = "") -> AgendaItem:
    _refuse_unless_open(meeting)
    if case is None:
        raise MeetingError(_("ケースを選んでください。"), "case")
    if case.agency.municipality_id != meeting.municipality_id or case.agency.kind != AgencyKind.CONSULTATION_CENTRE:
        raise MeetingError(_("この自治体の自立相談支援機関のケースを選んでください。"), "case")
    purpose = purpose or _case_purpose(meeting, case)
    if purpose not in CASE_PURPOSES or purpose not in PURPOSES_BY_KIND[meeting.kind]:
        raise MeetingError(_("この会議ではケースをこの議題の種類で扱えません。"), "purpose")
    with transaction.atomic():
        if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise MeetingError(_("このケースはすでにこの会議の議題にあります。"), "case")
        return _create_case_item(meeting, by, case, purpose, _next_order(meeting))


def add_person_item(meeting: Meeting, by: Staff, person: Person | None, title: str = "") -> AgendaItem:
    """支援会議 (法第9条): a person not yet connected to support, with no case and no consent."""
    _refuse_unless_open(meeting)
    if not meeting.is_support_meeting:
        raise MeetingError(_("ケースのない相談者を議題にできるのは支援会議だけです。"), "person")
    if person is None:
        raise MeetingError(_("相談者を選んでください。"), "person")
    if person.municipality_id != meeting.municipality_id:
        raise MeetingError(_("この自治体の相談者を選んでください。"), "person")
    with transaction.atomic():
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=_next_order(meeting),
            purpose=Purpose.CASE_DISCUSSION,
            person=person,
            title=title.strip(),
        )
        record(
            by,
            AuditAction.CREATE,
            item,
            changes={"meeting": str(meeting.code), "basis": meeting.legal_basis},
        )
    return item


def add_issue_item(
    meeting: Meeting,
    by: Staff,
    *,
    issue: RegionalIssue | None = None,
    title: str = "",
    district: District | None = None,
    field: str = "",
    description: str = "",
) -> AgendaItem:
    """A regional issue on the agenda: an existing one of the municipality, or a new one
    raised in this meeting (a 地域ケア会議's new issue belongs to its district)."""
    _refuse_unless_open(meeting)
    if Purpose.REGIONAL_ISSUE not in PURPOSES_BY_KIND[meeting.kind]:
        raise MeetingError(_("この会議では地域課題を扱いません。"), "issue")
    title = title.strip()
    if issue is None and not title:
        raise MeetingError(_("地域課題を選ぶか、新しい課題の題名を書いてください。"), "title")
    if issue is not None and issue.municipality_id != meeting.municipality_id:
        raise MeetingError(_("この自治体の地域課題を選んでください。"), "issue")
    if district is not None and district.municipality_id != meeting.municipality_id:
        raise MeetingError(_("この自治体の地区を選んでください。"), "district")
    with transaction.atomic():
        if issue is None:
            issue = RegionalIssue.objects.create(
                municipality_id=meeting.municipality_id,
                district=district or (meeting.district if meeting.kind in REGIONAL_KINDS else None),
                title=title,
                description=description.strip(),
                field=field,
                source=RegionalIssueSource.MEETING,
                raised_by=by,
            )
            record(by, AuditAction.CREATE, issue, changes={"title": title, "meeting": str(meeting.code)})
        elif AgendaItem.objects.filter(meeting=meeting, regional_issue=issue).exists():
            raise MeetingError(_("この地域課題はすでにこの会議の議題にあります。"), "issue")
        item = AgendaItem.objects.create(
            meeting=meeting,
            order=_next_order(meeting),
            purpose=Purpose.REGIONAL_ISSUE,
            regional_issue=issue,
            title=issue.title,
        )
        record(by, AuditAction.CREATE, item, changes={"meeting": str(meeting.code), "regional_issue": str(issue.code)})
    return item


def agenda_meetings(user: Staff, issue: RegionalIssue) -> QuerySet[Meeting]:
    """Meetings a regional issue's page may put it on: the coming 地域ケア会議 of its
    district, and (for centre staff) the coming 協議会 部会 of the municipality."""
    coming = Meeting.objects.filter(
        municipality_id=issue.municipality_id, held_on__gte=timezone.localdate(), status=MeetingStatus.PLANNED
    )
    kinds = coming.none()
    if issue.district_id is not None:
        kinds = coming.filter(kind=MeetingKind.COMMUNITY_CARE, district_id=issue.district_id)
    if manages_network(user):
        kinds = kinds | coming.filter(kind=MeetingKind.COUNCIL_COMMITTEE)
    return kinds.order_by("held_on", "id")


def place_on_agenda(issue: RegionalIssue, by: Staff, meeting: Meeting) -> AgendaItem:
    """From the regional issue's page: the issue onto one of its agenda_meetings. The
    page has one field, the meeting, and every refusal names it."""
    if not agenda_meetings(by, issue).filter(pk=meeting.pk).exists():
        raise MeetingError(
            _("この会議は選べません。この地区の地域ケア会議か協議会の部会で、これから開かれるものを選んでください。"),
            "meeting",
        )
    if AgendaItem.objects.filter(meeting=meeting, regional_issue=issue).exists():
        raise MeetingError(_("この地域課題は、この会議の議題にもうのっています。"), "meeting")
    try:
        return add_issue_item(meeting, by, issue=issue)
    except MeetingError as failure:
        raise MeetingError(failure.message, "meeting") from failure


def prepare_coordination_agenda(meeting: Meeting, by: Staff) -> list[AgendaItem]:
    """Put on a 支援調整会議's agenda every case of the municipality's centre that waits in
    `coordination` and is not yet on an undecided item of a meeting that still stands."""
    if meeting.kind != MeetingKind.COORDINATION:
        raise MeetingError(_("議題の自動作成は支援調整会議だけです。"))
    if meeting.status != MeetingStatus.PLANNED:
        raise MeetingError(_("開催済み・中止の会議には議題を追加できません。"))
    pending = AgendaItem.objects.filter(case=OuterRef("pk"), decision="").exclude(
        meeting__status=MeetingStatus.CANCELLED
    )
    here = AgendaItem.objects.filter(case=OuterRef("pk"), meeting=meeting)
    cases = (
        Case.objects.filter(
            agency__municipality_id=meeting.municipality_id,
            agency__kind=AgencyKind.CONSULTATION_CENTRE,
            state=CaseState.COORDINATION,
        )
        .exclude(Exists(pending))
        .exclude(Exists(here))
        .select_related("person")
        .order_by("state_changed_at", "id")
    )
    with transaction.atomic():
        order = _next_order(meeting)
        return [
            _create_case_item(meeting, by, case, Purpose.PLAN_APPROVAL, order + index)
            for index, case in enumerate(cases)
        ]


def save_minutes(item: AgendaItem, by: Staff, minutes: str, version: int) -> None:
    """Record the minutes of an item unless someone saved them first (StaleEditError)."""
    _refuse_unless_open(item.meeting)
    before = item.minutes
    with transaction.atomic():
        item.minutes = minutes
        save_if_current(item, version, ["minutes"])
        record(by, AuditAction.CHANGE, item, changes={"minutes": [before, minutes]})


def add_role(item: AgendaItem, by: Staff, staff: Staff | None, team_role: str, note: str = "") -> RoleAssignment:
    """支援調整会議's sharing of roles; the case team takes them when the plan is approved."""
    _refuse_unless_open(item.meeting)
    if item.case_id is None:
        raise MeetingError(_("役割分担はケースの議題にだけ記録できます。"), "staff")
    if item.is_decided:
        raise MeetingError(_("決定済みの議題の役割分担は変更できません。"), "staff")
    if staff is None:
        raise MeetingError(_("職員を選んでください。"), "staff")
    if staff.municipality_id != item.meeting.municipality_id:
        raise MeetingError(_("この自治体の職員を選んでください。"), "staff")
    if team_role not in TeamRole.values:
        raise MeetingError(_("チームでの役割を選んでください。"), "team_role")
    with transaction.atomic():
        if RoleAssignment.objects.filter(item=item, staff=staff).exists():
            raise MeetingError(_("この職員の役割はすでに記録されています。"), "staff")
        role = RoleAssignment.objects.create(item=item, staff=staff, team_role=team_role, note=note.strip())
        record(by, AuditAction.CHANGE, item, changes={"role_added": str(staff), "team_role": team_role})
    return role


def remove_role(role: RoleAssignment, by: Staff) -> None:
    item = role.item
    if item.is_decided:
        raise MeetingError(_("決定済みの議題の役割分担は変更できません。"))
    with transaction.atomic():
        label = str(role.staff)
        role.delete()
        record(by, AuditAction.CHANGE, item, changes={"role_removed": label})


# Decisions ----------------------------------------------------------------------------


def decide(
    item: AgendaItem,
    by: Staff,
    decision: str,
    note: str,
    closure_reason: str = "",
    support_started_on: dt.date | None = None,
) -> AgendaItem:
    """Record an item's decision and carry it out on the case, or raise MeetingError."""
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            AgendaItem.objects.select_for_update(of=("self",))
            .select_related(
                "meeting",
                "case",
                "case__agency",
                "case__person",
                "person",
                "regional_issue",
                "escalated_from",
                "escalated_from__meeting",
                "escalated_from__case",
            )
            .get(pk=item.pk)
        )
        meeting = locked.meeting
        _refuse_unless_open(meeting)
        if meeting.held_on > timezone.localdate():
            # A decision is the meeting's: it cannot be recorded before the meeting is held.
            raise MeetingError(
                _("この会議は%(day)sに開かれます。決定は開催日以降に記録してください。")
                % {"day": format_wareki(meeting.held_on, seireki=False)},
                "decision",
            )
        attends = Attendee.objects.filter(meeting=meeting, staff=by).exists()
        if not may_decide(by, meeting, attends=attends):
            raise MeetingError(
                _("この会議の決定を記録できるのは、出席するセンターの職員・主任相談支援員・自治体担当職員です。")
            )
        if locked.is_decided:
            raise MeetingError(
                _("この議題はすでに決定されています（%(decision)s）。") % {"decision": locked.get_decision_display()},
                "decision",
            )
        if decision not in dict(locked.allowed_decisions):
            raise MeetingError(_("この議題で選べる決定を選んでください。"), "decision")
        carry_out = _CARRY_OUT.get(locked.purpose, _note_only)
        try:
            carry_out(locked, by, decision, note, closure_reason=closure_reason, support_started_on=support_started_on)
        except TransitionError as failure:
            raise MeetingError(failure.message, _DECISION_FIELD.get(failure.field or "", failure.field)) from failure
        now = timezone.now()
        locked.decision = decision
        locked.decision_note = note
        locked.decided_at = now
        locked.decided_by = by
        locked.version += 1
        locked.save(
            update_fields=["decision", "decision_note", "support_started_on", "decided_at", "decided_by", "version"]
        )
        _decision_on_timelines(locked, by)
        record(
            by,
            AuditAction.CHANGE,
            locked,
            changes={
                "decision": decision,
                "note": note,
                "closure_reason": closure_reason,
                "support_started_on": str(locked.support_started_on or ""),
            },
            detail=meeting_label(meeting),
        )
    item.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return item


def _decision_on_timelines(item: AgendaItem, by: Staff) -> None:
    """The decision on the item's case, and, for an item escalated to a 相談支援包括化
    推進会議, on the case of the item it came from ("its decisions flow back")."""
    detail = _("%(meeting)s：%(decision)s") % {
        "meeting": meeting_label(item.meeting),
        "decision": item.get_decision_display(),
    }
    if item.decision_note:
        detail += f"／{item.decision_note}"
    source = item.escalated_from
    if source is not None:
        detail += _("（%(meeting)sから付議）") % {"meeting": meeting_label(source.meeting)}
    cases = {c.pk: c for c in (item.case, source.case if source is not None else None) if c is not None}
    for case in cases.values():
        _on_timeline(case, by, item.meeting, detail)


def _require_case_state(item: AgendaItem, state: str, message: str) -> Case:
    case = item.case
    if case is None:
        raise MeetingError(_("この議題にはケースがありません。"), "decision")
    if case.state != state:
        raise MeetingError(message % {"state": case.get_state_display()}, "decision")
    return case


def _plan_approval(item: AgendaItem, by: Staff, decision: str, note: str, **_details: Any) -> None:
    """支援調整会議: 了承 decides support (支援決定・確認) and the roles become the case team;
    修正・再検討 send the plan back to the worker, saying why."""
    case = _require_case_state(
        item, CaseState.COORDINATION, _("このケースは支援調整会議の決定を待っていません（現在の状態: %(state)s）。")
    )
    label = meeting_label(item.meeting)
    if decision == Decision.APPROVED:
        move(
            case,
            CaseState.DECIDED,
            by,
            expected_state=CaseState.COORDINATION,
            reason=_trim(_("%(meeting)sで了承") % {"meeting": label}),
        )
        _roles_to_team(item, case, by)
        return
    if not note:
        raise MeetingError(_("修正・再検討の内容（プランをどう直すか）を書いてください。"), "note")
    move(case, CaseState.PLAN_DRAFT, by, expected_state=CaseState.COORDINATION, reason=_trim(note))


def _roles_to_team(item: AgendaItem, case: Case, by: Staff) -> None:
    decided = not needs_decision(case.person, by)
    for role in item.roles.select_related("staff"):
        if not decided and not CaseTeamMember.objects.filter(case=case, staff=role.staff).exists():
            # Her team sees where she is: joining it waits for the chief (cases.team).
            request_join(case, role.staff, by, TeamRequestKind.MEMBER, team_role=role.team_role, note=role.note)
            continue
        member, created = CaseTeamMember.objects.update_or_create(
            case=case, staff=role.staff, defaults={"team_role": role.team_role, "note": role.note}
        )
        sign = "+" if created else "→"
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.TEAM,
            actor=by,
            detail=_trim(f"{sign} {role.staff}（{member.get_team_role_display()}）{role.note}", 500),
        )
        record(
            by,
            AuditAction.CHANGE,
            case,
            changes={"team_added" if created else "team_changed": str(role.staff), "role": role.team_role},
            detail=str(_("支援調整会議の役割分担")),
        )


def _evaluation_review(item: AgendaItem, by: Staff, decision: str, note: str, **details: Any) -> None:
    case = _require_case_state(
        item, CaseState.EVALUATION, _("このケースは評価・終結の確認を待っていません（現在の状態: %(state)s）。")
    )
    if decision == Decision.CLOSE:
        closure_reason = details.get("closure_reason") or ""
        if closure_reason not in ClosureReason.values:
            raise MeetingError(_("終結理由を選んでください。"), "closure_reason")
        move(
            case,
            CaseState.CLOSED,
            by,
            expected_state=CaseState.EVALUATION,
            closure_reason=closure_reason,
            reason=_trim(note),
        )
        return
    move(case, CaseState.PLAN_DRAFT, by, expected_state=CaseState.EVALUATION, reason=_trim(note))


def _support_confirmation(item: AgendaItem, by: Staff, decision: str, note: str, **details: Any) -> None:
    """A regular meeting confirms support that already started (定例会議による事後確認)."""
    case = item.case
    if case is None:
        raise MeetingError(_("この議題にはケースがありません。"), "decision")
    started: dt.date | None = details.get("support_started_on")
    if started is None:
        raise MeetingError(_("支援を開始した日を入れてください。"), "support_started_on")
    if started > timezone.localdate():
        raise MeetingError(_("支援の開始日が未来の日付になっています。"), "support_started_on")
    if started < case.opened_on:
        raise MeetingError(_("支援の開始日がケースの受付日より前になっています。"), "support_started_on")
    item.support_started_on = started
    if case.state == CaseState.COORDINATION:
        move(
            case,
            CaseState.DECIDED,
            by,
            expected_state=CaseState.COORDINATION,
            reason=_("%(meeting)sで事後確認（支援の開始日: %(day)s）")
            % {"meeting": meeting_label(item.meeting), "day": format_wareki(started, seireki=False)},
        )


def _note_only(item: AgendaItem, by: Staff, decision: str, note: str, **_details: Any) -> None:
    """確認・共有 / 継続: recorded as said; a regional issue has now been discussed."""
    issue = item.regional_issue
    if item.purpose == Purpose.REGIONAL_ISSUE and issue is not None and issue.status == RegionalIssueStatus.PROPOSED:
        issue.status = RegionalIssueStatus.DISCUSSED
        issue.updated_at = timezone.now()
        issue.version += 1
        issue.save(update_fields=["status", "updated_at", "version"])
        # The issue's history shows the meeting as the step that moved it.
        RegionalIssueUpdate.objects.create(
            issue=issue,
            from_status=RegionalIssueStatus.PROPOSED,
            to_status=RegionalIssueStatus.DISCUSSED,
            note=f"{meeting_label(item.meeting)}：{note}" if note else meeting_label(item.meeting),
            by=by,
        )
        record(
            by,
            AuditAction.CHANGE,
            issue,
            changes={"status": [RegionalIssueStatus.PROPOSED, RegionalIssueStatus.DISCUSSED]},
            detail=meeting_label(item.meeting),
        )


_CARRY_OUT: dict[str, Callable[..., None]] = {
    Purpose.PLAN_APPROVAL: _plan_approval,
    Purpose.EVALUATION_REVIEW: _evaluation_review,
    Purpose.SUPPORT_CONFIRMATION: _support_confirmation,
}


# Actions, gaps and escalation ---------------------------------------------------------


def may_be_assigned(staff: Staff, item: AgendaItem) -> bool:
    """On a case, a task goes to centre staff of the case's centre or to a team member:
    anyone else would see the person's name on their own task list."""
    case = item.case
    if case is None:
        return staff.municipality_id == item.meeting.municipality_id
    if staff.works_in_centre and staff.agency_id == case.agency_id:
        return True
    return CaseTeamMember.objects.filter(case=case, staff=staff).exists()


def add_action(item: AgendaItem, by: Staff, title: str, assignee: Staff | None, due_on: dt.date | None) -> Action:
    """Who does what by when; on an item with a case it is a task on the case."""
    _refuse_unless_open(item.meeting)
    title = (title or "").strip()
    if not title:
        raise MeetingError(_("決まったこと（内容）を書いてください。"), "title")
    if assignee is None:
        raise MeetingError(_("担当者を選んでください。"), "assignee")
    if due_on is None:
        raise MeetingError(_("期限を入れてください。"), "due_on")
    if due_on < item.meeting.held_on:
        raise MeetingError(_("期限が会議の日より前になっています。"), "due_on")
    if not may_be_assigned(assignee, item):
        raise MeetingError(
            _("この人はケースのチームにいません。センターの職員を選ぶか、先にチームに加えてください。"), "assignee"
        )
    meeting = item.meeting
    if meeting.is_support_meeting and not _is_member(assignee, meeting):
        raise MeetingError(_("支援会議のアクションは、会議の構成員（出席者・議長）に割り当ててください。"), "assignee")
    with transaction.atomic():
        task = None
        case = item.case
        if case is not None:
            # The task is on the case, which every centre worker reads: a 支援会議's stays neutral.
            task_title = (
                str(SUPPORT_MEETING_TASK % {"meeting": meeting_label(meeting)}) if meeting.is_support_meeting else title
            )
            task = Task.objects.create(
                case=case,
                title=task_title[:200],
                kind=TaskKind.MEETING_ACTION,
                due_on=due_on,
                assignee=assignee,
                created_by=by,
            )
            _on_timeline(
                case,
                by,
                item.meeting,
                _("%(meeting)sで決まったこと：%(title)s（担当 %(who)s・期限 %(day)s）")
                % {
                    "meeting": meeting_label(item.meeting),
                    "title": title,
                    "who": assignee,
                    "day": format_wareki(due_on, seireki=False),
                },
                shared=False,
            )
        action = Action.objects.create(
            item=item, title=title, assignee=assignee, due_on=due_on, task=task, created_by=by
        )
        record(
            by,
            AuditAction.CREATE,
            action,
            person_code=item.person.code if item.person else None,
            case_code=case.code if case else None,
            changes={"title": title, "assignee": str(assignee), "due_on": str(due_on), "item": str(item.code)},
        )
    return action


def note_gap(
    item: AgendaItem,
    by: Staff,
    description: str,
    field: str = "",
    district: District | None = None,
    issue: str = "",
) -> ResourceGap:
    """A missing social resource. The district defaults to the person's, unless the person's
    whereabouts are confidential: a gap is read outside the case team (地域課題)."""
    _refuse_unless_open(item.meeting)
    description = (description or "").strip()
    if not description:
        raise MeetingError(_("不足している資源を書いてください。"), "description")
    meeting = item.meeting
    if district is not None and district.municipality_id != meeting.municipality_id:
        raise MeetingError(_("この自治体の地区を選んでください。"), "district")
    if district is None:
        district = _default_gap_district(item)
    with transaction.atomic():
        gap = ResourceGap.objects.create(
            item=item,
            municipality_id=meeting.municipality_id,
            district=district,
            field=field,
            issue=issue,
            description=description,
            noted_by=by,
            # A gap noted while discussing a regional issue belongs to that issue.
            regional_issue=item.regional_issue,
        )
        record(
            by,
            AuditAction.CREATE,
            gap,
            object_type="meetings.resourcegap",
            changes={"description": description, "field": field, "district": str(district or ""), "issue": issue},
        )
    return gap


def _default_gap_district(item: AgendaItem) -> District | None:
    person = item.person
    if item.regional_issue is not None and item.regional_issue.district_id:
        return item.regional_issue.district
    if item.meeting.district_id:
        return item.meeting.district
    if person is None or person.district_id is None:
        return None
    if person.confidentiality_orders.filter(confidentiality_in_force()).exists():
        return None
    return person.district


def escalate(item: AgendaItem, by: Staff, to_meeting: Meeting | None, title: str = "") -> AgendaItem:
    """Take an item to a 相談支援包括化推進会議 of the same municipality not held yet.
    An item of a 支援会議 goes there under a neutral title its member writes (`title`):
    what the 支援会議 shared stays with its members (法第9条第5項)."""
    _refuse_unless_open(item.meeting)
    title = title.strip()
    if item.meeting.is_support_meeting:
        if not title:
            raise MeetingError(
                _("支援会議からの付議には、会議で話された内容に触れない議題名を書いてください。"), "title"
            )
        if item.title and title == item.title.strip():
            raise MeetingError(_("支援会議での議題名とは別の、内容に触れない議題名を書いてください。"), "title")
    title = title or item.title
    if to_meeting is None:
        raise MeetingError(_("付議する相談支援包括化推進会議を選んでください。"), "to_meeting")
    if to_meeting.kind != MeetingKind.INTEGRATION or to_meeting.municipality_id != item.meeting.municipality_id:
        raise MeetingError(_("この自治体の相談支援包括化推進会議を選んでください。"), "to_meeting")
    if to_meeting.pk == item.meeting_id:
        raise MeetingError(_("同じ会議には付議できません。"), "to_meeting")
    if to_meeting.status != MeetingStatus.PLANNED or to_meeting.held_on < timezone.localdate():
        raise MeetingError(
            _("開催済み・中止の会議には付議できません。これから開く相談支援包括化推進会議を選んでください。"),
            "to_meeting",
        )
    if item.meeting.is_support_meeting and item.case_id is None:
        # What a 支援会議 shares without consent stays with its members (法第9条第5項).
        raise MeetingError(_("支援会議でケースのない相談者の議題は、他の会議に付議できません。"), "to_meeting")
    with transaction.atomic():
        if AgendaItem.objects.filter(escalated_from=item).exists():
            raise MeetingError(_("この議題はすでに付議されています。"), "to_meeting")
        if item.case_id and AgendaItem.objects.filter(meeting=to_meeting, case_id=item.case_id).exists():
            raise MeetingError(_("このケースはすでにその会議の議題にあります。"), "to_meeting")
        escalated = AgendaItem.objects.create(
            meeting=to_meeting,
            order=_next_order(to_meeting),
            purpose=Purpose.ESCALATED,
            title=title,
            case_id=item.case_id,
            person_id=item.person_id,
            regional_issue_id=item.regional_issue_id,
            escalated_from=item,
        )
        if item.case is not None:
            _on_timeline(
                item.case,
                by,
                item.meeting,
                _("%(from)sから%(to)sへ付議しました")
                % {"from": meeting_label(item.meeting), "to": meeting_label(to_meeting)},
            )
        record(
            by,
            AuditAction.CREATE,
            escalated,
            person_code=item.person.code if item.person else None,
            case_code=item.case.code if item.case else None,
            changes={"escalated_from": str(item.code), "meeting": str(to_meeting.code)},
        )
    return escalated


# ケース検討会: cases to compare -------------------------------------------------------


@dataclass
class Candidate:
    case: Case
    reasons: list[str] = field(default_factory=list)


def _case_review_rules(today: dt.date) -> tuple[Q, Q, Exists]:
    """The ケース検討会's rules as conditions on a case: held alone, unchanged for long,
    and already on an undecided item of a meeting still to come."""
    alone_days = settings.TSUNAGU["CASE_REVIEW_ALONE_DAYS"]
    stale_days = settings.TSUNAGU["CASE_REVIEW_STALE_DAYS"]
    alone_since = today - dt.timedelta(days=alone_days)
    stale_before = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=stale_days), dt.time.min))
    other_member = CaseTeamMember.objects.filter(case=OuterRef("pk")).exclude(staff_id=OuterRef("worker_id"))
    recent_meeting = AgendaItem.objects.filter(case=OuterRef("pk"), meeting__held_on__gte=alone_since).exclude(
        meeting__status=MeetingStatus.CANCELLED
    )
    coming = AgendaItem.objects.filter(
        case=OuterRef("pk"), decision="", meeting__held_on__gte=today, meeting__status=MeetingStatus.PLANNED
    )
    alone = Q(worker__isnull=False, opened_on__lte=alone_since) & ~Exists(other_member) & ~Exists(recent_meeting)
    stale = Q(state_changed_at__lt=stale_before)
    return alone, stale, Exists(coming)


def case_review_cases(agency: Any, today: dt.date | None = None) -> QuerySet[Any]:
    """Open cases of the centre that a ケース検討会 should look at, annotated `is_alone`
    (held by their worker alone: no other team member, no meeting, for
    CASE_REVIEW_ALONE_DAYS since they were opened) and `is_stale` (state unchanged for
    CASE_REVIEW_STALE_DAYS). Cases already on an undecided item of a meeting still to
    come are left out."""
    alone, stale, coming = _case_review_rules(today or timezone.localdate())
    return (
        Case.objects.filter(agency=agency, state__in=OPEN_STATES)
        .exclude(coming)
        .annotate(
            is_alone=ExpressionWrapper(alone, output_field=BooleanField()),
            is_stale=ExpressionWrapper(stale, output_field=BooleanField()),
        )
        .filter(alone | stale)
    )


def cases_held_alone(agency: Any, today: dt.date | None = None) -> QuerySet[Any]:
    """The cases of `case_review_cases` that are held alone (the supervision dashboard
    counts them). The same rule without the OR of the two: PostgreSQL turns its NOT
    EXISTS into anti-joins instead of a look-up per open case (2.6 s at a million open
    cases, docs/benchmarks.md)."""
    alone, _stale, coming = _case_review_rules(today or timezone.localdate())
    return Case.objects.filter(agency=agency, state__in=OPEN_STATES).exclude(coming).filter(alone)


def case_review_candidates(agency: Any, today: dt.date | None = None) -> list[Candidate]:
    """The candidates of `case_review_cases`, each with the reasons in words."""
    alone_days = settings.TSUNAGU["CASE_REVIEW_ALONE_DAYS"]
    stale_days = settings.TSUNAGU["CASE_REVIEW_STALE_DAYS"]
    cases = case_review_cases(agency, today).select_related("person", "worker").order_by("state_changed_at", "id")
    candidates = []
    for case in cases:
        candidate = Candidate(case)
        if case.is_alone:
            candidate.reasons.append(
                _("担当者が一人で抱えています（受付から%(days)s日以上、チームの他のメンバーも会議もありません）")
                % {"days": alone_days}
            )
        if case.is_stale:
            candidate.reasons.append(
                _("状態（%(state)s）が%(days)s日以上変わっていません")
                % {"state": case.get_state_display(), "days": stale_days}
            )
        candidates.append(candidate)
    return candidates


def add_case_review_items(meeting: Meeting, by: Staff, cases: Iterable[Case]) -> list[AgendaItem]:
    """The chief's one click: the chosen candidates onto a ケース検討会."""
    if meeting.kind != MeetingKind.CASE_REVIEW:
        raise MeetingError(_("ケース検討会ではありません。"))
    with transaction.atomic():
        return [add_case_item(meeting, by, case, Purpose.CASE_DISCUSSION) for case in cases]
