"""Views of the community app (DOMAIN.md §5): the network page, supporters' reports by
account and by personal link, the inbox and triage, regional issues, the district page.

Every object comes through tsunagu.community.access; a supporter (account or link)
reaches only the report form and the status of their own reports.
"""

import datetime as dt
import uuid
from collections import Counter, defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Case as CaseWhen
from django.db.models import Count, Prefetch, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Agency, AgencyKind, District, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import cases_visible_to
from tsunagu.cases.models import ACTIVE_STATES, Case, CaseState
from tsunagu.community import access
from tsunagu.community.charts import bar_chart
from tsunagu.community.forms import (
    AgendaForm,
    CloseForm,
    DistrictForm,
    InboxFilterForm,
    IssueFilterForm,
    IssueForm,
    IssueProgressForm,
    LinkForm,
    NeighbourhoodEditForm,
    NeighbourhoodForm,
    OpenCaseForm,
    OutreachForm,
    ReportForm,
    SuggestForm,
    SupporterAccountForm,
    SupporterEditForm,
    SupporterForm,
    VersionForm,
    VisitForm,
)
from tsunagu.community.models import (
    RegionalIssueStatus,
    ReportStatus,
    Sign,
    Supporter,
    SupporterKind,
    SupporterLink,
    SupporterReport,
    Urgency,
)
from tsunagu.community.network import (
    AccountError,
    agenda_meetings,
    edit_supporter,
    issue_account,
    issue_link,
    place_on_agenda,
    raise_issue,
    register_supporter,
    revoke_link,
    save_neighbourhood,
    set_account_active,
    set_district_chief,
    update_issue_progress,
)
from tsunagu.community.reports import (
    TriageError,
    close_without_concern,
    link_to_person,
    mark_handled,
    mark_in_progress,
    open_case,
    open_outreach,
    record_visit,
    submit_report,
)
from tsunagu.community.suggestions import locatable_people, search_people, suggest_people
from tsunagu.consents.models import withhold_from_team
from tsunagu.lib.forms import posted
from tsunagu.lib.versioning import STALE_EDIT, StaleEditError, refuse_stale_form, stale_edit
from tsunagu.meetings.models import Meeting, MeetingKind, MeetingStatus, ResourceGap
from tsunagu.people.access import people_visible_to, possible_duplicates
from tsunagu.people.models import location_annotations, query_kind
from tsunagu.resources.panels import district_panel as resources_district_panel

# A district with fewer active supporters than this is marked as thin on the charts.
THIN_NETWORK = 3
REPORTS_PER_PAGE = 50
MONTHS = 12


# The inbox puts 「急いでいる」 on top, then 「早めに」, then the rest, each newest first.
URGENT_FIRST = CaseWhen(
    When(urgency=Urgency.URGENT, then=Value(0)),
    When(urgency=Urgency.SOON, then=Value(1)),
    default=Value(2),
)


