"""What the apps above `cases` show on its pages: the case page and /my/.

`cases` imports none of them (docs/architecture.md, "Layers"). Each app registers its
panels in its `AppConfig.ready()`, so they are called in the order of INSTALLED_APPS;
each returns the context its own template (included by the page) reads."""

from collections.abc import Callable, Sequence
from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase

CasePanel = Callable[[Staff, SeenCase], dict[str, Any]]
MyDayPanel = Callable[[Staff], dict[str, Any]]
# (person id, object, attribute): a text of a record of a person's case.
TextRow = tuple[int, Any, str]
LocationMask = Callable[[Staff, Sequence[TextRow]], None]

# The case page (cases.views.case_detail): each panel is given what the reader sees of
# the case (cases.access.SeenCase: the case, the access level, whether she may be located).
CASE_PANELS: list[CasePanel] = []
# The worker's day (cases.views.my_day).
MY_DAY_PANELS: list[MyDayPanel] = []
# What the texts of a case (task titles, timeline entries) may not tell a reader who may
# not see the person's whereabouts: where she was sent (referrals), where she works
# (employment: the 定着支援 tasks name her employer). Each mask is given only rows of
# such people and rewrites their texts in memory.
LOCATION_MASKS: list[LocationMask] = []


def register_case_panel(panel: CasePanel) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)


def register_my_day_panel(panel: MyDayPanel) -> None:
    if panel not in MY_DAY_PANELS:
        MY_DAY_PANELS.append(panel)


def register_location_mask(mask: LocationMask) -> None:
    if mask not in LOCATION_MASKS:
        LOCATION_MASKS.append(mask)


def mask_locations(user: Staff, rows: Sequence[TextRow]) -> None:
    """Every registered mask over `rows`, which must all be of people whose whereabouts
    `user` may not see; nothing (no query) when there are none."""
    if rows:
        for mask in LOCATION_MASKS:
            mask(user, rows)
