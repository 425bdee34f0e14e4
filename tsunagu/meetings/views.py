"""Views of the meetings app: the list and the month calendar, a meeting's page with its
attendees, agenda, minutes and decisions, and the forms that change them.

Every meeting and item comes through tsunagu.meetings.access; every change through a
function of tsunagu.meetings.decisions. A refused change re-renders the meeting page
with the message next to the field (422), the other forms untouched.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Agency, AgencyKind, Role, Staff
from tsunagu.audit.models import Action as AuditAction
from tsunagu.audit.models import record
from tsunagu.cases.access import case_for
from tsunagu.cases.models import ACTIVE_STATES, Case, CaseState
from tsunagu.community.access import issue_for
from tsunagu.community.issue_views import issue_context
from tsunagu.community.models import RegionalIssue, RegionalIssueStatus
from tsunagu.lib.forms import posted
from tsunagu.lib.ondemand import render_form
from tsunagu.lib.paging import BoundedPaginator
from tsunagu.lib.versioning import StaleEditError, refuse_stale_form, stale_edit
from tsunagu.meetings import decisions
from tsunagu.meetings.access import SeenItem, SeenMeeting, item_for, meeting_for, meetings_visible_to
from tsunagu.meetings.calendar import month_heading, month_weeks, parse_month, shift_month
from tsunagu.meetings.decisions import MeetingError
from tsunagu.meetings.forms import (
    ActionForm,
    AttendanceForm,
    AttendeeForm,
    CandidatesForm,
    CaseItemForm,
    DecisionForm,
    EscalateForm,
    GapForm,
    IssueAgendaForm,
    IssueItemForm,
    MeetingEditForm,
    MeetingForm,
    MinutesForm,
    PanelAddForm,
    PersonItemForm,
    RoleForm,
    item_auto_id,
    staff_options,
)
from tsunagu.meetings.models import (
    CASE_PURPOSES,
    PURPOSES_BY_KIND,
    AgendaItem,
    Attendee,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Purpose,
    RoleAssignment,
)
from tsunagu.meetings.papers import paper_items, papers_for, record_reading
from tsunagu.people.models import CodepointOrder, Person, location_visible_condition, query_kind

KIND_CHOICES = MeetingKind.choices


def _refusal(form: Any, failure: MeetingError) -> None:
    """The message of a refused change next to its field (or above the form)."""
    form.add_error(failure.field if failure.field in form.fields else None, failure.message)


def _change_item(
    request: HttpRequest,
    user: Staff,
    seen: SeenItem,
    name: str,
    form: forms.Form,
    change: Callable[[], Any],
    done: Callable[[], str],
) -> HttpResponse:
    """The shape of every change to an agenda item: a valid form makes the change and goes
    back to the item with `done()`; bad input or a refused change shows the meeting page
    with the form and its messages by the fields (422)."""
    if form.is_valid():
        try:
            change()
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, done())
            return _back_to(seen.item)
    return _refused_page(request, user, seen.meeting, name, seen.item, form)


def _back_to(item: AgendaItem) -> HttpResponse:
    return redirect(f"{item.meeting.get_absolute_url()}#item-{item.code}")


# Lists ------------------------------------------------------------------------------------


@require_GET
@staff_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    today = timezone.localdate()
    past = request.GET.get("when") == "past"
    kind = request.GET.get("kind", "")
    meetings = meetings_visible_to(user).select_related("chair", "district").annotate(item_count=Count("items"))
    if kind in MeetingKind.values:
        meetings = meetings.filter(kind=kind)
    if past:
        meetings = meetings.filter(held_on__lt=today).order_by("-held_on", "-starts_at", "-id")
    else:
        meetings = meetings.filter(held_on__gte=today).order_by("held_on", "starts_at", "id")
    page = BoundedPaginator(meetings, settings.TSUNAGU["CASES_PER_PAGE"]).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/meeting_list.html",
        {"page": page, "past": past, "kind": kind, "kinds": KIND_CHOICES, "query": query.urlencode()},
    )


@require_GET
@staff_required
def meeting_calendar(request: HttpRequest) -> HttpResponse:
    """A month of meetings (?month=2026-12) with public holidays and the year-end closure."""
    user = current_staff(request)
    today = timezone.localdate()
    year, month = parse_month(request.GET.get("month"), today)
    meetings = list(meetings_visible_to(user).in_month(year, month).order_by("held_on", "starts_at", "id"))
    previous, following = shift_month(year, month, -1), shift_month(year, month, 1)
    return render(
        request,
        "meetings/calendar.html",
        {
            "year": year,
            "month": month,
            "weeks": month_weeks(year, month, meetings, today),
            "previous": f"{previous[0]:04d}-{previous[1]:02d}",
            "following": f"{following[0]:04d}-{following[1]:02d}",
            "this_month": f"{today.year:04d}-{today.month:02d}",
            "heading": month_heading(year, month),
            "kinds": KIND_CHOICES,
            "count": len(meetings),
        },
    )


# A meeting --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@centre_staff_required
def meeting_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MeetingKind.values:
        raise Http404(_("見つかりません。"))
    user = current_staff(request)
    agency = user.agency
    if agency is None:
        raise Http404(_("見つかりません。"))
    municipality = agency.municipality
    initial = _new_meeting_initial(user, kind, request)
    form = MeetingForm(posted(request), kind=kind, municipality=municipality, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            meeting = form.save(commit=False)
            meeting.municipality = municipality
            meeting.kind = kind
            items = decisions.create_meeting(meeting, user)
            messages.success(request, _("会議を登録しました。"))
            if items:
                messages.info(request, _("支援調整会議を待つケース%(n)s件を議題にしました。") % {"n": len(items)})
            return redirect(meeting)
        status = 422
    else:
        status = 200
    return render(
        request,
        "meetings/meeting_form.html",
        {"form": form, "kind": MeetingKind(kind), "meeting": None},
        status=status,
    )


def _new_meeting_initial(user: Staff, kind: str, request: HttpRequest) -> dict[str, Any]:
    initial: dict[str, Any] = {"title": MeetingKind(kind).label, "chair": user.pk}
    if request.GET.get("date"):
        initial["held_on"] = request.GET["date"]
    if kind == MeetingKind.INTEGRATION:
        # The 相談支援包括化推進員 runs the integration meeting where the centre has one.
        coordinator = (
            Staff.objects.filter(agency=user.agency, role=Role.COORDINATOR, is_active=True).order_by("username").first()
        )
        if coordinator is not None:
            initial["chair"] = coordinator.pk
    if kind == MeetingKind.COMMUNITY_CARE:
        initial["chair"] = None
    return initial


@require_http_methods(["GET", "POST"])
@centre_staff_required
def meeting_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    meeting = meeting_for(user, code, write=True).meeting
    before = Meeting.objects.get(pk=meeting.pk)
    form = MeetingEditForm(
        posted(request),
        instance=meeting,
        kind=meeting.kind,
        municipality=meeting.municipality,
        initial={"version": meeting.version},
    )
    stale = None
    if request.method == "POST":
        if form.is_valid():
            try:
                decisions.update_meeting(meeting, user, form.cleaned_data["version"], before)
            except StaleEditError as error:
                stale = error.current
                refuse_stale_form(
                    form,
                    stale,
                    stale_edit(_("会議")),
                )
            else:
                messages.success(request, _("会議を更新しました。"))
                return redirect(meeting)
        return render(
            request,
            "meetings/meeting_form.html",
            {"form": form, "kind": MeetingKind(meeting.kind), "meeting": meeting, "stale": stale},
            status=422,
        )
    return render(
        request, "meetings/meeting_form.html", {"form": form, "kind": MeetingKind(meeting.kind), "meeting": meeting}
    )


@require_GET
@staff_required
def meeting_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    return _render_meeting(request, user, meeting_for(user, code))


def _render_meeting(
    request: HttpRequest,
    user: Staff,
    seen: SeenMeeting,
    *,
    failed: tuple[str, int | None, Any] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The meeting page. `failed` is (form name, item id or None, bound form) of a
    refused change, shown in place of that form's empty one."""
    meeting, writable, decidable = seen.meeting, seen.writable, seen.decidable
    items = list(paper_items(meeting, user))
    papers = papers_for(user, meeting, items)
    record_reading(user, AuditAction.VIEW, meeting, papers, request.path)
    attendees = list(meeting.attendees.select_related("staff", "staff__agency", "agency"))
    context: dict[str, Any] = {
        "meeting": meeting,
        "writable": writable,
        "insider": seen.insider,
        "papers": papers,
        "attendees": attendees,
        "purposes": PURPOSES_BY_KIND[meeting.kind],
        "takes_cases": any(p in CASE_PURPOSES for p in PURPOSES_BY_KIND[meeting.kind]),
        "takes_issues": Purpose.REGIONAL_ISSUE in PURPOSES_BY_KIND[meeting.kind],
    }
    if writable or decidable:
        find = request.GET.get("find", "")[:50].strip()
        if find:  # audited by the kind of query, never its text
            record(user, AuditAction.SEARCH, meeting, object_type="meetings.agenda_search", detail=query_kind(find))
        context["find"] = find
        context.update(_forms(user, meeting, papers, failed, writable=writable, decidable=decidable, find=find))
    held = meeting.held_on <= timezone.localdate() and meeting.status != MeetingStatus.CANCELLED
    if writable and held and attendees:
        refused = failed is not None and failed[0] == "attendance"
        context["attendance_form"] = failed[2] if refused and failed else AttendanceForm(attendees=attendees)
    return render(request, "meetings/meeting_detail.html", context, status=status)


