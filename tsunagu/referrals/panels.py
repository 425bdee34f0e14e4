"""What the case page shows of this app (called from cases.views._detail_context)."""

from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase, may_write
from tsunagu.referrals.flow import FINISHED_CASE_STATES

PANEL_LIMIT = 50


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    """The case's referrals with their status, for those with full access to the case
    (where the person was sent is not for the partners on the team), and the button to
    send one for the centre that holds the case."""
    if not seen.full:
        return {"referral_panel": None}
    case = seen.case
    referrals = list(
        case.referrals.defer("snapshot").select_related("to_agency").order_by("-sent_at", "-id")[:PANEL_LIMIT]
    )
    return {
        "referral_panel": {
            "referrals": referrals,
            # Where a person under whereabouts confidentiality was sent can tell where she
            # is: only for those who may see her whereabouts.
            "shows_agency": seen.location_visible,
            # Choosing where a person under whereabouts confidentiality goes is for those
            # who may see where she is (access.case_to_refer_from).
            "can_send": may_write(user, case) and case.state not in FINISHED_CASE_STATES and seen.location_visible,
        }
    }
