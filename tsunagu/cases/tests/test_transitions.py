import datetime as dt
import itertools

import pytest
from django.utils import timezone

from tsunagu.audit.models import Action, AuditEvent
from tsunagu.cases.models import OPEN_STATES, CaseState, Task, TaskKind, TimelineEntry
from tsunagu.cases.transitions import MOVES, TransitionError, available_moves, move
from tsunagu.tests.records import write_assessment, write_intake, write_plan, write_records

S = CaseState

# DOMAIN.md §2's diagram written out by hand, each path from left to right, so that a change
# to MOVES must change this too.
PATHS = [
    [S.IDENTIFIED, S.INTAKE, S.SCREENING, S.APPLIED, S.ASSESSMENT, S.PLAN_DRAFT, S.COORDINATION, S.DECIDED],
    [S.DECIDED, S.IN_SUPPORT, S.EVALUATION, S.CLOSED, S.FOLLOW_UP, S.ENDED],
    [S.SCREENING, S.CLOSED_INFO_ONLY],
    [S.SCREENING, S.HANDED_OFF],
    [S.COORDINATION, S.PLAN_DRAFT],  # 支援調整会議 asks for changes (修正・再検討)
    [S.EVALUATION, S.PLAN_DRAFT],  # 再プラン
]
EXPECTED_MOVES = {
    *(step for path in PATHS for step in itertools.pairwise(path)),
    *((state, S.SUSPENDED) for state in OPEN_STATES),
    *((S.SUSPENDED, state) for state in OPEN_STATES),
}


def test_the_moves_are_exactly_those_of_the_domain():
    actual = {(source, m.target) for m in MOVES for source in m.sources}
    assert actual == EXPECTED_MOVES


def counts(case):
    return (TimelineEntry.objects.filter(case=case).count(), AuditEvent.objects.filter(case_code=case.code).count())


def test_the_whole_path_from_intake_to_ended(world):
    case = world.case
    write_records(case, world.consultant)
    steps = [
        (S.SCREENING, world.consultant, {}),
        (S.APPLIED, world.consultant, {}),
        (S.ASSESSMENT, world.consultant, {}),
        (S.PLAN_DRAFT, world.consultant, {}),
        (S.COORDINATION, world.consultant, {}),
        (S.DECIDED, world.chief, {"reason": "支援調整会議で了承"}),
        (S.IN_SUPPORT, world.consultant, {}),
        (S.EVALUATION, world.employment, {}),
        (S.CLOSED, world.chief, {"closure_reason": "self_reliant"}),
        (S.FOLLOW_UP, world.consultant, {}),
        (S.ENDED, world.consultant, {}),
    ]
    for target, by, details in steps:
        before_state = case.state
        timeline, audit = counts(case)
        move(case, target, by, **details)
        case.refresh_from_db()
        assert case.state == target
        assert counts(case) == (timeline + 1, audit + 1)
        entry = TimelineEntry.objects.filter(case=case).order_by("-id").first()
        assert (entry.from_state, entry.to_state, entry.actor) == (before_state, target, by)
        event = AuditEvent.objects.filter(case_code=case.code).order_by("-id").first()
        assert event.action == Action.TRANSITION
        assert event.changes["state"] == [before_state, target]
    assert case.closure_reason == "self_reliant"
    assert case.closed_on is not None
    assert Task.objects.filter(case=case, kind=TaskKind.FOLLOW_UP).count() == 1


def _at(world, state):
    case = world.case
    case.state = state
    case.save(update_fields=["state"])
    return case


def test_a_move_not_in_the_graph_is_refused_in_japanese_and_changes_nothing(world):
    case = world.case
    before = counts(case)
    with pytest.raises(TransitionError) as failure:
        move(case, S.DECIDED, world.chief)
    assert "「相談受付」から「支援決定・確認」へは移せません" in failure.value.message
    case.refresh_from_db()
    assert case.state == S.INTAKE
    assert counts(case) == before


@pytest.mark.parametrize("who", ["consultant", "employment", "partner", "outsider", "officer"])
def test_only_the_chief_closes(world, who):
    case = _at(world, S.EVALUATION)
    with pytest.raises(TransitionError) as failure:
        move(case, S.CLOSED, getattr(world, who), closure_reason="goals_met")
    assert "主任相談支援員だけが行えます" in failure.value.message
    case.refresh_from_db()
    assert case.state == S.EVALUATION


def test_the_officer_may_record_the_decision_but_not_a_worker(world):
    case = _at(world, S.COORDINATION)
    write_plan(case, world.consultant)
    with pytest.raises(TransitionError):
        move(case, S.DECIDED, world.consultant)
    move(case, S.DECIDED, world.officer)
    case.refresh_from_db()
    assert case.state == S.DECIDED


