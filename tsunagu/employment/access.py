"""The only way views get employment records (STYLE.md principle 3).

A job-seeker's profile, steps, placements, follow-ups and income rises belong to the
case: the centre that holds it reads and writes them, the municipality's officers read
them (FULL access, cases.access). A partner on the case team sees the case page's
summary of them only when a consent in force covers `Category.EMPLOYMENT`
(panels.case_panel), and no employment page at all. Employers and openings are the
municipality's directory, kept by the centre and read by its officers; an employer
never has an account and never sees a person's record. A forbidden object answers
like a missing one, and the attempt is audited.

Her workplace is her whereabouts: the employer, the places of her steps and the
follow-ups tell where a person is every weekday. For a person under whereabouts
confidentiality, every employment record of hers is for her case team and the chief only
(people.models.location_annotations); anyone else with full access to her case gets a
missing page, read or write, and the lists across cases leave her out (matching.full_cases).
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import FULL, access_level, case_for, cases_visible_to, may_write
from tsunagu.cases.models import Case
from tsunagu.employment.models import (
    Employer,
    EmployerQuerySet,
    FollowUp,
    IncomeRise,
    Opening,
    OpeningQuerySet,
    Placement,
    Step,
)
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.people.models import location_visible_condition


def _deny(user: Staff, model: str, code: Any, write: bool) -> Http404:
    record(user, Action.DENIED, object_type=model, object_code=str(code), detail="write" if write else "")
    return Http404(_("見つかりません。"))


def reads_employment(user: Staff) -> bool:
    """The employment pages at all: the centre's staff and the municipality's officers."""
    return bool(
        user.is_authenticated
        and user.agency_id is not None
        and user.role not in NO_RECORDS_ROLES
        and (user.works_in_centre or user.is_municipal_officer)
    )


def keeps_employment(user: Staff) -> bool:
    """Employers, openings and the 求人開拓 log are kept by the centre's staff."""
    return reads_employment(user) and user.works_in_centre


def employment_case_for(user: Staff, code: Any, *, write: bool = False) -> Case:
    """The case, if the user has full access to it (the profile names 就労阻害要因, which
    may be 要配慮個人情報) and may see its person's whereabouts (her workplace is one);
    writing needs the centre that holds the case."""
    seen = case_for(user, code)
    if not seen.full or not seen.location_visible or (write and not may_write(user, seen.case)):
        raise _deny(user, "employment.case", code, write)
    return seen.case


def employers_visible_to(user: Staff) -> EmployerQuerySet:
    if not reads_employment(user):
        return Employer.objects.none()
    return Employer.objects.filter(municipality_id=user.municipality_id)


def employer_for(user: Staff, code: Any, *, write: bool = False) -> Employer:
    employer = employers_visible_to(user).select_related("district").filter(code=code).first()
    if employer is None or (write and not keeps_employment(user)):
        raise _deny(user, "employment.employer", code, write)
    return employer


def openings_visible_to(user: Staff) -> OpeningQuerySet:
    if not reads_employment(user):
        return Opening.objects.none()
    return Opening.objects.filter(municipality_id=user.municipality_id)


def opening_for(user: Staff, code: Any, *, write: bool = False) -> Opening:
    opening = openings_visible_to(user).select_related("employer", "district").filter(code=code).first()
    if opening is None or (write and not keeps_employment(user)):
        raise _deny(user, "employment.opening", code, write)
    return opening


def _allows(user: Staff, case: Case, write: bool) -> bool:
    """Full access to the case, and its person's whereabouts in sight (one query)."""
    seen = cases_visible_to(user).filter(pk=case.pk).filter(location_visible_condition(user, "person_id"))
    if not seen.exists():
        return False
    return access_level(user, case) == FULL and (not write or may_write(user, case))


def _on_case(user: Staff, model: Any, code: Any, write: bool, case_path: str) -> Any:
    """A record of a case, if the user has full access to its case (and may write it)."""
    related = (case_path, f"{case_path}__agency", f"{case_path}__person")
    found = model.objects.select_related(*related).filter(code=code).first()
    case = None
    if found is not None:
        case = found
        for part in case_path.split("__"):
            case = getattr(case, part)
    if case is None or not _allows(user, case, write):
        raise _deny(user, model._meta.label_lower, code, write)
    return found


def step_for(user: Staff, code: Any, *, write: bool = False) -> Step:
    step: Step = _on_case(user, Step, code, write, "case")
    return step


def placement_for(user: Staff, code: Any, *, write: bool = False) -> Placement:
    placement: Placement = _on_case(user, Placement, code, write, "case")
    return placement


def follow_up_for(user: Staff, code: Any, *, write: bool = False) -> FollowUp:
    follow_up: FollowUp = _on_case(user, FollowUp, code, write, "placement__case")
    return follow_up


def income_rise_for(user: Staff, code: Any, *, write: bool = False) -> IncomeRise:
    rise: IncomeRise = _on_case(user, IncomeRise, code, write, "case")
    return rise
