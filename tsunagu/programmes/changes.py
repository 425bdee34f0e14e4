"""Every change to the programmes' records: one named function each, in one transaction
with its audit entry and its timeline entry (and any task), or a ProgrammeError that
names the form field (shown by the field, 422)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import OPEN_STATES, Case, Task, TaskKind, TimelineEntry, TimelineKind
from tsunagu.lib.versioning import StaleEditError, save_if_current
from tsunagu.lib.wareki import short_wareki
from tsunagu.programmes import rules
from tsunagu.programmes.models import (
    AidKind,
    AidSource,
    Attendance,
    DutyCheck,
    EmergencyAid,
    HousingApplication,
    HousingDuty,
    HousingLimit,
    HousingPayment,
    PaymentStatus,
    Session,
    Stay,
    StockMovement,
)
from tsunagu.sheets.models import Programme, SupportDecision


class ProgrammeError(Exception):
    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _log(case: Case, by: Staff | None, detail: str) -> None:
    # Shared with the team's partners only as far as their consent covers PROGRAMMES
    # (cases.views filters this kind of entry by the category).
    TimelineEntry.objects.create(case=case, kind=TimelineKind.PROGRAMME, actor=by, detail=detail[:500])


def _audit(by: Staff, action: str, case: Case, obj: Any, changes: dict[str, Any]) -> None:
    record(
        by,
        action,
        case,
        object_type=obj._meta.label_lower,
        object_code=str(getattr(obj, "code", "") or obj.pk),
        changes={k: str(v) for k, v in changes.items()},
    )


# 緊急支援 --------------------------------------------------------------------------------


def stock_on_hand(agency: Agency) -> list[tuple[dt.date, int]]:
    """Parcels on hand per best-before lot, soonest first (lots with none left dropped)."""
    lots = (
        StockMovement.objects.filter(agency=agency)
        .values("best_before")
        .annotate(left=Sum("parcels"))
        .order_by("best_before")
    )
    return [(lot["best_before"], lot["left"]) for lot in lots if lot["left"] > 0]


def stock_in(agency: Agency, by: Staff, parcels: int, best_before: dt.date, source: str, moved_on: dt.date) -> Any:
    if parcels <= 0:
        raise ProgrammeError("parcels", _("入庫する数は1以上にしてください。"))
    with transaction.atomic():
        move = StockMovement.objects.create(
            agency=agency, moved_on=moved_on, parcels=parcels, best_before=best_before, source=source, recorded_by=by
        )
        record(
            by,
            Action.CREATE,
            object_type="programmes.stockmovement",
            object_code=str(move.pk),
            changes={"parcels": str(parcels), "best_before": best_before.isoformat()},
        )
    return move


def _take_from_stock(aid: EmergencyAid, agency: Agency, by: Staff, parcels: int) -> None:
    """Parcels leave the soonest best-before lots first (a lot past its date is not given)."""
    # The agency's lots are locked so two parcels given at once cannot both take the last one.
    list(StockMovement.objects.select_for_update().filter(agency=agency).values_list("pk", flat=True))
    lots = [(day, left) for day, left in stock_on_hand(agency) if day >= aid.given_on]
    if sum(left for _day, left in lots) < parcels:
        raise ProgrammeError(
            "quantity",
            _("センターの備蓄が足りません（賞味期限内の在庫 %(n)s個）。") % {"n": sum(left for _d, left in lots)},
        )
    needed = parcels
    for day, left in lots:
        taken = min(left, needed)
        StockMovement.objects.create(
            agency=agency, moved_on=aid.given_on, parcels=-taken, best_before=day, aid=aid, recorded_by=by
        )
        needed -= taken
        if needed == 0:
            break


def record_aid(case: Case, by: Staff, values: dict[str, Any]) -> EmergencyAid:
    """Emergency help given on the day, at any open state of the case (before a plan too)."""
    if case.state not in OPEN_STATES:
        raise ProgrammeError(
            None,
            _("緊急支援は支援中のケースに記録します（このケースは「%(state)s」です）。")
            % {"state": case.get_state_display()},
        )
    with transaction.atomic():
        aid = EmergencyAid.objects.create(case=case, recorded_by=by, **values)
        if aid.kind == AidKind.FOOD and aid.source == AidSource.CENTRE_STOCK:
            if not aid.quantity:
                raise ProgrammeError("quantity", _("備蓄から渡した食料パックの数を入力してください。"))
            _take_from_stock(aid, case.agency, by, aid.quantity)
        _audit(by, Action.CREATE, case, aid, {k: v for k, v in values.items() if v not in ("", None)})
        _log(
            case,
            by,
            _("緊急支援: %(kind)s（%(source)s）")
            % {"kind": aid.get_kind_display(), "source": aid.get_source_display()},
        )
    return aid


def update_loan_result(aid: EmergencyAid, by: Staff, result: str, result_on: dt.date, base_version: int) -> None:
    before = {"loan_result": aid.loan_result, "result_on": aid.result_on}
    with transaction.atomic():
        aid.loan_result, aid.result_on = result, result_on
        save_if_current(aid, base_version, ["loan_result", "result_on"])
        _audit(by, Action.CHANGE, aid.case, aid, {"loan_result": f"{before['loan_result']} → {result}"})
        _log(aid.case, by, _("貸付の結果: %(r)s") % {"r": aid.get_loan_result_display()})


# 住居確保給付金 ---------------------------------------------------------------------------


def limits_for(case: Case, household_size: int) -> rules.Limits:
    row = (
        HousingLimit.objects.filter(municipality_id=case.agency.municipality_id, household_size__lte=household_size)
        .order_by("-household_size")
        .first()
    )
    if row is None:
        return rules.default_limits(household_size)
    return rules.Limits(row.income_base, row.rent_cap, row.asset_cap)


def housing_decision(case: Case) -> SupportDecision | None:
    return (
        SupportDecision.objects.filter(case=case, programme=Programme.HOUSING_BENEFIT)
        .prefetch_related("extensions")
        .order_by("-starts_on")
        .first()
    )


def save_application(
    case: Case, by: Staff, values: dict[str, Any], application: HousingApplication | None = None, base_version: int = 0
) -> HousingApplication:
    """Record (or correct) the application's facts and check eligibility against the
    municipality's limits for the household size."""
    result = rules.eligibility(
        lost_work=values["lost_work"],
        monthly_income=values["monthly_income"],
        assets=values["assets"],
        rent=values["rent"],
        limits=limits_for(case, values["household_size"]),
    )
    with transaction.atomic():
        created = application is None
        if application is None:
            application = HousingApplication(case=case, recorded_by=by)
        before = {name: getattr(application, name) for name in HousingApplication.FACT_FIELDS}
        for name, value in values.items():
            setattr(application, name, value)
        application.decision = application.decision or housing_decision(case)
        application.eligible = result.eligible
        application.refusal_reason = result.reason
        application.monthly_payment = result.monthly_payment
        fields = [*values, "decision", "eligible", "refusal_reason", "monthly_payment"]
        if created:
            application.save()
        else:
            save_if_current(application, base_version, fields)
        changes = {k: v for k, v in values.items() if created or before[k] != v}
        changes["eligible"] = result.eligible
        _audit(by, Action.CREATE if created else Action.CHANGE, case, application, changes)
        verdict = (
            _("要件を満たす（月額%(p)s）") % {"p": rules.yen(result.monthly_payment)}
            if result.eligible
            else _("要件を満たさない")
        )
        _log(case, by, _("住居確保給付金の申請: %(v)s") % {"v": verdict})
    return application


