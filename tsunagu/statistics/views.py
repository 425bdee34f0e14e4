"""National statistics (支援状況調査) and the chief's supervision dashboard."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tsunagu.accounts.decorators import _guard, current_staff
from tsunagu.accounts.models import Agency, Municipality, Staff
from tsunagu.audit.models import Action, record, record_for_people
from tsunagu.cases.models import ACTIVE_STATES, Case, CaseState
from tsunagu.consents.models import Consent, Purpose
from tsunagu.lib.downloads import content_disposition
from tsunagu.statistics import kept, supervision
from tsunagu.statistics.access import (
    centres_for,
    deny,
    drill_cases_for,
    reads_statistics,
    sees_names,
    supervises,
)
from tsunagu.statistics.charts import trend
from tsunagu.statistics.definitions import (
    DRILL_DOCS,
    DRILL_LABELS,
    NEW_CONSULTATIONS,
    Period,
    Scope,
    drill_case_ids,
    fiscal_year,
    fiscal_year_of,
    months_of,
    scope_for,
    trailing_months,
)
from tsunagu.statistics.exports import to_csv, to_xlsx
from tsunagu.statistics.forms import PeriodForm

statistics_required = _guard(reads_statistics)
chief_required = _guard(supervises)


def _choose(request: HttpRequest, user: Staff) -> tuple[PeriodForm, Scope | None, Period | None]:
    """The period and scope asked for, or (form, None, None) when the query is bad."""
    centres = centres_for(user)
    form = PeriodForm(request.GET or None, centres=centres)
    if form.is_bound and not form.is_valid():
        return form, None, None
    if not form.is_bound:
        form.cleaned_data = {}
    municipality = Municipality.objects.get(pk=user.municipality_id)
    return form, scope_for(municipality, form.chosen_centre()), form.period()


def _statistics_consent(scope: Scope, period: Period) -> tuple[int, int]:
    """(cases, of them with a consent in force naming Purpose.STATISTICS) among the new
    consultations of the period: what a per-person report to the state could carry."""
    new = NEW_CONSULTATIONS.in_period(scope, period)
    consents = Consent.objects.in_force(period.end - dt.timedelta(days=1)).filter(case_id__in=new.values("pk"))
    rows = consents.values_list("case_id", "purposes")
    agreed = {case_id for case_id, purposes in rows if Purpose.STATISTICS in purposes}
    return new.count(), len(agreed)


@require_http_methods(["GET"])
@statistics_required
def index(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form, scope, period = _choose(request, user)
    context: dict[str, Any] = {"form": form}
    if scope is None or period is None:
        return render(request, "statistics/index.html", context, status=422)
    months = trailing_months(period) if period.kind == "month" else months_of(period)
    with transaction.atomic():
        rows, numbers = kept.figures(scope, period, trend_months=months)
        cases, agreed = _statistics_consent(scope, period)
    for row in rows:
        row.chart = trend(row.trend)  # type: ignore[attr-defined]
    centre = f"&centre={scope.centre.pk}" if scope.centre else ""
    context.update(
        {
            "scope": scope,
            "period": period,
            "rows": rows,
            "months": months,
            "query": period.query + centre,
            "fiscal_year": fiscal_year_of(period.start),
            "consent_cases": cases,
            "consent_agreed": agreed,
            "counted_at": numbers.counted_at,
        }
    )
    return render(request, "statistics/index.html", context)


@require_http_methods(["GET"])
@statistics_required
def cases(request: HttpRequest, key: str) -> HttpResponse:
    """The cases behind a figure: names of those the reader may open, the rest (and,
    for the officer, all) as counts per centre. The reading is audited for each person
    listed, like a meeting's papers."""
    user = current_staff(request)
    if key not in DRILL_LABELS:
        raise deny(user, "figure", key)
    form, scope, period = _choose(request, user)
    context: dict[str, Any] = {"form": form, "key": key, "label": DRILL_LABELS[key], "doc": DRILL_DOCS[key]}
    if scope is None or period is None:
        return render(request, "statistics/cases.html", context, status=422)
    page: Any = None
    listed: list[Case] = []
    with transaction.atomic():
        ids = drill_case_ids(key, scope, period)
        behind: QuerySet[Case] = Case.objects.none() if ids is None else Case.objects.filter(pk__in=ids)
        per_centre = list(behind.values("agency__name").annotate(n=Count("id")).order_by("agency__name"))
        total = sum(item["n"] for item in per_centre)
        if sees_names(user):
            visible = drill_cases_for(user).filter(pk__in=behind.values("pk")).order_by("-opened_on", "-id")
            page, listed = _case_page(request, visible, settings.TSUNAGU["CASES_PER_PAGE"])
    record_for_people(
        user,
        Action.VIEW,
        None,
        [case.person.code for case in listed] or [None],
        object_type="statistics.cases",
        detail=f"{key}:{period.short_label}:{scope.centre.pk if scope.centre else 'all'}",
        path=request.path,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "scope": scope,
            "period": period,
            "per_centre": per_centre,
            "total": total,
            "page": page,
            "listed": listed,
            "hidden": total - (page.paginator.count if page else 0),
            "query": query.urlencode(),
            "back_query": period.query + (f"&centre={scope.centre.pk}" if scope.centre else ""),
        }
    )
    return render(request, "statistics/cases.html", context)


