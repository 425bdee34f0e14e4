"""Views of the community app (DOMAIN.md §5), split by what they serve: here the network
page, districts and neighbourhoods and the district page; supporters and their links in
supporter_views.py, reports and triage in report_views.py, regional issues in
issue_views.py. Every object comes through tsunagu.community.access.
"""

import datetime as dt
import uuid
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.db.models import Case as CaseWhen
from django.db.models import Count, Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Agency, AgencyKind, District
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.models import Case
from tsunagu.community import access
from tsunagu.community.charts import bar_chart
from tsunagu.community.forms import (
    DistrictForm,
    NeighbourhoodEditForm,
    NeighbourhoodForm,
)
from tsunagu.community.models import (
    ReportStatus,
    Sign,
    Supporter,
    SupporterKind,
    SupporterReport,
    Urgency,
)
from tsunagu.community.network import (
    save_neighbourhood,
    set_district_chief,
)
from tsunagu.community.panels import DISTRICT_PANELS, NETWORK_PANELS
from tsunagu.consents.models import withhold_from_team
from tsunagu.lib.forms import posted
from tsunagu.lib.versioning import STALE_EDIT, StaleEditError, refuse_stale_form

# A district with fewer active supporters than this is marked as thin on the charts.
THIN_NETWORK = 3
REPORTS_PER_PAGE = 50
MONTHS = 12
# The centre's open cases a district page lists, the newest first (the case list has the rest).
DISTRICT_CASES = 30


# The inbox puts 「急いでいる」 on top, then 「早めに」, then the rest, each newest first.
URGENT_FIRST = CaseWhen(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.SOON, then=Value(1)),
    default=Value(2),
)


def forbidden(request: HttpRequest, name: str) -> HttpResponse:
    record(request.user, Action.DENIED, object_type="view", object_code=name, path=request.path)
    return render(request, "403.html", status=403)


# The network page ------------------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def network(request: HttpRequest) -> HttpResponse:
    """The three layers on one page: the municipality, its districts, their neighbourhoods
    and supporters; where reports come from and where the network is thin."""
    user = current_staff(request)
    if access.is_district_chief(user):
        # A district chief's part of the network is their inbox and district pages.
        return redirect("community:reports")
    if not access.sees_network(user):
        return forbidden(request, "community.network")
    centres = Agency.objects.filter(municipality_id=user.municipality_id, kind=AgencyKind.CONSULTATION_CENTRE)
    districts = list(districts_with_neighbourhoods(access.districts_visible_to(user)))
    reports = access.reports_counted_for(user)
    by_district: dict[int, dict[str, int]] = {
        row["district_id"]: {"n": row["n"], "open": row["open"]}
        for row in reports.values("district_id")
        .annotate(n=Count("id"), open=Count("id", filter=~Q(status=ReportStatus.HANDLED)))
        .order_by()
    }
    reports_by_kind = dict(reports.values_list("supporter__kind").annotate(n=Count("id")).order_by())
    supporters_by_kind = dict(
        access.supporters_visible_to(user).filter(active=True).values_list("kind").annotate(n=Count("id")).order_by()
    )
    for district in districts:
        counts = by_district.get(district.pk, {})
        district.report_count = counts.get("n", 0)  # type: ignore[attr-defined]
        district.open_reports = counts.get("open", 0)  # type: ignore[attr-defined]
    kinds = [k for k in SupporterKind if supporters_by_kind.get(k) or reports_by_kind.get(k)]
    context: dict[str, Any] = {
        "centres": centres,
        "districts": districts,
        "manages": access.manages_network(user),
        "thin": THIN_NETWORK,
        "charts": [
            bar_chart(
                "reports-by-district",
                _("地区ごとの報告（これまでの合計）"),
                [(d.name, d.report_count) for d in districts],  # type: ignore[attr-defined]
                unit=_("件"),
            ),
            bar_chart(
                "supporters-by-district",
                _("地区ごとのサポーター（活動中）"),
                [(d.name, d.supporter_count) for d in districts],  # type: ignore[attr-defined]
                unit=_("人"),
                marked_below=THIN_NETWORK,
            ),
            bar_chart(
                "reports-by-kind",
                _("サポーターの種類ごとの報告"),
                [(str(k.label), reports_by_kind.get(k, 0)) for k in kinds],
                unit=_("件"),
            ),
            bar_chart(
                "supporters-by-kind",
                _("サポーターの種類ごとの人数"),
                [(str(k.label), supporters_by_kind.get(k, 0)) for k in kinds],
                unit=_("人"),
            ),
        ],
    }
    # Each district's next and last 地域ケア会議 and the 協議会 部会 (meetings.panels):
    # community.panels.NETWORK_PANELS.
    for panel in NETWORK_PANELS:
        context.update(panel(user, districts))
    return render(request, "community/network.html", context)


def districts_with_neighbourhoods(districts: Any) -> list[District]:
    """Districts with their neighbourhoods, each with its active supporters grouped by
    kind, and the district's count of distinct active supporters: three queries."""
    active = Supporter.objects.filter(active=True).order_by("kind", "name")
    rows = list(
        districts.select_related("chief", "chief__agency").prefetch_related(
            Prefetch("neighbourhoods__supporters", queryset=active)
        )
    )
    for district in rows:
        seen: set[int] = set()
        for neighbourhood in district.neighbourhoods.all():
            grouped: dict[str, list[Supporter]] = defaultdict(list)
            for supporter in neighbourhood.supporters.all():
                grouped[supporter.get_kind_display()].append(supporter)
                seen.add(supporter.pk)
            neighbourhood.by_kind = sorted(grouped.items())
        district.supporter_count = len(seen)
    return rows


