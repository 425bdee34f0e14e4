"""The only way views get resources (STYLE.md principle 3).

The directory holds no personal data: anyone who works with records in a municipality
may read its resources; the municipality's centre staff keep it up to date. Another
municipality's resource answers exactly like a missing one, and the attempt is audited.
"""

from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Municipality, Staff
from tsunagu.audit.models import Action, record
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.resources.models import Resource, ResourceQuerySet


def reads_directory(user: Staff) -> bool:
    return bool(user.is_authenticated and user.agency_id is not None and user.role not in NO_RECORDS_ROLES)


def keeps_directory(user: Staff) -> bool:
    """Creating, changing, importing and exporting: the municipality's centre staff."""
    return reads_directory(user) and user.works_in_centre


def reads_all_gaps(user: Staff) -> bool:
    """The whole municipality's gap figures (/resources/gaps/): the centre and the
    municipality's officers; a district chief reads their own district's on its page."""
    return reads_directory(user) and (user.works_in_centre or user.is_municipal_officer)


def gaps_municipality_for(user: Staff) -> Municipality | None:
    """The municipality whose whole gap figures the user reads (reads_all_gaps), or None;
    the gaps page counts nothing else."""
    if not reads_all_gaps(user) or user.agency is None:
        return None
    return user.agency.municipality


def resources_visible_to(user: Staff) -> ResourceQuerySet:
    if not reads_directory(user):
        return Resource.objects.none()
    return Resource.objects.filter(municipality_id=user.municipality_id)


def resource_for(user: Staff, code: Any, *, write: bool = False) -> Resource:
    """The resource with this code if the user may read it (and change it, with write)."""
    resource = resources_visible_to(user).select_related("provider_agency", "municipality").filter(code=code).first()
    if resource is None or (write and not keeps_directory(user)):
        record(
            user,
            Action.DENIED,
            object_type="resources.resource",
            object_code=str(code),
            detail="write" if write else "",
        )
        raise Http404(_("見つかりません。"))
    return resource
