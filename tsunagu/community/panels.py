"""What other pages show of this app: the case page's panel, the outreach visits on /my/
(cases.panels) and the menu's entry (accounts.navigation), registered in
CommunityConfig.ready(); and what the apps above show on its network, district and
regional issue pages."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import District, Staff
from tsunagu.accounts.navigation import MenuItem
from tsunagu.cases.access import SeenCase
from tsunagu.community.access import is_district_chief, reports_visible_to, sees_network
from tsunagu.community.models import RegionalIssue, SupporterReport
from tsunagu.people.models import location_annotations

MY_DAY_LIMIT = 20
CASE_PANEL_LIMIT = 20

# What the apps above community show on its district page (community.views.district_detail),
# each registered in its AppConfig.ready() (meetings: the coming 地域ケア会議; resources:
# the open cases by state, the resources and gaps); the page's template includes each
# where it belongs.
DistrictPanel = Callable[[Staff, District], dict[str, Any]]
DISTRICT_PANELS: list[DistrictPanel] = []


def register_district_panel(panel: DistrictPanel) -> None:
    if panel not in DISTRICT_PANELS:
        DISTRICT_PANELS.append(panel)


# What the apps above community show on its network page (community.views.network),
# registered the same way (meetings: each district's next and last 地域ケア会議, set on
# the districts given, and the 協議会 部会 with theirs).
NetworkPanel = Callable[[Staff, list[District]], dict[str, Any]]
NETWORK_PANELS: list[NetworkPanel] = []


def register_network_panel(panel: NetworkPanel) -> None:
    if panel not in NETWORK_PANELS:
        NETWORK_PANELS.append(panel)


# What the apps above show on a regional issue's page (community.issue_views.issue_context),
# given whether the user may change the issue (meetings: the gaps noted in 支援調整会議,
# the agenda items it is on and the form that puts it on a coming meeting's agenda,
# posted to meetings:issue_agenda).
IssuePanel = Callable[[Staff, RegionalIssue, bool], dict[str, Any]]
ISSUE_PANELS: list[IssuePanel] = []


def register_issue_panel(panel: IssuePanel) -> None:
    if panel not in ISSUE_PANELS:
        ISSUE_PANELS.append(panel)


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    """The supporter reports tied to the case (one query), for those with full access
    to the case who may also open the reports: the centre's staff. A report's district
    and place would locate the person, so a person under whereabouts confidentiality
    has their reports shown only to those who may see where they are."""
    if not seen.full or not user.works_in_centre:
        return {"community_panel": None}
    case = seen.case
    _confidential, visible = location_annotations(user, "person_id")
    reports = (
        reports_visible_to(user)
        .filter(case=case)
        .annotate(person_location_visible=visible)
        .filter(person_location_visible=True)
        .select_related("district")
        .only("code", "submitted_at", "signs", "status", "urgency", "district__name")
        .order_by("-submitted_at", "-id")
    )
    return {"community_panel": {"reports": list(reports[:CASE_PANEL_LIMIT])}}


def my_day_panel(user: Staff) -> dict[str, Any]:
    """Open outreach visits assigned to the user (one query)."""
    return {
        "outreach_reports": list(
            SupporterReport.objects.outreach_due_by(user).select_related("district")[:MY_DAY_LIMIT]
        )
    }


def menu_items(user: Staff) -> tuple[MenuItem, ...]:
    """The menu's 地域 (accounts.navigation): a district chief's own reports, the whole
    network for those who read it (centre staff, officers)."""
    if is_district_chief(user):
        return (MenuItem(_("地域"), "community:reports", "community"),)
    if sees_network(user):
        return (MenuItem(_("地域"), "community:network", "community"),)
    return ()
