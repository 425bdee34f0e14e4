"""The only way views get consents, and the people and cases whose consents and
disclosures they show (STYLE.md principle 3).

Consents are managed by the centre staff of the person's municipality (who have full
access to the person). The register of disclosures (情報提供の記録) is for everyone with
full access, officers included; for a person under whereabouts confidentiality only for
those who may see where the person is (the case team and the chief), because the
agencies that received information can point to where the person went. Anything
else answers 404, exactly like a missing object, and the attempt is audited.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import case_for
from tsunagu.cases.models import Case
from tsunagu.consents.models import Consent
from tsunagu.people.access import person_for
from tsunagu.people.models import Person


def _deny(user: Staff, model: str, code: Any, write: bool = False) -> Http404:
    record(user, Action.DENIED, object_type=model, object_code=str(code), detail="write" if write else "")
    return Http404(_("見つかりません。"))


def manages_consents(user: Staff) -> bool:
    return user.is_authenticated and user.works_in_centre


def consent_for(user: Staff, code: Any, *, write: bool = False) -> Consent:
    """A consent, for centre staff of the person's municipality (reading and writing alike)."""
    consent = (
        Consent.objects.select_related("person", "person__municipality", "case", "recorded_by", "withdrawn_by")
        .prefetch_related("agencies")
        .filter(code=code, person__municipality_id=user.municipality_id)
        .first()
        if manages_consents(user)
        else None
    )
    if consent is None:
        raise _deny(user, "consents.consent", code, write)
    return consent


def consent_person_for(user: Staff, code: Any) -> Person:
    """The person whose consents the user manages (centre staff of their municipality)."""
    seen = person_for(user, code)
    if not manages_consents(user) or not seen.full:
        raise _deny(user, "consents.person", code)
    return seen.person


def register_person_for(user: Staff, code: Any) -> Person:
    """The person whose register of disclosures the user may read (full access; for a
    person under whereabouts confidentiality, only where the person may be seen)."""
    seen = person_for(user, code)
    if not seen.full or not seen.location_visible:
        raise _deny(user, "consents.register", code)
    return seen.person


def emergency_case_for(user: Staff, code: Any) -> Case:
    """A case on which the user may record an emergency disclosure: the centre holding it."""
    return case_for(user, code, write=True).case
