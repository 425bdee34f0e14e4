import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import FULL, SeenCase, access_level, case_for, cases_visible_to, may_write, note_for, task_for
from tsunagu.cases.forms import (
    CASE_FIELDS,
    NOTE_FIELDS,
    CaseEditForm,
    CaseFilterForm,
    CaseForm,
    MoveForm,
    ProgressNoteEditForm,
    ProgressNoteForm,
    TaskForm,
    TeamDecisionForm,
    TeamMemberForm,
)
from tsunagu.cases.models import (
    ACTIVE_STATES,
    QUIET_STATES,
    Case,
    CaseConcern,
    CaseState,
    ProgressNote,
    ProgressNoteRevision,
    Task,
    TaskKind,
    TeamRequest,
    TeamRequestKind,
    TimelineEntry,
    TimelineKind,
    concerns_changed,
)
from tsunagu.cases.panels import CASE_PANELS, MY_DAY_PANELS, consent_scope, mask_locations
from tsunagu.cases.team import (
    PENDING_MESSAGE,
    TeamError,
    decide,
    join_team,
    needs_decision,
    request_for,
    request_join,
    requests_to_decide,
)
from tsunagu.cases.transitions import TransitionError, available_moves, find_move, move, next_steps
from tsunagu.lib.forms import posted
from tsunagu.lib.ondemand import render_form
from tsunagu.lib.paging import BoundedPaginator
from tsunagu.lib.redirects import safe_next
from tsunagu.lib.versioning import StaleEditError, changed_fields, refuse_stale_form, save_if_current, stale_edit
from tsunagu.people.access import emergency_reads_to_acknowledge, person_for
from tsunagu.people.models import WhereaboutsConfidentiality, confidentiality_in_force, location_annotations
from tsunagu.people.sharing import withhold_from_team


def _with_location(cases: Any, user: Staff) -> Any:
    confidential, visible = location_annotations(user, "person_id")
    return cases.annotate(person_confidential=confidential, person_location_visible=visible)


@require_http_methods(["GET"])
@staff_required
def case_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = CaseFilterForm(request.GET or None, user=user)
    cases = cases_visible_to(user)
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("state"):
        cases = cases.filter(state=data["state"])
    elif not data.get("include_closed"):
        cases = cases.filter(state__in=ACTIVE_STATES)
    if data.get("worker"):
        cases = cases.filter(worker=data["worker"])
    if data.get("mine"):
        cases = cases.held_by(user)  # the same cases /my/ counts
    if data.get("district"):
        # A district locates a person: confidential people appear only to those who may see where they are.
        cases = _with_location(cases, user).filter(person__district=data["district"], person_location_visible=True)
    if data.get("concern"):
        cases = cases.filter(Exists(CaseConcern.objects.filter(case=OuterRef("pk"), concern=data["concern"])))
    # Page over ids first, then fetch the list columns for that page only: sorting rows
    # that carry the per-row subqueries would compute them for every matching case.
    ids = cases.order_by("-opened_on", "-id").values_list("pk", flat=True)
    page = BoundedPaginator(ids, settings.TSUNAGU["CASES_PER_PAGE"]).get_page(request.GET.get("page"))
    rows = _with_location(Case.objects.with_list_columns(), user).in_bulk(list(page.object_list))
    listed = [rows[pk] for pk in page.object_list]
    page.object_list = listed
    _withhold_from_team(user, listed)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    if request.headers.get("HX-Request"):
        return render(request, "cases/case_list.html#results", context)
    return render(request, "cases/case_list.html", context)


def _withhold_from_team(user: Staff, cases: list[Case]) -> None:
    """On a list, a partner sees a person's name only as far as their consents go."""
    withhold_from_team(user, [(case.person, case) for case in cases if access_level(user, case) != FULL])


