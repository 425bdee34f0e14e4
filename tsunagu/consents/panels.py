"""What the case page shows of this app (called from cases.views._detail_context).

Full access (centre staff, officers): the consents in force and the links to manage
them, to the register and to an emergency disclosure. A partner on the case team: the
categories shared with their agency and, when the consents cover the plan, a read-only
summary of the current plan (sheets.panels, in this panel's template). Two queries for either."""

from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase, may_write
from tsunagu.consents.access import manages_consents
from tsunagu.consents.models import Consent, scope_on_case


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    case = seen.case
    scope = scope_on_case(user, seen)
    if scope.full:
        consents = Consent.objects.in_force().filter(person_id=case.person_id).prefetch_related("agencies")
        return {
            "consent_panel": {
                "scope": scope,
                "consents": list(consents),
                "manage": manages_consents(user) and case.agency.municipality_id == user.municipality_id,
                "emergency": may_write(user, case),
            }
        }
    return {"consent_panel": {"scope": scope}}
