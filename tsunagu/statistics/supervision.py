"""The 主任相談支援員's supervision dashboard: each worker's caseload and what is waiting,
counted in a few grouped queries for the whole centre, each figure with the list of
cases behind it (`cases_behind`)."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import CENTRE_ROLES, Agency, Staff
from tsunagu.cases.models import ACTIVE_STATES, Case, CaseState, ProgressNote, Task, TaskKind
from tsunagu.meetings.decisions import cases_held_alone

# The lists behind the figures, by the name used in URLs.
LISTS = {
    "caseload": _("担当ケース"),
    "overdue_tasks": _("期限切れのタスクがあるケース"),
    "overdue_evaluations": _("評価の期限が過ぎたケース"),
    "closures": _("終結の承認待ち"),
    "decisions": _("支援決定待ち（支援調整会議の後）"),
    "quiet": _("支援経過記録が途絶えているケース"),
    "alone": _("担当者が一人で抱えているケース"),
}
NO_WORKER = 0  # the row of cases with no worker yet


@dataclass
class WorkerRow:
    worker: Staff | None
    by_state: dict[str, int] = field(default_factory=dict)
    overdue_tasks: int = 0
    overdue_evaluations: int = 0
    quiet: int = 0
    alone: int = 0

    @property
    def worker_id(self) -> int:
        return self.worker.pk if self.worker else NO_WORKER

    @property
    def caseload(self) -> int:
        return sum(self.by_state.values())


@dataclass
class Dashboard:
    rows: list[WorkerRow]
    states: list[CaseState]
    closures: int
    decisions: int
    quiet_days: int
    alone_days: int

    def state_cells(self, row: WorkerRow) -> list[tuple[CaseState, int]]:
        return [(state, row.by_state.get(state, 0)) for state in self.states]


def quiet_since(today: dt.date | None = None) -> dt.datetime:
    now = timezone.now() if today is None else timezone.make_aware(dt.datetime.combine(today, dt.time.max))
    return now - dt.timedelta(days=settings.TSUNAGU["STALE_NOTE_DAYS"])


def _quiet(cases: QuerySet[Case], since: dt.datetime) -> QuerySet[Case]:
    """The /my/ page's rule: an active case (not suspended, not handed off) older than the
    setting with no progress note since."""
    recent = ProgressNote.objects.filter(case=OuterRef("pk"), occurred_at__gte=since)
    return (
        cases.filter(state__in=ACTIVE_STATES, created_at__lt=since)
        .exclude(state__in=[CaseState.SUSPENDED, CaseState.HANDED_OFF])
        .filter(~Exists(recent))
    )


def _alone(agency: Agency, today: dt.date | None) -> QuerySet[Any]:
    """The cases the ケース検討会's rule finds held alone (meetings.decisions)."""
    return cases_held_alone(agency, today)


def dashboard(agency: Agency, today: dt.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    cases = Case.objects.filter(agency=agency)
    workers = list(Staff.objects.filter(agency=agency, role__in=CENTRE_ROLES, is_active=True).order_by("username"))
    rows: dict[int, WorkerRow] = {w.pk: WorkerRow(w) for w in workers}

    def row(worker_id: int | None) -> WorkerRow:
        key = worker_id or NO_WORKER
        if key not in rows:
            rows[key] = WorkerRow(None)  # a worker who left the centre keeps no row of their own
        return rows[key]

    active = cases.filter(state__in=ACTIVE_STATES)
    for worker_id, state, n in active.values_list("worker_id", "state").annotate(n=Count("id")).order_by():
        row(worker_id).by_state[state] = n
    overdue = Task.objects.overdue(today).filter(case__agency=agency)
    for assignee_id, kind, n in (
        overdue.values_list("assignee_id", "kind").annotate(n=Count("case_id", distinct=True)).order_by()
    ):
        target = row(assignee_id)
        if kind == TaskKind.EVALUATION_DUE:
            target.overdue_evaluations += n
        else:
            target.overdue_tasks += n
    quiet = _quiet(cases, quiet_since(today))
    for worker_id, n in quiet.values_list("worker_id").annotate(n=Count("id")).order_by():
        row(worker_id).quiet = n
    for worker_id, n in _alone(agency, today).values_list("worker_id").annotate(n=Count("id")).order_by():
        row(worker_id).alone = n
    closures = Task.objects.open().filter(case__agency=agency, kind=TaskKind.CLOSURE_APPROVAL).count()
    decisions = cases.filter(state=CaseState.COORDINATION).count()
    states = [CaseState(s) for s in CaseState.values if s in ACTIVE_STATES]
    ordered = [rows[w.pk] for w in workers] + [r for key, r in rows.items() if r.worker is None]
    return Dashboard(
        ordered,
        states,
        closures,
        decisions,
        settings.TSUNAGU["STALE_NOTE_DAYS"],
        settings.TSUNAGU["CASE_REVIEW_ALONE_DAYS"],
    )


def cases_behind(
    agency: Agency, kind: str, worker_id: int | None, state: str = "", today: dt.date | None = None
) -> QuerySet[Case]:
    """The centre's cases behind one figure of the dashboard (worker None: every worker,
    NO_WORKER: cases without one)."""
    today = today or timezone.localdate()
    cases: QuerySet[Case] = Case.objects.filter(agency=agency)
    by_worker: dict[str, Any] = {}
    if worker_id is not None:
        by_worker = {"worker__isnull": True} if worker_id == NO_WORKER else {"worker_id": worker_id}
    if kind == "caseload":
        cases = cases.filter(state__in=[state] if state in ACTIVE_STATES else ACTIVE_STATES, **by_worker)
    elif kind in ("overdue_tasks", "overdue_evaluations"):
        overdue = Task.objects.overdue(today).filter(case=OuterRef("pk"))
        overdue = (
            overdue.filter(kind=TaskKind.EVALUATION_DUE)
            if kind == "overdue_evaluations"
            else overdue.exclude(kind=TaskKind.EVALUATION_DUE)
        )
        if worker_id is not None:
            overdue = overdue.filter(assignee_id=worker_id)
        cases = cases.filter(Exists(overdue))
    elif kind == "closures":
        cases = cases.filter(Exists(Task.objects.open().filter(case=OuterRef("pk"), kind=TaskKind.CLOSURE_APPROVAL)))
    elif kind == "decisions":
        cases = cases.filter(state=CaseState.COORDINATION)
    elif kind == "quiet":
        cases = _quiet(cases, quiet_since(today)).filter(**by_worker)
    elif kind == "alone":
        cases = cases.filter(pk__in=_alone(agency, today).filter(**by_worker).values("pk"))
    else:
        return cases.none()
    return cases