@require_http_methods(["GET"])
@staff_required
def my_day(request: HttpRequest) -> HttpResponse:
    """The worker's day: open cases by state, tasks due and overdue, cases gone quiet."""
    user = current_staff(request)
    today = timezone.localdate()
    # Counted over all the user's cases and kept to the open states here: a state filter
    # in the query made PostgreSQL read the state index of the whole town beside the ids.
    mine = cases_visible_to(user).held_by(user).values("state").annotate(n=Count("id")).order_by()
    by_state = {row["state"]: row["n"] for row in mine if row["state"] in ACTIVE_STATES}
    states = [(CaseState(s), by_state[s]) for s in CaseState.values if s in by_state]
    _confidential, visible = location_annotations(user, "case__person_id")
    tasks = list(
        Task.objects.open()
        .filter(assignee=user, due_on__lte=today + dt.timedelta(days=7))
        .select_related("case", "case__person", "case__agency")
        .annotate(person_location_visible=visible)
        .order_by("due_on", "id")[:50]
    )
    _withhold_from_team(user, [task.case for task in tasks])
    # What a title may not tell of a person the user may not locate (cases.panels).
    mask_locations(user, [(task.case.person_id, task, "title") for task in tasks if not task.person_location_visible])
    quiet_since = timezone.now() - dt.timedelta(days=settings.TSUNAGU["STALE_NOTE_DAYS"])
    # The worker's own cases by their last note (case_worker_quiet): the quietest first,
    # read up to the page whatever the caseload.
    quiet = list(
        cases_visible_to(user)
        .filter(worker=user, state__in=QUIET_STATES, created_at__lt=quiet_since)
        .filter(Q(last_note_at__lt=quiet_since) | Q(last_note_at__isnull=True))
        .with_list_columns()
        .order_by("last_note_at", "id")[:50]
    )
    context: dict[str, Any] = {
        "today": today,
        "states": states,
        "open_count": sum(by_state.values()),
        "overdue": [t for t in tasks if t.due_on < today],
        "due": [t for t in tasks if t.due_on >= today],
        "quiet": quiet,
        "stale_days": settings.TSUNAGU["STALE_NOTE_DAYS"],
    }
    if user.works_in_centre:
        context.update(_confidentiality_reminders(user, today))
        context["team_requests"] = [(r, TeamDecisionForm(prefix=str(r.code))) for r in requests_to_decide(user)]
        context["emergency_reads"] = emergency_reads_to_acknowledge(user)
    for panel in MY_DAY_PANELS:  # each app's own (community, meetings: cases.panels)
        context.update(panel(user))
    return render(request, "cases/my_day.html", context)


def _confidentiality_reminders(user: Staff, today: dt.date) -> dict[str, Any]:
    """Orders waiting for a second staff member, and orders to renew within a month."""
    orders = WhereaboutsConfidentiality.objects.filter(person__municipality_id=user.municipality_id).select_related(
        "person"
    )
    if not user.is_chief:
        orders = orders.filter(Exists(Case.objects.filter(person=OuterRef("person")).on_team_of(user)))
    remind = settings.TSUNAGU["CONFIDENTIALITY_REMIND_DAYS"]
    return {
        "to_confirm": list(
            orders.filter(Q(confirmed_at__isnull=True) | Q(lift_requested_at__isnull=False, lifted_at__isnull=True))
            .filter(lifted_at__isnull=True)
            .exclude(requested_by=user, confirmed_at__isnull=True)
            .exclude(lift_requested_by=user)[:20]
        ),
        "to_renew": list(
            orders.filter(confidentiality_in_force(today), ends_on__lte=today + dt.timedelta(days=remind)).order_by(
                "ends_on"
            )[:20]
        ),
    }


@require_http_methods(["GET", "POST"])
@centre_staff_required
def case_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    person = person_for(user, _uuid_or_zero(request.GET.get("person") or request.POST.get("person"))).person
    agency = user.agency
    if agency is None:
        raise Http404
    form = CaseForm(posted(request), agency=agency, initial={"worker": user.pk})
    if request.method == "POST" and form.is_valid():
        case = form.save(commit=False)
        case.person = person
        case.agency = agency
        case.state = CaseState.INTAKE
        # Her worker sees where she is: under an order that is decided, not taken.
        chosen = case.worker if needs_decision(person, user) else None
        if chosen is not None:
            case.worker = None
        with transaction.atomic():
            case.save()
            _save_concerns(case, form.cleaned_data["concerns"], form.cleaned_data["primary_concern"])
            TimelineEntry.objects.create(
                case=case,
                kind=TimelineKind.OPENED,
                actor=user,
                to_state=case.state,
                detail=case.get_intake_route_display(),
            )
            record(user, Action.CREATE, case, changes={f: str(getattr(case, f)) for f in CASE_FIELDS})
            if chosen is not None:
                request_join(case, chosen, user, TeamRequestKind.WORKER)
        messages.success(request, _("ケースを作成しました。"))
        if chosen is not None:
            messages.info(request, PENDING_MESSAGE)
        return redirect(case)
    return render(request, "cases/case_form.html", {"form": form, "person": person})


