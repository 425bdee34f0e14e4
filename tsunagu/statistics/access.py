"""Who reads the statistics and the supervision dashboard, and which cases behind a
figure each reader may see (STYLE.md principle 3).

The figures are aggregates of the municipality: the centre's chief and coordinator and
the municipality's officer read them for every centre of their municipality. Behind a
figure, names are listed only for cases the reader may open (cases.access); the officer,
whose work is the figures and the decisions, gets the counts per centre and no names
(docs/statistics.md). The supervision dashboard is the chief's, for their own centre.
"""

from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, AgencyKind, Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.models import CaseQuerySet


def reads_statistics(user: Staff) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_municipal_officer:
        return True
    return user.works_in_centre and user.role in (Role.CHIEF, Role.COORDINATOR)


def sees_names(user: Staff) -> bool:
    """Whether the lists behind a figure show who the cases are (not for the officer)."""
    return reads_statistics(user) and user.works_in_centre


def supervises(user: Staff) -> bool:
    return user.is_authenticated and user.is_chief


def centres_for(user: Staff) -> list[Agency]:
    """The consultation centres whose figures the user may read."""
    if not reads_statistics(user):
        return []
    return list(
        Agency.objects.filter(municipality_id=user.municipality_id, kind=AgencyKind.CONSULTATION_CENTRE).order_by(
            "name"
        )
    )


def drill_cases_for(user: Staff) -> CaseQuerySet:
    """The cases whose names a list behind a figure may show."""
    if not sees_names(user):
        return cases_visible_to(user).none()
    return cases_visible_to(user)


def deny(user: Staff, what: str, code: str = "") -> Http404:
    record(user, Action.DENIED, object_type=f"statistics.{what}", object_code=code)
    return Http404(_("見つかりません。"))
