"""What the case page shows of this app (cases.panels.CASE_PANELS): a short list of the
programmes the person uses, with a link to their records for full access. A partner on
the team sees the same list (no places, no amounts) only while a consent in force
covers Category.PROGRAMMES for their agency, and the showing is logged as a disclosure
with the page's others. Four queries, none without the consent."""

from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import Staff
from tsunagu.accounts.navigation import MenuItem
from tsunagu.cases.access import SeenCase
from tsunagu.consents.models import Category, scope_on_case
from tsunagu.programmes.models import EmergencyAid, HouseholdBudget, HousingApplication, PaymentStatus, Stay
from tsunagu.sheets.models import current_version


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    case = seen.case
    scope = scope_on_case(user, seen)
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


def menu_items(user: Staff) -> tuple[MenuItem, ...]:
    """The menu's entry (accounts.navigation): the centre's ledger and classes, the
    officers' 住居確保給付金 payment list."""
    if user.works_in_centre:
        return (MenuItem(gettext_lazy("事業"), "programmes:ledger", "programmes"),)
    if user.is_municipal_officer:
        return (MenuItem(gettext_lazy("住居確保給付金"), "programmes:payments", "programmes"),)
    return ()
