"""Employment support pages: the 就労支援員's start page, a case's employment page (the
profile, openings that fit, steps, placements with 定着支援, income rises), employers
with the 求人開拓 log, and openings with the job-seekers who fit them."""

import contextlib
import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import _guard, current_staff
from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record, record_for_people
from tsunagu.cases.access import may_write
from tsunagu.cases.models import Case, TeamRequest
from tsunagu.cases.team import PENDING_MESSAGE
from tsunagu.employment.access import (
    employer_for,
    employers_visible_to,
    employment_case_for,
    follow_up_for,
    income_rise_for,
    keeps_employment,
    opening_for,
    openings_visible_to,
    placement_for,
    reads_employment,
    step_for,
)
from tsunagu.employment.forms import (
    ContactForm,
    EmployerEditForm,
    EmployerForm,
    FollowUpForm,
    IncomeRiseEditForm,
    IncomeRiseForm,
    OpeningEditForm,
    OpeningFilterForm,
    OpeningForm,
    PlacementEditForm,
    PlacementEndForm,
    PlacementForm,
    ProfileForm,
    StepEditForm,
    StepForm,
    StepResultForm,
    VersionForm,
    WorkHistoryFormSet,
)
from tsunagu.employment.matching import current_profiles, full_cases, open_openings, openings_for, seekers_for
from tsunagu.employment.models import (
    Employer,
    FollowUp,
    IncomeRise,
    JobDevelopment,
    JobSeekerProfile,
    Opening,
    Placement,
    Stage,
    Step,
    WorkHistory,
)
from tsunagu.employment.support import (
    change_employer,
    change_opening,
    close_opening,
    correct,
    create_employer,
    create_opening,
    end_placement,
    latest_profile,
    log_contact,
    record_follow_up,
    record_income_rise,
    record_placement,
    record_step,
    record_step_result,
    save_profile,
)
from tsunagu.lib.forms import STALE_PAGE, posted
from tsunagu.lib.versioning import STALE_EDIT, StaleEditError, refuse_stale_form, stale_edit
from tsunagu.lib.wareki import format_wareki
from tsunagu.people.access import person_for

PER_PAGE = 50
# The start page lists openings closing within this many days, and follow-ups due within it.
SOON_DAYS = 14
# How many fitting openings the case's employment page shows; the full list is a page of its own.
CASE_MATCHES = 5

employment_staff_required = _guard(reads_employment)
employment_keepers_required = _guard(keeps_employment)


def _status(request: HttpRequest) -> int:
    return 422 if request.method == "POST" else 200


# The 就労支援員's start page ------------------------------------------------------------------


@require_http_methods(["GET"])
@employment_staff_required
def home(request: HttpRequest) -> HttpResponse:
    """My job-seekers by stage, follow-ups due, openings closing soon, 求人開拓 this month.
    `?all=1` shows the whole centre's."""
    user = current_staff(request)
    today = timezone.localdate()
    everyone = request.GET.get("all") == "1" or not user.works_in_centre
    profiles = current_profiles(full_cases(user))
    if not everyone:
        profiles = [p for p in profiles if p.supporter_id == user.pk]
    by_stage = [(label, [p for p in profiles if p.stage == value]) for value, label in Stage.choices]
    follow_ups = (
        FollowUp.objects.filter(placement__case__in=full_cases(user), done_on__isnull=True)
        .filter(due_on__lte=today + dt.timedelta(days=SOON_DAYS), placement__ended_on__isnull=True)
        .select_related("placement", "placement__case", "placement__case__person", "placement__employer", "task")
        .order_by("due_on", "id")
    )
    if not everyone:
        follow_ups = follow_ups.filter(task__assignee=user)
    closing = (
        openings_visible_to(user)
        .open_on(today)
        .filter(closes_on__lte=today + dt.timedelta(days=SOON_DAYS))
        .select_related("employer")
        .order_by("closes_on", "id")
    )
    month_start = today.replace(day=1)
    contacts = (
        JobDevelopment.objects.filter(employer__municipality_id=user.municipality_id, contacted_on__gte=month_start)
        .filter(contacted_on__lte=today)
        .select_related("employer", "staff")
        .order_by("-contacted_on", "-id")
    )
    if not everyone:
        contacts = contacts.filter(staff=user)
    shown: list[uuid.UUID | None] = [p.case.person.code for p in profiles]
    follow_up_rows = list(follow_ups[:100])
    shown += [f.placement.case.person.code for f in follow_up_rows]
    record_for_people(user, Action.VIEW, None, list(dict.fromkeys(shown)) or [None], path=request.path)
    return render(
        request,
        "employment/home.html",
        {
            "everyone": everyone,
            "by_stage": by_stage,
            "seeker_count": len(profiles),
            "follow_ups": follow_up_rows,
            "closing": list(closing[:50]),
            "contacts": list(contacts[:100]),
            "today": today,
            "keeps": keeps_employment(user),
        },
    )


