"""The only way views get the programmes' records (STYLE.md principle 3).

A case's programme records are read in full by those with FULL access to the case
(the centre that holds it, the municipality's officers) and written by the centre
that holds it. A partner on the case team sees them only in the case page's panel, and
only while a consent in force covers `Category.PROGRAMMES` for their agency (panels.py).
The centre-wide pages (the emergency ledger and food stock, the sessions) are for the
centre's staff; the finance office's payment list for the centre and the officers.
A forbidden object answers like a missing one, and the attempt is audited.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, Municipality, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import case_for, cases_visible_to, may_write
from tsunagu.cases.models import Case
from tsunagu.people.access import sees_whereabouts
from tsunagu.programmes.models import EmergencyAid, HousingApplication, Session, Stay


def _deny(user: Staff, model: str, code: Any, write: bool) -> Http404:
    record(user, Action.DENIED, object_type=model, object_code=str(code), detail="write" if write else "")
    return Http404(_("見つかりません。"))


def programme_case_for(user: Staff, code: Any, *, write: bool = False) -> Case:
    """The case whose programme records the user may read in full (and write, with write)."""
    seen = case_for(user, code)
    if not seen.full or (write and not may_write(user, seen.case)):
        raise _deny(user, "programmes.case", code, write)
    return seen.case


def locating_case_for(user: Staff, code: Any) -> Case:
    """A case whose locating records (a stay's place, a landlord and their account) the
    user writes: the centre that holds it, and for a person under whereabouts
    confidentiality only her team and the chief (DOMAIN.md §7), as for her plan."""
    case = programme_case_for(user, code, write=True)
    if not sees_whereabouts(user, case.person):
        raise _deny(user, "programmes.locating", code, True)
    return case


def _full(user: Staff, case: Case, write: bool) -> bool:
    centre = user.works_in_centre and case.agency_id == user.agency_id
    officer = user.is_municipal_officer and case.agency.municipality_id == user.municipality_id
    return centre if write else centre or officer


def application_for(user: Staff, code: Any, *, write: bool = False, locating: bool = False) -> HousingApplication:
    """An application the user reads in full (writes its payments and duties, with
    write; corrects its landlord and account, with locating: see locating_case_for)."""
    application = (
        HousingApplication.objects.select_related("case", "case__person", "case__agency", "decision", "recorded_by")
        .filter(code=code, case__in=cases_visible_to(user))
        .first()
    )
    if application is None or not _full(user, application.case, write):
        raise _deny(user, "programmes.housingapplication", code, write)
    if locating and not (write and sees_whereabouts(user, application.case.person)):
        raise _deny(user, "programmes.housingapplication", code, write)
    return application


def aid_for(user: Staff, code: Any, *, write: bool = False) -> EmergencyAid:
    aid = (
        EmergencyAid.objects.select_related("case", "case__person", "case__agency")
        .filter(code=code, case__in=cases_visible_to(user))
        .first()
    )
    if aid is None or not _full(user, aid.case, write):
        raise _deny(user, "programmes.emergencyaid", code, write)
    return aid


def stay_for(user: Staff, code: Any, *, write: bool = False) -> Stay:
    stay = (
        Stay.objects.select_related("case", "case__person", "case__agency", "decision")
        .filter(code=code, case__in=cases_visible_to(user))
        .first()
    )
    if stay is None or not _full(user, stay.case, write):
        raise _deny(user, "programmes.stay", code, write)
    if write and not sees_whereabouts(user, stay.case.person):
        raise _deny(user, "programmes.stay", code, write)
    return stay


def centre_of(user: Staff) -> Agency:
    """The centre whose ledger, stock and sessions the user keeps (centre staff only)."""
    if not user.works_in_centre or user.agency is None:
        raise _deny(user, "programmes.centre", "", False)
    return user.agency


def session_for(user: Staff, code: Any) -> Session:
    session = Session.objects.select_related("agency").filter(code=code).first()
    if session is None or not user.works_in_centre or session.agency_id != user.agency_id:
        raise _deny(user, "programmes.session", code, False)
    return session


def finance_municipality(user: Staff) -> Municipality:
    """The municipality whose 住居確保給付金 payment list the user may take: its centres'
    staff and its officers."""
    if not (user.works_in_centre or user.is_municipal_officer) or user.agency is None:
        raise _deny(user, "programmes.housing_payments", "", False)
    return user.agency.municipality
