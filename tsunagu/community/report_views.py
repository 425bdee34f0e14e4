"""Supporters' reports (by account or personal link), the inbox and triage.

Every object comes through tsunagu.community.access; a supporter (account or link)
reaches only the report form and the status of their own reports.
"""

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Agency, AgencyKind, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import cases_visible_to
from tsunagu.community import access
from tsunagu.community.forms import (
    CloseForm,
    InboxFilterForm,
    LinkForm,
    OpenCaseForm,
    OutreachForm,
    ReportForm,
    SuggestForm,
    VersionForm,
    VisitForm,
)
from tsunagu.community.models import (
    ReportStatus,
    Supporter,
    SupporterLink,
    SupporterReport,
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
from tsunagu.community.views import REPORTS_PER_PAGE, URGENT_FIRST, forbidden
from tsunagu.lib.forms import posted
from tsunagu.lib.paging import BoundedPaginator
from tsunagu.lib.versioning import StaleEditError, refuse_stale_form, stale_edit
from tsunagu.people.access import possible_duplicates
from tsunagu.people.models import location_annotations, query_kind

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
            return None, None, forbidden(request, "community.report")
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
        return refused or forbidden(request, "community.report")
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
        return refused or forbidden(request, "community.report")
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
        return forbidden(request, "community.inbox")
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
    page = BoundedPaginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
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