@pytest.mark.parametrize("who", ["partner", "partner_outsider", "outsider", "supporter", "admin_user", "officer"])
def test_people_outside_the_centre_cannot_move_a_case(world, who):
    with pytest.raises(TransitionError):
        move(world.case, S.SCREENING, getattr(world, who))
    world.case.refresh_from_db()
    assert world.case.state == S.INTAKE


def test_hand_off_needs_an_agency_of_the_municipality_and_creates_a_follow_up_task(world):
    case = _at(world, S.SCREENING)
    with pytest.raises(TransitionError) as missing:
        move(case, S.HANDED_OFF, world.consultant)
    assert missing.value.field == "to_agency"
    with pytest.raises(TransitionError):
        move(case, S.HANDED_OFF, world.consultant, to_agency=world.other_centre)
    assert not Task.objects.filter(case=case).exists()
    move(case, S.HANDED_OFF, world.consultant, to_agency=world.housing, reason="住まいの相談")
    case.refresh_from_db()
    assert case.state == S.HANDED_OFF
    assert case.handed_off_to == world.housing
    assert case.screening_outcome == "handed_off"
    task = Task.objects.get(case=case)
    assert task.kind == TaskKind.HANDOFF_FOLLOW_UP
    assert task.assignee == world.consultant
    assert "居住支援法人あんしん" in task.title


def test_suspension_remembers_where_to_return(world):
    case = world.hanako_case
    with pytest.raises(TransitionError) as failure:
        move(case, S.SUSPENDED, world.consultant)
    assert failure.value.field == "suspension_reason"
    move(case, S.SUSPENDED, world.consultant, suspension_reason="contact_lost")
    case.refresh_from_db()
    assert (case.state, case.suspended_from) == (S.SUSPENDED, S.ASSESSMENT)
    assert [m.target for m in available_moves(case, world.consultant)] == [S.ASSESSMENT]
    with pytest.raises(TransitionError):
        move(case, S.IN_SUPPORT, world.consultant)
    move(case, S.ASSESSMENT, world.consultant, reason="連絡が取れた")
    case.refresh_from_db()
    assert (case.state, case.suspended_from, case.suspension_reason) == (S.ASSESSMENT, "", "")


def test_a_move_from_a_state_the_user_did_not_see_is_refused(world):
    move(world.case, S.SCREENING, world.consultant2)
    stale_view = world.case
    with pytest.raises(TransitionError) as failure:
        move(stale_view, S.SUSPENDED, world.consultant, expected_state=S.INTAKE, suspension_reason="refused")
    assert "他の職員が先に" in failure.value.message
    stale_view.refresh_from_db()
    assert stale_view.state == S.SCREENING


def test_return_plan_needs_a_reason(world):
    case = _at(world, S.COORDINATION)
    with pytest.raises(TransitionError):
        move(case, S.PLAN_DRAFT, world.chief, reason="  ")
    move(case, S.PLAN_DRAFT, world.chief, reason="就労目標を見直す")
    entry = TimelineEntry.objects.filter(case=case).order_by("-id").first()
    assert entry.detail == "就労目標を見直す"


def test_available_moves_follow_the_role(world):
    case = _at(world, S.COORDINATION)
    assert {m.target for m in available_moves(case, world.chief)} == {S.DECIDED, S.PLAN_DRAFT, S.SUSPENDED}
    assert {m.target for m in available_moves(case, world.consultant)} == {S.SUSPENDED}
    assert available_moves(case, world.partner) == []


# Moves gated by the record (issue 10 §1) ----------------------------------------------


def _unchanged(case, state, before):
    case.refresh_from_db()
    assert case.state == state
    assert counts(case) == before
    assert Task.objects.filter(case=case).count() == 0


@pytest.mark.parametrize(
    ("source", "target", "by", "sheet", "url"),
    [
        (S.SCREENING, S.APPLIED, "consultant", "相談受付・申込票の「申込と同意」", "/intake/"),
        (S.ASSESSMENT, S.PLAN_DRAFT, "consultant", "インテーク・アセスメントシートの「アセスメント」", "/assessment/"),
        (S.PLAN_DRAFT, S.COORDINATION, "consultant", "プラン兼事業等利用申込書の「本人が同意したプラン」", "/plan/"),
        (S.COORDINATION, S.DECIDED, "officer", "プラン兼事業等利用申込書の「本人が同意したプラン」", "/plan/"),
    ],
)
def test_a_move_without_its_record_is_refused_naming_and_linking_the_sheet(world, source, target, by, sheet, url):
    case = _at(world, source)
    before = counts(case)
    with pytest.raises(TransitionError) as refused:
        move(case, target, getattr(world, by), reason="会議で了承")
    assert sheet in refused.value.message
    assert "記録してください" in refused.value.message
    [(label, link)] = refused.value.links
    assert link == f"/cases/{case.code}{url}"
    assert label in sheet
    _unchanged(case, source, before)


