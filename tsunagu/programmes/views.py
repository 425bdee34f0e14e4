"""The programmes' pages: a case's programme records, the 住居確保給付金 application with
its payments and duties, the household budget, the centre's emergency ledger and food
stock, the sessions of 学習支援 and 就労準備支援, and the finance office's payment list."""

import uuid
from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tsunagu.accounts.decorators import centre_staff_required, current_staff, staff_required
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import may_write
from tsunagu.cases.models import Case
from tsunagu.lib.forms import posted
from tsunagu.lib.versioning import STALE_EDIT, StaleEditError, refuse_stale_form
from tsunagu.people.access import person_for, sees_whereabouts
from tsunagu.people.models import location_annotations
from tsunagu.programmes import changes, ledger
from tsunagu.programmes.access import (
    aid_for,
    application_for,
    centre_of,
    finance_municipality,
    locating_case_for,
    programme_case_for,
    session_for,
    stay_for,
)
from tsunagu.programmes.changes import ProgrammeError
from tsunagu.programmes.forms import (
    STEP_CHOICES,
    AidForm,
    ApplicationForm,
    BudgetForm,
    DebtFormSet,
    DutyForm,
    EventFormSet,
    LoanResultForm,
    MonthForm,
    PaymentForm,
    SessionForm,
    StayForm,
    StockForm,
)
from tsunagu.programmes.models import (
    AidKind,
    Attendance,
    EmergencyAid,
    GroupProgramme,
    HouseholdBudget,
    HousingApplication,
    PaymentStatus,
    Session,
    Stay,
    WorkStep,
)
from tsunagu.sheets.models import current_version
from tsunagu.sheets.views import append_version

# Each form on the case page has its own ids (the stay forms share their field names).
NEW_STAY = "new-stay-%s"


