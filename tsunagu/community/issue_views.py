"""Regional issues (地域課題): the list, a new issue, progress. What the page shows of the
meetings and the form that puts an issue on an agenda are meetings' (community.panels.
ISSUE_PANELS; the form posts to meetings:issue_agenda)."""

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import current_staff, staff_required
from tsunagu.accounts.models import Staff
from tsunagu.community import access
from tsunagu.community.forms import (
    IssueFilterForm,
    IssueForm,
    IssueProgressForm,
)
from tsunagu.community.models import (
    RegionalIssueStatus,
)
from tsunagu.community.network import (
    raise_issue,
    update_issue_progress,
)
from tsunagu.community.panels import ISSUE_PANELS
from tsunagu.community.views import forbidden
from tsunagu.lib.versioning import StaleEditError, refuse_stale_form, stale_edit
from tsunagu.people.access import people_visible_to

# Regional issues -----------------------------------------------------------------------------


def _issue_form(user: Staff, data: Any = None) -> IssueForm | None:
    """The 地域課題を登録 form: centre staff (any district, or the whole municipality)
    and a district chief (the districts they lead); None for anyone else."""
    if not (access.manages_network(user) or access.is_district_chief(user)):
        return None
    return IssueForm(
        data,
        districts=access.districts_visible_to(user).order_by("number", "name"),
        people=people_visible_to(user),
        municipality_wide=access.manages_network(user),
        prefix="new",  # the filter form on the same page has a district too
    )


def _issue_list_page(request: HttpRequest, user: Staff, new_form: IssueForm | None, status: int = 200) -> HttpResponse:
    form = IssueFilterForm(request.GET or None, districts=access.districts_visible_to(user))
    data = form.cleaned_data if form.is_valid() else {}
    issues = access.issues_visible_to(user).select_related("district").annotate(gap_count=Count("gaps"))
    if data.get("district"):
        issues = issues.filter(district=data["district"])
    if data.get("status"):
        issues = issues.filter(status=data["status"])
    issues = issues.order_by("status", "-raised_at", "-id")
    grouped: dict[str, list[Any]] = {s: [] for s in RegionalIssueStatus.values}
    for issue in issues[:200]:
        grouped[issue.status].append(issue)
    columns = [(RegionalIssueStatus(s), grouped[s]) for s in RegionalIssueStatus.values]
    context = {"form": form, "columns": columns, "new_form": new_form}
    return render(request, "community/issue_list.html", context, status=status)


@require_http_methods(["GET"])
@staff_required
def issue_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    if not (access.sees_network(user) or access.is_district_chief(user)):
        return forbidden(request, "community.issues")
    return _issue_list_page(request, user, _issue_form(user))


@require_POST
@staff_required
def issue_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = _issue_form(user, request.POST)
    if form is None:
        return forbidden(request, "community.issue_new")
    if not form.is_valid():
        return _issue_list_page(request, user, form, status=422)
    issue = raise_issue(user, form.cleaned_data)
    messages.success(request, _("地域課題「%(title)s」を登録しました。") % {"title": issue.title})
    return redirect(issue)


def issue_context(user: Staff, issue: Any, **forms: Any) -> dict[str, Any]:
    """The issue page's context; `forms` are bound forms to show again with their errors
    (also meetings.views.issue_agenda's)."""
    writable = access.may_change_issue(user, issue)
    context: dict[str, Any] = {
        "issue": issue,
        "writable": writable,
        "figures": issue.figure_rows(),
        "updates": issue.updates.select_related("by"),
        "progress_form": IssueProgressForm(initial={"version": issue.version, "status": issue.status})
        if writable
        else None,
    }
    # The gaps noted in meetings, the agenda items and the agenda form (meetings.panels).
    for panel in ISSUE_PANELS:
        context.update(panel(user, issue, writable))
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


@require_http_methods(["GET"])
@staff_required
def issue_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    issue = access.issue_for(user, code)
    return render(request, "community/issue_detail.html", issue_context(user, issue))


@require_POST
@staff_required
def issue_progress(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    issue = access.issue_for(user, code, write=True)
    form = IssueProgressForm(request.POST)
    if form.is_valid():
        try:
            update_issue_progress(
                issue, user, form.cleaned_data["version"], form.cleaned_data["status"], form.cleaned_data["note"]
            )
        except StaleEditError as error:
            refuse_stale_form(
                form,
                error.current,
                stale_edit(_("地域課題")),
            )
        else:
            messages.success(
                request, _("進み具合を「%(status)s」にしました。") % {"status": issue.get_status_display()}
            )
            return redirect(issue)
    context = issue_context(user, issue, progress_form=form)
    return render(request, "community/issue_detail.html", context, status=422)
