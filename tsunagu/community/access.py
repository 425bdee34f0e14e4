"""The only way views get the community's objects (STYLE.md principle 3).

- The network (districts, neighbourhoods, supporters, counts): centre staff and the
  municipality's officers read it; centre staff manage it.
- Supporter reports: the chief of the report's district and the centre staff of the
  municipality. Nobody else, whatever their agency.
- A supporter sees only their own reports' status, through their account or a personal
  link (a token whose sha256 is all that is stored).
A forbidden object answers exactly like a missing one, and the attempt is audited.
"""

import hashlib
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import District, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.community.models import (
    Neighbourhood,
    RegionalIssue,
    ReportQuerySet,
    Supporter,
    SupporterLink,
    SupporterReport,
)


def deny(user: Staff | AnonymousUser, object_type: str, code: Any = "", detail: str = "") -> Http404:
    record(user, Action.DENIED, object_type=object_type, object_code=str(code), detail=detail)
    return Http404(_("見つかりません。"))


def sees_network(user: Staff) -> bool:
    return user.is_authenticated and (user.works_in_centre or user.is_municipal_officer)


def manages_network(user: Staff) -> bool:
    return user.is_authenticated and user.works_in_centre


def is_district_chief(user: Staff) -> bool:
    return user.is_authenticated and user.is_district_chief


# Supporters reporting ---------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def account_supporter(user: Staff | AnonymousUser) -> Supporter | None:
    """The active supporter record of a signed-in supporter account."""
    if not user.is_authenticated or user.role != Role.SUPPORTER:
        return None
    return Supporter.objects.select_related("municipality").filter(account=user, active=True).first()


def link_for(token: str) -> SupporterLink | None:
    """The link with this token, revoked or not (the caller tells the two apart)."""
    if not token or len(token) > 100:
        return None
    return (
        SupporterLink.objects.select_related("supporter", "supporter__municipality")
        .filter(token_hash=token_hash(token))
        .first()
    )


def link_usable(link: SupporterLink | None) -> bool:
    return link is not None and link.revoked_at is None and link.supporter.active


# Reports ------------------------------------------------------------------------------


def reports_visible_to(user: Staff) -> ReportQuerySet:
    """The chief sees the reports of the districts they lead; centre staff see every
    report of their municipality; nobody else sees any."""
    if not user.is_authenticated or user.agency_id is None:
        return SupporterReport.objects.none()
    if user.works_in_centre:
        return SupporterReport.objects.filter(municipality_id=user.municipality_id)
    if is_district_chief(user):
        return SupporterReport.objects.filter(municipality_id=user.municipality_id, district__chief=user)
    return SupporterReport.objects.none()


def report_for(user: Staff, code: Any) -> SupporterReport:
    report = (
        reports_visible_to(user)
        .select_related(
            "supporter",
            "district",
            "district__chief",
            "neighbourhood",
            "outreach_by",
            "triaged_by",
            "person",
            "case",
            "case__agency",
            "task",
        )
        .filter(code=code)
        .first()
    )
    if report is None:
        raise deny(user, "community.supporterreport", code)
    return report


# Districts ----------------------------------------------------------------------------


def districts_visible_to(user: Staff) -> QuerySet[District]:
    if sees_network(user):
        return District.objects.filter(municipality_id=user.municipality_id)
    if is_district_chief(user):
        return District.objects.filter(municipality_id=user.municipality_id, chief=user)
    return District.objects.none()


def district_for(user: Staff, code: Any, *, write: bool = False) -> District:
    district = None
    if not write or manages_network(user):
        district = districts_visible_to(user).select_related("chief", "municipality").filter(code=code).first()
    if district is None:
        raise deny(user, "accounts.district", code, "write" if write else "")
    return district


def neighbourhood_for(user: Staff, code: Any) -> Neighbourhood:
    """A neighbourhood to rename: centre staff of its municipality."""
    neighbourhood = (
        Neighbourhood.objects.select_related("district")
        .filter(code=code, district__municipality_id=user.municipality_id)
        .first()
        if manages_network(user)
        else None
    )
    if neighbourhood is None:
        raise deny(user, "community.neighbourhood", code, "write")
    return neighbourhood


# Supporters (managed by the centre) ------------------------------------------------------


def supporters_visible_to(user: Staff) -> QuerySet[Supporter]:
    """The municipality's supporters: listed for centre staff, counted for network readers."""
    if not sees_network(user):
        return Supporter.objects.none()
    return Supporter.objects.filter(municipality_id=user.municipality_id)


def reports_counted_for(user: Staff) -> QuerySet[SupporterReport]:
    """The municipality's reports as the network page counts them (network readers): by
    district and by kind of supporter, never one report's content."""
    if not sees_network(user):
        return SupporterReport.objects.none()
    return SupporterReport.objects.filter(municipality_id=user.municipality_id)


def supporter_for(user: Staff, code: Any) -> Supporter:
    supporter = (
        Supporter.objects.select_related("account", "registered_by")
        .filter(code=code, municipality_id=user.municipality_id)
        .first()
        if manages_network(user)
        else None
    )
    if supporter is None:
        raise deny(user, "community.supporter", code)
    return supporter


# Regional issues ------------------------------------------------------------------------


def issues_visible_to(user: Staff) -> QuerySet[RegionalIssue]:
    if sees_network(user):
        return RegionalIssue.objects.filter(municipality_id=user.municipality_id)
    if is_district_chief(user):
        return RegionalIssue.objects.filter(municipality_id=user.municipality_id, district__chief=user)
    return RegionalIssue.objects.none()


def may_change_issue(user: Staff, issue: RegionalIssue) -> bool:
    """Centre staff, and the chief of the issue's district, move it on."""
    if manages_network(user):
        return True
    return is_district_chief(user) and issue.district is not None and issue.district.chief_id == user.pk


def issue_for(user: Staff, code: Any, *, write: bool = False) -> RegionalIssue:
    issue = issues_visible_to(user).select_related("district", "raised_by").filter(code=code).first()
    if issue is None or (write and not may_change_issue(user, issue)):
        raise deny(user, "community.regionalissue", code, "write" if write else "")
    return issue