def _forbidden(request: HttpRequest, name: str) -> HttpResponse:
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
        return _forbidden(request, "community.network")
    municipality_id = user.municipality_id
    today = timezone.localdate()
    centres = Agency.objects.filter(municipality_id=municipality_id, kind=AgencyKind.CONSULTATION_CENTRE)
    districts = list(districts_with_neighbourhoods(access.districts_visible_to(user)))
    meetings = Meeting.objects.filter(
        municipality_id=municipality_id,
        kind__in=[MeetingKind.COMMUNITY_CARE, MeetingKind.COUNCIL_COMMITTEE],
        held_on__gte=today - dt.timedelta(days=365),
    ).exclude(status=MeetingStatus.CANCELLED)
    care_meetings: dict[int, list[Meeting]] = defaultdict(list)
    committees: dict[str, list[Meeting]] = defaultdict(list)
    for meeting in meetings.order_by("held_on", "id"):
        if meeting.kind == MeetingKind.COMMUNITY_CARE and meeting.district_id:
            care_meetings[meeting.district_id].append(meeting)
        elif meeting.kind == MeetingKind.COUNCIL_COMMITTEE:
            committees[meeting.committee or meeting.title].append(meeting)
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
        meetings_here = care_meetings.get(district.pk, [])
        district.next_meeting = next((m for m in meetings_here if m.held_on >= today), None)  # type: ignore[attr-defined]
        district.last_meeting = next((m for m in reversed(meetings_here) if m.held_on < today), None)  # type: ignore[attr-defined]
        counts = by_district.get(district.pk, {})
        district.report_count = counts.get("n", 0)  # type: ignore[attr-defined]
        district.open_reports = counts.get("open", 0)  # type: ignore[attr-defined]
    kinds = [k for k in SupporterKind if supporters_by_kind.get(k) or reports_by_kind.get(k)]
    context = {
        "centres": centres,
        "committees": [(name, _next_and_last(ms, today)) for name, ms in sorted(committees.items())],
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
    return render(request, "community/network.html", context)


def _next_and_last(meetings: list[Meeting], today: dt.date) -> tuple[Meeting | None, Meeting | None]:
    coming = next((m for m in meetings if m.held_on >= today), None)
    held = next((m for m in reversed(meetings) if m.held_on < today), None)
    return coming, held


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


@require_http_methods(["GET"])
@centre_staff_required
def supporter_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    supporters = (
        access.supporters_visible_to(user)
        .prefetch_related("neighbourhoods__district")
        .annotate(
            live_links=Count("links", filter=Q(links__revoked_at__isnull=True)),
            report_count=Count("reports", distinct=True),
        )
        .select_related("account")
        .order_by("-active", "kind", "name")
    )
    return render(request, "community/supporter_list.html", {"supporters": supporters})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def supporter_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = SupporterForm(posted(request), municipality_id=user.municipality_id)
    if request.method == "POST" and form.is_valid():
        supporter = register_supporter(user, form.cleaned_data)
        messages.success(request, _("%(name)sさんをサポーターとして登録しました。") % {"name": supporter.name})
        return redirect(supporter)
    status = 422 if request.method == "POST" else 200
    return render(request, "community/supporter_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def supporter_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    form = SupporterEditForm(
        posted(request),
        instance=supporter,
        municipality_id=user.municipality_id,
        initial={"version": supporter.version},
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            edit_supporter(supporter, user, form.cleaned_data["version"], form.cleaned_data)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(
                form,
                stale,
                stale_edit(_("サポーター")),
            )
        else:
            messages.success(request, _("保存しました。"))
            return redirect(supporter)
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "supporter": supporter, "stale": stale}
    return render(request, "community/supporter_form.html", context, status=status)


@require_http_methods(["GET"])
@centre_staff_required
def supporter_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    return render(request, "community/supporter_detail.html", _supporter_context(supporter))


def _supporter_context(supporter: Supporter, **extra: Any) -> dict[str, Any]:
    return {
        "supporter": supporter,
        "account_form": SupporterAccountForm() if supporter.account_id is None and supporter.active else None,
        "neighbourhoods": supporter.neighbourhoods.select_related("district"),
        "links": supporter.links.select_related("issued_by", "revoked_by"),
        "reports": supporter.reports.select_related("district")[:20],
        **extra,
    }


@require_POST
@centre_staff_required
def link_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Issue a personal link and show it this once (the response to the POST, never a
    redirect: the token is not stored anywhere it could be shown again)."""
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    if not supporter.active:
        messages.error(request, _("活動中でないサポーターにはリンクを発行できません。"))
        return redirect(supporter)
    token = issue_link(supporter, user)
    url = request.build_absolute_uri(reverse("community:link_report", kwargs={"token": token}))
    response = render(request, "community/supporter_detail.html", _supporter_context(supporter, new_link=url))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@centre_staff_required
def link_revoke(request: HttpRequest, code: uuid.UUID, link_id: int) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    link = SupporterLink.objects.filter(supporter=supporter, pk=link_id).select_related("supporter").first()
    if link is None:
        raise access.deny(user, "community.supporterlink", link_id, "write")
    revoke_link(link, user)
    messages.success(request, _("リンクを無効にしました。このリンクからはもう報告できません。"))
    return redirect(supporter)


@require_POST
@centre_staff_required
def account_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Give a supporter a sign-in account. The initial password is shown in the response
    to this POST only (never a redirect, never a message: it is stored nowhere it could
    be shown again), and the page is not cached."""
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    form = SupporterAccountForm(request.POST)
    if form.is_valid():
        try:
            account, password = issue_account(supporter, user, form.cleaned_data["username"])
        except AccountError as error:
            form.add_error(error.field, error.message)
        else:
            context = _supporter_context(
                supporter, new_account={"username": account.username, "password": password}, account_form=None
            )
            context["login_url"] = request.build_absolute_uri(reverse("accounts:login"))
            response = render(request, "community/supporter_detail.html", context)
            response["Cache-Control"] = "no-store"
            return response
    supporter.refresh_from_db(fields=["account"])
    context = _supporter_context(supporter, account_form=form)
    return render(request, "community/supporter_detail.html", context, status=422)


@require_POST
@centre_staff_required
def account_active(request: HttpRequest, code: uuid.UUID, active: bool) -> HttpResponse:
    user = current_staff(request)
    supporter = access.supporter_for(user, code)
    if supporter.account is None:
        raise access.deny(user, "community.supporter", code, "account")
    set_account_active(supporter, user, active)
    if active:
        messages.success(
            request, _("アカウント %(username)s を再開しました。") % {"username": supporter.account.username}
        )
    else:
        messages.success(
            request,
            _("アカウント %(username)s を停止しました。個人用リンクはそのまま使えます。")
            % {"username": supporter.account.username},
        )
    return redirect(supporter)


# Supporters report ----------------------------------------------------------------------


def _report_urls(token: str | None) -> dict[str, str]:
    if token is None:
        return {
            "form_url": reverse("community:report"),
            "thanks_url": reverse("community:report_thanks"),
            "mine_url": reverse("community:my_reports"),
        }
    return {
        "form_url": reverse("community:link_report", kwargs={"token": token}),
        "thanks_url": reverse("community:link_thanks", kwargs={"token": token}),
        "mine_url": reverse("community:link_mine", kwargs={"token": token}),
    }


def _centre_of(supporter: Supporter | None) -> Agency | None:
    if supporter is None:
        return None
    return Agency.objects.filter(municipality_id=supporter.municipality_id, kind=AgencyKind.CONSULTATION_CENTRE).first()


def _reporting_supporter(
    request: HttpRequest, token: str | None
) -> tuple[Supporter | None, SupporterLink | None, HttpResponse | None]:
    """Who is reporting: the signed-in supporter, or the holder of a live link. Anything
    else gets a page that says where to turn instead (never a 500)."""
    if token is None:
        supporter = access.account_supporter(request.user)
        if supporter is None:
            return None, None, _forbidden(request, "community.report")
        return supporter, None, None
    link = access.link_for(token)
    if link is not None and access.link_usable(link):
        return link.supporter, link, None
    # Never log the token: a hash of an unknown token tells nothing and one of a
    # revoked link is already known.
    record(
        request.user,
        Action.DENIED,
        object_type="community.supporterlink",
        object_code=str(link.pk) if link else "",
        detail="revoked" if link else "unknown",
        path=reverse("community:link_report", kwargs={"token": "-"}),
    )
    context = {"revoked": link is not None, "centre": _centre_of(link.supporter if link else None)}
    response = render(request, "community/link_invalid.html", context, status=410 if link else 404)
    response["Cache-Control"] = "no-store"
    return None, None, response


@require_http_methods(["GET", "POST"])
@never_cache
def report(request: HttpRequest) -> HttpResponse:
    return _report(request, None)


@login_not_required
@require_http_methods(["GET", "POST"])
@never_cache
def link_report(request: HttpRequest, token: str) -> HttpResponse:
    return _report(request, token)


def _report(request: HttpRequest, token: str | None) -> HttpResponse:
    supporter, link, refused = _reporting_supporter(request, token)
    if refused is not None or supporter is None:
        return refused or _forbidden(request, "community.report")
    form = ReportForm(posted(request), supporter=supporter)
    if request.method == "POST":
        if form.is_valid():
            submit_report(supporter, form.cleaned_data, link=link)
            return redirect(_report_urls(token)["thanks_url"])
        status = 422
    else:
        status = 200
    context = {"form": form, "supporter": supporter, **_report_urls(token)}
    return render(request, "community/report_form.html", context, status=status)


@require_http_methods(["GET"])
@never_cache
def report_thanks(request: HttpRequest) -> HttpResponse:
    return _my_reports(request, None, thanks=True)


@login_not_required
@require_http_methods(["GET"])
@never_cache
def link_thanks(request: HttpRequest, token: str) -> HttpResponse:
    return _my_reports(request, token, thanks=True)


@require_http_methods(["GET"])
@never_cache
def my_reports(request: HttpRequest) -> HttpResponse:
    return _my_reports(request, None, thanks=False)


@login_not_required
@require_http_methods(["GET"])
@never_cache
def link_mine(request: HttpRequest, token: str) -> HttpResponse:
    return _my_reports(request, token, thanks=False)


def _my_reports(request: HttpRequest, token: str | None, *, thanks: bool) -> HttpResponse:
    """The supporter's own reports with their status only: when, where (the district),
    what they ticked. Never the triage, the person or the case."""
    supporter, _link, refused = _reporting_supporter(request, token)
    if refused is not None or supporter is None:
        return refused or _forbidden(request, "community.report")
    reports = list(
        SupporterReport.objects.filter(supporter=supporter)
        .select_related("district")
        .only("submitted_at", "status", "signs", "urgency", "district__name")
        .order_by("-submitted_at", "-id")[:50]
    )
    context = {
        "supporter": supporter,
        "reports": reports,
        "thanks": thanks,
        "urgent": thanks and bool(reports) and reports[0].urgency == "urgent",
        "centre": _centre_of(supporter),
        **_report_urls(token),
    }
    return render(request, "community/my_reports.html", context)


# The inbox and triage ---------------------------------------------------------------------


def _with_person_visibility(reports: Any, user: Staff) -> Any:
    _confidential, visible = location_annotations(user, "person_id")
    return reports.annotate(person_location_visible=visible)


@require_http_methods(["GET"])
@staff_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    if not (user.works_in_centre or access.is_district_chief(user)):
        return _forbidden(request, "community.inbox")
    form = InboxFilterForm(request.GET or None, districts=access.districts_visible_to(user))
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {"status": InboxFilterForm.OPEN}
    reports = access.reports_visible_to(user)
    status = data.get("status", InboxFilterForm.OPEN) if request.GET else InboxFilterForm.OPEN
    if status == InboxFilterForm.OPEN:
        reports = reports.open()
    elif status:
        reports = reports.filter(status=status)
    if data.get("district"):
        reports = reports.filter(district=data["district"])
    reports = reports.select_related("supporter", "district", "outreach_by").order_by(
        URGENT_FIRST, "-submitted_at", "-id"
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "qs": query.urlencode(), "status": status}
    return render(request, "community/inbox.html", context)


def _report_context(user: Staff, report: SupporterReport, **forms: Any) -> dict[str, Any]:
    centre = user.works_in_centre
    # Who the report turned out to be about shows only to those who may see that
    # person's whereabouts: the report's place would otherwise locate them.
    person_visible = report.person_id is not None and locatable_people(user).filter(pk=report.person_id).exists()
    case_visible = (
        person_visible and report.case_id is not None and cases_visible_to(user).filter(pk=report.case_id).exists()
    )
    query = forms.pop("query", "")
    handled = report.status == ReportStatus.HANDLED
    version = {"version": report.version}
    context: dict[str, Any] = {
        "report": report,
        "centre": centre,
        "handled": handled,
        "case_visible": case_visible,
        "person_visible": person_visible,
        "progress_form": VersionForm(initial=version),
        "handled_form": VersionForm(initial=version),
        "outreach_form": OutreachForm(
            initial={
                **version,
                "outreach_by": report.outreach_by_id or user.pk,
                **({"outreach_due": report.outreach_due} if report.outreach_due else {}),
            },
            report=report,
        )
        if not handled
        else None,
        "close_form": CloseForm(initial=version) if not handled and report.case_id is None else None,
        "visit_form": VisitForm(initial=version) if not handled and report.case_id is not None and centre else None,
        "open_case_form": OpenCaseForm(
            initial={**version, "address": report.place}, needs_person=report.person_id is None
        )
        if not handled and report.case_id is None and centre
        else None,
        "suggest_form": SuggestForm(initial={"q": query}) if centre and not handled else None,
        "suggestions": suggest_people(user, report) if centre and not handled and report.person_id is None else [],
        "found": search_people(user, query) if centre and not handled and query else [],
        "query": query,
        "version": report.version,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


def _report_page(
    request: HttpRequest, user: Staff, report: SupporterReport, status: int = 200, **forms: Any
) -> HttpResponse:
    return render(request, "community/report_detail.html", _report_context(user, report, **forms), status=status)


@require_http_methods(["GET"])
@staff_required
def report_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    record(user, Action.VIEW, report, path=request.path)
    query = SuggestForm(request.GET)
    q = query.cleaned_data["q"].strip() if query.is_valid() else ""
    if q:
        # The kind of query (name, phone, e-mail), never its text.
        record(user, Action.SEARCH, object_type="people.person", detail=f"report:{query_kind(q)}", path=request.path)
    return _report_page(request, user, report, query=q)


def _refused(
    request: HttpRequest, user: Staff, report: SupporterReport, form: Any, name: str, error: Exception
) -> HttpResponse:
    """Re-render the report page with the refused form (what was typed kept), 422."""
    if isinstance(error, StaleEditError):
        refuse_stale_form(form, error.current, stale_edit(_("報告")))
        messages.error(request, stale_edit(_("報告")))
    elif isinstance(error, TriageError):
        if error.field and error.field in form.fields:
            form.add_error(error.field, error.message)
        else:
            form.add_error(None, error.message)
        messages.error(request, error.message)
    return _report_page(request, user, report, status=422, **{name: form})


def _done(request: HttpRequest, report: SupporterReport, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(report)


@require_POST
@staff_required
def report_progress(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    form = VersionForm(request.POST)
    if form.is_valid() and report.status != ReportStatus.RECEIVED and not form.cleaned_data["note"].strip():
        form.add_error("note", _("残すメモを書いてください。"))
    if not form.is_valid():
        return _report_page(request, user, report, status=422, progress_form=form)
    try:
        mark_in_progress(report, user, form.cleaned_data["version"], form.cleaned_data["note"])
    except (StaleEditError, TriageError) as error:
        return _refused(request, user, report, form, "progress_form", error)
    return _done(request, report, _("「対応中」にしました。"))


@require_POST
@staff_required
def report_link(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Tie the report to a person (and case). Centre staff only, and only to a person
    whose whereabouts they may see."""
    user = current_staff(request)
    report = access.report_for(user, code)
    if not user.works_in_centre:
        raise access.deny(user, "community.supporterreport", code, "link")
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("つなぐ相談者を選び直してください。"))
        return _report_page(request, user, report, status=422)
    person = locatable_people(user).filter(code=form.cleaned_data["person"]).first()
    if person is None:
        raise access.deny(user, "people.person", form.cleaned_data["person"], "link")
    case = None
    if form.cleaned_data.get("case"):
        case = (
            cases_visible_to(user)
            .filter(code=form.cleaned_data["case"], person=person, agency_id=user.agency_id or 0)
            .select_related("agency")
            .first()
        )
        if case is None:
            raise access.deny(user, "cases.case", form.cleaned_data["case"], "link")
    try:
        link_to_person(report, user, form.cleaned_data["version"], person, case)
    except StaleEditError:
        messages.error(request, stale_edit(_("報告"), kept=False))
        return _report_page(request, user, access.report_for(user, code), status=422)
    except TriageError as error:
        messages.error(request, error.message)
        return _report_page(request, user, report, status=422)
    return _done(request, report, _("%(name)sさんにつなぎました。") % {"name": person.full_name})


@require_POST
@staff_required
def report_outreach(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    form = OutreachForm(request.POST, report=report)
    if not form.is_valid():
        return _report_page(request, user, report, status=422, outreach_form=form)
    try:
        open_outreach(
            report,
            user,
            form.cleaned_data["version"],
            form.cleaned_data["outreach_by"],
            form.cleaned_data["outreach_due"],
        )
    except (StaleEditError, TriageError) as error:
        return _refused(request, user, report, form, "outreach_form", error)
    return _done(request, report, _("訪問を決めました。訪問する人のマイページに出ます。"))


@require_POST
@centre_staff_required
def report_visit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    form = VisitForm(request.POST, reported_at=report.submitted_at)
    if (
        report.case_id is None
        or not cases_visible_to(user).filter(pk=report.case_id, agency_id=user.agency_id or 0).exists()
    ):
        raise access.deny(user, "community.supporterreport", code, "visit")
    if not form.is_valid():
        return _report_page(request, user, report, status=422, visit_form=form)
    try:
        record_visit(report, user, form.cleaned_data["version"], form.cleaned_data)
    except (StaleEditError, TriageError) as error:
        return _refused(request, user, report, form, "visit_form", error)
    return _done(request, report, _("訪問を支援経過記録に書きました。"))


@require_POST
@centre_staff_required
def report_open_case(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    form = OpenCaseForm(request.POST, needs_person=report.person_id is None, reported_at=report.submitted_at)
    if not form.is_valid():
        return _report_page(request, user, report, status=422, open_case_form=form)
    if report.person_id is None and request.POST.get("confirmed_new") != "1":
        # Search before create, as /people/new/: the worker sees who may be the same first.
        duplicates = list(possible_duplicates(user, form.cleaned_data))
        if duplicates:
            return _report_page(request, user, report, open_case_form=form, duplicates=duplicates)
    try:
        case = open_case(report, user, form.cleaned_data["version"], form.cleaned_data)
    except (StaleEditError, TriageError) as error:
        return _refused(request, user, report, form, "open_case_form", error)
    messages.success(request, _("ケース（把握）を開き、訪問を最初の支援経過記録にしました。"))
    return redirect(case)


@require_POST
@staff_required
def report_close(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    form = CloseForm(request.POST)
    if not form.is_valid():
        return _report_page(request, user, report, status=422, close_form=form)
    try:
        close_without_concern(report, user, form.cleaned_data["version"], form.cleaned_data["note"])
    except (StaleEditError, TriageError) as error:
        return _refused(request, user, report, form, "close_form", error)
    return _done(request, report, _("見守り継続・問題なしとして閉じました。報告者には「対応しました」と表示されます。"))


@require_POST
@staff_required
def report_handled(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    report = access.report_for(user, code)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _report_page(request, user, report, status=422, handled_form=form)
    try:
        mark_handled(report, user, form.cleaned_data["version"], form.cleaned_data["note"])
    except (StaleEditError, TriageError) as error:
        return _refused(request, user, report, form, "handled_form", error)
    return _done(request, report, _("「対応しました」にしました。報告者にはこの状況だけが伝わります。"))


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
        return _forbidden(request, "community.issues")
    return _issue_list_page(request, user, _issue_form(user))


@require_POST
@staff_required
def issue_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = _issue_form(user, request.POST)
    if form is None:
        return _forbidden(request, "community.issue_new")
    if not form.is_valid():
        return _issue_list_page(request, user, form, status=422)
    issue = raise_issue(user, form.cleaned_data)
    messages.success(request, _("地域課題「%(title)s」を登録しました。") % {"title": issue.title})
    return redirect(issue)


def _issue_context(user: Staff, issue: Any, **forms: Any) -> dict[str, Any]:
    writable = access.may_change_issue(user, issue)
    gaps = ResourceGap.objects.filter(municipality_id=issue.municipality_id).select_related("item__meeting", "district")
    noted = gaps.filter(item__meeting__kind=MeetingKind.COORDINATION).filter(
        Q(regional_issue=issue) | Q(regional_issue__isnull=True, district_id=issue.district_id)
    )
    context: dict[str, Any] = {
        "issue": issue,
        "writable": writable,
        "figures": issue.figure_rows(),
        "gaps": list(noted.order_by("-noted_at", "-id")[:50]),
        "updates": issue.updates.select_related("by"),
        "agenda_items": issue.agenda_items.select_related("meeting").order_by("-meeting__held_on"),
        "progress_form": IssueProgressForm(initial={"version": issue.version, "status": issue.status})
        if writable
        else None,
        "agenda_form": AgendaForm(meetings=agenda_meetings(user, issue)) if writable else None,
    }
    context.update({k: v for k, v in forms.items() if v is not None})
    return context


@require_http_methods(["GET"])
@staff_required
def issue_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    issue = access.issue_for(user, code)
    return render(request, "community/issue_detail.html", _issue_context(user, issue))


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
    context = _issue_context(user, issue, progress_form=form)
    return render(request, "community/issue_detail.html", context, status=422)


@require_POST
@staff_required
def issue_agenda(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    issue = access.issue_for(user, code, write=True)
    form = AgendaForm(request.POST, meetings=agenda_meetings(user, issue))
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            place_on_agenda(issue, user, meeting)
        except TriageError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, _("「%(meeting)s」の議題にのせました。") % {"meeting": meeting.title})
            return redirect(issue)
    context = _issue_context(user, issue, agenda_form=form)
    return render(request, "community/issue_detail.html", context, status=422)


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
    _confidential, visible = location_annotations(user, "person_id")
    open_cases = (
        Case.objects.filter(
            agency__municipality_id=district.municipality_id, person__district=district, state__in=ACTIVE_STATES
        )
        .annotate(person_location_visible=visible)
        .filter(person_location_visible=True)
    )
    by_state = {row["state"]: row["n"] for row in open_cases.values("state").annotate(n=Count("id")).order_by()}
    states = [(CaseState(s), by_state[s]) for s in CaseState.values if s in by_state]
    cases: list[Case] = []
    if user.works_in_centre:
        cases = list(
            # Centre staff see their centre's cases (cases.access): said directly, the
            # query stays a plain filter (the OR of the general rule plans badly).
            open_cases.filter(agency=user.agency)
            .select_related("person", "worker")
            .order_by("state", "-opened_on")[:100]
        )
    elif access.is_district_chief(user):
        cases = list(
            open_cases.filter(pk__in=cases_visible_to(user).on_team_of(user).values("pk"))
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
    coming = Meeting.objects.filter(
        district=district, kind=MeetingKind.COMMUNITY_CARE, held_on__gte=today, status=MeetingStatus.PLANNED
    ).order_by("held_on")[:3]
    context: dict[str, Any] = {
        "district": district,
        "states": states,
        "open_count": sum(by_state.values()),
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
        "meetings": coming,
        "sees_reports": user.works_in_centre or district.chief_id == user.pk,
    }
    context.update(resources_district_panel(user, district))
    return render(request, "community/district_detail.html", context)