def _uuid_or_zero(value: str | None) -> uuid.UUID:
    """A code from a query string; a malformed one finds nothing (404), never a 500."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return uuid.UUID(int=0)


def _save_concerns(case: Case, concerns: list[str], primary: str) -> None:
    CaseConcern.objects.filter(case=case).delete()
    CaseConcern.objects.bulk_create(
        [CaseConcern(case=case, concern=c, is_primary=(c == primary)) for c in dict.fromkeys(concerns)]
    )
    concerns_changed.send(sender=CaseConcern, case=case)


@require_http_methods(["GET"])
@staff_required
def case_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = case_for(user, code)
    record(user, Action.VIEW, seen.case, path=request.path)
    context = _detail_context(user, seen)
    context["consent_scope"].log_view(user, seen.case)  # what a partner was shown, as a disclosure
    return render(request, "cases/case_detail.html", context)


def _detail_context(user: Staff, seen: SeenCase, **extra: Any) -> dict[str, Any]:
    case, full = seen.case, seen.full
    person = case.person  # with her whereabouts as this user sees them (case_for)
    # A partner sees what the person's consents in force cover for their agency.
    scope = consent_scope(user, seen)  # cases.panels: registered by consents
    person.basic_withheld = not scope.basic  # type: ignore[attr-defined]
    # An aggregate drops Meta.ordering (GROUP BY), so the order is stated here.
    notes = (
        case.notes.select_related("author").annotate(revision_count=Count("revisions")).order_by("-occurred_at", "-id")
    )
    tasks = case.tasks.select_related("assignee")
    timeline = case.timeline.select_related("actor")
    if not full:
        notes = notes.filter(shared_with_team=True)
        tasks = tasks.filter(assignee=user)
        timeline = timeline.filter(shared=True)
    if not scope.progress:  # the shared notes and the timeline are 支援経過
        notes, timeline = notes.none(), timeline.none()
    if not scope.covers("programmes"):  # what the programmes gave or paid (programmes app)
        timeline = timeline.exclude(kind=TimelineKind.PROGRAMME)
    if not seen.location_visible:  # her workplace is her whereabouts: 事業所 and employers
        timeline = timeline.exclude(kind=TimelineKind.EMPLOYMENT)
        tasks = tasks.exclude(kind=TaskKind.RETENTION)
    scope.show("basic", "progress")
    writable = may_write(user, case)
    moves = available_moves(case, user)
    all_tasks = list(tasks.order_by("done_at", "due_on")[:100])
    timeline_rows = list(timeline[:100])
    # Texts may name where she was sent or works (cases.panels.mask_locations): only to be
    # looked for where her whereabouts are withheld from the reader.
    if not seen.location_visible:
        mask_locations(
            user,
            [(case.person_id, t, "title") for t in all_tasks] + [(case.person_id, e, "detail") for e in timeline_rows],
        )
    context = {
        "case": case,
        "person": person,
        "full": full,
        "writable": writable,
        "concerns": scope.concerns(case.concerns.all()),
        "consent_scope": scope,
        "team": case.team.select_related("staff", "staff__agency"),
        "notes": notes[:100],
        "tasks": [task for task in all_tasks if not task.done_at],
        "done_tasks": [task for task in all_tasks if task.done_at],
        "timeline": timeline_rows,
        "moves": [(m, MoveForm(case=case, initial={"to": m.target, "expected_state": case.state})) for m in moves],
        "note_form": ProgressNoteForm() if writable else None,
        "adds_task": writable,  # the form itself on demand (its list of every worker of the centre)
    }
    # Each app above cases adds its own panel (cases.panels, filled in their AppConfig.ready()).
    for panel in CASE_PANELS:
        context.update(panel(user, seen))
    context.update(extra)
    return context


@require_POST
@staff_required
def case_move(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    seen = case_for(user, code)
    case = seen.case
    form = MoveForm(request.POST, case=case)
    error = _("入力を確認してください。")
    links: list[tuple[str, str]] = []
    if form.is_valid():
        target = form.cleaned_data["to"]
        found = find_move(case.state, target) if case.state != CaseState.SUSPENDED else None
        asks = found.asks if found else ("reason",)
        try:
            move(
                case,
                target,
                user,
                expected_state=form.cleaned_data["expected_state"],
                override_reason=form.cleaned_data["override_reason"],
                **form.details(asks),
            )
        except TransitionError as failure:
            error = failure.message
            links = failure.links
            form.add_error(failure.field, failure.message)  # by its field, or in the summary
        else:
            messages.success(request, _("「%(state)s」に移しました。") % {"state": case.get_state_display()})
            return redirect(_after_move(request, user, case))
    messages.error(request, error)
    context = _detail_context(user, seen, move_error_form=form, move_error_links=links)
    context["consent_scope"].log_view(user, case)
    return render(request, "cases/case_detail.html", context, status=422)


def _after_move(request: HttpRequest, user: Staff, case: Case) -> str:
    """Where the worker goes after a move: to the sheet the next step needs, when they
    write it (what is next, one click less), or back to the case page."""
    if may_write(user, case):
        for step, missing in next_steps(case, user):
            if missing:
                need = missing[0]
                messages.info(
                    request,
                    _("「%(label)s」の前に、%(sheet)sに「%(what)s」を記録します。")
                    % {"label": step.label, "sheet": need.label, "what": need.what},
                )
                return need.url(case)
    return case.get_absolute_url()


@require_http_methods(["GET", "POST"])
@centre_staff_required
def case_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = case_for(user, code, write=True).case
    before = Case.objects.get(pk=case.pk)
    concerns = list(case.concerns.all())
    initial: dict[str, Any] = {
        "version": case.version,
        "concerns": [c.concern for c in concerns],
        "primary_concern": next((c.concern for c in concerns if c.is_primary), ""),
    }
    form = CaseEditForm(posted(request), instance=case, agency=case.agency, initial=initial)
    stale = None
    if request.method == "POST" and form.is_valid():
        chosen = None
        if case.worker_id not in (None, before.worker_id) and needs_decision(case.person, user):
            chosen, case.worker = case.worker, before.worker  # the new worker waits for a decision
        try:
            with transaction.atomic():
                save_if_current(case, form.cleaned_data["version"], CASE_FIELDS)
                if chosen is not None:
                    request_join(case, chosen, user, TeamRequestKind.WORKER)
                _save_concerns(case, form.cleaned_data["concerns"], form.cleaned_data["primary_concern"])
                changes: dict[str, Any] = changed_fields(before, case, CASE_FIELDS)
                if sorted(initial["concerns"]) != sorted(form.cleaned_data["concerns"]):
                    changes["concerns"] = [initial["concerns"], form.cleaned_data["concerns"]]
                TimelineEntry.objects.create(
                    case=case, kind=TimelineKind.DETAILS, actor=user, detail=", ".join(sorted(changes))
                )
                record(user, Action.CHANGE, case, changes=changes)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(
                form,
                stale,
                stale_edit(_("ケース")),
            )
        else:
            messages.success(request, _("保存しました。"))
            if chosen is not None:
                messages.info(request, PENDING_MESSAGE)
            return redirect(case)
    record(user, Action.VIEW, case, path=request.path)  # the form shows the case and the person
    return render(request, "cases/case_form.html", {"form": form, "person": case.person, "case": case, "stale": stale})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def note_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = case_for(user, code, write=True).case
    form = ProgressNoteForm(posted(request))
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.case = case
        note.author = user
        with transaction.atomic():
            note.save()
            TimelineEntry.objects.create(
                case=case,
                at=note.occurred_at,
                kind=TimelineKind.NOTE,
                actor=user,
                detail=f"{note.get_method_display()}: {note.content[:60]}",
                shared=note.shared_with_team,
            )
            record(user, Action.CREATE, note, changes={f: str(getattr(note, f)) for f in NOTE_FIELDS})
        messages.success(request, _("支援経過記録を追加しました。"))
        return redirect(case)
    return render(request, "cases/note_form.html", {"form": form, "case": case})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def note_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Edit a note; the text before the edit is kept as a revision the chief can read."""
    user = current_staff(request)
    note = note_for(user, code, write=True)
    before = ProgressNote.objects.get(pk=note.pk)
    form = ProgressNoteEditForm(posted(request), instance=note, initial={"version": note.version})
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                note.edited_at = timezone.now()
                save_if_current(note, form.cleaned_data["version"], [*NOTE_FIELDS, "edited_at"])
                ProgressNoteRevision.objects.create(
                    note=note,
                    version=before.version,
                    **{f: getattr(before, f) for f in NOTE_FIELDS},
                    written_by=before.author if before.version == 1 else _last_editor(before),
                    replaced_by=user,
                )
                TimelineEntry.objects.create(
                    case=note.case,
                    kind=TimelineKind.NOTE_EDITED,
                    actor=user,
                    detail=f"{note.get_method_display()}: {note.content[:60]}",
                    shared=note.shared_with_team,
                )
                record(user, Action.CHANGE, note, changes=changed_fields(before, note, NOTE_FIELDS))
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(
                form,
                stale,
                _(
                    "他の職員がこの記録を先に修正しました。あなたの入力は残っています。下の「現在の内容」を確かめてから、もう一度保存してください。"
                ),
            )
        else:
            messages.success(request, _("支援経過記録を修正しました。修正前の内容は履歴に残ります。"))
            return redirect(note.case)
    return render(request, "cases/note_form.html", {"form": form, "case": note.case, "note": note, "stale": stale})


