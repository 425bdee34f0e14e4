"""The decisions of each kind of meeting, as they land on the case: its state, its
timeline, its team and its tasks (tsunagu.meetings.decisions)."""

import datetime as dt

import pytest
from django.utils import timezone

from tsunagu.audit.models import Action as AuditAction
from tsunagu.audit.models import AuditEvent
from tsunagu.cases.models import Case, CaseState, CaseTeamMember, Task, TaskKind, TeamRole, TimelineEntry, TimelineKind
from tsunagu.community.models import RegionalIssue, RegionalIssueSource, RegionalIssueStatus
from tsunagu.conftest import make_case, make_person
from tsunagu.meetings import decisions
from tsunagu.meetings.decisions import MeetingError
from tsunagu.meetings.models import (
    AgendaItem,
    Attendee,
    Decision,
    Meeting,
    MeetingKind,
    Purpose,
    ResourceGap,
    RoleAssignment,
)
from tsunagu.meetings.tests.conftest import attend
from tsunagu.tests.records import make_meeting


def meeting_entries(case):
    return list(TimelineEntry.objects.filter(case=case, kind=TimelineKind.MEETING).values_list("detail", flat=True))


def fresh(case):
    return Case.objects.get(pk=case.pk)


# 支援調整会議 -------------------------------------------------------------------------------


def test_coordination_approval_decides_support_and_makes_the_roles_the_team(w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    assert item.purpose == Purpose.PLAN_APPROVAL  # the case waits in coordination
    decisions.add_role(item, w.chief, w.employment, TeamRole.EMPLOYMENT, "ハローワーク同行")
    decisions.add_role(item, w.chief, w.partner, TeamRole.PARTNER, "見守り")

    decisions.decide(item, w.chief, Decision.APPROVED, "プランのとおり了承")

    case = fresh(w.case)
    assert case.state == CaseState.DECIDED
    item.refresh_from_db()
    assert (item.decision, item.decided_by, item.decision_note) == (Decision.APPROVED, w.chief, "プランのとおり了承")
    state = TimelineEntry.objects.get(case=case, kind=TimelineKind.STATE, to_state=CaseState.DECIDED)
    assert "支援調整会議（定例）" in state.detail
    assert "了承" in state.detail
    assert any("了承" in d and "プランのとおり了承" in d for d in meeting_entries(case))
    team = {m.staff: (m.team_role, m.note) for m in CaseTeamMember.objects.filter(case=case)}
    assert team[w.employment] == (TeamRole.EMPLOYMENT, "ハローワーク同行")
    assert team[w.partner] == (TeamRole.PARTNER, "見守り")  # updated, not doubled
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, object_code=str(item.code)).exists()
    assert AuditEvent.objects.filter(action=AuditAction.TRANSITION, case_code=case.code).exists()


def test_coordination_modification_sends_the_plan_back_with_the_reason(w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.chief, Decision.MODIFY, "  ")
    assert refused.value.field == "note"
    assert fresh(w.case).state == CaseState.COORDINATION

    decisions.decide(item, w.chief, Decision.MODIFY, "就労の目標を具体的に")
    case = fresh(w.case)
    assert case.state == CaseState.PLAN_DRAFT
    assert TimelineEntry.objects.get(case=case, to_state=CaseState.PLAN_DRAFT).detail == "就労の目標を具体的に"


def test_only_the_chief_or_the_officer_decides_support(w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.consultant, Decision.APPROVED, "")
    assert "主任相談支援員または自治体担当職員" in refused.value.message
    item.refresh_from_db()
    assert item.decision == ""
    assert fresh(w.case).state == CaseState.COORDINATION
    assert len(meeting_entries(w.case)) == 1  # only "put on the agenda"

    decisions.decide(item, w.officer, Decision.APPROVED, "")
    assert fresh(w.case).state == CaseState.DECIDED


def test_a_case_not_awaiting_the_meeting_is_refused_and_nothing_changes(w):
    w.case.state = CaseState.PLAN_DRAFT
    w.case.save(update_fields=["state"])
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.PLAN_APPROVAL)
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.chief, Decision.APPROVED, "了承")
    assert "このケースは支援調整会議の決定を待っていません" in refused.value.message
    assert refused.value.field == "decision"
    item.refresh_from_db()
    assert item.decision == ""
    assert item.decided_at is None
    assert fresh(w.case).state == CaseState.PLAN_DRAFT


