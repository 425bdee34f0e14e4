"""What the case page shows of this app (called from cases.views._detail_context).

Full access (centre staff, officers): the consents in force and the links to manage
them, to the register and to an emergency disclosure. A partner on the case team: the
categories shared with their agency and, when the consents cover the plan, a read-only
summary of the current plan (rows about 要配慮 issues only with their own category).
Two queries for either, two more for a partner's plan."""

from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase, may_write
from tsunagu.cases.models import Case
from tsunagu.consents.access import manages_consents
from tsunagu.consents.models import ISSUE_CATEGORIES, Category, Consent, ConsentScope, scope_on_case
from tsunagu.sheets.models import PlanSheet, current_version


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
    return {"consent_panel": {"scope": scope, "plan": _plan_summary(scope, case)}}


def _plan_summary(scope: ConsentScope, case: Case) -> dict[str, Any] | None:
    if not scope.covers(Category.PLAN):
        return None
    plan: PlanSheet | None = current_version(PlanSheet, case)
    if plan is None:
        return None
    items = list(plan.items.select_related("provider_agency"))
    shown = [item for item in items if scope.issue_visible(item.issue)]
    # Rows about a 要配慮 issue are left out without a trace: a gap would tell.
    scope.show(Category.PLAN, *(ISSUE_CATEGORIES[item.issue] for item in shown if item.issue in ISSUE_CATEGORIES))
    return {"sheet": plan, "items": shown}