def schedule(application: HousingApplication) -> list[dt.date]:
    """The months to pay, from the decision and its extensions (none without a decision)."""
    decision = application.decision
    if decision is None:
        return []
    return rules.payment_months(decision.starts_on, decision.current_end())


def record_payment(
    application: HousingApplication, by: Staff, month: dt.date, values: dict[str, Any], base_version: int
) -> HousingPayment:
    """Record one month of the schedule as paid or stopped. `base_version` is the
    version the form read (0: no record yet): a month recorded by someone else since is
    refused as stale."""
    month = month.replace(day=1)
    if not application.eligible:
        raise ProgrammeError(None, _("要件を満たさない申請には支給を記録できません。"))
    if month not in schedule(application):
        raise ProgrammeError(
            "month", _("%(m)sは支給決定の期間（延長を含む）に入っていません。") % {"m": f"{month:%Y年%-m月}"}
        )
    status = values["status"]
    if status == PaymentStatus.STOPPED and not values.get("stop_reason"):
        raise ProgrammeError("stop_reason", _("支給を停止する理由を入力してください。"))
    if status == PaymentStatus.PAID and not values.get("paid_on"):
        raise ProgrammeError("paid_on", _("支給日を入力してください。"))
    amount = application.monthly_payment if status == PaymentStatus.PAID else 0
    with transaction.atomic():
        payment = HousingPayment.objects.select_for_update().filter(application=application, month=month).first()
        if payment is None:
            if base_version != 0:
                raise StaleEditError(None)
            payment = HousingPayment.objects.create(
                application=application,
                month=month,
                status=status,
                amount=amount,
                paid_on=values.get("paid_on") if status == PaymentStatus.PAID else None,
                stop_reason=values.get("stop_reason", "") if status == PaymentStatus.STOPPED else "",
                recorded_by=by,
            )
            action = Action.CREATE
        else:
            payment.status, payment.amount = status, amount
            payment.paid_on = values.get("paid_on") if status == PaymentStatus.PAID else None
            payment.stop_reason = values.get("stop_reason", "") if status == PaymentStatus.STOPPED else ""
            payment.recorded_by = by
            save_if_current(payment, base_version, ["status", "amount", "paid_on", "stop_reason", "recorded_by"])
            action = Action.CHANGE
        _audit(by, action, application.case, payment, {"month": month, "status": status, "amount": amount})
        label = f"{month.year}年{month.month}月"
        if status == PaymentStatus.PAID:
            detail = _("住居確保給付金 %(m)s分を支給（%(a)s）") % {"m": label, "a": rules.yen(amount)}
        else:
            detail = _("住居確保給付金 %(m)s分を停止: %(r)s") % {"m": label, "r": payment.stop_reason}
        _log(application.case, by, detail)
    return payment