# A case's employment page ---------------------------------------------------------------------


def _case_context(user: Staff, case: Case, **forms: Any) -> dict[str, Any]:
    profile = latest_profile(case)
    if profile is not None:
        profile = (
            JobSeekerProfile.objects.filter(pk=profile.pk)
            .select_related("supporter")
            .prefetch_related("wished_districts", Prefetch("history", WorkHistory.objects.order_by("position", "id")))
            .get()
        )
    writable = may_write(user, case)
    fits = openings_for(profile, open_openings(case.agency.municipality_id)) if profile else []
    placements = list(
        Placement.objects.filter(case=case)
        .select_related("employer", "opening")
        .prefetch_related(Prefetch("follow_ups", FollowUp.objects.select_related("recorded_by").order_by("months")))
        .order_by("-started_on", "-id")
    )
    follow_up_forms = {}
    for placement in placements:
        for follow_up in placement.follow_ups.all():
            if follow_up.done_on is None and writable:
                bound = forms.get("follow_up_form")
                if bound is not None and bound.instance.pk == follow_up.pk:
                    follow_up_forms[follow_up.pk] = bound
                else:
                    follow_up_forms[follow_up.pk] = FollowUpForm(
                        instance=follow_up,
                        initial={"version": follow_up.version, "done_on": timezone.localdate()},
                        prefix=f"f{follow_up.pk}",
                    )
            follow_up.form = follow_up_forms.get(follow_up.pk)  # type: ignore[attr-defined]
        if writable and placement.ended_on is None:
            bound = forms.get("end_form")
            placement.end_form = (  # type: ignore[attr-defined]
                bound
                if bound is not None and bound.instance.pk == placement.pk
                else PlacementEndForm(
                    instance=placement, initial={"version": placement.version}, prefix=f"p{placement.pk}"
                )
            )
    steps = list(
        Step.objects.filter(case=case).select_related("opening", "opening__employer", "employer", "recorded_by")
    )
    if writable:
        for step in steps:
            bound = forms.get("result_form")
            step.result_form = (  # type: ignore[attr-defined]
                bound
                if bound is not None and bound.instance.pk == step.pk
                else StepResultForm(instance=step, initial={"version": step.version}, prefix=f"s{step.pk}")
            )
    context: dict[str, Any] = {
        "case": case,
        "profile": profile,
        # A supporter named for a person under whereabouts confidentiality waits for the chief.
        "supporter_waiting": bool(
            profile
            and profile.supporter_id
            and TeamRequest.objects.pending().filter(case=case, staff_id=profile.supporter_id).exists()
        ),
        "fits": fits[:CASE_MATCHES],
        "fit_total": len(fits),
        "steps": steps,
        "placements": placements,
        "income_rises": list(IncomeRise.objects.filter(case=case).select_related("placement", "placement__employer")),
        "writable": writable,
    }
    if writable:
        context["step_form"] = forms.get("step_form") or StepForm(
            case=case, initial={"on": timezone.localdate()}, prefix="step"
        )
        context["placement_form"] = forms.get("placement_form") or PlacementForm(case=case, prefix="placement")
        context["income_form"] = forms.get("income_form") or IncomeRiseForm(
            case=case, initial={"risen_on": timezone.localdate()}, prefix="income"
        )
    return context


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    user = current_staff(request)
    record(user, Action.VIEW, case, object_type="employment.case", path=request.path)
    context = _case_context(user, case, **forms)
    context["person"] = person_for(user, case.person.code).person
    return render(request, "employment/case.html", context, status=status)