# At most this many cases or people in an "add to the agenda" list.
CHOICES = 50
# The states a 支援調整会議 decides on (plans, evaluations) or confirms after the fact.
COORDINATION_STATES = (CaseState.COORDINATION, CaseState.EVALUATION, CaseState.DECIDED, CaseState.IN_SUPPORT)


def _case_choices(user: Staff, meeting: Meeting, find: str) -> list[Case]:
    """The cases offered for the agenda: those the name search finds, or without a search
    the ones a 支援調整会議 decides on; never the whole caseload in one list."""
    cases = Case.objects.filter(
        agency__municipality_id=meeting.municipality_id,
        agency__kind=AgencyKind.CONSULTATION_CENTRE,
        state__in=ACTIVE_STATES,
    )
    if find:
        # A phone or e-mail finds only people whose contacts the user would see.
        cases = cases.filter(person__in=Person.objects.search(find, contacts=location_visible_condition(user, "pk")))
    elif meeting.kind == MeetingKind.COORDINATION:
        # The latest moved first (case_latest_moved serves it): sorting every case in
        # support by the person's reading read them all, 3,000 rows at 10,000 cases
        # and a hundred times that at a million (issue 12). Shown by reading below.
        latest = cases.filter(state__in=COORDINATION_STATES).order_by("-state_changed_at", "-id")[:CHOICES]
        return sorted(latest.select_related("person"), key=lambda c: (c.person.full_kana_key, c.pk))
    else:
        return []
    return list(cases.select_related("person").order_by(CodepointOrder("person__full_kana_key"), "id")[:CHOICES])