def record_duty(application: HousingApplication, by: Staff, kind: str, done_on: dt.date, note: str) -> HousingDuty:
    with transaction.atomic():
        duty = HousingDuty.objects.create(
            application=application, kind=kind, done_on=done_on, note=note, recorded_by=by
        )
        _audit(by, Action.CREATE, application.case, duty, {"kind": kind, "done_on": done_on})
        _log(
            application.case,
            by,
            _("求職活動: %(k)s（%(d)s）") % {"k": duty.get_kind_display(), "d": short_wareki(done_on)},
        )
    return duty


def check_duties(as_of: dt.date, applications: Iterable[HousingApplication] | None = None) -> list[DutyCheck]:
    """The monthly check (manage.py check_housing_duties): for each recipient paid in
    `as_of`'s month, what is short so far; a shortfall becomes (or updates) a task for
    the worker due on the month's last day. Run again, it updates rather than repeats."""
    month = as_of.replace(day=1)
    if applications is None:
        applications = (
            HousingApplication.objects.filter(eligible=True, decision__isnull=False)
            .select_related("case", "decision")
            .prefetch_related("decision__extensions")
        )
    checks = []
    for application in applications:
        decision = application.decision
        if decision is None or month not in rules.checked_months(decision.starts_on, decision.current_end()):
            continue
        done = application.duties.filter(done_on__gte=month - dt.timedelta(days=6), done_on__lte=as_of)
        short = rules.duty_shortfall(done.values_list("kind", "done_on"), month, as_of)
        checks.append(_store_check(application, month, as_of, short))
    return checks


def _store_check(application: HousingApplication, month: dt.date, as_of: dt.date, short: dict[str, Any]) -> DutyCheck:
    case = application.case
    with transaction.atomic():
        check, _created = DutyCheck.objects.update_or_create(
            application=application, month=month, defaults={"checked_on": as_of, "shortfall": short}
        )
        if not short:
            return check
        title = _("住居確保給付金の求職活動が不足（%(m)s: %(s)s）") % {
            "m": f"{month.year}年{month.month}月",
            "s": rules.shortfall_text(short),
        }
        task = check.task
        if task is not None and task.done_at is None:
            task.title = title[:200]
            task.save(update_fields=["title"])
        else:
            task = Task.objects.create(
                case=case,
                title=title[:200],
                kind=TaskKind.HOUSING_DUTIES,
                due_on=rules.month_end(month),
                assignee_id=case.worker_id or application.recorded_by_id,
            )
            check.task = task
            check.save(update_fields=["task"])
        record(
            None,
            Action.CREATE,
            case,
            object_type="programmes.dutycheck",
            object_code=str(check.pk),
            changes={"month": month.isoformat(), "shortfall": str(short)},
        )
        _log(case, None, title)
    return check


