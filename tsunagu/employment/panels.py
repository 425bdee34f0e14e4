"""What the case page shows of employment support (called from cases.views._detail_context).

Full access: the profile's stage and 就労支援員, the current placement, the next 定着支援
follow-up, and the link to the case's employment page; three queries. A partner on the
case team: the stage, the wishes and the placements only when a consent in force covers
`Category.EMPLOYMENT` (and the showing is logged as a disclosure); otherwise nothing,
not even that employment support exists. Nothing either, not one query, for a reader who
may not see the person's whereabouts: her workplace is where she is (access.py)."""

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tsunagu.accounts.models import Staff
from tsunagu.accounts.navigation import MenuItem
from tsunagu.cases.access import SeenCase
from tsunagu.cases.models import Task, TaskKind
from tsunagu.cases.panels import TextRow
from tsunagu.consents.models import Category, scope_on_case
from tsunagu.employment.access import reads_employment
from tsunagu.employment.models import FollowUp, Placement
from tsunagu.employment.sharing import profile_rows
from tsunagu.employment.support import follow_up_title, latest_profile


def case_panel(user: Staff, seen: SeenCase) -> dict[str, Any]:
    case, full = seen.case, seen.full
    if not seen.location_visible:
        return {}
    if not full:
        scope = scope_on_case(user, seen)
        if not scope.covers(Category.EMPLOYMENT):
            return {}
        scope.show(Category.EMPLOYMENT)
    profile = latest_profile(case)
    placements = list(Placement.objects.filter(case=case).select_related("employer").order_by("-started_on", "-id"))
    if profile is None and not placements:
        return {"employment_panel": {"full": full, "empty": True}}
    panel: dict[str, Any] = {
        "full": full,
        "profile": profile,
        "rows": profile_rows(profile) if profile is not None and not full else [],
        "placements": placements[:5],
    }
    if full:
        panel["next_follow_up"] = (
            FollowUp.objects.filter(placement__case=case, done_on__isnull=True, placement__ended_on__isnull=True)
            .order_by("due_on", "id")
            .first()
        )
    return {"employment_panel": panel}


def menu_items(user: Staff) -> tuple[MenuItem, ...]:
    """The menu's 就労支援 (accounts.navigation): the centre and the municipality's officers."""
    if reads_employment(user):
        return (MenuItem(gettext_lazy("就労支援"), "employment:home", "employment"),)
    return ()


def hide_workplaces(user: Staff, rows: Sequence[TextRow]) -> None:
    """The 定着支援 tasks among `rows` (of people whose whereabouts the reader may not
    see, cases.panels.mask_locations) keep their month but say 「就労先」 for the employer,
    in memory: the task is still the assignee's to do, her workplace is not theirs to
    know. One query when there is such a task, none otherwise."""
    retention = {
        obj.pk: obj
        for _person, obj, attr in rows
        if isinstance(obj, Task) and attr == "title" and obj.kind == TaskKind.RETENTION
    }
    if not retention:
        return
    placeholder = str(_("就労先"))
    for task in retention.values():
        task.title = str(_("定着支援"))
    for task_id, months in FollowUp.objects.filter(task_id__in=retention).values_list("task_id", "months"):
        retention[task_id].title = follow_up_title(months, placeholder)
