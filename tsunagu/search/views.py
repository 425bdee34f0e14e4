from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods

from tsunagu.accounts.decorators import centre_staff_required, current_staff
from tsunagu.audit.models import Action, record, record_for_people
from tsunagu.cases.models import Case
from tsunagu.community.models import SupporterReport
from tsunagu.lib.fulltext import snippet
from tsunagu.meetings.models import Meeting
from tsunagu.people.models import Person
from tsunagu.search.forms import SearchForm
from tsunagu.search.models import Kind, SearchDocument
from tsunagu.search.query import Found, find

SHEET_URLS: dict[str, str] = {
    Kind.INTAKE: "sheets:intake",
    Kind.ASSESSMENT: "sheets:assessment",
    Kind.PLAN: "sheets:plan",
    Kind.EVALUATION: "sheets:evaluation",
}


@dataclass
class Hit:
    document: SearchDocument
    url: str
    snippet: SafeString


@dataclass
class Group:
    """The hits of one case (or, for records of no case, of one meeting or report)."""

    case: Case | None = None
    meeting: Meeting | None = None
    report: SupporterReport | None = None
    person: Person | None = None
    hits: list[Hit] = field(default_factory=list)


def _url(document: SearchDocument, case: Case | None, meeting: Meeting | None) -> str:
    if document.kind == Kind.NOTE and case is not None:
        return f"{case.get_absolute_url()}#note-{document.object_code}"
    if document.kind in SHEET_URLS and case is not None:
        return reverse(SHEET_URLS[document.kind], kwargs={"code": case.code})
    if document.kind == Kind.REFERRAL:
        return reverse("referrals:detail", kwargs={"code": document.object_code})
    if document.kind == Kind.REPORT:
        return reverse("community:report_detail", kwargs={"code": document.object_code})
    if meeting is not None:
        return meeting.get_absolute_url()
    return ""


def _groups(found: Found, terms: list[str]) -> list[Group]:
    """Hits grouped by case, the groups in the order of their newest hit (one query per
    kind of record shown: cases with their people, people of no case, meetings, reports)."""
    documents = found.documents
    cases = Case.objects.select_related("person").in_bulk({d.case_id for d in documents if d.case_id})
    person_ids = {d.person_id for d in documents if d.person_id and not d.case_id}
    people = Person.objects.in_bulk(person_ids) if person_ids else {}
    meeting_ids = {d.meeting_id for d in documents if d.meeting_id}
    meetings = Meeting.objects.in_bulk(meeting_ids) if meeting_ids else {}
    report_ids = {d.report_id for d in documents if d.report_id and not d.case_id}
    reports = SupporterReport.objects.select_related("district").in_bulk(report_ids) if report_ids else {}
    groups: dict[tuple[str, int], Group] = {}
    for document in documents:
        case = cases.get(document.case_id) if document.case_id else None
        meeting = meetings.get(document.meeting_id) if document.meeting_id else None
        if case is not None:
            key, group = ("case", case.pk), Group(case=case, person=case.person)
        elif document.meeting_id:
            key, group = ("meeting", document.meeting_id), Group(meeting=meeting)
        else:
            key, group = ("report", document.report_id or 0), Group(report=reports.get(document.report_id or 0))
        if group.person is None and document.person_id:
            group.person = people.get(document.person_id)
        group = groups.setdefault(key, group)
        group.hits.append(Hit(document, _url(document, case, meeting), snippet(document.text, terms)))
    return list(groups.values())


def _audit(request: HttpRequest, query_length: int, groups: list[Group]) -> None:
    """The search by its length (never its text), and a read of each person whose
    records the results show, like any other page that shows case content."""
    user = current_staff(request)
    record(
        user, Action.SEARCH, object_type="search.searchdocument", detail=f"fulltext:{query_length}", path=request.path
    )
    codes = [group.person.code for group in groups if group.person is not None]
    if codes:
        record_for_people(
            user, Action.VIEW, None, list(dict.fromkeys(codes)), object_type="search.results", path=request.path
        )


@require_http_methods(["GET"])
@centre_staff_required
def search(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    context: dict[str, Any] = {"query": "", "groups": [], "found": None}
    if "q" not in request.GET:
        context["form"] = SearchForm()
        return render(request, "search/search.html", context)
    form = SearchForm(request.GET)
    context["form"] = form
    if not form.is_valid():
        return render(request, "search/search.html", context, status=422)
    terms = form.terms
    found = find(user, terms)
    groups = _groups(found, terms)
    _audit(request, len(form.cleaned_data["q"]), groups)
    context.update(query=form.cleaned_data["q"], groups=groups, found=found)
    return render(request, "search/search.html", context)