# 家計改善支援: versions are appended by sheets.views.append_version (views.py). ---------------

# 居住支援 -------------------------------------------------------------------------------


def _stay_check(values: dict[str, Any], decision: SupportDecision | None) -> None:
    end = values.get("ended_on") or values["planned_end"]
    errors = rules.stay_errors(values["starts_on"], end, decision.current_end() if decision else None)
    for field, message in errors.items():
        raise ProgrammeError("ended_on" if values.get("ended_on") else field, message)
    if values.get("ended_on") and not values.get("move_on"):
        raise ProgrammeError("move_on", _("退所日を記録するときは、退所後の住まいも選んでください。"))


def save_stay(case: Case, by: Staff, values: dict[str, Any], stay: Stay | None = None, base_version: int = 0) -> Stay:
    decision = (
        stay.decision
        if stay is not None and stay.decision is not None
        else (
            SupportDecision.objects.filter(case=case, programme=Programme.HOUSING_SUPPORT)
            .prefetch_related("extensions")
            .order_by("-starts_on")
            .first()
        )
    )
    _stay_check(values, decision)
    with transaction.atomic():
        created = stay is None
        if stay is None:
            stay = Stay(case=case, recorded_by=by)
        for name, value in values.items():
            setattr(stay, name, value)
        stay.decision = decision
        if created:
            stay.save()
        else:
            save_if_current(stay, base_version, [*values, "decision"])
        _audit(by, Action.CREATE if created else Action.CHANGE, case, stay, values)
        if stay.ended_on:
            detail = _("居住支援: %(p)sを退所（%(m)s）") % {"p": stay.place, "m": stay.get_move_on_display()}
        else:
            detail = _("居住支援: %(p)sに滞在（%(s)s〜%(e)s予定）") % {
                "p": stay.place,
                "s": short_wareki(stay.starts_on),
                "e": short_wareki(stay.planned_end),
            }
        _log(case, by, detail)
    return stay


# 学習支援・就労準備支援 ----------------------------------------------------------------------


def participants(agency: Agency, programme: str, on: dt.date) -> list[Case]:
    """The cases with a decision for the programme in force on the day (extensions count)."""
    decisions = (
        SupportDecision.objects.filter(case__agency=agency, programme=programme, starts_on__lte=on)
        .select_related("case", "case__person")
        .prefetch_related("extensions")
        .order_by("case__person__family_name_kana", "case__person__given_name_kana", "case_id")
    )
    seen: dict[int, Case] = {}
    for decision in decisions:
        if decision.current_end() >= on:
            seen.setdefault(decision.case_id, decision.case)
    return list(seen.values())


def record_session(
    agency: Agency, by: Staff, values: dict[str, Any], rows: list[tuple[Case, bool, int | None, str]]
) -> Session:
    with transaction.atomic():
        session = Session.objects.create(agency=agency, recorded_by=by, **values)
        Attendance.objects.bulk_create(
            [
                Attendance(session=session, case=case, attended=attended, step=step, note=note, recorded_by=by)
                for case, attended, step, note in rows
            ]
        )
        record(
            by,
            Action.CREATE,
            object_type="programmes.session",
            object_code=str(session.code),
            changes={"programme": session.programme, "held_on": session.held_on.isoformat(), "rows": str(len(rows))},
        )
        for case, attended, _step, _note in rows:
            _log(
                case,
                by,
                _("%(p)s %(d)s: %(a)s")
                % {
                    "p": session.get_programme_display(),
                    "d": short_wareki(session.held_on),
                    "a": _("出席") if attended else _("欠席"),
                },
            )
    return session