def _error_to(form: Any, error: ProgrammeError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# A case's programme records ---------------------------------------------------------------


def _case_page(request: HttpRequest, case: Case, status: int = 200, **forms: Any) -> HttpResponse:
    user = current_staff(request)
    writable = may_write(user, case)
    # A stay's place and a landlord locate her: written only by who may see where she is.
    locating = writable and sees_whereabouts(user, case.person)
    record(user, Action.VIEW, case, object_type="programmes", path=request.path)
    aid = list(EmergencyAid.objects.filter(case=case).select_related("given_by")[:100])
    applications = list(HousingApplication.objects.filter(case=case).select_related("decision"))
    stays = list(Stay.objects.filter(case=case))
    budget = current_version(HouseholdBudget, case)
    attendance = ledger.attendance_by_month(Attendance.objects.filter(case=case))
    context = {
        "case": case,
        "person": person_for(user, case.person.code).person,
        "writable": writable,
        "aid": aid,
        "applications": applications,
        "stays": stays,
        "budget": budget,
        "attendance": attendance,
        "aid_form": forms.get("aid_form")
        or (AidForm(initial={"given_on": timezone.localdate()}) if writable else None),
        "application_form": forms.get("application_form")
        or (ApplicationForm(initial={"applied_on": timezone.localdate(), "household_size": 1}) if locating else None),
        "stay_form": forms.get("stay_form") or (StayForm(auto_id=NEW_STAY) if locating else None),
        "stay_forms": {
            s.pk: StayForm(instance=s, initial={"base_version": s.version}, auto_id=f"stay-{s.pk}-%s")
            for s in stays
            if locating
        },
        "failed_stay": forms.get("failed_stay"),
    }
    if context["failed_stay"] is not None:
        context["stay_forms"][context["failed_stay"][0]] = context["failed_stay"][1]
    context["stay_rows"] = [(s, context["stay_forms"].get(s.pk)) for s in stays]
    failed_loan = forms.get("failed_loan")
    context["aid_rows"] = [
        (
            a,
            (
                failed_loan[1]
                if failed_loan is not None and failed_loan[0] == a.pk
                else LoanResultForm(
                    initial={"loan_result": a.loan_result, "result_on": a.result_on, "base_version": a.version},
                    prefix=f"loan-{a.pk}",
                )
            )
            if writable and a.kind == AidKind.LOAN_APPLICATION
            else None,
        )
        for a in aid
    ]
    return render(request, "programmes/case.html", context, status=status)


@require_GET
@staff_required
def case_programmes(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    return _case_page(request, programme_case_for(current_staff(request), code))


@require_POST
@staff_required
def aid_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = programme_case_for(user, code, write=True)
    form = AidForm(posted(request))
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in AidForm.Meta.fields}
        values["given_by"] = user
        try:
            changes.record_aid(case, user, values)
        except ProgrammeError as error:
            _error_to(form, error)
        else:
            messages.success(request, _("緊急支援を記録しました。"))
            return redirect("programmes:case", code=case.code)
    return _case_page(request, case, status=422, aid_form=form)


@require_POST
@staff_required
def aid_result(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """The 社協's answer to a loan application the centre helped send."""
    user = current_staff(request)
    aid = aid_for(user, code, write=True)
    form = LoanResultForm(posted(request), prefix=f"loan-{aid.pk}")
    if aid.kind != AidKind.LOAN_APPLICATION:
        form.add_error(None, _("貸付の申請支援ではない記録には結果を記録できません。"))
    elif form.is_valid():
        data = form.cleaned_data
        try:
            changes.update_loan_result(aid, user, data["loan_result"], data["result_on"], data["base_version"])
        except StaleEditError:
            form.add_error(None, STALE_EDIT)
        else:
            messages.success(request, _("貸付の結果を記録しました。"))
            return redirect("programmes:case", code=aid.case.code)
    return _case_page(request, aid.case, status=422, failed_loan=(aid.pk, form))


@require_POST
@staff_required
def application_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = locating_case_for(user, code)
    form = ApplicationForm(posted(request))
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in HousingApplication.FACT_FIELDS}
        application = changes.save_application(case, user, values)
        messages.success(request, _("住居確保給付金の申請を記録しました。"))
        return redirect(application.get_absolute_url())
    return _case_page(request, case, status=422, application_form=form)


@require_POST
@staff_required
def stay_add(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = locating_case_for(user, code)
    form = StayForm(posted(request), auto_id=NEW_STAY)
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in StayForm.Meta.fields}
        try:
            changes.save_stay(case, user, values)
        except ProgrammeError as error:
            _error_to(form, error)
        else:
            messages.success(request, _("居住支援の滞在を記録しました。"))
            return redirect("programmes:case", code=case.code)
    return _case_page(request, case, status=422, stay_form=form)


@require_POST
@staff_required
def stay_edit(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    stay = stay_for(user, code, write=True)
    form = StayForm(posted(request), instance=Stay.objects.get(pk=stay.pk), auto_id=f"stay-{stay.pk}-%s")
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in StayForm.Meta.fields}
        try:
            changes.save_stay(stay.case, user, values, stay, form.cleaned_data["base_version"])
        except ProgrammeError as error:
            _error_to(form, error)
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT, field="base_version")
        else:
            messages.success(request, _("居住支援の滞在を更新しました。"))
            return redirect("programmes:case", code=stay.case.code)
    return _case_page(request, stay.case, status=422, failed_stay=(stay.pk, form))


# 住居確保給付金 ---------------------------------------------------------------------------


