"""What the case page shows of this app (called from cases.views._detail_context)."""

from typing import Any

from tsunagu.accounts.models import District, Staff
from tsunagu.cases.models import Case


def case_panel(user: Staff, case: Case) -> dict[str, Any]:
    return {}


def district_panel(user: Staff, district: District) -> dict[str, Any]:
    """The district page's part on resources and gaps (community.views includes it)."""
    return {}
