"""What the apps above `people` show on the person page.

`people` imports none of them (docs/architecture.md, "Layers"). Each app registers its
panels in its `AppConfig.ready()`, so they are called in the order of INSTALLED_APPS;
each returns the context the page's template reads."""

from collections.abc import Callable
from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.people.access import SeenPerson

PersonPanel = Callable[[Staff, SeenPerson], dict[str, Any]]

# The person page (people.views.person_detail): each panel is given what the reader sees
# of the person (people.access.SeenPerson). Her cases: cases.panels.person_cases.
PERSON_PANELS: list[PersonPanel] = []


def register_person_panel(panel: PersonPanel) -> None:
    if panel not in PERSON_PANELS:
        PERSON_PANELS.append(panel)