def test_evaluation_review_closes_with_a_reason_or_replans(w):
    w.case.state = CaseState.EVALUATION
    w.case.save(update_fields=["state"])
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    assert item.purpose == Purpose.EVALUATION_REVIEW
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.chief, Decision.CLOSE, "")
    assert refused.value.field == "closure_reason"
    with pytest.raises(MeetingError):
        decisions.decide(item, w.chief, Decision.APPROVED, "")  # not a choice of this item

    decisions.decide(item, w.chief, Decision.CLOSE, "就職して半年", closure_reason="self_reliant")
    case = fresh(w.case)
    assert (case.state, case.closure_reason, case.closed_on) == (
        CaseState.CLOSED,
        "self_reliant",
        timezone.localdate(),
    )
    assert any("終結を了承" in d for d in meeting_entries(case))


def test_evaluation_review_refuses_a_case_not_in_evaluation(w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.EVALUATION_REVIEW)
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.chief, Decision.REPLAN, "")
    assert "評価・終結の確認を待っていません" in refused.value.message
    assert fresh(w.case).state == CaseState.COORDINATION


def test_a_regular_meeting_confirms_support_started_earlier(w):
    w.case.opened_on = timezone.localdate() - dt.timedelta(days=40)
    w.case.save(update_fields=["opened_on"])
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.SUPPORT_CONFIRMATION)
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.chief, Decision.APPROVED, "")
    assert refused.value.field == "support_started_on"
    with pytest.raises(MeetingError) as refused:
        decisions.decide(
            item, w.chief, Decision.APPROVED, "", support_started_on=timezone.localdate() + dt.timedelta(1)
        )
    assert "未来" in refused.value.message

    started = timezone.localdate() - dt.timedelta(days=10)
    decisions.decide(item, w.chief, Decision.APPROVED, "緊急で開始", support_started_on=started)
    item.refresh_from_db()
    assert item.support_started_on == started
    case = fresh(w.case)
    assert case.state == CaseState.DECIDED
    assert "事後確認" in TimelineEntry.objects.get(case=case, to_state=CaseState.DECIDED).detail


# Actions, the agenda of coordination -------------------------------------------------------


