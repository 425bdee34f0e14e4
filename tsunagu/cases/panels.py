"""What the apps above `cases` show on its pages: the case page and /my/.

`cases` imports none of them (docs/architecture.md, "Layers"). Each app registers its
panels in its `AppConfig.ready()`, so they are called in the order of INSTALLED_APPS;
each returns the context its own template (included by the page) reads."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase, cases_visible_to
from tsunagu.cases.models import Case
from tsunagu.people.access import SeenPerson

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


class ConsentScope(Protocol):
    """What the reader of a case page may be shown of the person (consents.models.ConsentScope).
    Categories are the values of consents.models.Category."""

    @property
    def basic(self) -> bool: ...

    @property
    def progress(self) -> bool: ...

    def covers(self, category: str) -> bool: ...

    def show(self, *categories: str) -> None: ...

    def concerns(self, concerns: Iterable[Any]) -> Any: ...

    def log_view(self, recipient: Staff, case: Case | None = None) -> object: ...


# At most one: consents.models.scope_on_case, worked out once per request and shared
# with the panels.
CONSENT_SCOPE: list[Callable[[Staff, SeenCase], ConsentScope]] = []


def register_consent_scope(scope: Callable[[Staff, SeenCase], ConsentScope]) -> None:
    CONSENT_SCOPE[:] = [scope]


@dataclass(frozen=True)
class WithoutConsents:
    """The scope when no consents are kept (the consents app not installed): full access
    sees everything, as it does whatever the consents; a partner nothing."""

    full: bool

    @property
    def basic(self) -> bool:
        return self.full

    @property
    def progress(self) -> bool:
        return self.full

    def covers(self, category: str) -> bool:
        return self.full

    def show(self, *categories: str) -> None:
        pass

    def concerns(self, concerns: Iterable[Any]) -> Any:
        return concerns if self.full else []

    def log_view(self, recipient: Staff, case: Case | None = None) -> object:
        return []


def consent_scope(user: Staff, seen: SeenCase) -> ConsentScope:
    """What the consent rule lets the reader of this case page be shown."""
    if not CONSENT_SCOPE:
        return WithoutConsents(full=seen.full)
    return CONSENT_SCOPE[0](user, seen)


def person_cases(user: Staff, seen: SeenPerson) -> dict[str, Any]:
    """The person page's cases: those of hers the reader may see."""
    cases = cases_visible_to(user).filter(person=seen.person).select_related("worker", "agency")
    return {"cases": cases.order_by("-opened_on", "-id")}
