"""The main menu and each role's start page, built from the same rules the views check,
so that no one is offered a link that answers 403 (issue 10)."""

from typing import NamedTuple

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.decorators import works_with_records
from tsunagu.accounts.models import Role, Staff
from tsunagu.community.access import is_district_chief, sees_network


class MenuItem(NamedTuple):
    label: Promise
    url_name: str
    # The URL namespace (or url name, for pages without one) that marks the item current.
    current: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


SUPPORTER_MENU = (
    MenuItem(_("知らせる"), "community:report", "report"),
    MenuItem(_("これまでの報告"), "community:my_reports", "my_reports"),
)
ADMIN_MENU = (MenuItem(_("管理サイト"), "admin:index", "admin"),)
RECORDS_MENU = (
    MenuItem(_("マイページ"), "my_day", "my_day"),
    MenuItem(_("ケース"), "cases:list", "cases"),
    MenuItem(_("相談者"), "people:list", "people"),
    MenuItem(_("つなぎ"), "referrals:inbox", "referrals"),
    MenuItem(_("会議"), "meetings:calendar", "meetings"),
    MenuItem(_("社会資源"), "resources:list", "resources"),
)


# The programmes as run (tsunagu.programmes): the centre's ledger and classes; the
# officers' 住居確保給付金 payment list.
CENTRE_PROGRAMMES = (MenuItem(_("事業"), "programmes:ledger", "programmes"),)
OFFICER_PROGRAMMES = (MenuItem(_("住居確保給付金"), "programmes:payments", "programmes"),)
EMPLOYMENT_ITEM = MenuItem(_("就労支援"), "employment:home", "employment")


def menu_for(user: Staff) -> tuple[MenuItem, ...]:
    items = _menu_for(user)
    # Employment support (tsunagu.employment.access.reads_employment): the centre and officers;
    # the programmes as run: the centre's ledger and classes, the officers' payment list.
    if items and user.works_in_centre:
        return (*items, EMPLOYMENT_ITEM, *CENTRE_PROGRAMMES)
    if items and user.is_municipal_officer:
        return (*items, EMPLOYMENT_ITEM, *OFFICER_PROGRAMMES)
    return items


def _menu_for(user: Staff) -> tuple[MenuItem, ...]:
    if not user.is_authenticated:
        return ()
    if user.role == Role.SUPPORTER:
        return SUPPORTER_MENU
    if user.role == Role.ADMIN:
        return ADMIN_MENU
    if not works_with_records(user):
        return ()
    if is_district_chief(user):  # their part of the network: their district's reports
        return (*RECORDS_MENU, MenuItem(_("地域"), "community:reports", "community"))
    if sees_network(user):
        return (*RECORDS_MENU, MenuItem(_("地域"), "community:network", "community"), *_statistics_menu(user))
    return RECORDS_MENU


def _statistics_menu(user: Staff) -> tuple[MenuItem, ...]:
    """統計 for its readers (chief, coordinator, officer); スーパービジョン for the chief."""
    from tsunagu.statistics.access import reads_statistics, supervises

    items: tuple[MenuItem, ...] = ()
    if reads_statistics(user):
        items += (MenuItem(_("統計"), "statistics:index", "statistics"),)
    if supervises(user):
        items += (MenuItem(_("スーパービジョン"), "statistics:supervision", "supervision"),)
    return items


def start_page(user: Staff) -> str:
    """Where each role lands after signing in: a page made for its work."""
    if user.role == Role.SUPPORTER:  # a supporter can do one thing here: report (DOMAIN.md §1)
        return reverse("community:report")
    if user.role == Role.ADMIN:
        return reverse("admin:index")
    if is_district_chief(user):  # their district's open reports, the urgent first
        return reverse("community:reports")
    if user.role == Role.EMPLOYMENT_SUPPORTER and user.works_in_centre:  # job-seekers, follow-ups, openings
        return reverse("employment:home")
    return reverse("my_day")  # officers find the items waiting for their decision on top


def current_item(request: HttpRequest, items: tuple[MenuItem, ...]) -> MenuItem | None:
    match = request.resolver_match
    if match is None:
        return None
    return next((item for item in items if item.current in (match.namespace, match.url_name)), None)
