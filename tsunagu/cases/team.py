"""Who joins the case team of a person under whereabouts confidentiality (DOMAIN.md §7).

Her address, phone and where she was sent are for her case team and the chief. Joining
that team is therefore decided, never taken: when someone who may not decide adds a
member, makes someone the worker or opens a case for her, a `TeamRequest` is written
instead, and the chief (or, if the chief delegated it on her order, a centre worker
already on her team) approves or refuses it, with the reason. Until then the requested
person sees the case as any centre worker does: without her whereabouts.
"""

from typing import Any

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import (
    Case,
    CaseTeamMember,
    TeamRequest,
    TeamRequestKind,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.people.models import Person, WhereaboutsConfidentiality, confidentiality_in_force

# Said to whoever asked for someone to join her team and must wait for the decision.
PENDING_MESSAGE = gettext_lazy(
    "所在秘匿の対象者のケースチームへの参加（担当者を含む）は、主任相談支援員の承認を待っています。承認されるまで、所在は表示されません。"
)


class TeamError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _delegated_orders() -> "Q":
    return confidentiality_in_force() & Q(team_decisions_delegated=True)


def decides_team(user: Staff, person: Person) -> bool:
    """Whether the user decides who joins her team: the chief of her municipality's
    centre, or, where the chief delegated it on an order in force, centre staff already
    on her team."""
    if not user.is_authenticated or not user.works_in_centre or person.municipality_id != user.municipality_id:
        return False
    if user.is_chief:
        return True
    delegated = WhereaboutsConfidentiality.objects.filter(person_id=person.pk).filter(_delegated_orders()).exists()
    return delegated and Case.objects.filter(person_id=person.pk).on_team_of(user).exists()


def needs_decision(person: Person, by: Staff) -> bool:
    """Whether a change by `by` that puts someone on her team must wait for a decision."""
    return person.whereabouts_confidential and not decides_team(by, person)


def request_join(case: Case, staff: Staff, by: Staff, kind: str, *, team_role: str = "", note: str = "") -> TeamRequest:
    """Ask for `staff` to join the case's team (or become its worker). A request already
    waiting for the same is returned as it is."""
    with transaction.atomic():
        waiting = TeamRequest.objects.pending().filter(case=case, staff=staff, kind=kind).first()
        if waiting is not None:
            return waiting
        request = TeamRequest.objects.create(
            case=case, staff=staff, kind=kind, team_role=team_role, note=note, requested_by=by
        )
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.TEAM,
            actor=by,
            detail=_("チームへの参加を申請: %(name)s（%(kind)s）")
            % {"name": staff, "kind": request.get_kind_display()},
            shared=False,
        )
        record(
            by,
            Action.CREATE,
            request,
            person_code=case.person.code,
            case_code=case.code,
            changes={"staff": str(staff), "kind": kind, "team_role": team_role},
        )
    return request


def join_team(case: Case, staff: Staff, by: Staff, *, team_role: str, note: str = "") -> CaseTeamMember | TeamRequest:
    """Put `staff` on the case's team, with the timeline entry and the audit entry. For a
    person under whereabouts confidentiality, when `by` does not decide her team, this
    writes a `TeamRequest` instead (request_join): the one rule for every way of joining."""
    if needs_decision(case.person, by):
        return request_join(case, staff, by, TeamRequestKind.MEMBER, team_role=team_role, note=note)
    with transaction.atomic():
        member = CaseTeamMember.objects.create(case=case, staff=staff, team_role=team_role, note=note)
        TimelineEntry.objects.create(
            case=case, kind=TimelineKind.TEAM, actor=by, detail=f"+ {staff}（{member.get_team_role_display()}）"
        )
        record(by, Action.CHANGE, case, changes={"team_added": str(staff), "role": team_role})
    return member


def decide(request: TeamRequest, by: Staff, *, approve: bool, reason: str) -> None:
    """Approve (the member joins, or becomes the worker) or refuse a request, with the reason."""
    case = request.case
    if not decides_team(by, case.person):
        raise TeamError(_("この申請を判断できるのは主任相談支援員（委任されている場合はケースチーム）です。"))
    if request.requested_by_id == by.pk and not by.is_chief:
        raise TeamError(_("申請した本人は判断できません。"))
    if not reason.strip():
        raise TeamError(_("判断の理由を書いてください。"), field="reason")
    with transaction.atomic():
        updated = TeamRequest.objects.filter(pk=request.pk, decided_at__isnull=True).update(
            approved=approve, decided_by=by, decided_at=timezone.now(), decision_reason=reason
        )
        if not updated:
            raise TeamError(_("この申請はすでに判断されています。"))
        if approve:
            _apply(request, by)
        verdict = _("承認") if approve else _("不承認")
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.TEAM,
            actor=by,
            detail=_("チームへの参加申請を%(verdict)s: %(name)s") % {"verdict": verdict, "name": request.staff},
            shared=False,
        )
        record(
            by,
            Action.CHANGE,
            request,
            person_code=case.person.code,
            case_code=case.code,
            changes={"approved": approve, "staff": str(request.staff), "kind": request.kind},
            detail=reason[:500],
        )
    request.refresh_from_db()


def _apply(request: TeamRequest, by: Staff) -> None:
    case = request.case
    if request.kind == TeamRequestKind.WORKER:
        Case.objects.filter(pk=case.pk).update(
            worker=request.staff, version=F("version") + 1, updated_at=timezone.now()
        )
        return
    CaseTeamMember.objects.update_or_create(
        case=case, staff=request.staff, defaults={"team_role": request.team_role, "note": request.note}
    )


def requests_to_decide(user: Staff) -> list[TeamRequest]:
    """The requests waiting for this user's decision (the chief's /my/, or a delegated team's)."""
    if not user.is_authenticated or not user.works_in_centre:
        return []
    pending = TeamRequest.objects.pending().filter(case__person__municipality_id=user.municipality_id)
    if not user.is_chief:
        delegated = WhereaboutsConfidentiality.objects.filter(person=OuterRef("case__person")).filter(
            _delegated_orders()
        )
        on_team = Case.objects.filter(person=OuterRef("case__person")).on_team_of(user)
        pending = pending.filter(Exists(delegated), Exists(on_team)).exclude(requested_by=user)
    return list(
        pending.select_related("case", "case__person", "staff", "requested_by").order_by("requested_at", "id")[:50]
    )


def request_for(user: Staff, code: Any) -> TeamRequest | None:
    """A pending or decided request the user may decide on (None otherwise)."""
    request = (
        TeamRequest.objects.select_related("case", "case__person", "case__agency", "staff", "requested_by")
        .filter(code=code, case__person__municipality_id=user.municipality_id)
        .first()
        if user.is_authenticated and user.works_in_centre
        else None
    )
    if request is None or not decides_team(user, request.case.person):
        return None
    return request