def _last_editor(note: ProgressNote) -> Staff:
    last = ProgressNoteRevision.objects.filter(note=note).select_related("replaced_by").order_by("-version").first()
    return last.replaced_by if last else note.author


@require_http_methods(["GET"])
@centre_staff_required
def note_history(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Earlier texts of an edited note: the chief's view."""
    user = current_staff(request)
    if not user.is_chief:
        record(user, Action.DENIED, object_type="cases.progressnote_history", object_code=str(code))
        return render(request, "404.html", status=404)
    note = note_for(user, code)
    revisions = note.revisions.select_related("written_by", "replaced_by")
    record(user, Action.VIEW, note, object_type="cases.progressnote_history", path=request.path)
    return render(request, "cases/note_history.html", {"note": note, "case": note.case, "revisions": revisions})


@require_http_methods(["GET", "POST"])
@centre_staff_required
def task_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = case_for(user, code, write=True).case
    form = TaskForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        task = form.save(commit=False)
        task.case = case
        task.created_by = user
        with transaction.atomic():
            task.save()
            TimelineEntry.objects.create(case=case, kind=TimelineKind.TASK, actor=user, detail=task.title, shared=False)
            record(user, Action.CREATE, task, changes={"title": task.title, "due_on": str(task.due_on)})
        messages.success(request, _("タスクを追加しました。"))
        return redirect(case)
    if not request.headers.get("HX-Request"):  # the page names the person; the form alone does not
        record(user, Action.VIEW, case, path=request.path)
    return render_form(request, "cases/task_form.html", "form", {"form": form, "case": case})


@require_POST
@staff_required
def task_done(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    task = task_for(user, code)
    back = safe_next(request, reverse("cases:detail", kwargs={"code": task.case.code}))
    if task.done_at is None:
        task.done_at = timezone.now()
        task.done_by = user
        with transaction.atomic():
            task.save(update_fields=["done_at", "done_by"])
            TimelineEntry.objects.create(
                case=task.case, kind=TimelineKind.TASK_DONE, actor=user, detail=task.title, shared=False
            )
            record(user, Action.CHANGE, task, changes={"done": True})
    if request.headers.get("HX-Request"):
        _withhold_from_team(user, [task.case])  # the row names the person
        return render(request, "cases/_task_row.html", {"task": task})
    messages.success(request, _("タスクを完了にしました。"))
    return redirect(back)


@require_http_methods(["GET", "POST"])
@centre_staff_required
def team_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = case_for(user, code, write=True).case
    form = TeamMemberForm(posted(request), case=case)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        joined = join_team(case, data["staff"], user, team_role=data["team_role"], note=data["note"])
        if isinstance(joined, TeamRequest):
            messages.info(request, PENDING_MESSAGE)
        else:
            messages.success(request, _("%(name)sさんをチームに加えました。") % {"name": joined.staff})
        return redirect(case)
    return render(request, "cases/team_form.html", {"form": form, "case": case})


@require_POST
@centre_staff_required
def team_remove(request: HttpRequest, code: uuid.UUID, member_id: int) -> HttpResponse:
    user = current_staff(request)
    case = case_for(user, code, write=True).case
    member = case.team.select_related("staff").filter(pk=member_id).first()
    if member is not None:
        with transaction.atomic():
            member.delete()
            TimelineEntry.objects.create(case=case, kind=TimelineKind.TEAM, actor=user, detail=f"− {member.staff}")
            record(user, Action.CHANGE, case, changes={"team_removed": str(member.staff)})
        messages.success(request, _("%(name)sさんをチームから外しました。") % {"name": member.staff})
    return redirect(case)


@require_POST
@centre_staff_required
def team_request_decide(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The chief (or a delegated team) approves or refuses a request to join the team of a
    person under whereabouts confidentiality, with the reason."""
    user = current_staff(request)
    team_request = request_for(user, code)
    if team_request is None:
        record(user, Action.DENIED, object_type="cases.teamrequest", object_code=str(code))
        raise Http404(_("見つかりません。"))
    form = TeamDecisionForm(request.POST, prefix=str(code))
    if form.is_valid():
        try:
            decide(
                team_request,
                user,
                approve=form.cleaned_data["decision"] == "approve",
                reason=form.cleaned_data["reason"],
            )
        except TeamError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("チームへの参加申請を判断しました。"))
            return redirect("my_day")
    else:
        messages.error(request, _("判断（承認・不承認）と理由を入力してください。"))
    return redirect("my_day")