def _forms(
    user: Staff,
    meeting: Meeting,
    papers: list[Any],
    failed: tuple[str, int | None, Any] | None,
    *,
    writable: bool,
    decidable: bool,
    find: str = "",
) -> dict[str, Any]:
    """The forms of the page, their choices read once for all items."""

    def pick(name: str, item_id: int | None, make: Any) -> Any:
        if failed is not None and failed[0] == name and failed[1] == item_id:
            return failed[2]
        return make()

    # The forms that list the town's staff (attendee, role, action) and the other closed
    # ones of each item (gap, escalate) come on demand (lib.ondemand): the page holds one
    # only when it shows it again with its errors.
    kinds = PURPOSES_BY_KIND[meeting.kind]
    context: dict[str, Any] = {}
    open_meeting = meeting.status != MeetingStatus.CANCELLED
    if writable and open_meeting:
        context["adds_attendee"] = True
        context["attendee_form"] = pick("attendee", None, lambda: None)
        if any(p in CASE_PURPOSES for p in kinds):
            cases = _case_choices(user, meeting, find)
            context["case_item_form"] = pick("case_item", None, lambda: CaseItemForm(kind=meeting.kind, cases=cases))
        if meeting.is_support_meeting:
            # Only whom the search finds: the town's people do not belong in one list.
            people = (
                list(
                    Person.objects.in_municipality(meeting.municipality_id)
                    .search(find, contacts=location_visible_condition(user, "pk"))
                    .in_reading_order()[:CHOICES]
                )
                if find
                else []
            )
            context["person_item_form"] = pick("person_item", None, lambda: PersonItemForm(people=people))
        if Purpose.REGIONAL_ISSUE in kinds:
            issues = list(
                RegionalIssue.objects.filter(municipality_id=meeting.municipality_id)
                .exclude(status=RegionalIssueStatus.RESOLVED)
                .order_by("-raised_at", "-id")
            )
            context["issue_item_form"] = pick(
                "issue_item",
                None,
                lambda: IssueItemForm(
                    issues=issues,
                    districts=meeting.municipality.districts.all(),
                    initial={"district": meeting.district_id},
                ),
            )
        if meeting.kind == MeetingKind.CASE_REVIEW and meeting.status == MeetingStatus.PLANNED:
            candidates = decisions.case_review_candidates(user.agency)
            context["candidates"] = candidates
            context["candidates_form"] = pick("candidates", None, lambda: CandidatesForm(candidates=candidates))
    # Whether an item may be put to a coming 包括化推進会議 (the form, on demand, lists them).
    integration = (
        writable
        and open_meeting
        and meeting.kind != MeetingKind.INTEGRATION
        and _integration_meetings(meeting.municipality_id).exists()
    )
    for paper in papers:
        item = paper.item
        forms: dict[str, Any] = {}
        adds: set[str] = set()
        if open_meeting and paper.shows_details:
            if writable:
                forms["minutes"] = pick(
                    "minutes",
                    item.pk,
                    lambda item=item: MinutesForm(
                        initial={"minutes": item.minutes, "version": item.version},
                        auto_id=item_auto_id(item, "minutes"),
                    ),
                )
                adds.add("action")
                forms["action"] = pick("action", item.pk, lambda: None)
                adds.add("gap")
                forms["gap"] = pick("gap", item.pk, lambda: None)
                if item.case_id and not item.is_decided and item.purpose == Purpose.PLAN_APPROVAL:
                    adds.add("role")
                    forms["role"] = pick("role", item.pk, lambda: None)
                has_escalation = getattr(item, "escalated_to", None) is not None
                if integration and not has_escalation and not (meeting.is_support_meeting and not item.case_id):
                    adds.add("escalate")
                    forms["escalate"] = pick("escalate", item.pk, lambda: None)
            if decidable and not item.is_decided:
                forms["decision"] = pick(
                    "decision",
                    item.pk,
                    lambda item=item: DecisionForm(item=item, auto_id=item_auto_id(item, "decision")),
                )
        paper.forms = forms
        paper.adds = adds
    return context


