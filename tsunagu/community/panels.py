"""What the case page shows of this app (called from cases.views._detail_context)."""

from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.models import Case


def case_panel(user: Staff, case: Case) -> dict[str, Any]:
    return {}
