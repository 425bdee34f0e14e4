"""What the apps above `cases` show on its pages: the case page and /my/.

`cases` imports none of them (docs/architecture.md, "Layers"). Each app registers its
panels in its `AppConfig.ready()`, so they are called in the order of INSTALLED_APPS;
each returns the context its own template (included by the page) reads."""

from collections.abc import Callable, Sequence
from typing import Any

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import SeenCase
from tsunagu.cases.models import Task

CasePanel = Callable[[Staff, SeenCase], dict[str, Any]]
MyDayPanel = Callable[[Staff], dict[str, Any]]
TaskMask = Callable[[Sequence[Task]], None]

# The case page (cases.views.case_detail): each panel is given what the reader sees of
# the case (cases.access.SeenCase: the case, the access level, whether she may be located).
CASE_PANELS: list[CasePanel] = []
# The worker's day (cases.views.my_day).
MY_DAY_PANELS: list[MyDayPanel] = []
# What a task's title may not tell a reader who may not see the person's whereabouts
# (employment: the 定着支援 tasks name her employer). Each mask rewrites, in memory, the
# titles of the tasks it is given, all of such people.
TASK_MASKS: list[TaskMask] = []


def register_case_panel(panel: CasePanel) -> None:
    if panel not in CASE_PANELS:
        CASE_PANELS.append(panel)


def register_my_day_panel(panel: MyDayPanel) -> None:
    if panel not in MY_DAY_PANELS:
        MY_DAY_PANELS.append(panel)


def register_task_mask(mask: TaskMask) -> None:
    if mask not in TASK_MASKS:
        TASK_MASKS.append(mask)
