"""The standard forms of a case: each save appends a version (models.py)."""

import datetime as dt
import uuid
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tsunagu.accounts.decorators import current_staff, staff_required
from tsunagu.accounts.models import Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import cases_visible_to, full_case_for, may_write
from tsunagu.cases.models import (
    Case,
    CaseConcern,
    CaseState,
    Task,
    TaskKind,
    TimelineEntry,
    TimelineKind,
)
from tsunagu.cases.transitions import TransitionError, move, next_steps
from tsunagu.lib.forms import posted
from tsunagu.lib.versioning import StaleEditError, refuse_stale_form, stale_edit
from tsunagu.lib.wareki import parse_date
from tsunagu.people.access import person_for, sees_whereabouts
from tsunagu.sheets import rules
from tsunagu.sheets.forms import (
    CONDITION_FIELDS,
    AgreementForm,
    AssessmentForm,
    DecisionForm,
    EvaluationForm,
    ExtensionForm,
    IntakeForm,
    PlanForm,
    PlanItemFormSet,
    attainment_forms,
)
from tsunagu.sheets.models import (
    ApplicationConsent,
    AssessmentSheet,
    EvaluationSheet,
    GoalAttainment,
    IntakeSheet,
    Outcome,
    PlanItem,
    PlanSheet,
    SheetVersion,
    SupportDecision,
    current_version,
    record_application_consent,
)


def sheet_case(request: HttpRequest, code: uuid.UUID, *, write: bool = False) -> Case:
    """The case of a sheet page: cases.access.full_case_for (FULL access only)."""
    return full_case_for(current_staff(request), code, write=write, denied_as="sheets", path=request.path)


def moment(request: HttpRequest) -> dt.datetime | None:
    """`?on=` (a date, 和暦 or 西暦): the end of that day in Tokyo. None for now."""
    text = request.GET.get("on", "")
    day = parse_date(text) if text else None
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def append_version(
    model: type[SheetVersion],
    case: Case,
    by: Staff,
    base_version: int,
    values: dict[str, Any],
    m2m: dict[str, Any] | None = None,
) -> Any:
    """Write the next version of a sheet, or raise StaleEditError if someone saved one
    since the form was read. The case row is locked so versions of one case queue."""
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).first()
        latest = current_version(model, case)
        if (latest.version if latest else 0) != base_version:
            raise StaleEditError(latest)
        sheet = model(case=case, version=base_version + 1, recorded_by=by, **values)
        sheet.save()
        for name, value in (m2m or {}).items():
            getattr(sheet, name).set(value)
        changes = {
            name: [str(getattr(latest, name)) if latest else "", str(getattr(sheet, name))]
            for name in model.CONTENT_FIELDS
            if latest is None or getattr(latest, name) != getattr(sheet, name)
        }
        record(
            by,
            Action.CHANGE if latest else Action.CREATE,
            case,
            object_type=model._meta.label_lower,
            object_code=str(sheet.code),
            changes=changes,
        )
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.SHEET,
            actor=by,
            detail=_("%(sheet)s 第%(version)s版") % {"sheet": model._meta.verbose_name, "version": sheet.version},
            shared=False,
        )
    return sheet


def _values(form: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}


def _refuse_stale(form: Any, error: StaleEditError) -> None:
    refuse_stale_form(
        form,
        error.current,
        stale_edit(_("帳票（第%(version)s版）") % {"version": error.current.version}),
        field="base_version",
    )


