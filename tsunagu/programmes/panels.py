"""What the case page shows of this app (cases.panels.CASE_PANELS): a short list of the
programmes the person uses, with a link to their records for full access. A partner on
the team sees the same list (no places, no amounts) only while a consent in force
covers Category.PROGRAMMES for their agency, and the showing is logged as a disclosure
with the page's others. Four queries, none without the consent."""

from typing import Any

from django.db.models import Count, Q

from tsunagu.accounts.models import Staff
from tsunagu.cases.models import Case
from tsunagu.consents.models import Category, scope_on_case
from tsunagu.programmes.models import EmergencyAid, HouseholdBudget, HousingApplication, PaymentStatus, Stay
from tsunagu.sheets.models import current_version


def case_panel(user: Staff, case: Case) -> dict[str, Any]:
    scope = scope_on_case(user, case)
    if not scope.covers(Category.PROGRAMMES):
        return {"programmes_panel": {"withheld": True}}
    applications = HousingApplication.objects.filter(case=case).annotate(
        paid=Count("payments", filter=Q(payments__status=PaymentStatus.PAID))
    )
    panel = {
        "full": scope.full,
        "aid": EmergencyAid.objects.filter(case=case).count(),
        "applications": list(applications),
        "stays": list(Stay.objects.filter(case=case)),
        "budget": current_version(HouseholdBudget, case),
    }
    if any(panel[k] for k in ("aid", "applications", "stays", "budget")):
        scope.show(Category.PROGRAMMES)
    return {"programmes_panel": panel}