@require_http_methods(["GET"])
@employment_staff_required
def case_page(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    case = employment_case_for(current_staff(request), code)
    return _case_page(request, case)


@require_http_methods(["GET", "POST"])
@employment_staff_required
def profile(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = employment_case_for(user, code, write=request.method == "POST")
    latest = latest_profile(case)
    form = ProfileForm(posted(request), case=case, initial=_profile_initial(case, latest, user))
    history = WorkHistoryFormSet(posted(request), initial=_history_initial(latest), prefix="history")
    if request.method == "POST" and form.is_valid() and history.is_valid():
        rows = [
            {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}
            for f in history.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        values = {name: form.cleaned_data[name] for name in JobSeekerProfile.CONTENT_FIELDS}
        try:
            saved, joined = save_profile(
                case, user, form.cleaned_data["base_version"], values, list(form.cleaned_data["wished_districts"]), rows
            )
        except StaleEditError as error:
            refuse_stale_form(
                form,
                error.current,
                stale_edit(_("プロフィール（第%(version)s版）") % {"version": error.current.version}),
                "base_version",
            )
        else:
            messages.success(request, _("求職者プロフィールを保存しました（第%(v)s版）。") % {"v": saved.version})
            if isinstance(joined, TeamRequest):
                messages.info(request, PENDING_MESSAGE)
            elif joined is not None:
                messages.success(request, _("%(name)sさんをケースチームに加えました。") % {"name": joined.staff})
            return redirect("employment:case", code=case.code)
    record(user, Action.VIEW, case, object_type="employment.jobseekerprofile", path=request.path)
    versions = JobSeekerProfile.objects.filter(case=case).select_related("recorded_by").order_by("-version")
    return render(
        request,
        "employment/profile_form.html",
        {
            "case": case,
            "person": person_for(user, case.person.code).person,
            "profile": latest,
            "form": form,
            "history": history,
            "versions": versions,
            "writable": may_write(user, case),
            "assessed": _assessed_barriers(case),
        },
        status=_status(request),
    )


def _assessed_barriers(case: Case) -> list[str]:
    """The assessment's issues that the profile's 就労阻害要因 can be drawn from."""
    from tsunagu.employment.models import BARRIER_ISSUES
    from tsunagu.sheets.models import AssessmentSheet, Issue, current_version

    sheet = current_version(AssessmentSheet, case)
    if sheet is None:
        return []
    return [str(Issue(i).label) for i in sheet.issues if i in BARRIER_ISSUES]


def _profile_initial(case: Case, latest: JobSeekerProfile | None, user: Staff) -> dict[str, Any]:
    if latest is not None:
        values = {n: getattr(latest, n) for n in JobSeekerProfile.CONTENT_FIELDS}
        values["wished_districts"] = list(latest.wished_districts.all())
        return {**values, "base_version": latest.version}
    from tsunagu.employment.models import BARRIER_ISSUES
    from tsunagu.sheets.models import AssessmentSheet, current_version

    sheet = current_version(AssessmentSheet, case)
    barriers = [i for i in sheet.issues if i in BARRIER_ISSUES] if sheet is not None else []
    supporter = user if user.role == "employment_supporter" and user.agency_id == case.agency_id else None
    return {"base_version": 0, "barriers": barriers, "supporter": supporter}


def _history_initial(latest: JobSeekerProfile | None) -> list[dict[str, Any]]:
    if latest is None:
        return []
    return [
        {n: getattr(row, n) for n in WorkHistory.CONTENT_FIELDS if n != "position"}
        for row in latest.history.order_by("position", "id")
    ]


@require_http_methods(["GET"])
@employment_staff_required
def case_openings(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = employment_case_for(user, code)
    profile = latest_profile(case)
    record(user, Action.VIEW, case, object_type="employment.matches", path=request.path)
    fits = openings_for(profile, open_openings(case.agency.municipality_id)) if profile else []
    return render(
        request,
        "employment/case_openings.html",
        {"case": case, "person": person_for(user, case.person.code).person, "profile": profile, "fits": fits},
    )


@require_POST
@employment_keepers_required
def step_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = employment_case_for(user, code, write=True)
    form = StepForm(request.POST, case=case, prefix="step")
    if form.is_valid():
        step = form.save(commit=False)
        step.case = case
        record_step(step, user)
        messages.success(request, _("%(kind)sを記録しました。") % {"kind": step.get_kind_display()})
        return redirect("employment:case", code=case.code)
    return _case_page(request, case, 422, step_form=form)


@require_POST
@employment_keepers_required
def step_result(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    step = step_for(user, code, write=True)
    before = Step.objects.get(pk=step.pk)
    form = StepResultForm(request.POST, instance=step, prefix=f"s{step.pk}")
    if form.is_valid():
        try:
            record_step_result(step, before, form.cleaned_data["version"], user)
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT)
        else:
            messages.success(request, _("結果を記録しました。"))
            return redirect("employment:case", code=step.case.code)
    return _case_page(request, step.case, 422, result_form=form)


@require_POST
@employment_keepers_required
def placement_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = employment_case_for(user, code, write=True)
    form = PlacementForm(request.POST, case=case, prefix="placement")
    if form.is_valid():
        placement = Placement(case=case)
        for name in Placement.CONTENT_FIELDS:
            setattr(placement, name, form.cleaned_data[name])
        record_placement(placement, user)
        messages.success(
            request,
            _("就労を記録しました。定着支援のタスクを%(n)s件作りました。") % {"n": placement.follow_ups.count()},
        )
        return redirect("employment:case", code=case.code)
    return _case_page(request, case, 422, placement_form=form)


@require_POST
@employment_keepers_required
def placement_end(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    placement = placement_for(user, code, write=True)
    before = Placement.objects.get(pk=placement.pk)
    if placement.ended_on is not None:
        messages.error(
            request,
            _("この就労の離職はすでに記録されています。直すときは「就労・離職を訂正する」から訂正してください。"),
        )
        return redirect("employment:case", code=placement.case.code)
    form = PlacementEndForm(request.POST, instance=placement, prefix=f"p{placement.pk}")
    if form.is_valid():
        try:
            end_placement(placement, before, form.cleaned_data["version"], user)
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT)
        else:
            messages.success(request, _("離職を記録しました。"))
            return redirect("employment:case", code=placement.case.code)
    return _case_page(request, placement.case, 422, end_form=form)


@require_POST
@employment_keepers_required
def follow_up(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    found = follow_up_for(user, code, write=True)
    case = found.placement.case
    if found.done_on is not None:
        messages.error(request, _("この定着支援はすでに記録されています。直すときは「訂正する」から訂正してください。"))
        return redirect("employment:case", code=case.code)
    before = FollowUp.objects.get(pk=found.pk)
    form = FollowUpForm(request.POST, instance=found, prefix=f"f{found.pk}")
    if form.is_valid():
        try:
            record_follow_up(found, before, form.cleaned_data["version"], user)
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT)
        else:
            messages.success(request, _("定着支援（%(m)sか月）を記録しました。") % {"m": found.months})
            return redirect("employment:case", code=case.code)
    return _case_page(request, case, 422, follow_up_form=form)


@require_POST
@employment_keepers_required
def income_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = employment_case_for(user, code, write=True)
    form = IncomeRiseForm(request.POST, case=case, prefix="income")
    if form.is_valid():
        rise = form.save(commit=False)
        rise.case = case
        record_income_rise(rise, user)
        messages.success(request, _("増収を記録しました。"))
        return redirect("employment:case", code=case.code)
    return _case_page(request, case, 422, income_form=form)


# Corrections of saved records ---------------------------------------------------------------------


def _correct(request: HttpRequest, case: Case, record_: Any, form: Any) -> HttpResponse:
    """The correction page of a saved step, placement, follow-up or income rise: the form
    carries the version it was read at; a save after someone else's is refused with
    the input kept and the stored record shown (support.correct writes the rest)."""
    user = current_staff(request)
    model = type(record_)
    before = model.objects.get(pk=record_.pk)
    noun = model._meta.verbose_name
    stale = None
    if request.method == "POST" and form.is_valid():
        fields = tuple(name for name in form.fields if name != "version")
        try:
            changed = correct(record_, before, form.cleaned_data["version"], user, fields, case)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(form, stale, stale_edit(noun))
        else:
            if changed:
                messages.success(request, _("%(noun)sの記録を訂正しました。") % {"noun": noun})
            else:
                messages.info(request, _("変更はありませんでした。"))
            return redirect("employment:case", code=case.code)
    record(user, Action.VIEW, case, object_type=model._meta.label_lower, path=request.path)
    return render(
        request,
        "employment/correct_form.html",
        {
            "case": case,
            "person": person_for(user, case.person.code),
            "form": form,
            "noun": noun,
            "stale": _stored_values(stale, form) if stale is not None else None,
        },
        status=_status(request),
    )


def _stored_values(stored: Any, form: Any) -> list[tuple[str, str]]:
    """(label, value) of the stored record for the fields of the form, as the page shows them."""
    rows = []
    for name, field in form.fields.items():
        if name == "version":
            continue
        value = getattr(stored, name)
        display = getattr(stored, f"get_{name}_display", None)
        if display is not None:
            value = display()
        elif isinstance(value, dt.date):
            value = format_wareki(value)
        elif isinstance(value, bool):
            value = _("はい") if value else _("いいえ")
        rows.append((str(field.label), "—" if value in (None, "") else str(value)))
    return rows


def _correction_form(request: HttpRequest, form_class: Any, record_: Any, case: Case | None = None) -> Any:
    extra = {"case": case} if case is not None else {}
    return form_class(posted(request), instance=record_, initial={"version": record_.version}, **extra)


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def step_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    step = step_for(current_staff(request), code, write=True)
    return _correct(request, step.case, step, _correction_form(request, StepEditForm, step, step.case))


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def placement_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    placement = placement_for(current_staff(request), code, write=True)
    form = _correction_form(request, PlacementEditForm, placement, placement.case)
    return _correct(request, placement.case, placement, form)


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def follow_up_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """A follow-up already recorded, corrected (one not yet done is recorded on the case page)."""
    found = follow_up_for(current_staff(request), code, write=True)
    case = found.placement.case
    if found.done_on is None:
        messages.error(request, _("この定着支援はまだ記録されていません。就労支援のページで記録してください。"))
        return redirect("employment:case", code=case.code)
    return _correct(request, case, found, _correction_form(request, FollowUpForm, found))


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def income_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    rise = income_rise_for(current_staff(request), code, write=True)
    return _correct(request, rise.case, rise, _correction_form(request, IncomeRiseEditForm, rise, rise.case))


# Employers and the 求人開拓 log --------------------------------------------------------------------


@require_http_methods(["GET"])
@employment_staff_required
def employer_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    month_start = timezone.localdate().replace(day=1)
    employers = (
        employers_visible_to(user)
        .select_related("district")
        .annotate(
            open_openings=Count("openings", filter=Q(openings__closed_on__isnull=True), distinct=True),
            contacts_this_month=Count("contacts", filter=Q(contacts__contacted_on__gte=month_start), distinct=True),
        )
        .order_by("-active", "name", "id")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        employers = employers.filter(Q(name__icontains=query) | Q(address__icontains=query))
    page = Paginator(employers, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "employment/employer_list.html",
        {"page": page, "q": query, "keeps": keeps_employment(user)},
    )


def _municipality_id(user: Staff) -> int:
    if user.agency is None:
        raise Http404
    return user.municipality_id


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def employer_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = EmployerForm(posted(request), municipality_id=_municipality_id(user))
    if request.method == "POST" and form.is_valid():
        employer = Employer(municipality_id=user.municipality_id, created_by=user)
        for name in Employer.CONTENT_FIELDS:
            setattr(employer, name, form.cleaned_data[name])
        create_employer(employer)
        messages.success(request, _("「%(name)s」を登録しました。") % {"name": employer.name})
        return redirect(employer)
    return render(request, "employment/employer_form.html", {"form": form}, status=_status(request))


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def employer_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    employer = employer_for(user, code, write=True)
    before = Employer.objects.get(pk=employer.pk)
    form = EmployerEditForm(
        posted(request), instance=employer, municipality_id=user.municipality_id, initial={"version": employer.version}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        for name in Employer.CONTENT_FIELDS:
            setattr(employer, name, form.cleaned_data[name])
        try:
            change_employer(employer, before, form.cleaned_data["version"], user)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(form, stale, STALE_EDIT)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(employer)
    return render(
        request,
        "employment/employer_form.html",
        {"form": form, "employer": before, "stale": stale},
        status=_status(request),
    )


def _employer_page(request: HttpRequest, employer: Employer, contact_form: ContactForm, status: int) -> HttpResponse:
    user = current_staff(request)
    return render(
        request,
        "employment/employer_detail.html",
        {
            "employer": employer,
            "contacts": list(employer.contacts.select_related("staff").order_by("-contacted_on", "-id")[:200]),
            "openings": list(employer.openings.order_by("-created_at", "-id")[:100]),
            # Counts only: an employer's page never names the people placed there.
            "placements": employer.placements.count(),
            "current_placements": employer.placements.current().count(),
            "keeps": keeps_employment(user),
            "contact_form": contact_form,
        },
        status=status,
    )


@require_http_methods(["GET"])
@employment_staff_required
def employer_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    employer = employer_for(current_staff(request), code)
    return _employer_page(request, employer, ContactForm(initial={"contacted_on": timezone.localdate()}), 200)


@require_POST
@employment_keepers_required
def contact_new(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    employer = employer_for(user, code, write=True)
    form = ContactForm(request.POST)
    if form.is_valid():
        contact = form.save(commit=False)
        contact.employer = employer
        contact.staff = user
        log_contact(contact, user)
        messages.success(request, _("求人開拓の記録を追加しました。"))
        return redirect(employer)
    return _employer_page(request, employer, form, 422)


# Openings (求人) ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
@employment_staff_required
def opening_list(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    form = OpeningFilterForm(request.GET or None, municipality_id=user.municipality_id)
    data = form.cleaned_data if form.is_valid() else {}
    openings = openings_visible_to(user).select_related("employer", "district")
    if not data.get("closed"):
        openings = openings.open_on()
    if data.get("category"):
        openings = openings.filter(category=data["category"])
    if data.get("district"):
        openings = openings.filter(district=data["district"])
    for word in (data.get("q") or "").split():
        openings = openings.filter(
            Q(title__icontains=word)
            | Q(employer__name__icontains=word)
            | Q(employer_name__icontains=word)
            | Q(hello_work_number__contains=word)
            | Q(place__icontains=word)
            | Q(conditions__icontains=word)
        )
    openings = openings.order_by("closed_on", "closes_on", "id")
    page = Paginator(openings, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "employment/opening_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "keeps": keeps_employment(user),
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def opening_new(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    initial: dict[str, Any] = {}
    employer_code = request.GET.get("employer", "")
    if employer_code:
        with contextlib.suppress(ValueError):  # a malformed code preselects nothing
            initial["employer"] = employer_for(user, uuid.UUID(employer_code))
        initial["source"] = "employer"
    form = OpeningForm(posted(request), municipality_id=_municipality_id(user), initial=initial)
    if request.method == "POST" and form.is_valid():
        opening = Opening(municipality_id=user.municipality_id, created_by=user)
        for name in Opening.CONTENT_FIELDS:
            setattr(opening, name, form.cleaned_data[name])
        create_opening(opening)
        messages.success(request, _("求人「%(title)s」を登録しました。") % {"title": opening.title})
        return redirect(opening)
    return render(request, "employment/opening_form.html", {"form": form}, status=_status(request))


@require_http_methods(["GET", "POST"])
@employment_keepers_required
def opening_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    opening = opening_for(user, code, write=True)
    before = Opening.objects.get(pk=opening.pk)
    form = OpeningEditForm(
        posted(request), instance=opening, municipality_id=user.municipality_id, initial={"version": opening.version}
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        for name in Opening.CONTENT_FIELDS:
            setattr(opening, name, form.cleaned_data[name])
        try:
            change_opening(opening, before, form.cleaned_data["version"], user)
        except StaleEditError as error:
            stale = error.current
            refuse_stale_form(form, stale, STALE_EDIT)
        else:
            messages.success(request, _("保存しました。"))
            return redirect(opening)
    return render(
        request,
        "employment/opening_form.html",
        {"form": form, "opening": before, "stale": stale},
        status=_status(request),
    )


@require_http_methods(["GET"])
@employment_staff_required
def opening_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    opening = opening_for(user, code)
    fits = seekers_for(user, opening) if opening.is_open() else []
    people: list[uuid.UUID | None] = [f.profile.case.person.code for f in fits]
    record_for_people(user, Action.VIEW, opening, people or [None], path=request.path)
    return render(
        request,
        "employment/opening_detail.html",
        {
            "opening": opening,
            "fits": fits,
            "keeps": keeps_employment(user),
            "version_form": VersionForm(initial={"version": opening.version}),
        },
    )


@require_POST
@employment_keepers_required
def opening_close(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    opening = opening_for(user, code, write=True)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, STALE_PAGE)
        return redirect(opening)
    if opening.closed_on is not None:
        messages.error(request, _("この求人の募集はすでに終わっています。"))
        return redirect(opening)
    try:
        close_opening(opening, form.cleaned_data["version"], user)
    except StaleEditError:
        messages.error(request, str(STALE_EDIT))
    else:
        messages.success(request, _("募集を終えました。求人は記録に残り、検索で見つけられます。"))
    return redirect(opening)