def _page(
    request: HttpRequest,
    template: str,
    case: Case,
    model: type[SheetVersion],
    *,
    prefetch: tuple[Any, ...] = (),
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    """A sheet page; `prefetch` loads the rows the shown version lists in one query each."""
    user = current_staff(request)
    when = moment(request)
    shown = current_version(model, case, when)
    if shown is not None:
        prefetch_related_objects([shown], *prefetch)
    versions = model.objects.filter(case=case).select_related("recorded_by").order_by("-version")
    record(user, Action.VIEW, case, object_type=model._meta.label_lower, path=request.path)
    seen = person_for(user, case.person.code)
    # Her plan names who supports her, which can tell where she is: for a person under
    # whereabouts confidentiality only her team and the chief write it (DOMAIN.md §7).
    locating = seen.location_visible or model is not PlanSheet
    writable = may_write(user, case) and when is None and locating
    return render(
        request,
        template,
        {
            "case": case,
            "person": seen.person,
            "sheet": shown,
            "when": when,
            "versions": versions,
            "writable": writable,
            # Saving a sheet offers the case's next step (with what it still needs).
            "next_steps": next_steps(case, user) if writable and status == 200 else [],
            # A saved sheet is read first; its form opens with 「編集する」 (?edit) or after a refused save.
            "editing": shown is None or request.method == "POST" or "edit" in request.GET,
            **context,
        },
        status=status,
    )


def _refused(request: HttpRequest) -> int:
    """A page shown again after a POST was refused (invalid or stale): 422, as elsewhere."""
    return 422 if request.method == "POST" else 200


# 相談受付・申込票 -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def intake(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = sheet_case(request, code, write=request.method == "POST")
    latest = current_version(IntakeSheet, case)
    form = IntakeForm(posted(request), case=case, instance=None, initial=_intake_initial(case, latest, user))
    if not sees_whereabouts(user, case.person):
        # The agencies she agreed to share with can point to where she went (DOMAIN.md §7):
        # outside her team they are neither shown nor changed (the latest version's stay).
        del form.fields["consent_agencies"]
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():  # the version and the consent it records, together
                sheet = append_version(
                    IntakeSheet,
                    case,
                    user,
                    form.cleaned_data["base_version"],
                    _values(form, IntakeSheet.CONTENT_FIELDS),
                    {
                        "consent_agencies": form.cleaned_data.get(
                            "consent_agencies", list(latest.consent_agencies.all()) if latest else []
                        )
                    },
                )
                consent = record_application_consent(sheet, user)
        except StaleEditError as error:
            _refuse_stale(form, error)
        else:
            _sync_concerns(case, sheet)
            if consent == ApplicationConsent.WITHDRAWN:
                messages.warning(
                    request,
                    _(
                        "本人はこの申込票の同意を撤回しています。申込票を保存しても同意は戻りません。新しい同意は「情報共有の同意」の画面で記録してください。"
                    ),
                )
            messages.success(request, _("相談受付・申込票を保存しました（第%(v)s版）。") % {"v": sheet.version})
            return redirect("sheets:intake", code=case.code)
    return _page(request, "sheets/intake.html", case, IntakeSheet, status=_refused(request), form=form)


def _intake_initial(case: Case, latest: IntakeSheet | None, user: Staff) -> dict[str, Any]:
    if latest is not None:
        return {
            **{name: getattr(latest, name) for name in IntakeSheet.CONTENT_FIELDS},
            "consent_agencies": list(latest.consent_agencies.all()),
            "base_version": latest.version,
        }
    # The first version starts from what the case already knows (entered once).
    concerns = list(case.concerns.all())
    return {
        "received_on": case.opened_on,
        "receiving_worker": case.worker_id or user.pk,
        "concerns": [c.concern for c in concerns],
        "primary_concern": next((c.concern for c in concerns if c.is_primary), ""),
        "concern_detail": case.summary,
        "base_version": 0,
    }


def _sync_concerns(case: Case, sheet: IntakeSheet) -> None:
    """The case's 主訴 are the intake sheet's: one place to enter them."""
    with transaction.atomic():
        CaseConcern.objects.filter(case=case).delete()
        CaseConcern.objects.bulk_create(
            [
                CaseConcern(case=case, concern=c, is_primary=(c == sheet.primary_concern))
                for c in dict.fromkeys(sheet.concerns)
            ]
        )


# インテーク・アセスメントシート ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def assessment(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = sheet_case(request, code, write=request.method == "POST")
    latest = current_version(AssessmentSheet, case)
    initial: dict[str, Any] = {"assessed_on": timezone.localdate(), "base_version": 0}
    if latest is not None:
        initial = {**{n: getattr(latest, n) for n in AssessmentSheet.CONTENT_FIELDS}, "base_version": latest.version}
    form = AssessmentForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            sheet = append_version(
                AssessmentSheet,
                case,
                user,
                form.cleaned_data["base_version"],
                _values(form, AssessmentSheet.CONTENT_FIELDS),
            )
        except StaleEditError as error:
            _refuse_stale(form, error)
        else:
            if sheet.emergency_needed:
                messages.warning(request, _("緊急対応が必要と記録しました。主任相談支援員に報告してください。"))
            messages.success(request, _("アセスメントシートを保存しました（第%(v)s版）。") % {"v": sheet.version})
            return redirect("sheets:assessment", code=case.code)
    return _page(request, "sheets/assessment.html", case, AssessmentSheet, status=_refused(request), form=form)


# プラン兼事業等利用申込書 ---------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def plan(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = sheet_case(request, code, write=request.method == "POST")
    if request.method == "POST" and not sees_whereabouts(user, case.person):
        # Who supports her is where she is: her team and the chief write her plan (_page).
        record(user, Action.DENIED, object_type="sheets", object_code=str(code), path=request.path, detail="plan")
        raise Http404(_("見つかりません。"))
    latest = current_version(PlanSheet, case)
    form = PlanForm(posted(request), initial=_plan_initial(case, latest))
    items = PlanItemFormSet(
        posted(request), initial=_plan_items_initial(case, latest), form_kwargs={"case": case}, prefix="items"
    )
    if request.method == "POST" and form.is_valid() and items.is_valid():
        rows = [f.cleaned_data for f in items.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        try:
            with transaction.atomic():
                sheet = append_version(
                    PlanSheet, case, user, form.cleaned_data["base_version"], _values(form, PlanSheet.CONTENT_FIELDS)
                )
                PlanItem.objects.bulk_create(
                    [
                        PlanItem(plan=sheet, position=i, **{k: v for k, v in row.items() if k != "DELETE"})
                        for i, row in enumerate(rows)
                    ]
                )
        except StaleEditError as error:
            _refuse_stale(form, error)
        else:
            note = _("同意が必要です。") if latest is not None and latest.agreed else ""
            messages.success(request, _("プランを保存しました（第%(v)s版）。") % {"v": sheet.version} + note)
            return redirect("sheets:plan", code=case.code)
    agreement = AgreementForm(
        initial={"agreed_on": timezone.localdate(), "base_version": latest.version if latest else 1},
        plan=latest or PlanSheet(),
    )
    return _plan_page(request, case, form, items, agreement, status=_refused(request))


def _plan_page(
    request: HttpRequest, case: Case, form: PlanForm, items: Any, agreement: AgreementForm, status: int = 200
) -> HttpResponse:
    return _page(
        request,
        "sheets/plan.html",
        case,
        PlanSheet,
        prefetch=(Prefetch("items", PlanItem.objects.select_related("provider_agency")),),
        status=status,
        form=form,
        items=items,
        agreement=agreement,
    )


def _plan_initial(case: Case, latest: PlanSheet | None) -> dict[str, Any]:
    if latest is not None:
        return {**{n: getattr(latest, n) for n in PlanSheet.CONTENT_FIELDS}, "base_version": latest.version}
    start = timezone.localdate()
    months = case.agency.municipality.monitoring_interval_months
    return {
        "period_start": start,
        "period_end": rules.latest_end(start, 12),
        "next_evaluation_on": rules.add_months(start, months),
        "base_version": 0,
    }


def _plan_items_initial(case: Case, latest: PlanSheet | None) -> list[dict[str, Any]]:
    """The rows of the last version, or, for a first plan, one row per issue ticked in
    the assessment."""
    if latest is not None:
        return [
            {n: getattr(item, n) for n in PlanItem.CONTENT_FIELDS if n != "position"}
            for item in latest.items.select_related("provider_agency")
        ]
    sheet = current_version(AssessmentSheet, case)
    return [{"issue": issue} for issue in (sheet.issues if sheet else [])]


@require_POST
@staff_required
def plan_agree(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Record the person's agreement to the latest plan version, and schedule its review."""
    user = current_staff(request)
    case = sheet_case(request, code, write=True)
    latest = current_version(PlanSheet, case)
    if latest is None:
        messages.error(request, _("同意を記録するプランがありません。"))
        return redirect("sheets:plan", code=case.code)
    form = AgreementForm(request.POST, plan=latest)
    if not form.is_valid():
        # Shown with the plan, the errors by the agreement's fields.
        messages.error(request, _("同意を記録できませんでした。入力を確認してください。"))
        plan_form = PlanForm(initial=_plan_initial(case, latest))
        items = PlanItemFormSet(initial=_plan_items_initial(case, latest), form_kwargs={"case": case}, prefix="items")
        return _plan_page(request, case, plan_form, items, form, status=422)
    if form.cleaned_data["base_version"] != latest.version or latest.agreed:
        messages.error(
            request, _("同意を記録しようとしたプランの版は最新ではないか、すでに同意済みです。画面を更新してください。")
        )
        return redirect("sheets:plan", code=case.code)
    with transaction.atomic():
        latest.agreed_on = form.cleaned_data["agreed_on"]
        latest.agreement_method = form.cleaned_data["agreement_method"]
        latest.save(update_fields=["agreed_on", "agreement_method"])
        _schedule_review(case, latest, user)
        record(
            user,
            Action.CHANGE,
            case,
            object_type="sheets.plansheet",
            object_code=str(latest.code),
            changes={"agreed_on": str(latest.agreed_on), "agreement_method": latest.agreement_method},
        )
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.SHEET,
            actor=user,
            detail=_("プラン第%(v)s版に本人が同意") % {"v": latest.version},
            shared=False,
        )
    messages.success(request, _("本人の同意を記録しました。"))
    return redirect("sheets:plan", code=case.code)


def _schedule_review(case: Case, plan: PlanSheet, by: Staff) -> None:
    """The plan's next review is a task on the worker's /my/ page; a newer plan moves it."""
    title = _("プランのモニタリング・評価（第%(v)s版）") % {"v": plan.version}
    open_reviews = Task.objects.open().filter(case=case, kind=TaskKind.EVALUATION_DUE)
    if open_reviews.update(due_on=plan.next_evaluation_on, title=title) == 0:
        Task.objects.create(
            case=case,
            title=title,
            kind=TaskKind.EVALUATION_DUE,
            due_on=plan.next_evaluation_on,
            assignee_id=case.worker_id or by.pk,
            created_by=by,
        )


# 評価シート -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def evaluation(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = sheet_case(request, code, write=request.method == "POST")
    plan = PlanSheet.objects.filter(case=case, agreed_on__isnull=False).order_by("-version").first()
    latest = current_version(EvaluationSheet, case)
    initial: dict[str, Any] = {"evaluated_on": timezone.localdate(), "base_version": latest.version if latest else 0}
    form = EvaluationForm(posted(request), initial=initial)
    goals = attainment_forms(posted(request), plan) if plan else []
    if request.method == "POST":
        if plan is None:
            form.add_error(
                None, _("同意を得たプランがないため、評価できません。先にプランを作り、本人の同意を記録してください。")
            )
        elif case.state not in {CaseState.IN_SUPPORT, CaseState.EVALUATION}:
            form.add_error(
                None,
                _("評価は「支援提供・モニタリング」か「評価」の段階のケースで記録します（現在は「%(state)s」）。")
                % {"state": case.get_state_display()},
            )
        elif form.is_valid() and all(g.is_valid() for _item, g in goals):
            try:
                sheet = _save_evaluation(case, user, plan, form, goals)
            except StaleEditError as error:
                _refuse_stale(form, error)
            except TransitionError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("評価シートを保存しました（第%(v)s版）。") % {"v": sheet.version})
                return redirect("sheets:evaluation", code=case.code)
    return _page(
        request,
        "sheets/evaluation.html",
        case,
        EvaluationSheet,
        prefetch=(Prefetch("attainments", GoalAttainment.objects.select_related("plan_item")),),
        status=_refused(request),
        form=form,
        plan=plan,
        goals=goals,
        conditions=CONDITION_FIELDS,
    )


def _save_evaluation(case: Case, user: Staff, plan: PlanSheet, form: EvaluationForm, goals: list[Any]) -> Any:
    """Save the evaluation and move the case as its outcome says, all or nothing."""
    with transaction.atomic():
        values = {**_values(form, EvaluationSheet.CONTENT_FIELDS), "plan": plan}
        sheet = append_version(EvaluationSheet, case, user, form.cleaned_data["base_version"], values)
        GoalAttainment.objects.bulk_create(
            [GoalAttainment(evaluation=sheet, plan_item=item, **g.cleaned_data) for item, g in goals]
        )
        if case.state == CaseState.IN_SUPPORT:
            move(case, CaseState.EVALUATION, user)
        if sheet.outcome == Outcome.REPLAN:
            move(case, CaseState.PLAN_DRAFT, user, reason=sheet.reason[:300])
        elif sheet.outcome == Outcome.SUSPENSION:
            move(case, CaseState.SUSPENDED, user, suspension_reason="other", reason=sheet.reason[:300])
        elif user.is_chief:
            move(case, CaseState.CLOSED, user, closure_reason="goals_met", reason=sheet.reason[:300])
        else:
            # Only the chief closes a case: the evaluation asks for it.
            Task.objects.create(
                case=case,
                title=_("終結の承認（評価シート第%(v)s版）") % {"v": sheet.version},
                kind=TaskKind.CLOSURE_APPROVAL,
                due_on=timezone.localdate() + dt.timedelta(days=7),
                assignee=_chief_of(case) or user,
                created_by=user,
            )
    return sheet


def _chief_of(case: Case) -> Staff | None:
    return Staff.objects.filter(agency_id=case.agency_id, role="chief", is_active=True).order_by("pk").first()


# 支援決定 -------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_required
def decisions(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The municipality's decisions for the case's programmes; only its officer decides."""
    user = current_staff(request)
    case = sheet_case(request, code)
    officer = user.is_municipal_officer and user.municipality_id == case.agency.municipality_id
    form = DecisionForm(posted(request)) if officer else None
    if request.method == "POST":
        if form is None:
            record(user, Action.DENIED, object_type="sheets.supportdecision", object_code=str(case.code))
            messages.error(request, _("支援決定は自治体担当職員だけが記録できます。"))
            return redirect("sheets:decisions", code=case.code)
        if form.is_valid():
            with transaction.atomic():
                decision = form.save(commit=False)
                decision.case = case
                decision.decided_by = user
                decision.save()
                record(
                    user,
                    Action.CREATE,
                    case,
                    object_type="sheets.supportdecision",
                    object_code=str(decision.code),
                    changes={f: str(getattr(decision, f)) for f in ("programme", "starts_on", "ends_on")},
                )
                TimelineEntry.objects.create(
                    case=case, kind=TimelineKind.SHEET, actor=user, detail=_("支援決定: %(d)s") % {"d": decision}
                )
            messages.success(request, _("支援決定を記録しました。"))
            return redirect("sheets:decisions", code=case.code)
    return _decisions_page(request, case, form, officer, status=422 if request.method == "POST" else 200)


def _decisions_page(
    request: HttpRequest,
    case: Case,
    form: DecisionForm | None,
    officer: bool,
    failed: tuple[int, ExtensionForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The decisions page; `failed` is an extension form that was refused, shown with
    its errors by the fields on its decision's row."""
    user = current_staff(request)
    when = moment(request)
    shown = SupportDecision.objects.filter(case=case).as_of(when)
    record(user, Action.VIEW, case, object_type="sheets.supportdecision", path=request.path)
    rows = [
        (
            d,
            d.current_end(when),
            d.extensions_until(when),
            _extension_form(d, failed) if officer and when is None else None,
        )
        for d in shown
    ]
    return render(
        request,
        "sheets/decisions.html",
        {
            "case": case,
            "person": person_for(user, case.person.code).person,
            "rows": rows,
            "form": form,
            "when": when,
            "officer": officer,
        },
        status=status,
    )


def _extension_form(decision: SupportDecision, failed: tuple[int, ExtensionForm] | None) -> ExtensionForm:
    if failed is not None and failed[0] == decision.pk:
        return failed[1]
    return ExtensionForm(decision=decision)


@require_POST
@staff_required
def decision_extend(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    # Scoped by the cases the user may see, so a code of another centre answers (and is
    # audited) like a missing one; sheet_case then asks for full access.
    decision = (
        SupportDecision.objects.select_related("case")
        .filter(code=code, case__in=cases_visible_to(user))
        .prefetch_related("extensions")
        .first()
    )
    if decision is None:
        record(user, Action.DENIED, object_type="sheets.supportdecision", object_code=str(code), path=request.path)
        raise Http404(_("見つかりません。"))
    case = sheet_case(request, decision.case.code)
    if not (user.is_municipal_officer and user.municipality_id == case.agency.municipality_id):
        record(user, Action.DENIED, object_type="sheets.decisionextension", object_code=str(code))
        messages.error(request, _("支援決定の延長は自治体担当職員だけが記録できます。"))
        return redirect("sheets:decisions", code=case.code)
    form = ExtensionForm(request.POST, decision=decision)
    if form.is_valid():
        with transaction.atomic():
            extension = form.save(commit=False)
            extension.decision = decision
            extension.decided_by = user
            extension.save()
            record(
                user,
                Action.CHANGE,
                case,
                object_type="sheets.supportdecision",
                object_code=str(decision.code),
                changes={"extended_to": str(extension.new_ends_on)},
            )
            TimelineEntry.objects.create(
                case=case,
                kind=TimelineKind.SHEET,
                actor=user,
                detail=_("支援決定の延長: %(p)s 〜%(end)s")
                % {"p": decision.get_programme_display(), "end": extension.new_ends_on},
            )
        messages.success(request, _("延長を記録しました。"))
        return redirect("sheets:decisions", code=case.code)
    messages.error(request, _("延長を記録できませんでした。入力を確認してください。"))
    return _decisions_page(request, case, DecisionForm(), True, failed=(decision.pk, form), status=422)


# A case as it stood on a past date -------------------------------------------------------------


@require_http_methods(["GET"])
@staff_required
def as_of(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The plan, the assessment, the intake sheet and the decisions as they stood on a day."""
    user = current_staff(request)
    case = sheet_case(request, code)
    when = moment(request) or timezone.now()
    decisions_then = [(d, d.current_end(when)) for d in SupportDecision.objects.filter(case=case).as_of(when)]
    record(user, Action.VIEW, case, object_type="sheets.as_of", detail=when.date().isoformat(), path=request.path)
    return render(
        request,
        "sheets/as_of.html",
        {
            "case": case,
            "person": person_for(user, case.person.code).person,
            "when": when,
            "intake": current_version(IntakeSheet, case, when),
            "assessment": current_version(AssessmentSheet, case, when),
            "plan": current_version(PlanSheet, case, when),
            "evaluation": current_version(EvaluationSheet, case, when),
            "decisions": decisions_then,
        },
    )