def _housing_page(
    request: HttpRequest, application: HousingApplication, status: int = 200, **forms: Any
) -> HttpResponse:
    user = current_staff(request)
    case = application.case
    writable = may_write(user, case)
    record(user, Action.VIEW, case, object_type="programmes.housingapplication", object_code=str(application.code))
    if application.decision is None:
        application.decision = changes.housing_decision(case)
    payments = {p.month: p for p in application.payments.select_related("recorded_by")}
    failed = forms.get("failed_payment")
    months = []
    for month in changes.schedule(application):
        payment = payments.pop(month, None)
        form = None
        if writable and application.eligible:
            if failed is not None and failed.prefix == f"m{month:%Y%m}":
                form = failed
            else:
                form = PaymentForm(
                    initial={
                        "month": month,
                        "status": payment.status if payment else PaymentStatus.PAID,
                        "paid_on": payment.paid_on if payment else None,
                        "stop_reason": payment.stop_reason if payment else "",
                        "base_version": payment.version if payment else 0,
                    },
                    prefix=f"m{month:%Y%m}",
                )
        months.append((month, payment, form))
    placed = failed is not None and any(form is failed for _m, _p, form in months)
    duties = list(application.duties.select_related("recorded_by")[:200])
    context = {
        "case": case,
        "person": person_for(user, case.person.code).person,
        "application": application,
        "writable": writable,
        "limits": changes.limits_for(case, application.household_size),
        "months": months,
        "outside": list(payments.values()),
        # A refused month that has no row (outside the schedule) shows its messages above the table.
        "unplaced": failed if failed is not None and not placed else None,
        "duties": duties,
        "checks": list(application.duty_checks.all()[:24]),
        "duty_form": forms.get("duty_form")
        or (DutyForm(initial={"done_on": timezone.localdate()}) if writable else None),
        "edit_form": forms.get("edit_form")
        or (ApplicationForm(instance=application, initial={"base_version": application.version}) if writable else None),
    }
    return render(request, "programmes/housing.html", context, status=status)


@require_http_methods(["GET", "POST"])
@staff_required
def housing(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    posting = request.method == "POST"
    application = application_for(user, code, write=posting, locating=posting)
    if request.method == "GET":
        return _housing_page(request, application)
    form = ApplicationForm(posted(request), instance=HousingApplication.objects.get(pk=application.pk))
    if form.is_valid():
        values = {name: form.cleaned_data[name] for name in HousingApplication.FACT_FIELDS}
        try:
            changes.save_application(application.case, user, values, application, form.cleaned_data["base_version"])
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT, field="base_version")
        else:
            messages.success(request, _("申請の内容を更新しました。"))
            return redirect(application.get_absolute_url())
    return _housing_page(request, application, status=422, edit_form=form)


