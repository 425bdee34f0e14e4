"""Figures read from the programmes' records: the centre's monthly emergency ledger and
food stock, the finance office's payment list, the household budget's tables, the
attendance rates; and, for the statistics (docs/programmes.md), the 住居確保給付金
decisions and payments of a municipality in a month."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, Municipality, Staff
from tsunagu.cases.models import Case
from tsunagu.people.models import location_annotations
from tsunagu.programmes import rules
from tsunagu.programmes.models import (
    INCOME_ITEMS,
    SPENDING_ITEMS,
    AidKind,
    Attendance,
    DebtStatus,
    EmergencyAid,
    HouseholdBudget,
    HousingApplication,
    HousingPayment,
    PaymentStatus,
    StockMovement,
    next_month,
)
from tsunagu.sheets.models import Programme, SupportDecision
from tsunagu.sheets.rules import add_months

# For the statistics -------------------------------------------------------------------------


def housing_payments_in(municipality: Municipality, month: dt.date) -> "QuerySet[HousingPayment]":
    """住居確保給付金 paid for `month` (any day of it) to recipients of the municipality's
    centres: one row per recipient and month, `amount` in yen. Count it for 支給件数,
    sum `amount` for 支給額, and `.values("application__case").distinct()` for 支給実人数."""
    return HousingPayment.objects.filter(
        month=month.replace(day=1),
        status=PaymentStatus.PAID,
        application__case__agency__municipality=municipality,
    )


def housing_decisions_in(municipality: Municipality, month: dt.date) -> "QuerySet[SupportDecision]":
    """New 住居確保給付金 decisions (支援決定) of the municipality decided in `month`
    (extensions are not new decisions; they are `DecisionExtension` rows)."""
    first = month.replace(day=1)
    return SupportDecision.objects.filter(
        programme=Programme.HOUSING_BENEFIT,
        case__agency__municipality=municipality,
        decided_on__gte=first,
        decided_on__lt=next_month(first),
    )


# 緊急支援 --------------------------------------------------------------------------------


def shift(month: dt.date, months: int) -> dt.date:
    return add_months(month.replace(day=1), months)


@dataclass
class LedgerRow:
    kind: str
    label: str
    times: int
    households: int
    quantity: int
    amount: int


def emergency_ledger(agency: Agency, month: dt.date) -> list[LedgerRow]:
    """What went out in the month, by kind: how often, to how many households (a person
    without a household counts as one), how many parcels/nights/items, how many yen."""
    aid = EmergencyAid.objects.filter(case__agency=agency).in_month(month)
    rows = (
        aid.values("kind")
        .annotate(
            times=Count("id"),
            people=Count("case__person", distinct=True),
            quantity=Sum("quantity"),
            amount=Sum("amount"),
            asked=Sum("amount_asked"),
        )
        .order_by("kind")
    )
    found = {r["kind"]: r for r in rows}
    return [
        LedgerRow(
            kind,
            str(label),
            found[kind]["times"],
            found[kind]["people"],
            found[kind]["quantity"] or 0,
            (found[kind]["amount"] or 0) + (found[kind]["asked"] or 0),
        )
        for kind, label in AidKind.choices
        if kind in found
    ]


def households_helped(agency: Agency, month: dt.date) -> int:
    """Households given anything in the month (a person's household, or the person)."""
    aid = EmergencyAid.objects.filter(case__agency=agency).in_month(month)
    pairs = aid.values_list("case__person_id", "case__person__household_membership__household_id").distinct()
    households = {("h", household) if household else ("p", person) for person, household in pairs}
    return len(households)


@dataclass
class StockMonth:
    opening: int
    received: int
    given: int
    closing: int


def stock_month(agency: Agency, month: dt.date) -> StockMonth:
    first = month.replace(day=1)
    moves = StockMovement.objects.filter(agency=agency)
    totals = moves.aggregate(
        opening=Sum("parcels", filter=Q(moved_on__lt=first)),
        received=Sum("parcels", filter=Q(moved_on__gte=first, moved_on__lt=next_month(first), parcels__gt=0)),
        given=Sum("parcels", filter=Q(moved_on__gte=first, moved_on__lt=next_month(first), parcels__lt=0)),
    )
    opening, received, given = totals["opening"] or 0, totals["received"] or 0, -(totals["given"] or 0)
    return StockMonth(opening, received, given, opening + received - given)


# 住居確保給付金: the finance office's list --------------------------------------------------


@dataclass
class PaymentRow:
    application: HousingApplication
    payment: HousingPayment | None
    status: str
    amount: int
    shows_landlord: bool


def payment_rows(user: Staff, municipality: Municipality, month: dt.date) -> list[PaymentRow]:
    """Each recipient whose schedule includes `month`: paid, stopped, or still to pay
    (at the decided monthly amount). The landlord and account of a person under
    whereabouts confidentiality are shown only to who may see where she is."""
    month = month.replace(day=1)
    _confidential, visible = location_annotations(user, "case__person_id")
    applications = (
        HousingApplication.objects.filter(
            eligible=True, decision__isnull=False, case__agency__municipality=municipality
        )
        .filter(decision__starts_on__lt=next_month(month))
        .annotate(location_visible=visible)
        .select_related("case", "case__person", "case__agency", "decision")
        .prefetch_related("decision__extensions")
        .order_by("case__person__family_name_kana", "case__person__given_name_kana", "id")
    )
    if user.works_in_centre and not user.is_municipal_officer:
        applications = applications.filter(case__agency=user.agency)
    payments = {p.application_id: p for p in HousingPayment.objects.filter(month=month, application__in=applications)}
    rows = []
    for application in applications:
        decision = application.decision
        if decision is None or month not in rules.payment_months(decision.starts_on, decision.current_end()):
            continue
        payment = payments.get(application.pk)
        if payment is None:
            status, amount = str(_("未記録（支給予定）")), application.monthly_payment
        elif payment.status == PaymentStatus.STOPPED:
            status, amount = str(_("停止: %(r)s") % {"r": payment.stop_reason}), 0
        else:
            status, amount = str(payment.get_status_display()), payment.amount
        rows.append(PaymentRow(application, payment, status, amount, bool(application.location_visible)))
    return rows


# 家計改善支援 ---------------------------------------------------------------------------


def budget_table(sheet: HouseholdBudget) -> dict[str, Any]:
    return {
        "income": [(label, int(sheet.income.get(name) or 0)) for name, label in INCOME_ITEMS],
        "spending": [(label, int(sheet.spending.get(name) or 0)) for name, label in SPENDING_ITEMS],
    }


def debt_rows(sheet: HouseholdBudget) -> list[dict[str, Any]]:
    statuses = dict(DebtStatus.choices)
    return [{**debt, "status_label": str(statuses.get(debt.get("status"), ""))} for debt in sheet.debts]


@dataclass
class CashFlowMonth:
    month: dt.date
    income: int
    spending: int
    events: list[str]
    balance: int


def cashflow(sheet: HouseholdBudget) -> list[CashFlowMonth]:
    """The キャッシュフロー表: 12 months from the budget's month, the monthly budget plus
    each month's one-off items, and the money left at each month's end."""
    extra: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in sheet.events:
        extra[int(event.get("month", 0))].append(event)
    balance = sheet.starting_balance
    months = []
    for index in range(12):
        income = sheet.income_total + sum(int(e.get("income") or 0) for e in extra[index])
        spending = sheet.spending_total + sum(int(e.get("spending") or 0) for e in extra[index])
        balance += income - spending
        months.append(
            CashFlowMonth(
                add_months(sheet.budget_month, index),
                income,
                spending,
                [str(e["label"]) for e in extra[index]],
                balance,
            )
        )
    return months


# 学習支援・就労準備支援 ----------------------------------------------------------------------


@dataclass
class Rate:
    month: dt.date
    attended: int
    total: int
    step: int | None

    @property
    def percent(self) -> int | None:
        return rules.attendance_rate(self.attended, self.total)


def attendance_by_month(attendance: "QuerySet[Attendance]") -> list[tuple[str, list[Rate]]]:
    """One case's attendance per programme and month, newest month first."""
    rows = attendance.values("session__programme", "session__held_on", "attended", "step")
    grouped: dict[str, dict[dt.date, Rate]] = defaultdict(dict)
    for row in rows:
        month = row["session__held_on"].replace(day=1)
        rate = grouped[row["session__programme"]].setdefault(month, Rate(month, 0, 0, None))
        rate.total += 1
        rate.attended += 1 if row["attended"] else 0
        if row["step"]:
            rate.step = max(rate.step or 0, row["step"])
    labels = dict(Programme.choices)
    return [
        (str(labels[programme]), sorted(months.values(), key=lambda r: r.month, reverse=True))
        for programme, months in grouped.items()
    ]


@dataclass
class ParticipantRate:
    case: Any
    attended: int
    total: int
    step: int | None

    @property
    def percent(self) -> int | None:
        return rules.attendance_rate(self.attended, self.total)


def monthly_rates(agency: Agency, programme: str, month: dt.date) -> list[ParticipantRate]:
    """Each participant's attendance in the month, and (就労準備) the highest step reached."""
    first = month.replace(day=1)
    rows = (
        Attendance.objects.filter(
            session__agency=agency,
            session__programme=programme,
            session__held_on__gte=first,
            session__held_on__lt=next_month(first),
        )
        .values("case")
        .annotate(
            attended=Count("id", filter=Q(attended=True)),
            total=Count("id"),
        )
    )
    steps = dict(
        Attendance.objects.filter(session__agency=agency, session__programme=programme, step__isnull=False)
        .values("case")
        .annotate(best=Max("step"))
        .values_list("case", "best")
    )
    cases = Case.objects.select_related("person").in_bulk([r["case"] for r in rows])
    return sorted(
        (ParticipantRate(cases[r["case"]], r["attended"], r["total"], steps.get(r["case"])) for r in rows),
        key=lambda p: (p.case.person.family_name_kana, p.case.person.given_name_kana),
    )