# Managing the network (centre staff) -------------------------------------------------------


@require_http_methods(["GET", "POST"])
@centre_staff_required
def district_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    district = access.district_for(user, code, write=True)
    initial = {"chief": district.chief_id, "version": district.version}
    form = DistrictForm(posted(request), district=district, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                set_district_chief(district, user, form.cleaned_data["chief"], form.cleaned_data["version"])
            except StaleEditError as error:
                refuse_stale_form(form, error.current, STALE_EDIT)
            else:
                messages.success(request, _("%(district)sの地区チーフを保存しました。") % {"district": district.name})
                return redirect("community:network")
        status = 422
    else:
        status = 200
    neighbourhoods = district.neighbourhoods.all()
    context = {"form": form, "district": district, "neighbourhoods": neighbourhoods, "new_form": None}
    return render(request, "community/district_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def neighbourhood_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    district = access.district_for(user, code, write=True)
    form = NeighbourhoodForm(posted(request), district=district)
    if request.method == "POST" and form.is_valid():
        save_neighbourhood(district, user, form.cleaned_data["name"])
        messages.success(request, _("小地域「%(name)s」を加えました。") % {"name": form.cleaned_data["name"]})
        return redirect("community:district_edit", code=district.code)
    status = 422 if request.method == "POST" else 200
    return render(request, "community/neighbourhood_form.html", {"form": form, "district": district}, status=status)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def neighbourhood_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    neighbourhood = access.neighbourhood_for(user, code)
    district = neighbourhood.district
    initial = {"name": neighbourhood.name, "version": neighbourhood.version}
    form = NeighbourhoodEditForm(posted(request), district=district, instance=neighbourhood, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_neighbourhood(district, user, form.cleaned_data["name"], neighbourhood, form.cleaned_data["version"])
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT)
        else:
            messages.success(request, _("小地域の名前を保存しました。"))
            return redirect("community:district_edit", code=district.code)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "district": district, "neighbourhood": neighbourhood}
    return render(request, "community/neighbourhood_form.html", context, status=status)


# The district page -------------------------------------------------------------------------


def _month_starts(today: dt.date, months: int) -> list[dt.date]:
    first = today.replace(day=1)
    starts = []
    for _i in range(months):
        starts.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(starts))


@require_http_methods(["GET"])
@staff_required
def district_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """A district at a glance: open cases by state (counts; the list for centre staff,
    a district chief's own team cases), reports by month and by sign, supporters, issues,
    resources. People whose whereabouts the user may not see are left out of every
    figure and list: a count of one in a district would locate them."""
    user = current_staff(request)
    district = access.district_for(user, code)
    today = timezone.localdate()
    open_cases = Case.objects.open_in_district(district, user)
    cases: list[Case] = []
    if user.works_in_centre:
        cases = list(
            # Centre staff see their centre's cases (cases.access): said directly, the
            # query stays a plain filter (the OR of the general rule plans badly). The
            # newest first, in the order of case_agency_list_order, so that the query stops
            # at the list's end whatever the district's size; the case list has them all.
            open_cases.filter(agency=user.agency)
            .select_related("person", "worker")
            .order_by("-opened_on", "-id")[:DISTRICT_CASES]
        )
    elif access.is_district_chief(user):
        cases = list(
            open_cases.filter(pk__in=cases_visible_to(user).held_by(user).values("pk"))
            .select_related("person", "worker")
            .order_by("state", "-opened_on")[:100]
        )
        # A district chief is on these teams as a partner: names only as consent allows,
        # and each name shown is a logged disclosure.
        withhold_from_team(user, [(case.person, case) for case in cases])
    months = _month_starts(today, MONTHS)
    per_month: Counter[dt.date] = Counter()
    per_sign: Counter[str] = Counter()
    open_reports = 0
    rows = SupporterReport.objects.filter(district=district, submitted_at__date__gte=months[0]).values_list(
        "submitted_at", "signs", "status"
    )
    for submitted_at, signs, status in rows:
        per_month[timezone.localtime(submitted_at).date().replace(day=1)] += 1
        per_sign.update(s for s in signs if s in Sign.values)
        open_reports += status != ReportStatus.HANDLED
    neighbourhoods = districts_with_neighbourhoods(District.objects.filter(pk=district.pk))[0]
    context: dict[str, Any] = {
        "district": district,
        "cases": cases,
        "centre": user.works_in_centre,
        "open_reports": open_reports,
        "report_total": sum(per_month.values()),
        "charts": [
            bar_chart(
                "reports-by-month",
                _("月ごとの報告（この1年）"),
                [(f"{m.year}年{m.month}月", per_month.get(m, 0)) for m in months],
                unit=_("件"),
            ),
            bar_chart(
                "reports-by-sign",
                _("気づいたことごとの報告（この1年）"),
                [(str(s.label), per_sign.get(s, 0)) for s in Sign],
                unit=_("件"),
            ),
        ],
        "neighbourhoods": neighbourhoods.neighbourhoods.all(),
        "supporter_count": neighbourhoods.supporter_count,  # type: ignore[attr-defined]
        "thin": THIN_NETWORK,
        "issues": access.issues_visible_to(user).filter(district=district).order_by("status", "-raised_at")[:20],
        "sees_reports": user.works_in_centre or district.chief_id == user.pk,
    }
    # The coming 地域ケア会議 (meetings.panels), the open cases by state and the resources
    # (resources.panels): community.panels.DISTRICT_PANELS.
    for panel in DISTRICT_PANELS:
        context.update(panel(user, district))
    return render(request, "community/district_detail.html", context)
