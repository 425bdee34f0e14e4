"""What other pages show of this app: the case page's panel (called from
cases.views._detail_context) and the outreach visits on /my/ (cases.views.my_day)."""

from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.models import Case
from tsunagu.community.models import SupporterReport

MY_DAY_LIMIT = 20


def case_panel(user: Staff, case: Case) -> dict[str, Any]:
    return {}


def my_day_panel(user: Staff) -> dict[str, Any]:
    """Open outreach visits assigned to the user (one query)."""
    return {
        "outreach_reports": list(
            SupporterReport.objects.outreach_due_by(user).select_related("district")[:MY_DAY_LIMIT]
        )
    }