def test_an_intake_sheet_without_the_application_does_not_open_the_application(world):
    case = _at(world, S.SCREENING)
    write_intake(case, world.consultant, applied=False)
    with pytest.raises(TransitionError, match="申込と同意"):
        move(case, S.APPLIED, world.consultant)
    write_intake(case, world.consultant)  # version 2 records the application and consent
    move(case, S.APPLIED, world.consultant)
    assert case.state == S.APPLIED


def test_a_plan_not_agreed_does_not_go_to_the_meeting(world):
    case = _at(world, S.PLAN_DRAFT)
    write_assessment(case, world.consultant)
    write_plan(case, world.consultant)
    write_plan(case, world.consultant, agreed=False)  # a newer version still to be agreed
    with pytest.raises(TransitionError, match="本人が同意したプラン"):
        move(case, S.COORDINATION, world.consultant)
    assert case.state == S.PLAN_DRAFT


@pytest.mark.parametrize("who", ["consultant", "employment"])
def test_only_the_chief_overrides_a_missing_record_and_only_with_a_reason(world, who):
    case = _at(world, S.ASSESSMENT)
    before = counts(case)
    with pytest.raises(TransitionError, match="アセスメント"):
        move(case, S.PLAN_DRAFT, getattr(world, who), override_reason="緊急のため")
    with pytest.raises(TransitionError, match="アセスメント"):
        move(case, S.PLAN_DRAFT, world.chief, override_reason="   ")
    _unchanged(case, S.ASSESSMENT, before)


def test_the_chief_overrides_with_a_reason_and_the_audit_keeps_it(world):
    case = _at(world, S.ASSESSMENT)
    move(case, S.PLAN_DRAFT, world.chief, override_reason="本人が入院中のため、退院後にアセスメントを書く")
    assert case.state == S.PLAN_DRAFT
    entry = TimelineEntry.objects.filter(case=case).order_by("-id").first()
    assert "記録なしで進めました（インテーク・アセスメントシート）" in entry.detail
    assert "退院後にアセスメントを書く" in entry.detail
    event = AuditEvent.objects.filter(case_code=case.code).order_by("-id").first()
    assert event.action == Action.TRANSITION
    assert event.changes["override"] == ["インテーク・アセスメントシート"]
    assert event.changes["override_reason"] == "本人が入院中のため、退院後にアセスメントを書く"


def test_a_move_whose_record_exists_needs_no_override(world):
    case = _at(world, S.ASSESSMENT)
    write_assessment(case, world.consultant)
    move(case, S.PLAN_DRAFT, world.consultant, override_reason="")
    event = AuditEvent.objects.filter(case_code=case.code).order_by("-id").first()
    assert "override" not in event.changes


# Closing leaves nothing open (issue 10 §4) --------------------------------------------


def test_closing_completes_the_approval_and_cancels_the_other_open_tasks(world):
    case = _at(world, S.EVALUATION)
    today = timezone.localdate()
    approval = Task.objects.create(
        case=case,
        title="終結の承認（評価シート第1版）",
        kind=TaskKind.CLOSURE_APPROVAL,
        due_on=today - dt.timedelta(days=3),
        assignee=world.chief,
        created_by=world.consultant,
    )
    visit = Task.objects.create(case=case, title="家庭訪問", due_on=today, assignee=world.consultant)
    done = Task.objects.create(
        case=case,
        title="済んだこと",
        due_on=today,
        assignee=world.consultant,
        done_at=timezone.now(),
        done_by=world.consultant,
    )
    other = Task.objects.create(case=world.hanako_case, title="別のケース", due_on=today, assignee=world.consultant)
    move(case, S.CLOSED, world.chief, closure_reason="self_reliant")
    approval.refresh_from_db()
    visit.refresh_from_db()
    assert (approval.done_by, approval.closing_note) == (world.chief, "終結により承認")
    assert visit.done_at is not None
    assert visit.closing_note == "ケースの終結により取り消し"
    assert Task.objects.open().filter(case=case).count() == 0
    assert Task.objects.overdue().filter(assignee=world.chief).count() == 0
    done.refresh_from_db()
    assert done.closing_note == ""  # a done task stays as it was
    other.refresh_from_db()
    assert other.done_at is None  # another case's task is not touched
    entry = TimelineEntry.objects.filter(case=case, to_state=S.CLOSED).get()
    assert "終結の承認タスクを完了" in entry.detail
    assert "未完了のタスク1件を取り消し" in entry.detail
    audited = AuditEvent.objects.filter(object_type="cases.task", object_code__in=[str(approval.code), str(visit.code)])
    assert audited.count() == 2


def test_a_refused_closure_leaves_the_tasks_open(world):
    case = _at(world, S.EVALUATION)
    task = Task.objects.create(case=case, title="家庭訪問", due_on=timezone.localdate(), assignee=world.consultant)
    with pytest.raises(TransitionError):
        move(case, S.CLOSED, world.chief, closure_reason="")
    task.refresh_from_db()
    assert task.done_at is None