@require_POST
@staff_required
def housing_pay(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    application = application_for(user, code, write=True)
    # Each month's form on the page has its own prefix (m202612): the posted one says which.
    prefix = next((k.split("-")[0] for k in request.POST if k.endswith("-month")), "")
    form = PaymentForm(posted(request), prefix=prefix or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes.record_payment(application, user, data["month"], data, data["base_version"])
        except ProgrammeError as error:
            _error_to(form, error)
        except StaleEditError:
            form.add_error(None, STALE_EDIT)
        else:
            messages.success(request, _("%(m)sの支給を記録しました。") % {"m": f"{data['month']:%Y年%-m月}"})
            return redirect(application.get_absolute_url())
    return _housing_page(request, application, status=422, failed_payment=form)


@require_POST
@staff_required
def housing_duty(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    application = application_for(user, code, write=True)
    form = DutyForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        changes.record_duty(application, user, data["kind"], data["done_on"], data["note"])
        messages.success(request, _("求職活動を記録しました。"))
        return redirect(application.get_absolute_url())
    return _housing_page(request, application, status=422, duty_form=form)


@require_GET
@staff_required
def housing_payments(request: HttpRequest) -> HttpResponse:
    """The month's payment list for the municipality's finance office."""
    user = current_staff(request)
    municipality = finance_municipality(user)
    month = MonthForm(request.GET).month_or(timezone.localdate())
    rows = ledger.payment_rows(user, municipality, month)
    record(user, Action.VIEW, object_type="programmes.housing_payments", detail=f"{month:%Y-%m}", path=request.path)
    return render(
        request,
        "programmes/payments.html",
        {"month": month, "rows": rows, "total": sum(r.amount for r in rows), "municipality": municipality},
    )


# 家計改善支援 ---------------------------------------------------------------------------


def _budget_initial(latest: HouseholdBudget | None) -> tuple[dict[str, Any], list[Any], list[Any]]:
    if latest is None:
        return {"budget_month": timezone.localdate().replace(day=1), "starting_balance": 0, "base_version": 0}, [], []
    initial: dict[str, Any] = {
        "budget_month": latest.budget_month,
        "starting_balance": latest.starting_balance,
        "note": latest.note,
        "base_version": latest.version,
    }
    initial.update({f"income_{k}": v for k, v in latest.income.items()})
    initial.update({f"spending_{k}": v for k, v in latest.spending.items()})
    return initial, list(latest.debts), list(latest.events)


def _row(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != "DELETE"}


@require_http_methods(["GET", "POST"])
@staff_required
def budget(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    case = programme_case_for(user, code, write=request.method == "POST")
    latest = current_version(HouseholdBudget, case)
    initial, debts, events = _budget_initial(latest)
    form = BudgetForm(posted(request), initial=initial)
    # A posted row is read as posted: with the stored rows as `initial`, an unchanged row
    # beyond INITIAL_FORMS would count as empty and be dropped.
    reading = request.method == "GET"
    debt_forms = DebtFormSet(posted(request), initial=debts if reading else None, prefix="debts")
    event_forms = EventFormSet(posted(request), initial=events if reading else None, prefix="events")
    if request.method == "POST" and form.is_valid() and debt_forms.is_valid() and event_forms.is_valid():
        values = form.values()
        values["debts"] = [
            _row(f.cleaned_data) for f in debt_forms.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        values["events"] = [
            {
                **_row(f.cleaned_data),
                "income": f.cleaned_data.get("income") or 0,
                "spending": f.cleaned_data.get("spending") or 0,
            }
            for f in event_forms.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        try:
            sheet = append_version(HouseholdBudget, case, user, form.cleaned_data["base_version"], values)
        except StaleEditError as error:
            refuse_stale_form(form, error.current, STALE_EDIT, field="base_version")
        else:
            messages.success(request, _("家計表を保存しました（第%(v)s版）。") % {"v": sheet.version})
            return redirect("programmes:budget", code=case.code)
    record(user, Action.VIEW, case, object_type="programmes.householdbudget", path=request.path)
    versions = HouseholdBudget.objects.filter(case=case).select_related("recorded_by").order_by("-version")
    return render(
        request,
        "programmes/budget.html",
        {
            "case": case,
            "person": person_for(user, case.person.code).person,
            "sheet": latest,
            "table": ledger.budget_table(latest) if latest else None,
            "debts": ledger.debt_rows(latest) if latest else [],
            "cashflow": ledger.cashflow(latest) if latest else [],
            "versions": versions,
            "writable": may_write(user, case),
            "form": form,
            "debt_forms": debt_forms,
            "event_forms": event_forms,
        },
        status=422 if request.method == "POST" else 200,
    )


# The centre's emergency ledger and food stock ----------------------------------------------


def _ledger_page(request: HttpRequest, stock_form: StockForm | None = None, status: int = 200) -> HttpResponse:
    user = current_staff(request)
    agency = centre_of(user)
    month = MonthForm(request.GET).month_or(timezone.localdate())
    record(user, Action.VIEW, object_type="programmes.ledger", detail=f"{month:%Y-%m}", path=request.path)
    return render(
        request,
        "programmes/ledger.html",
        {
            "month": month,
            "previous": ledger.shift(month, -1),
            "following": ledger.shift(month, 1),
            "rows": ledger.emergency_ledger(agency, month),
            "households": ledger.households_helped(agency, month),
            "stock": changes.stock_on_hand(agency),
            "stock_month": ledger.stock_month(agency, month),
            "stock_form": stock_form or StockForm(initial={"moved_on": timezone.localdate()}),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
@centre_staff_required
def emergency_ledger(request: HttpRequest) -> HttpResponse:
    return _ledger_page(request)


@require_POST
@centre_staff_required
def stock_add(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    agency = centre_of(user)
    form = StockForm(posted(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            changes.stock_in(agency, user, data["parcels"], data["best_before"], data["source"], data["moved_on"])
        except ProgrammeError as error:
            _error_to(form, error)
        else:
            messages.success(request, _("食料パックの入庫を記録しました。"))
            return redirect("programmes:ledger")
    return _ledger_page(request, form, status=422)


# 学習支援・就労準備支援 ----------------------------------------------------------------------


def _attendance_rows(request: HttpRequest, cases: list[Case], programme: str) -> list[dict[str, Any]]:
    rows = []
    for case in cases:
        key = str(case.code)
        rows.append(
            {
                "case": case,
                "key": key,
                "attended": request.POST.get(f"attended-{key}") == "on" if request.method == "POST" else True,
                "step": request.POST.get(f"step-{key}", "") if request.method == "POST" else "",
                "note": request.POST.get(f"note-{key}", "")[:300] if request.method == "POST" else "",
            }
        )
    return rows


@require_http_methods(["GET", "POST"])
@centre_staff_required
def sessions(request: HttpRequest) -> HttpResponse:
    user = current_staff(request)
    agency = centre_of(user)
    programme = request.GET.get("programme") or request.POST.get("programme") or GroupProgramme.CHILD_LEARNING
    if programme not in GroupProgramme.values:
        programme = GroupProgramme.CHILD_LEARNING
    form = SessionForm(posted(request), initial={"programme": programme, "held_on": timezone.localdate()})
    on = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["held_on"]
    cases = changes.participants(agency, programme, on)
    rows = _attendance_rows(request, cases, programme)
    step_error = ""
    if request.method == "POST" and form.is_valid():
        steps: list[int | None] = []
        for row in rows:
            value = row["step"]
            if value and (
                programme != GroupProgramme.WORK_PREPARATION or value not in {str(v) for v in WorkStep.values}
            ):
                step_error = _("段階は就労準備支援事業の日常生活自立・社会生活自立・就労自立から選んでください。")
            steps.append(int(value) if value and value.isdigit() else None)
        if not rows:
            form.add_error(None, _("この日に支援決定のある参加者がいません。先に参加者の支援決定を記録してください。"))
        elif not step_error:
            session = changes.record_session(
                agency,
                user,
                {name: form.cleaned_data[name] for name in SessionForm.Meta.fields},
                [(row["case"], row["attended"], step, row["note"]) for row, step in zip(rows, steps, strict=True)],
            )
            messages.success(request, _("実施と出欠を記録しました。"))
            return redirect(session.get_absolute_url())
    month = MonthForm(request.GET).month_or(timezone.localdate())
    rates = ledger.monthly_rates(agency, programme, month)
    hidden = _not_located(user, {row["case"].pk for row in rows} | {r.case.pk for r in rates})
    record(user, Action.VIEW, object_type="programmes.sessions", detail=programme, path=request.path)
    listed = Session.objects.filter(agency=agency, programme=programme).annotate(
        present=Count("attendance", filter=Q(attendance__attended=True)), invited=Count("attendance")
    )[:50]
    return render(
        request,
        "programmes/sessions.html",
        {
            "programme": programme,
            "programme_label": GroupProgramme(programme).label,
            "programmes": GroupProgramme.choices,
            "form": form,
            "rows": rows,
            "step_choices": STEP_CHOICES if programme == GroupProgramme.WORK_PREPARATION else None,
            "step_error": step_error,
            "sessions": listed,
            "month": month,
            "rates": rates,
            "hidden": hidden,
        },
        status=422 if request.method == "POST" else 200,
    )


def _not_located(user: Any, case_ids: set[int]) -> set[int]:
    """The cases whose person the user may not locate (whereabouts confidentiality): a
    class's place and day would say where she is each week, so her name is not shown."""
    if not case_ids:
        return set()
    _confidential, located = location_annotations(user, "person")
    cases = Case.objects.filter(pk__in=case_ids).annotate(located=located).filter(located=False)
    return set(cases.values_list("pk", flat=True))


@require_GET
@centre_staff_required
def session_detail(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    user = current_staff(request)
    session = session_for(user, code)
    record(user, Action.VIEW, object_type="programmes.session", object_code=str(session.code), path=request.path)
    _confidential, located = location_annotations(user, "case__person")
    attendance = (
        session.attendance.select_related("case", "case__person")
        .annotate(located=located)
        .order_by("case__person__family_name_kana", "case_id")
    )
    return render(request, "programmes/session.html", {"session": session, "attendance": attendance})
