"""The main menu and each role's start page, built from the same rules the views check,
so that no one is offered a link that answers 403 (issue 10). The apps above accounts add
their own entries (`register_menu_section`, in their AppConfig.ready()), so accounts
imports none of them."""

from collections.abc import Callable
from typing import NamedTuple

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.decorators import works_with_records
from tsunagu.accounts.models import Role, Staff


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

# The entries of the apps above accounts, after RECORDS_MENU in the order the apps register
# them (INSTALLED_APPS: community, statistics, employment, programmes): each section gives
# the entries the user may follow, often none.
MenuSection = Callable[[Staff], tuple[MenuItem, ...]]
MENU_SECTIONS: list[MenuSection] = []


def register_menu_section(section: MenuSection) -> None:
    if section not in MENU_SECTIONS:
        MENU_SECTIONS.append(section)


def menu_for(user: Staff) -> tuple[MenuItem, ...]:
    if not user.is_authenticated:
        return ()
    if user.role == Role.SUPPORTER:
        return SUPPORTER_MENU
    if user.role == Role.ADMIN:
        return ADMIN_MENU
    if not works_with_records(user):
        return ()
    return (*RECORDS_MENU, *(item for section in MENU_SECTIONS for item in section(user)))


def start_page(user: Staff) -> str:
    """Where each role lands after signing in: a page made for its work."""
    if user.role == Role.SUPPORTER:  # a supporter can do one thing here: report (DOMAIN.md §1)
        return reverse("community:report")
    if user.role == Role.ADMIN:
        return reverse("admin:index")
    if user.is_district_chief:  # their district's open reports, the urgent first
        return reverse("community:reports")
    if user.role == Role.EMPLOYMENT_SUPPORTER and user.works_in_centre:  # job-seekers, follow-ups, openings
        return reverse("employment:home")
    return reverse("my_day")  # officers find the items waiting for their decision on top


def current_item(request: HttpRequest, items: tuple[MenuItem, ...]) -> MenuItem | None:
    match = request.resolver_match
    if match is None:
        return None
    return next((item for item in items if item.current in (match.namespace, match.url_name)), None)
