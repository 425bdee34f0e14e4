"""The moves of a case between states (DOMAIN.md §2), one named function each.

`move(case, to, by, **details)` is the only entry point. It finds the function for the
move, which checks that `by` may make it, then writes the case, an audit entry, a
timeline entry and any follow-up task in one transaction. A move that is not allowed
raises TransitionError with a Japanese message and changes nothing.

A move may also need records to exist first (`needs`: the intake sheet's application
and consent before 申込, an assessment before プラン案, an agreed plan before 支援調整会議
and 支援決定). The app that keeps those records adds them in its AppConfig.ready()
(`require`; the sheets, tsunagu/sheets/gates.py), so this module imports no app above
cases. A move whose record is missing is refused with a message that names the sheet and
links to it; the centre's chief may make it anyway with a written reason
(`override_reason`), which the timeline and the audit entry keep. A hand-off tells the
apps above through the `handed_off` signal (referrals sends the referral).
"""

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import (
    OPEN_STATES,
    Case,
    CaseState,
    ClosureReason,
    ScreeningOutcome,
    SuspensionReason,
    Task,
    TaskKind,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.cases.team import needs_decision
from tsunagu.people.access import sees_whereabouts
from tsunagu.people.models import Person

S = CaseState


class TransitionError(Exception):
    """A move that may not be made; the message is for the user, in Japanese. A move
    refused for a missing record carries that record (`missing`) and a link to it."""

    def __init__(
        self, message: str, field: str | None = None, missing: "tuple[Requirement, ...]" = (), case: Case | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.missing = missing
        self.links = [(str(need.label), need.url(case)) for need in missing] if case is not None else []


@dataclass(frozen=True)
class Requirement:
    """A record that must exist before a move: which sheet (its latest version), what it
    must say, where to write it."""

    label: Promise  # the sheet, as the worker knows it
    what: Promise  # what must be recorded on it
    url_name: str
    model: str  # the sheet's model name: its key in `latest`
    check: Callable[[Any], bool]  # on the latest version (None when none is written)
    latest: Callable[[Case], Any]  # the latest version of the sheet, or None

    def url(self, case: Case) -> str:
        return reverse(self.url_name, kwargs={"code": case.code})

    def met(self, case: Case, latest: dict[str, Any] | None = None) -> bool:
        """`latest`: the latest version of each sheet by model name, if the caller has them."""
        if latest is not None and self.model in latest:
            return self.check(latest[self.model])
        return self.check(self.latest(case))


# Sent by the hand-off (他機関へつなぎ) inside its transaction, with `case`, `by`,
# `to_agency`, `reason` and the follow-up `task`: referrals sends the referral the agency
# answers on (referrals.flow.send_from_handoff). A receiver's error undoes the move.
handed_off = Signal()


# Who may make a move.
def centre_worker(by: Staff, case: Case) -> bool:
    """Staff of the centre that holds the case."""
    return by.works_in_centre and by.agency_id == case.agency_id


def locating_worker(by: Staff, case: Case) -> bool:
    """Centre staff of the case who may see where the person is: for a person under
    whereabouts confidentiality only her case team and the chief, since choosing where
    she is sent is knowing where she is (as referrals.access.case_to_refer_from)."""
    return centre_worker(by, case) and sees_whereabouts(by, case.person)


def chief_or_officer(by: Staff, case: Case) -> bool:
    """The centre's chief, or the municipality's officer (formal decisions)."""
    if by.is_chief and by.agency_id == case.agency_id:
        return True
    return by.is_municipal_officer and by.municipality_id == case.agency.municipality_id


def chief(by: Staff, case: Case) -> bool:
    return by.is_chief and by.agency_id == case.agency_id


@dataclass(frozen=True)
class Move:
    sources: frozenset[str]
    target: str
    label: Promise
    who: Callable[[Staff, Case], bool]
    who_label: Promise
    function: Callable[..., None]
    # The details the form must ask for (names of move() keyword arguments).
    asks: tuple[str, ...] = ()
    # The records that must exist first.
    needs: tuple[Requirement, ...] = ()
    # A step of the ordinary path (offered after a sheet is saved).
    main: bool = False

    def missing(self, case: Case, latest: dict[str, Any] | None = None) -> tuple[Requirement, ...]:
        return tuple(need for need in self.needs if not need.met(case, latest))


MOVES: list[Move] = []


def _move(
    sources: str | frozenset[str],
    target: str,
    *,
    label: Promise,
    who: Callable[[Staff, Case], bool],
    who_label: Promise,
    asks: tuple[str, ...] = (),
    main: bool = False,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def register(function: Callable[..., None]) -> Callable[..., None]:
        source_set = frozenset({sources}) if isinstance(sources, str) else sources
        MOVES.append(Move(source_set, target, label, who, who_label, function, asks, main=main))
        return function

    return register


def require(source: str, target: str, need: Requirement) -> None:
    """Make the move from `source` to `target` need a record first. Called by the app that
    keeps the record, in its AppConfig.ready(); calling it again changes nothing."""
    for index, candidate in enumerate(MOVES):
        if source in candidate.sources and candidate.target == target:
            if need not in candidate.needs:
                MOVES[index] = dataclasses.replace(candidate, needs=(*candidate.needs, need))
            return
    raise LookupError(f"No move from {source} to {target}.")


def named(person: Person, agency: Agency) -> str:
    """The receiving agency as the case's tasks and timeline name it, which every centre
    worker reads: for a person under whereabouts confidentiality not at all, since where
    she was sent can tell where she is. The referral page names it to those who may see
    her whereabouts (referrals.access.referral_for)."""
    return str(_("つなぎ先")) if person.whereabouts_confidential else agency.name


def find_move(source: str, target: str) -> Move | None:
    for candidate in MOVES:
        if source in candidate.sources and candidate.target == target:
            return candidate
    return None


def available_moves(case: Case, by: Staff) -> list[Move]:
    """The moves `by` may make from the case's present state, for the case page."""
    moves = [m for m in MOVES if case.state in m.sources and m.who(by, case)]
    if case.state == S.SUSPENDED:
        moves = [m for m in moves if m.target == case.suspended_from]
    return moves


def next_steps(case: Case, by: Staff) -> list[tuple[Move, tuple[Requirement, ...]]]:
    """The ordinary next moves `by` may make, each with the records still missing for it."""
    return [(m, m.missing(case)) for m in available_moves(case, by) if m.main]


def refusal(found: Move, missing: tuple[Requirement, ...], case: Case) -> TransitionError:
    names = "、".join(_("%(sheet)sの「%(what)s」") % {"sheet": need.label, "what": need.what} for need in missing)
    return TransitionError(
        _("「%(label)s」の前に、%(names)sを記録してください。") % {"label": found.label, "names": names},
        missing=missing,
        case=case,
    )


def move(
    case: Case,
    to: str,
    by: Staff,
    *,
    expected_state: str | None = None,
    override_reason: str = "",
    **details: Any,
) -> Case:
    """Move a case to state `to`, or raise TransitionError and change nothing.

    `expected_state` is the state the user saw; if another user moved the case in the
    meantime the move is refused rather than applied to a state nobody looked at.
    `override_reason`: the chief makes a move whose records are missing, saying why."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("agency", "person").get(pk=case.pk)
        if expected_state is not None and locked.state != expected_state:
            raise TransitionError(
                _("このケースは他の職員が先に「%(state)s」に変更しました。画面を更新して確認してください。")
                % {"state": locked.get_state_display()}
            )
        resuming_elsewhere = locked.state == S.SUSPENDED and to != locked.suspended_from
        found = None if resuming_elsewhere else find_move(locked.state, to)
        if found is None:
            raise TransitionError(
                _("「%(source)s」から「%(target)s」へは移せません。")
                % {"source": locked.get_state_display(), "target": S(to).label if to in S.values else to}
            )
        if not found.who(by, locked):
            raise TransitionError(
                _("この操作（%(label)s）は%(who)sだけが行えます。") % {"label": found.label, "who": found.who_label}
            )
        missing = found.missing(locked)
        override_reason = (override_reason or "").strip()
        if missing and not (override_reason and chief(by, locked)):
            raise refusal(found, missing, locked)
        source = locked.state
        found.function(locked, by, **details)
        if missing:
            locked._move_detail = (  # type: ignore[attr-defined]
                _("記録なしで進めました（%(missing)s）: %(reason)s")
                % {"missing": "、".join(str(n.label) for n in missing), "reason": override_reason}
                + (f" / {locked._move_detail}" if locked._move_detail else "")  # type: ignore[attr-defined]
            )
        now = timezone.now()
        locked.state = to
        locked.state_changed_at = now
        locked.updated_at = now
        locked.version += 1
        locked.save(update_fields=[*locked._move_fields, "state", "state_changed_at", "updated_at", "version"])  # type: ignore[attr-defined]
        detail = locked._move_detail  # type: ignore[attr-defined]
        TimelineEntry.objects.create(
            case=locked, at=now, kind=TimelineKind.STATE, actor=by, from_state=source, to_state=to, detail=detail
        )
        record(
            by,
            Action.TRANSITION,
            locked,
            changes={
                "state": [source, to],
                **{f: str(getattr(locked, f)) for f in locked._move_fields},  # type: ignore[attr-defined]
                **(
                    {"override": [str(n.label) for n in missing], "override_reason": override_reason} if missing else {}
                ),
            },
            detail=detail,
        )
    # Hand the caller the fresh state without another query.
    case.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return case


def _set(case: Case, detail: str = "", **fields: Any) -> None:
    """Stage field changes and the timeline text for move() to save together."""
    for name, value in fields.items():
        setattr(case, name, value)
    case._move_fields = list(fields)  # type: ignore[attr-defined]
    case._move_detail = detail  # type: ignore[attr-defined]


def _follow_up_task(case: Case, by: Staff, title: str, kind: str, days: int) -> Task:
    return Task.objects.create(
        case=case,
        title=title,
        kind=kind,
        due_on=timezone.localdate() + dt.timedelta(days=days),
        assignee=case.worker or by,
        created_by=by,
    )


def _self_unless_decided(case: Case, by: Staff) -> Staff | None:
    """A case without a worker takes the one who moves it, unless the person is under
    whereabouts confidentiality and `by` may not decide who joins her team (cases.team):
    then the case stays without a worker until the chief assigns one."""
    return None if needs_decision(case.person, by) else by


WORKER = gettext_lazy("センターの職員")
LOCATING_WORKER = gettext_lazy("センターの職員（所在秘匿の対象者はケースチームと主任相談支援員）")
CHIEF_OR_OFFICER = gettext_lazy("主任相談支援員または自治体担当職員")
CHIEF = gettext_lazy("主任相談支援員")


@_move(S.IDENTIFIED, S.INTAKE, label=gettext_lazy("相談受付へ"), who=centre_worker, who_label=WORKER, main=True)
def start_intake(case: Case, by: Staff) -> None:
    _set(case, worker=case.worker or _self_unless_decided(case, by))


@_move(S.INTAKE, S.SCREENING, label=gettext_lazy("スクリーニングへ"), who=centre_worker, who_label=WORKER, main=True)
def start_screening(case: Case, by: Staff) -> None:
    _set(case)


@_move(
    S.SCREENING,
    S.CLOSED_INFO_ONLY,
    label=gettext_lazy("情報提供のみで終了"),
    who=centre_worker,
    who_label=WORKER,
    asks=("reason",),
)
def close_with_information(case: Case, by: Staff, reason: str = "") -> None:
    _set(case, reason, screening_outcome=ScreeningOutcome.INFO_ONLY, closed_on=timezone.localdate())


@_move(
    S.SCREENING,
    S.HANDED_OFF,
    label=gettext_lazy("他機関へつなぐ"),
    who=locating_worker,
    who_label=LOCATING_WORKER,
    asks=("to_agency", "reason"),
)
def hand_off(case: Case, by: Staff, to_agency: Agency | None = None, reason: str = "") -> None:
    if to_agency is None:
        raise TransitionError(_("つなぎ先の機関を選んでください。"), field="to_agency")
    if to_agency.municipality_id != case.agency.municipality_id or to_agency.pk == case.agency_id:
        raise TransitionError(_("つなぎ先には同じ自治体の他の機関を選んでください。"), field="to_agency")
    _set(
        case,
        _("つなぎ先: %(agency)s") % {"agency": named(case.person, to_agency)} + (f" / {reason}" if reason else ""),
        screening_outcome=ScreeningOutcome.HANDED_OFF,
        handed_off_to=to_agency,
    )
    task = _follow_up_task(
        case,
        by,
        _("%(agency)sに本人との接触を確認する") % {"agency": named(case.person, to_agency)},
        TaskKind.HANDOFF_FOLLOW_UP,
        settings.TSUNAGU["HANDOFF_FOLLOW_UP_DAYS"],
    )
    # A referral the agency answers on (closing the follow-up task when contact is confirmed).
    handed_off.send(sender=Case, case=case, by=by, to_agency=to_agency, reason=reason, task=task)


@_move(
    S.SCREENING,
    S.APPLIED,
    label=gettext_lazy("申込・同意を受ける"),
    who=centre_worker,
    who_label=WORKER,
    main=True,
)
def accept_application(case: Case, by: Staff) -> None:
    _set(case, screening_outcome=ScreeningOutcome.APPLIED, worker=case.worker or _self_unless_decided(case, by))


@_move(S.APPLIED, S.ASSESSMENT, label=gettext_lazy("アセスメントへ"), who=centre_worker, who_label=WORKER, main=True)
def start_assessment(case: Case, by: Staff) -> None:
    _set(case)


@_move(
    S.ASSESSMENT,
    S.PLAN_DRAFT,
    label=gettext_lazy("プラン案の作成へ"),
    who=centre_worker,
    who_label=WORKER,
    main=True,
)
def draft_plan(case: Case, by: Staff) -> None:
    _set(case)


@_move(
    S.PLAN_DRAFT,
    S.COORDINATION,
    label=gettext_lazy("支援調整会議にかける"),
    who=centre_worker,
    who_label=WORKER,
    main=True,
)
def submit_to_coordination(case: Case, by: Staff) -> None:
    _set(case)


@_move(
    S.COORDINATION,
    S.DECIDED,
    label=gettext_lazy("支援決定・確認"),
    who=chief_or_officer,
    who_label=CHIEF_OR_OFFICER,
    asks=("reason",),
)
def decide(case: Case, by: Staff, reason: str = "") -> None:
    _set(case, reason)


@_move(
    S.COORDINATION,
    S.PLAN_DRAFT,
    label=gettext_lazy("プラン案に差し戻す"),
    who=chief_or_officer,
    who_label=CHIEF_OR_OFFICER,
    asks=("reason",),
)
def return_plan(case: Case, by: Staff, reason: str = "") -> None:
    """支援調整会議 asked for changes (修正・再検討): the reason is required."""
    if not reason.strip():
        raise TransitionError(_("差し戻す理由を書いてください。"), field="reason")
    _set(case, reason)


@_move(S.DECIDED, S.IN_SUPPORT, label=gettext_lazy("支援提供を開始"), who=centre_worker, who_label=WORKER, main=True)
def start_support(case: Case, by: Staff) -> None:
    _set(case)


@_move(S.IN_SUPPORT, S.EVALUATION, label=gettext_lazy("評価へ"), who=centre_worker, who_label=WORKER, main=True)
def start_evaluation(case: Case, by: Staff) -> None:
    _set(case)


@_move(
    S.EVALUATION,
    S.PLAN_DRAFT,
    label=gettext_lazy("再プラン"),
    who=centre_worker,
    who_label=WORKER,
    asks=("reason",),
)
def replan(case: Case, by: Staff, reason: str = "") -> None:
    _set(case, reason)


@_move(
    S.EVALUATION,
    S.CLOSED,
    label=gettext_lazy("終結"),
    who=chief,
    who_label=CHIEF,
    asks=("closure_reason", "reason"),
)
def close(case: Case, by: Staff, closure_reason: str = "", reason: str = "") -> None:
    if closure_reason not in ClosureReason.values:
        raise TransitionError(_("終結理由を選んでください。"), field="closure_reason")
    closed = _close_open_tasks(case, by)
    _set(
        case,
        str(ClosureReason(closure_reason).label) + (f" / {reason}" if reason else "") + closed,
        closure_reason=closure_reason,
        closed_on=timezone.localdate(),
    )


def _close_open_tasks(case: Case, by: Staff) -> str:
    """Closing a case answers its 終結の承認 and cancels its other open tasks, each with a
    note and an audit entry: a closed case leaves nothing open on anyone's list."""
    now = timezone.now()
    approved = cancelled = 0
    for task in Task.objects.open().filter(case=case).order_by("id"):
        if task.kind == TaskKind.CLOSURE_APPROVAL:
            task.closing_note = _("終結により承認")
            approved += 1
        else:
            task.closing_note = _("ケースの終結により取り消し")
            cancelled += 1
        task.done_at, task.done_by = now, by
        task.save(update_fields=["done_at", "done_by", "closing_note"])
        record(by, Action.CHANGE, task, changes={"done": True, "closing_note": task.closing_note})
    parts = []
    if approved:
        parts.append(_("終結の承認タスクを完了"))
    if cancelled:
        parts.append(_("未完了のタスク%(n)s件を取り消し") % {"n": cancelled})
    return f"（{'、'.join(parts)}）" if parts else ""


@_move(S.CLOSED, S.FOLLOW_UP, label=gettext_lazy("フォローアップへ"), who=centre_worker, who_label=WORKER)
def start_follow_up(case: Case, by: Staff) -> None:
    _set(case)
    _follow_up_task(case, by, _("終結後の様子を確認する"), TaskKind.FOLLOW_UP, 90)


@_move(S.FOLLOW_UP, S.ENDED, label=gettext_lazy("フォローアップを終了"), who=centre_worker, who_label=WORKER)
def end_follow_up(case: Case, by: Staff) -> None:
    _set(case)


@_move(
    OPEN_STATES,
    S.SUSPENDED,
    label=gettext_lazy("中断"),
    who=centre_worker,
    who_label=WORKER,
    asks=("suspension_reason", "reason"),
)
def suspend(case: Case, by: Staff, suspension_reason: str = "", reason: str = "") -> None:
    if suspension_reason not in SuspensionReason.values:
        raise TransitionError(_("中断の理由を選んでください。"), field="suspension_reason")
    _set(
        case,
        str(SuspensionReason(suspension_reason).label) + (f" / {reason}" if reason else ""),
        suspended_from=case.state,
        suspension_reason=suspension_reason,
    )


# Resuming returns to the state the case was suspended from: one function, registered
# for every open state, and move() checks that the target is the remembered one.
def resume(case: Case, by: Staff, reason: str = "") -> None:
    _set(case, reason, suspended_from="", suspension_reason="")


for _state in sorted(OPEN_STATES):
    MOVES.append(
        Move(frozenset({S.SUSPENDED}), _state, gettext_lazy("支援を再開"), centre_worker, WORKER, resume, ("reason",))
    )