def test_an_action_on_a_case_is_a_task(w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    due = timezone.localdate() + dt.timedelta(days=20)
    with pytest.raises(MeetingError) as refused:
        decisions.add_action(item, w.chief, "家計表を作る", None, due)
    assert (refused.value.field, refused.value.message) == ("assignee", "担当者を選んでください。")
    with pytest.raises(MeetingError) as refused:
        decisions.add_action(item, w.chief, "家計表を作る", w.consultant, None)
    assert refused.value.field == "due_on"
    with pytest.raises(MeetingError) as refused:
        decisions.add_action(item, w.chief, "家計表を作る", w.partner_outsider, due)
    assert refused.value.field == "assignee"  # not on the team: would see the name on /my/
    assert not Task.objects.filter(kind=TaskKind.MEETING_ACTION).exists()

    action = decisions.add_action(item, w.chief, "家計表を作る", w.consultant, due)
    task = action.task
    assert (task.case, task.kind, task.assignee, task.due_on, task.title) == (
        w.case,
        TaskKind.MEETING_ACTION,
        w.consultant,
        due,
        "家計表を作る",
    )
    assert any("家計表を作る" in d for d in meeting_entries(w.case))


def test_the_coordination_agenda_prepares_itself(w):
    waiting = make_case(w.hanako, w.centre, w.consultant, state=CaseState.COORDINATION)
    elsewhere = make_case(w.other_person, w.other_centre, w.outsider, state=CaseState.COORDINATION)
    already = make_meeting(w, MeetingKind.COORDINATION, days=3)
    decisions.add_case_item(already, w.chief, waiting)  # undecided elsewhere: left alone

    items = decisions.prepare_coordination_agenda(w.coordination, w.chief)
    assert [i.case for i in items] == [w.case]
    assert items[0].purpose == Purpose.PLAN_APPROVAL
    assert items[0].person == w.taro
    assert decisions.prepare_coordination_agenda(w.coordination, w.chief) == []  # nothing twice
    assert not AgendaItem.objects.filter(case=elsewhere).exists()


def test_a_new_coordination_meeting_starts_with_the_waiting_cases(w):
    from tsunagu.meetings.models import Meeting

    meeting = Meeting(
        municipality=w.town,
        kind=MeetingKind.COORDINATION,
        title="臨時の支援調整会議",
        held_on=timezone.localdate() + dt.timedelta(days=2),
        chair=w.chief,
    )
    items = decisions.create_meeting(meeting, w.consultant)
    assert [i.case for i in items] == [w.case]
    assert meeting.attendees.filter(staff=w.consultant).exists()  # the creator attends


# 支援会議 ---------------------------------------------------------------------------------


def test_support_meeting_discusses_a_person_without_case_or_consent(w):
    stranger = make_person(w.town, "未接続", "一郎", "ミセツゾク", "イチロウ", district=w.district)
    item = decisions.add_person_item(w.support, w.consultant, stranger, "地域で孤立")
    assert (item.case, item.person) == (None, stranger)
    with pytest.raises(MeetingError):
        decisions.add_person_item(w.coordination, w.chief, stranger)  # only a 支援会議
    decisions.decide(item, w.consultant, Decision.CONTINUE, "民生委員と見守りを続ける")
    item.refresh_from_db()
    assert item.decision == Decision.CONTINUE

    # A case discussed in a 支援会議: its timeline (read by every centre worker) says that
    # it was discussed, never what, and is never shared with partners (法第9条).
    case_item = decisions.add_case_item(w.support, w.consultant, w.hanako_case)
    decisions.decide(case_item, w.consultant, Decision.NOTED, "元夫が市内に転居した")
    with pytest.raises(MeetingError) as refused:
        decisions.add_action(case_item, w.consultant, "シェルター移送の手配", w.consultant2, w.support.held_on)
    assert refused.value.field == "assignee"  # consultant2 is not a member of the meeting
    action = decisions.add_action(case_item, w.consultant, "シェルター移送の手配", w.consultant, w.support.held_on)
    assert action.title == "シェルター移送の手配"  # the meeting's own record keeps it
    assert "シェルター" not in action.task.title
    entries = TimelineEntry.objects.filter(case=w.hanako_case, kind=TimelineKind.MEETING)
    assert entries.count() == 3
    assert not entries.filter(shared=True).exists()
    assert all("内容は会議の構成員だけが閲覧できます" in e.detail for e in entries)
    assert not any("元夫" in e.detail or "シェルター" in e.detail for e in entries)


def test_a_support_meeting_attendee_from_outside_needs_an_undertaking(w):
    with pytest.raises(MeetingError) as refused:
        decisions.add_attendee(w.support, w.consultant, name="民生委員 山本", agency_name="東小地区")
    assert refused.value.field == "undertaking_on"
    attendee = decisions.add_attendee(
        w.support, w.consultant, name="民生委員 山本", agency_name="東小地区", undertaking_on=timezone.localdate()
    )
    assert attendee.undertaking_on == timezone.localdate()
    # Centre staff and officers are bound already: no undertaking asked.
    decisions.add_attendee(w.support, w.consultant, staff=w.officer)


# 地域ケア会議 -----------------------------------------------------------------------------


def test_community_care_decision_lands_on_the_case_and_the_regional_issue(w):
    meeting = make_meeting(w, MeetingKind.COMMUNITY_CARE, chair=w.district_chief, district=w.district)
    item = decisions.add_case_item(meeting, w.chief, w.case)
    assert item.purpose == Purpose.CASE_DISCUSSION
    decisions.decide(item, w.chief, Decision.NOTED, "地区で見守る")
    assert any("地域ケア会議" in d and "地区で見守る" in d for d in meeting_entries(w.case))
    assert fresh(w.case).state == CaseState.COORDINATION  # a discussion does not move the case

    issue_item = decisions.add_issue_item(meeting, w.chief, title="冬の除雪の担い手がいない", field="welfare")
    issue = issue_item.regional_issue
    assert (issue.district, issue.source, issue.status) == (w.district, RegionalIssueSource.MEETING, "proposed")
    decisions.decide(issue_item, w.chief, Decision.NOTED, "部会に提案する")
    issue.refresh_from_db()
    assert issue.status == RegionalIssueStatus.DISCUSSED


def test_a_gap_takes_the_persons_district_unless_it_is_confidential(w):
    meeting = make_meeting(w, MeetingKind.CASE_REVIEW)
    taro_item = decisions.add_case_item(meeting, w.chief, w.case)
    hanako_item = decisions.add_case_item(meeting, w.chief, w.hanako_case)
    with pytest.raises(MeetingError) as refused:
        decisions.note_gap(taro_item, w.chief, "")
    assert refused.value.field == "description"

    gap = decisions.note_gap(taro_item, w.chief, "夜間の居場所がない", field="welfare")
    assert (gap.district, gap.municipality) == (w.district, w.town)
    secret = decisions.note_gap(hanako_item, w.chief, "DV避難者向けの一時住宅がない", field="housing")
    assert secret.district is None  # 西小 would locate her
    assert ResourceGap.objects.count() == 2


# ケース検討会 -----------------------------------------------------------------------------


def test_case_review_finds_cases_held_alone_or_stuck_and_records_its_decision(w):
    today = timezone.localdate()
    lonely_person = make_person(w.town, "孤立", "一人", "コリツ", "ヒトリ")
    lonely = make_case(lonely_person, w.centre, w.consultant2, state=CaseState.IN_SUPPORT)
    lonely.opened_on = today - dt.timedelta(days=120)
    lonely.save(update_fields=["opened_on"])
    stuck = w.hanako_case
    stuck.state_changed_at = timezone.now() - dt.timedelta(days=91)
    stuck.save(update_fields=["state_changed_at"])
    w.case.opened_on = today - dt.timedelta(days=200)  # taro has the partner on his team
    w.case.save(update_fields=["opened_on"])

    found = {c.case: c.reasons for c in decisions.case_review_candidates(w.centre, today)}
    assert set(found) == {lonely, stuck}
    assert "一人で抱えています" in found[lonely][0]
    assert "変わっていません" in found[stuck][-1]

    meeting = make_meeting(w, MeetingKind.CASE_REVIEW)
    items = decisions.add_case_review_items(meeting, w.chief, [lonely, stuck])
    assert {i.case for i in items} == {lonely, stuck}
    assert decisions.case_review_candidates(w.centre, today) == []  # now on the agenda

    decisions.decide(items[0], w.chief, Decision.CONTINUE, "就労支援員を加える")
    assert any("ケース検討会" in d and "就労支援員を加える" in d for d in meeting_entries(lonely))


# 相談支援包括化推進会議 ---------------------------------------------------------------------


def test_escalation_to_integration_flows_back_to_the_case(w):
    w.coordinator = attend(w.integration, w.chief).staff
    item = decisions.add_case_item(w.coordination, w.chief, w.case, Purpose.CASE_DISCUSSION)
    with pytest.raises(MeetingError) as refused:
        decisions.escalate(item, w.chief, w.past_integration)
    assert refused.value.field == "to_meeting"
    assert "開催済み" in refused.value.message
    with pytest.raises(MeetingError):
        decisions.escalate(item, w.chief, w.coordination)  # not an integration meeting
    assert not AgendaItem.objects.filter(escalated_from=item).exists()

    escalated = decisions.escalate(item, w.chief, w.integration)
    assert (escalated.purpose, escalated.case, escalated.escalated_from) == (Purpose.ESCALATED, w.case, item)
    assert any("包括化推進会議" in d and "付議" in d for d in meeting_entries(w.case))
    with pytest.raises(MeetingError):
        decisions.escalate(item, w.chief, w.integration)  # once

    with pytest.raises(MeetingError, match="開催日以降"):
        decisions.decide(escalated, w.chief, Decision.CONTINUE, "まだ開かれていない")
    Meeting.objects.filter(pk=w.integration.pk).update(held_on=timezone.localdate())  # the meeting's day
    decisions.decide(escalated, w.chief, Decision.CONTINUE, "障害福祉と合同で支援")
    flowed = [d for d in meeting_entries(w.case) if "障害福祉と合同で支援" in d]
    assert len(flowed) == 1
    assert "支援調整会議（定例）" in flowed[0]


# 協議会 部会 ------------------------------------------------------------------------------


def test_council_committee_discusses_regional_issues_not_cases(w):
    meeting = make_meeting(w, MeetingKind.COUNCIL_COMMITTEE, committee="就労支援部会")
    with pytest.raises(MeetingError):
        decisions.add_case_item(meeting, w.chief, w.case)
    issue = RegionalIssue.objects.create(
        municipality=w.town, title="中間的就労の受け入れ先が少ない", source="gap_analysis", raised_by=w.chief
    )
    item = decisions.add_issue_item(meeting, w.chief, issue=issue)
    action = decisions.add_action(item, w.chief, "商工会に協力を依頼する", w.chief, meeting.held_on)
    assert action.task is None  # no case: no task
    gap = decisions.note_gap(item, w.chief, "受け入れ先の企業", field="employment")
    assert gap.regional_issue == issue  # a gap noted on an issue's item belongs to it
    decisions.decide(item, w.chief, Decision.NOTED, "資源開発を進める")
    issue.refresh_from_db()
    assert issue.status == RegionalIssueStatus.DISCUSSED
    # The issue's history names the meeting as the step that moved it.
    step = issue.updates.get()
    assert (step.from_status, step.to_status, step.by) == ("proposed", "discussed", w.chief)
    assert "就労支援部会" in step.note or "協議会" in step.note
    assert "資源開発を進める" in step.note
    assert not TimelineEntry.objects.filter(kind=TimelineKind.MEETING).exclude(case=w.case).exists()


def test_a_decided_item_is_not_decided_twice(w):
    item = decisions.add_case_item(w.coordination, w.chief, w.case)
    decisions.decide(item, w.chief, Decision.APPROVED, "")
    with pytest.raises(MeetingError) as refused:
        decisions.decide(item, w.chief, Decision.MODIFY, "やはり修正")
    assert "すでに決定" in refused.value.message
    with pytest.raises(MeetingError):
        decisions.add_role(item, w.chief, w.employment, TeamRole.EMPLOYMENT)
    assert not RoleAssignment.objects.exists()


def test_a_decision_for_a_meeting_not_yet_held_is_refused_and_nothing_changes(w):
    """Issue 10 §2: 了承 recorded today for a 支援調整会議 dated next month."""
    next_month = make_meeting(w, MeetingKind.COORDINATION, days=30, title="来月の支援調整会議")
    item = decisions.add_case_item(next_month, w.chief, w.case, Purpose.PLAN_APPROVAL)
    before = (AuditEvent.objects.count(), TimelineEntry.objects.filter(case=w.case).count(), Task.objects.count())
    with pytest.raises(MeetingError, match="開催日以降に記録してください") as failure:
        decisions.decide(item, w.chief, Decision.APPROVED, "")
    assert failure.value.field == "decision"
    item.refresh_from_db()
    w.case.refresh_from_db()
    assert (item.decision, item.decided_at, w.case.state) == ("", None, CaseState.COORDINATION)
    assert (
        AuditEvent.objects.count(),
        TimelineEntry.objects.filter(case=w.case).count(),
        Task.objects.count(),
    ) == before


def test_attendance_is_unrecorded_until_recorded_after_the_meeting(w):
    later = make_meeting(w, MeetingKind.COORDINATION, days=30, title="来月の支援調整会議")
    consultant = decisions.add_attendee(later, w.chief, staff=w.consultant)
    assert consultant.attended is None  # never assumed
    audits = AuditEvent.objects.count()
    with pytest.raises(MeetingError, match="開催日"):
        decisions.record_attendance(later, w.chief, [consultant.pk])
    consultant.refresh_from_db()
    assert consultant.attended is None
    assert AuditEvent.objects.count() == audits

    today = w.coordination  # held today; the consultant and the partner were invited
    invited = {a.staff: a for a in Attendee.objects.filter(meeting=today)}
    decisions.record_attendance(today, w.consultant, [invited[w.consultant].pk])
    attended = dict(Attendee.objects.filter(meeting=today).values_list("staff", "attended"))
    assert attended == {w.consultant.pk: True, w.partner.pk: False}
    event = AuditEvent.objects.order_by("-id").first()
    assert event.actor_id == w.consultant.pk
    assert event.changes["attendance"]
    with pytest.raises(MeetingError, match="出席者から選んで"):
        decisions.record_attendance(today, w.consultant, [consultant.pk])  # not at this meeting