@require_http_methods(["GET"])
@statistics_required
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The fiscal year of the chosen period as the survey's monthly sheet."""
    user = current_staff(request)
    form, scope, period = _choose(request, user)
    if scope is None or period is None:
        return render(request, "statistics/index.html", {"form": form}, status=422)
    year = fiscal_year(fiscal_year_of(period.start))
    months = months_of(year)
    with transaction.atomic():
        rows = kept.monthly_sheet(scope, months)
    record(user, Action.EXPORT, object_type="statistics.monthly_sheet", detail=f"{fmt}:{year.short_label}")
    ascii_name = f"national_statistics_{year.start.year}.{fmt}"
    name = f"支援状況調査_{year.start.year}年度.{fmt}"
    if fmt == "csv":
        response = HttpResponse(to_csv(scope, months, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            to_xlsx(scope, months, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = content_disposition("attachment", name, ascii_name)
    return response


def _case_page(request: HttpRequest, cases: QuerySet[Case], per_page: int) -> tuple[Any, list[Case]]:
    """Page over the ids first, then fetch the page's rows with what the list shows."""
    page = Paginator(cases.values_list("pk", flat=True), per_page).get_page(request.GET.get("page"))
    shown = Case.objects.select_related("person", "worker", "agency").in_bulk(list(page.object_list))
    return page, [shown[pk] for pk in page.object_list]


# Supervision ------------------------------------------------------------------------------


def _centre(user: Staff) -> Agency:
    """The chief's own centre (chief_required has checked they work in one)."""
    assert user.agency is not None
    return user.agency


@require_http_methods(["GET"])
@chief_required
def supervision_dashboard(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    board = supervision.dashboard(_centre(user))
    rows = [(row, board.state_cells(row)) for row in board.rows]
    return render(request, "statistics/supervision.html", {"board": board, "rows": rows})


@require_http_methods(["GET"])
@chief_required
def supervision_cases(request: HttpRequest, kind: str) -> HttpResponse:
    user = current_staff(request)
    if kind not in supervision.LISTS:
        raise deny(user, "supervision", kind)
    centre = _centre(user)
    worker_text = request.GET.get("worker", "")
    state = request.GET.get("state", "")
    worker: int | None = None
    errors = []
    if worker_text:
        number = int(worker_text) if worker_text.isascii() and worker_text.isdigit() and len(worker_text) < 12 else -1
        known = number == supervision.NO_WORKER or Staff.objects.filter(pk=number, agency=centre).exists()
        worker = number
        if not known:
            errors.append("担当者の指定が正しくありません。")
    if state and state not in ACTIVE_STATES:
        errors.append("状態の指定が正しくありません。")
    context: dict[str, Any] = {"kind": kind, "label": supervision.LISTS[kind], "errors": errors}
    if errors:
        return render(request, "statistics/supervision_cases.html", context, status=422)
    behind = supervision.cases_behind(centre, kind, worker, state)
    page, listed = _case_page(request, behind.order_by("-opened_on", "-id"), 50)
    record_for_people(
        user,
        Action.VIEW,
        None,
        [case.person.code for case in listed] or [None],
        object_type="statistics.supervision",
        detail=f"{kind}:{worker if worker is not None else 'all'}:{state}",
        path=request.path,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context.update(
        {
            "page": page,
            "listed": listed,
            "query": query.urlencode(),
            "state_label": CaseState(state).label if state else "",
            "worker_name": next((str(c.worker) for c in listed if c.worker_id == worker), ""),
            "today": timezone.localdate(),
        }
    )
    return render(request, "statistics/supervision_cases.html", context)
