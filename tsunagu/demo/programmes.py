"""The programmes running in the demo town (tsunagu.programmes), written after the
standard forms and their 支援決定 (the loader calls `load_programmes(municipality)`):

- this month's emergency help: food parcels into the centre's stock on the 1st, parcels
  from it and from the food bank, a bus fare and a 緊急小口資金 application sent to the
  社協 — the month's ledger;
- a 住居確保給付金 recipient (the first housing benefit decision that was extended): the
  application, its first three months paid to the landlord, duties recorded, one month
  short (the monthly check's task, which the worker followed up);
- a 家計表 before and after 家計改善支援 (two versions, with the debts);
- a shelter stay (居住支援) that ended in a rented flat;
- a children's class (学習支援) with attendance.

Everything goes through the app's named changes (audited, on the timeline), chosen in a
fixed order; the rows and their timeline entries get past dates, as elsewhere in the demo.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from tsunagu.accounts.models import Municipality, Role, Staff
from tsunagu.cases.models import OPEN_STATES, Case, Task, TimelineEntry, TimelineKind
from tsunagu.demo.loader import half_past
from tsunagu.programmes import changes, rules
from tsunagu.programmes.models import (
    DutyKind,
    EmergencyAid,
    HouseholdBudget,
    HousingApplication,
    HousingPayment,
    Session,
    Stay,
    StockMovement,
)
from tsunagu.sheets.models import Programme, SupportDecision
from tsunagu.sheets.views import append_version


def _backdate(case: Case, day: dt.date) -> None:
    """The programme entries just written on the case happened on `day` (never before
    the case was opened)."""
    when = max(half_past(day), case.created_at)
    recent = TimelineEntry.objects.filter(case=case, kind=TimelineKind.PROGRAMME, at__gt=when)
    recent.filter(at__gte=timezone.now() - dt.timedelta(minutes=5)).update(at=when)


def load_programmes(municipality: Municipality) -> dict[str, int]:
    centre_staff = Staff.objects.filter(agency__municipality=municipality, agency__kind="consultation_centre")
    chief = centre_staff.filter(role=Role.CHIEF).order_by("id").first()
    if chief is None:
        return {}
    with transaction.atomic():
        _emergency(municipality, chief)
        _housing_benefit(municipality)
        _budget(municipality)
        _stay(municipality)
        _class(municipality, chief)
    return {
        "emergency_aid": EmergencyAid.objects.filter(case__agency__municipality=municipality).count(),
        "housing_payments": HousingPayment.objects.filter(application__case__agency__municipality=municipality).count(),
        "stays": Stay.objects.filter(case__agency__municipality=municipality).count(),
        "sessions": Session.objects.filter(agency__municipality=municipality).count(),
    }


def _open_cases(municipality: Municipality) -> list[Case]:
    return list(
        Case.objects.filter(agency__municipality=municipality, state__in=OPEN_STATES, worker__isnull=False)
        .exclude(person__confidentiality_orders__isnull=False)
        .select_related("agency", "worker", "person")
        .order_by("id")
    )


def _emergency(municipality: Municipality, chief: Staff) -> None:
    cases = _open_cases(municipality)
    if len(cases) < 3:
        return
    today = timezone.localdate()
    first = today.replace(day=1)
    centre = cases[0].agency
    changes.stock_in(centre, chief, 30, rules.add_months(first, 2), "フードバンクあきた", first)
    changes.stock_in(centre, chief, 6, first + dt.timedelta(days=20), "地元スーパーの寄付", first)
    days = sorted({max(first, today - dt.timedelta(days=n)) for n in (0, 2, 4, 5)})
    given = [
        (cases[0], {"kind": "food", "source": "centre_stock", "quantity": 3, "note": "3日分の食料パック"}),
        (cases[1], {"kind": "food", "source": "food_bank", "quantity": 1, "note": "米5kgと缶詰"}),
        (cases[2], {"kind": "transport", "source": "centre_fund", "amount": 1200, "note": "ハローワークまでのバス代"}),
        (
            cases[1],
            {
                "kind": "loan_application",
                "source": "social_welfare_council",
                "loan_kind": "emergency_small",
                "amount_asked": 100000,
                "loan_result": "pending",
                "note": "家賃と光熱費の滞納分",
            },
        ),
    ]
    for (case, values), day in zip(given, days * 2, strict=False):
        day = max(day, case.opened_on)
        extra = {"sent_on": day} if values["kind"] == "loan_application" else {}
        changes.record_aid(case, case.worker or chief, {**values, **extra, "given_on": day, "given_by": case.worker})
        _backdate(case, day)
    StockMovement.objects.filter(agency=centre, aid__isnull=False).update(recorded_at=half_past(first))


def _housing_benefit(municipality: Municipality) -> None:
    decision = (
        SupportDecision.objects.filter(
            case__agency__municipality=municipality, programme=Programme.HOUSING_BENEFIT, extensions__isnull=False
        )
        .select_related("case", "case__worker", "case__agency")
        .prefetch_related("extensions")
        .order_by("id")
        .first()
    )
    if decision is None or decision.case.worker is None:
        return
    case, worker = decision.case, decision.case.worker
    applied_on = max(decision.decided_on - dt.timedelta(days=7), case.opened_on)
    values: dict[str, object] = {
        "applied_on": applied_on,
        "lost_work": True,
        "household_size": 1,
        "monthly_income": 52000,
        "assets": 80000,
        "rent": 40000,
        "landlord_name": "雄勝野不動産管理",
        "bank_name": "秋田銀行",
        "bank_branch": "雄勝野支店",
        "account_type": "ordinary",
        "account_number": "3141592",
        "account_holder": "オガチノフドウサンカンリ",
    }
    application = changes.save_application(case, worker, values)
    HousingApplication.objects.filter(pk=application.pk).update(recorded_at=half_past(applied_on))
    _backdate(case, applied_on)
    today = timezone.localdate()
    months = [m for m in changes.schedule(application) if rules.month_end(m) < today][:3]
    for month in months:
        paid_on = min(month + dt.timedelta(days=24), today)
        changes.record_payment(application, worker, month, {"status": "paid", "paid_on": paid_on}, 0)
        _backdate(case, paid_on)
    checked = [
        m for m in rules.checked_months(decision.starts_on, decision.current_end()) if rules.month_end(m) < today
    ]
    for index, month in enumerate(checked):
        short = index == len(checked) - 1  # the latest month over: two consultations only
        _duties(application, worker, month, short)
        check_day = month.replace(day=25)
        check = changes.check_duties(check_day, [application])
        _backdate(case, check_day)
        for row in check:
            if row.task is not None:
                # The worker set two more consultations before the month ended.
                Task.objects.filter(pk=row.task.pk).update(
                    created_at=half_past(check_day, 7), done_at=half_past(month.replace(day=26)), done_by=worker
                )


def _duties(application: HousingApplication, worker: Staff, month: dt.date, short: bool) -> None:
    end = rules.month_end(month)
    consultations = [3, 10] if short else [3, 10, 17, 24]
    for day in consultations:
        changes.record_duty(
            application, worker, DutyKind.CONSULTATION, month.replace(day=day), "面談（求職活動の確認）"
        )
    for day in (6, 20):
        changes.record_duty(application, worker, DutyKind.HELLO_WORK, month.replace(day=day), "ハローワークで職業相談")
    monday = month + dt.timedelta(days=(7 - month.weekday()) % 7)
    while monday <= end:
        changes.record_duty(application, worker, DutyKind.JOB_APPLICATION, monday + dt.timedelta(days=1), "求人に応募")
        monday += dt.timedelta(days=7)
    _backdate(application.case, end)


def _budget(municipality: Municipality) -> None:
    decision = (
        SupportDecision.objects.filter(case__agency__municipality=municipality, programme=Programme.HOUSEHOLD_BUDGET)
        .select_related("case", "case__worker")
        .order_by("id")
        .first()
    )
    if decision is None or decision.case.worker is None:
        return
    case, worker = decision.case, decision.case.worker
    before_month = decision.starts_on.replace(day=1)
    debts = [
        {"creditor": "消費者金融A社", "balance": 480000, "monthly": 20000, "status": "consulting"},
        {"creditor": "クレジットカードB", "balance": 230000, "monthly": 15000, "status": "none"},
        {"creditor": "家賃の滞納（大家）", "balance": 80000, "monthly": 10000, "status": "none"},
    ]
    income = {"wages": 135000, "pension": 0, "allowances": 0, "support": 0}
    before = {
        "housing": 42000,
        "food": 45000,
        "utilities": 14000,
        "phone": 12000,
        "insurance": 8000,
        "education": 0,
        "transport": 6000,
        "daily": 8000,
        "medical": 3000,
        "repayment": 45000,
        "other": 12000,
    }
    after = {**before, "food": 34000, "phone": 4000, "insurance": 5000, "repayment": 13000, "other": 4000}
    first = append_version(
        HouseholdBudget,
        case,
        worker,
        0,
        {
            "budget_month": before_month,
            "income": income,
            "spending": before,
            "debts": debts,
            "starting_balance": 12000,
            "events": [{"month": 1, "label": "車検", "income": 0, "spending": 60000}],
            "note": "毎月約6万円の赤字。返済が収入の3分の1を占め、カードで生活費を補っている。",
        },
    )
    settled = [
        {**debts[0], "status": "voluntary", "monthly": 8000},
        {**debts[1], "status": "voluntary", "monthly": 5000},
    ]
    second = append_version(
        HouseholdBudget,
        case,
        worker,
        1,
        {
            "budget_month": rules.add_months(before_month, 2),
            "income": income,
            "spending": after,
            "debts": [*settled, {**debts[2], "status": "done", "balance": 0, "monthly": 0}],
            "starting_balance": 5000,
            "events": [{"month": 3, "label": "冬の灯油代", "income": 0, "spending": 15000}],
            "note": "任意整理で返済を月1.3万円に。格安スマホへの切り替えで通信費を減らし、毎月わずかに黒字。",
        },
    )
    for sheet, day in (
        (first, decision.starts_on),
        (second, min(rules.add_months(decision.starts_on, 2), timezone.localdate())),
    ):
        HouseholdBudget.objects.filter(pk=sheet.pk).update(recorded_at=half_past(day))
        entries = TimelineEntry.objects.filter(case=case, kind=TimelineKind.SHEET, detail=f"家計表 第{sheet.version}版")
        entries.update(at=half_past(day))


def _stay(municipality: Municipality) -> None:
    today = timezone.localdate()
    decision = (
        SupportDecision.objects.filter(case__agency__municipality=municipality, programme=Programme.HOUSING_SUPPORT)
        .select_related("case", "case__worker")
        .prefetch_related("extensions")
        .order_by("id")
        .first()
    )
    if decision is None or decision.case.worker is None or decision.starts_on >= today - dt.timedelta(days=2):
        return
    case, worker = decision.case, decision.case.worker
    starts = decision.starts_on
    ended = min(starts + dt.timedelta(days=58), today - dt.timedelta(days=1), decision.current_end())
    values = {
        "place_kind": "shelter",
        "place": "雄勝野市一時生活支援施設「みちのく荘」",
        "starts_on": starts,
        "planned_end": min(rules.latest_end(starts, 3), decision.current_end()),
        "meals_per_day": 2,
    }
    stay = changes.save_stay(case, worker, values)
    _backdate(case, starts)
    changes.save_stay(
        case,
        worker,
        {**values, "ended_on": ended, "move_on": "rented_flat", "move_on_note": "市内の民間アパート（家賃4万円）"},
        stay,
        stay.version,
    )
    _backdate(case, ended)


def _class(municipality: Municipality, chief: Staff) -> None:
    today = timezone.localdate()
    centre = chief.agency
    if centre is None:
        return
    # Saturdays of the last five weeks: the class meets at the 公民館.
    saturday = today - dt.timedelta(days=(today.weekday() - 5) % 7 or 7)
    for week in range(4, -1, -1):
        day = saturday - dt.timedelta(days=7 * week)
        children = changes.participants(centre, Programme.CHILD_LEARNING, day)
        if not children:
            continue
        rows: list[tuple[Case, bool, int | None, str]] = [
            (case, (index + week) % 4 != 0, None, "") for index, case in enumerate(children)
        ]
        session = changes.record_session(
            centre,
            chief,
            {
                "programme": "child_learning",
                "held_on": day,
                "place": "中央公民館 2階学習室",
                "title": "宿題と読書の時間",
            },
            rows,
        )
        Session.objects.filter(pk=session.pk).update(recorded_at=half_past(day, 16))
        for case in children:
            _backdate(case, day)