def _refused_page(
    request: HttpRequest, user: Staff, seen: SeenMeeting, name: str, item: AgendaItem | None, form: Any
) -> HttpResponse:
    messages.error(request, _("入力内容を確認してください。"))
    return _render_meeting(request, user, seen, failed=(name, item.pk if item else None, form), status=422)


# Attendees and agenda ---------------------------------------------------------------------


def _attendee_form(meeting: Meeting, data: Any = None) -> AttendeeForm:
    agencies = Agency.objects.filter(municipality_id=meeting.municipality_id).order_by("kind", "name")
    return AttendeeForm(data, staff=staff_options(meeting.municipality_id), agencies=agencies)


def _integration_meetings(municipality_id: int) -> QuerySet[Meeting]:
    """The municipality's coming 包括化推進会議, soonest first: where an item may be put."""
    return (
        Meeting.objects.filter(municipality_id=municipality_id, kind=MeetingKind.INTEGRATION)
        .upcoming()
        .order_by("held_on", "id")
    )


def _add_form_page(request: HttpRequest, meeting: Meeting, which: str, form: Any, item: Any = None) -> HttpResponse:
    """The form of an addition on its own page, or alone when the meeting page opens it in
    place (lib.ondemand). It names the meeting and the kind of item, never a person."""
    titles = {
        "attendee": _("出席者を追加"),
        "role": _("役割分担を追加"),
        "action": _("決まったことを追加"),
        "gap": _("不足している資源を記録"),
        "escalate": _("相談支援包括化推進会議に付議"),
    }
    context = {"meeting": meeting, "item": item, "which": which, "form": form, "title": titles[which]}
    return render_form(request, "meetings/add_form.html", which, context)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def attendee_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = meeting_for(user, code, write=True)
    meeting = seen.meeting
    if request.method == "GET":
        return _add_form_page(request, meeting, "attendee", _attendee_form(meeting))
    form = _attendee_form(meeting, request.POST)
    if form.is_valid():
        try:
            attendee = decisions.add_attendee(meeting, user, **form.cleaned_data)
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, _("%(name)sさんを出席者に加えました。") % {"name": attendee})
            return redirect(f"{meeting.get_absolute_url()}#attendees")
    return _refused_page(request, user, seen, "attendee", None, form)


