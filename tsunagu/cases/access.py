"""The only way views get cases, notes and tasks (STYLE.md principle 3).

Centre staff see their centre's cases in full; the municipality's officers read them;
anyone else sees only cases whose team they are on, at the summary level (TEAM):
the summary, their own tasks and the notes marked as shared. A forbidden object
answers exactly like a missing one, and the attempt is audited.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, CaseQuerySet, CaseTeamMember, ProgressNote, Task
from tsunagu.people.access import FULL, NO_RECORDS_ROLES, TEAM, Seen
from tsunagu.people.models import location_annotations

__all__ = ["FULL", "TEAM", "SeenCase", "access_level", "case_for", "cases_visible_to", "note_for", "task_for"]


def cases_visible_to(user: Staff) -> CaseQuerySet:
    """Every condition is on the case's own row or a correlated EXISTS, never
    `pk IN (subquery)`: PostgreSQL re-scanned such a subquery's ids for every case once
    they outgrew work_mem (issue 12), while EXISTS becomes a semi-join or an index probe
    of team_member_once per row, and the agency and worker conditions use their indexes."""
    if not user.is_authenticated or user.role in NO_RECORDS_ROLES or user.agency_id is None:
        return Case.objects.none()
    visible = Q(worker_id=user.pk) | Q(Exists(CaseTeamMember.objects.filter(case_id=OuterRef("pk"), staff_id=user.pk)))
    if user.works_in_centre:
        visible |= Q(agency_id=user.agency_id)
    if user.is_municipal_officer:
        # The municipality's agencies are a handful of rows: a hashed subplan, not a join.
        agencies = Agency.objects.filter(municipality_id=user.municipality_id).values("pk")
        visible |= Q(agency_id__in=agencies)
    return Case.objects.filter(visible)


def access_level(user: Staff, case: Case) -> str:
    if user.works_in_centre and case.agency_id == user.agency_id:
        return FULL
    if user.is_municipal_officer and case.agency.municipality_id == user.municipality_id:
        return FULL
    return TEAM


def may_write(user: Staff, case: Case) -> bool:
    """Writing notes, tasks and case details is for the centre that holds the case."""
    return user.works_in_centre and case.agency_id == user.agency_id


def _deny(user: Staff, model: str, code: Any, write: bool) -> Http404:
    record(user, Action.DENIED, object_type=model, object_code=str(code), detail="write" if write else "")
    return Http404(_("見つかりません。"))


@dataclass(frozen=True)
class SeenCase(Seen):
    """A case as one user sees it (case_for), the whereabouts being its person's. The
    case page hands it to every app's panel, so each reads these facts typed rather
    than off the case."""

    case: Case


def case_for(user: Staff, code: Any, *, write: bool = False) -> SeenCase:
    """The case with this code if the user may see it (and change it, with write),
    with the level of access and whether the person's whereabouts are shown."""
    confidential, visible = location_annotations(user, "person_id")
    case = (
        cases_visible_to(user)
        .select_related("person", "person__district", "agency", "agency__municipality", "worker", "handed_off_to")
        .annotate(person_confidential_now=confidential, person_location_visible=visible)
        .filter(code=code)
        .first()
    )
    if case is None or (write and not may_write(user, case)):
        raise _deny(user, "cases.case", code, write)
    # Her person as people_visible_to annotates one, from the same row: whoever sees the
    # case sees its person, at the case's level (the case page needs no second lookup).
    case.person.confidential_now = case.person_confidential_now  # type: ignore[attr-defined]
    case.person.location_visible = case.person_location_visible  # type: ignore[attr-defined]
    return SeenCase(
        case=case,
        access=access_level(user, case),
        location_visible=bool(case.person_location_visible),
    )


def full_case_for(
    user: Staff, code: Any, *, write: bool = False, denied_as: str = "cases.case", path: str = ""
) -> Case:
    """The case if the user sees it in full (FULL access): its sheets and the resources
    matched to its issues hold 要配慮個人情報, not shown at the team (partner) level. With
    `write`, only the centre that holds it. A refusal is audited as `denied_as`."""
    seen = case_for(user, code)
    if not seen.full or (write and not may_write(user, seen.case)):
        record(user, Action.DENIED, object_type=denied_as, object_code=str(code), path=path)
        raise Http404(_("見つかりません。"))
    return seen.case


def note_for(user: Staff, code: Any, *, write: bool = False) -> ProgressNote:
    """A progress note: in full for the centre; shared notes only for a TEAM member;
    editing is for the centre that holds the case."""
    note = (
        ProgressNote.objects.select_related("case", "case__person", "case__agency", "author")
        .filter(code=code, case__in=cases_visible_to(user))
        .first()
    )
    if note is not None:
        level = access_level(user, note.case)
        visible = level == FULL or note.shared_with_team
        if visible and (not write or may_write(user, note.case)):
            return note
    raise _deny(user, "cases.progressnote", code, write)


def task_for(user: Staff, code: Any) -> Task:
    """A task the user may tick off: their own, or any of a case their centre holds."""
    task = (
        Task.objects.select_related("case", "case__person", "case__agency", "assignee")
        .filter(code=code, case__in=cases_visible_to(user))
        .first()
    )
    if task is not None and (task.assignee_id == user.pk or may_write(user, task.case)):
        return task
    raise _deny(user, "cases.task", code, True)