@require_POST
@centre_staff_required
def attendance(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Record who attended (after the meeting, with the minutes)."""
    user = current_staff(request)
    seen = meeting_for(user, code, write=True)
    meeting = seen.meeting
    form = AttendanceForm(request.POST, attendees=meeting.attendees.select_related("staff", "agency"))
    if form.is_valid():
        try:
            decisions.record_attendance(meeting, user, form.cleaned_data["present"])
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, _("出欠を記録しました。"))
            return redirect(f"{meeting.get_absolute_url()}#attendees")
    return _refused_page(request, user, seen, "attendance", None, form)


@require_POST
@centre_staff_required
def attendee_remove(request: HttpRequest, code: uuid.UUID, attendee_id: int) -> HttpResponse:
    user = current_staff(request)
    meeting = meeting_for(user, code, write=True).meeting
    attendee = Attendee.objects.filter(meeting=meeting, pk=attendee_id).select_related("meeting", "staff").first()
    if attendee is not None:
        decisions.remove_attendee(attendee, user)
        messages.success(request, _("%(name)sさんを出席者から外しました。") % {"name": attendee})
    return redirect(f"{meeting.get_absolute_url()}#attendees")


@require_POST
@centre_staff_required
def item_add_case(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = meeting_for(user, code, write=True)
    meeting = seen.meeting
    cases = Case.objects.filter(
        agency__municipality_id=meeting.municipality_id, agency__kind=AgencyKind.CONSULTATION_CENTRE
    ).select_related("person", "agency")
    chosen = _code_or_none(request.POST.get("case"))
    form = CaseItemForm(request.POST, kind=meeting.kind, cases=cases.filter(code=chosen) if chosen else [])
    if form.is_valid():
        try:
            item = decisions.add_case_item(meeting, user, form.cleaned_data["case"], form.cleaned_data["purpose"])
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, _("議題に追加しました。"))
            return _back_to(item)
    return _refused_page(request, user, seen, "case_item", None, form)


def _code_or_none(value: str | None) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


@require_POST
@centre_staff_required
def item_add_person(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = meeting_for(user, code, write=True)
    meeting = seen.meeting
    chosen = _code_or_none(request.POST.get("person"))
    people = Person.objects.in_municipality(meeting.municipality_id).filter(code=chosen) if chosen else []
    form = PersonItemForm(request.POST, people=people)
    if form.is_valid():
        try:
            item = decisions.add_person_item(meeting, user, form.cleaned_data["person"], form.cleaned_data["title"])
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, _("議題に追加しました。"))
            return _back_to(item)
    return _refused_page(request, user, seen, "person_item", None, form)


@require_POST
@centre_staff_required
def item_add_issue(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = meeting_for(user, code, write=True)
    meeting = seen.meeting
    chosen = _code_or_none(request.POST.get("issue"))
    issues = RegionalIssue.objects.filter(municipality_id=meeting.municipality_id, code=chosen) if chosen else []
    form = IssueItemForm(request.POST, issues=issues, districts=meeting.municipality.districts.all())
    if form.is_valid():
        try:
            item = decisions.add_issue_item(meeting, user, **form.cleaned_data)
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, _("地域課題を議題に追加しました。"))
            return _back_to(item)
    return _refused_page(request, user, seen, "issue_item", None, form)


@require_POST
@centre_staff_required
def prepare_agenda(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The 支援調整会議's button: every case waiting for one onto the agenda."""
    user = current_staff(request)
    meeting = meeting_for(user, code, write=True).meeting
    try:
        items = decisions.prepare_coordination_agenda(meeting, user)
    except MeetingError as failure:
        messages.error(request, failure.message)
    else:
        if items:
            messages.success(request, _("支援調整会議を待つケース%(n)s件を議題にしました。") % {"n": len(items)})
        else:
            messages.info(request, _("議題にしていない、支援調整会議を待つケースはありません。"))
    return redirect(meeting)


@require_POST
@centre_staff_required
def add_candidates(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """ケース検討会: the chosen candidates onto the agenda in one click."""
    user = current_staff(request)
    seen = meeting_for(user, code, write=True)
    meeting = seen.meeting
    form = CandidatesForm(request.POST, candidates=decisions.case_review_candidates(user.agency))
    if form.is_valid():
        if not form.cleaned_data["cases"]:
            form.add_error("cases", _("ケースを選んでください。"))
        else:
            try:
                items = decisions.add_case_review_items(meeting, user, form.chosen())
            except MeetingError as failure:
                _refusal(form, failure)
            else:
                messages.success(request, _("%(n)s件のケースを議題にしました。") % {"n": len(items)})
                return redirect(meeting)
    return _refused_page(request, user, seen, "candidates", None, form)


# Per item ---------------------------------------------------------------------------------


@require_POST
@centre_staff_required
def item_minutes(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = item_for(user, code, write=True)
    item = seen.item
    form = MinutesForm(request.POST, auto_id=item_auto_id(item, "minutes"))
    if form.is_valid():
        try:
            decisions.save_minutes(item, user, form.cleaned_data["minutes"], form.cleaned_data["version"])
        except StaleEditError as error:
            refuse_stale_form(
                form,
                error.current,
                stale_edit(_("議事の記録")) + _("保存された記録: %(text)s") % {"text": error.current.minutes[:300]},
            )
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(request, _("議事の記録を保存しました。"))
            return _back_to(item)
    return _refused_page(request, user, seen.meeting, "minutes", item, form)


@require_POST
@staff_required
def item_decide(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = item_for(user, code, decide=True)
    item = seen.item
    form = DecisionForm(request.POST, item=item, auto_id=item_auto_id(item, "decision"))
    return _change_item(
        request,
        user,
        seen,
        "decision",
        form,
        lambda: decisions.decide(item, user, **form.details()),
        lambda: _("決定を記録しました（%(d)s）。") % {"d": item.get_decision_display()},
    )


@require_http_methods(["GET", "POST"])
@centre_staff_required
def item_role_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = item_for(user, code, write=True)
    item = seen.item
    form = RoleForm(
        posted(request), staff=staff_options(item.meeting.municipality_id), auto_id=item_auto_id(item, "role")
    )
    if request.method == "GET":
        return _add_form_page(request, item.meeting, "role", form, item)
    return _change_item(
        request,
        user,
        seen,
        "role",
        form,
        lambda: decisions.add_role(item, user, **form.cleaned_data),
        lambda: _("役割分担を記録しました。"),
    )


@require_POST
@centre_staff_required
def item_role_remove(request: HttpRequest, code: uuid.UUID, role_id: int) -> HttpResponse:
    user = current_staff(request)
    item = item_for(user, code, write=True).item
    role = RoleAssignment.objects.filter(item=item, pk=role_id).select_related("staff", "item").first()
    if role is not None:
        try:
            decisions.remove_role(role, user)
        except MeetingError as failure:
            messages.error(request, failure.message)
        else:
            messages.success(request, _("役割分担を取り消しました。"))
    return _back_to(item)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def item_action_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = item_for(user, code, write=True)
    item = seen.item
    form = ActionForm(
        posted(request), staff=staff_options(item.meeting.municipality_id), auto_id=item_auto_id(item, "action")
    )
    if request.method == "GET":
        return _add_form_page(request, item.meeting, "action", form, item)
    return _change_item(
        request,
        user,
        seen,
        "action",
        form,
        lambda: decisions.add_action(item, user, **form.cleaned_data),
        lambda: _("決まったことを記録しました。"),
    )


@require_http_methods(["GET", "POST"])
@centre_staff_required
def item_gap_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = item_for(user, code, write=True)
    item = seen.item
    districts = item.meeting.municipality.districts.all()
    form = GapForm(posted(request), districts=districts, auto_id=item_auto_id(item, "gap"))
    if request.method == "GET":
        return _add_form_page(request, item.meeting, "gap", form, item)
    return _change_item(
        request,
        user,
        seen,
        "gap",
        form,
        lambda: decisions.note_gap(item, user, **form.cleaned_data),
        lambda: _("不足している社会資源を記録しました。"),
    )


@require_http_methods(["GET", "POST"])
@centre_staff_required
def item_escalate(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = item_for(user, code, write=True)
    item = seen.item
    meetings = _integration_meetings(item.meeting.municipality_id)
    form = EscalateForm(posted(request), meetings=meetings, auto_id=item_auto_id(item, "escalate"))
    if request.method == "GET":
        return _add_form_page(request, item.meeting, "escalate", form, item)
    if form.is_valid():
        chosen = form.cleaned_data["to_meeting"]
        target = (
            Meeting.objects.filter(code=chosen, municipality_id=item.meeting.municipality_id).first()
            if chosen
            else None
        )
        try:
            escalated = decisions.escalate(item, user, target, form.cleaned_data["title"])
        except MeetingError as failure:
            _refusal(form, failure)
        else:
            messages.success(
                request, _("%(meeting)sに付議しました。") % {"meeting": decisions.meeting_label(escalated.meeting)}
            )
            return _back_to(item)
    return _refused_page(request, user, seen.meeting, "escalate", item, form)


# The case page ----------------------------------------------------------------------------


@require_POST
@centre_staff_required
def add_from_case(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The case panel's form: this case onto an upcoming meeting."""
    from tsunagu.cases.views import _detail_context  # the case page, re-rendered on a refusal
    from tsunagu.meetings.panels import meeting_targets

    user = current_staff(request)
    seen = case_for(user, code, write=True)
    case = seen.case
    form = PanelAddForm(request.POST, meetings=meeting_targets(user, case))
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        if meeting is None:
            form.add_error("meeting", _("会議を選んでください。"))
        else:
            try:
                item = decisions.add_case_item(meeting, user, case)
            except MeetingError as failure:
                form.add_error("meeting", failure.message)
            else:
                messages.success(
                    request,
                    _("%(meeting)sの議題にしました（%(purpose)s）。")
                    % {"meeting": decisions.meeting_label(meeting), "purpose": item.get_purpose_display()},
                )
                return redirect(case)
    return render(request, "cases/case_detail.html", _detail_context(user, seen, meeting_add_form=form), status=422)


@require_POST
@staff_required
def issue_agenda(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """A regional issue's page's form (meetings.panels.issue_panel): the issue onto a
    coming meeting's agenda; refused, the issue's page is shown again with the errors."""
    user = current_staff(request)
    issue = issue_for(user, code, write=True)
    form = IssueAgendaForm(request.POST, meetings=decisions.agenda_meetings(user, issue))
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            decisions.place_on_agenda(issue, user, meeting)
        except MeetingError as failure:
            form.add_error(failure.field, failure.message)
        else:
            messages.success(request, _("「%(meeting)s」の議題にのせました。") % {"meeting": meeting.title})
            return redirect(issue)
    context = issue_context(user, issue, agenda_form=form)
    return render(request, "community/issue_detail.html", context, status=422)
