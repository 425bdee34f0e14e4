"""The programmes' rules as pure functions (tested one by one in tests/test_rules.py):
住居確保給付金's eligibility, payment schedule and duties; 居住支援's stay period; the
attendance rate of 学習支援 and 就労準備支援.

The period arithmetic is the sheets' (sheets.rules: add_months, latest_end, rule_for),
so a stay is limited exactly like a 支援決定."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from tsunagu.lib.wareki import short_wareki
from tsunagu.sheets.rules import add_months, latest_end, rule_for


@dataclass(frozen=True)
class Limits:
    income_base: int
    rent_cap: int
    asset_cap: int


def default_limits(household_size: int) -> Limits:
    table: dict[int, list[int]] = settings.TSUNAGU_HOUSING_LIMITS
    size = min(max(household_size, 1), max(table))
    return Limits(*table[size])


@dataclass(frozen=True)
class Eligibility:
    eligible: bool
    reason: str
    monthly_payment: int


def yen(amount: int) -> str:
    return f"{amount:,}円"


def eligibility(*, lost_work: bool, monthly_income: int, assets: int, rent: int, limits: Limits) -> Eligibility:
    """住居確保給付金: income at most 基準額 + rent (rent counted up to 家賃上限), financial
    assets at most the cap, and the loss of work (or income as low as after it). The
    payment is the rent up to 家賃上限, less what the income exceeds 基準額 by."""
    counted_rent = min(rent, limits.rent_cap)
    ceiling = limits.income_base + counted_rent
    if not lost_work:
        return Eligibility(
            False, _("離職・廃業から2年以内、またはそれと同程度の収入の減少という要件を満たしていません。"), 0
        )
    if monthly_income > ceiling:
        return Eligibility(
            False,
            _("世帯の月収（%(income)s）が、基準額%(base)sと家賃%(rent)sの合計（%(ceiling)s）を超えています。")
            % {
                "income": yen(monthly_income),
                "base": yen(limits.income_base),
                "rent": yen(counted_rent),
                "ceiling": yen(ceiling),
            },
            0,
        )
    if assets > limits.asset_cap:
        return Eligibility(
            False,
            _("世帯の金融資産（%(assets)s）が上限（%(cap)s）を超えています。")
            % {"assets": yen(assets), "cap": yen(limits.asset_cap)},
            0,
        )
    payment = min(counted_rent, limits.income_base + rent - monthly_income)
    if payment <= 0:
        return Eligibility(False, _("収入から計算した支給額が0円になります。"), 0)
    return Eligibility(True, "", payment)


def payment_months(starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    """The months paid for a period (one per month of the period, named by the month it
    starts in, as the first day of that month): 11/15–2/14 is November, December, January."""
    months = []
    index = 0
    # Month `index` is paid while a period of `index` months ends before the period does.
    while latest_end(starts_on, index) < ends_on:
        months.append(add_months(starts_on, index).replace(day=1))
        index += 1
    return months


def month_end(month: dt.date) -> dt.date:
    return add_months(month.replace(day=1), 1) - dt.timedelta(days=1)


def checked_months(starts_on: dt.date, ends_on: dt.date) -> list[dt.date]:
    """The calendar months the duties are checked for: those the period covers in full."""
    first = starts_on if starts_on.day == 1 else add_months(starts_on.replace(day=1), 1)
    months = []
    while month_end(first) <= ends_on:
        months.append(first)
        first = add_months(first, 1)
    return months


def duty_shortfall(
    done: Iterable[tuple[str, dt.date]], month: dt.date, as_of: dt.date, required: dict[str, int] | None = None
) -> dict[str, list[int | str]]:
    """What the recipient is short of in `month`, counted up to `as_of`: per-month duties
    as [done, needed]; the weekly application as the Mondays of the weeks (starting in
    the month and over by `as_of`) without one. Empty when nothing is short."""
    required = required if required is not None else settings.TSUNAGU_HOUSING_DUTIES
    first, last = month.replace(day=1), month_end(month)
    rows = list(done)
    short: dict[str, list[int | str]] = {}
    for kind in ("consultation", "hello_work"):
        needed = required.get(kind, 0)
        count = sum(1 for k, day in rows if k == kind and first <= day <= min(last, as_of))
        if count < needed:
            short[kind] = [count, needed]
    per_week = required.get("job_application_per_week", 0)
    if per_week:
        weeks: list[int | str] = []
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        while monday <= last and monday + dt.timedelta(days=6) <= as_of:
            sunday = monday + dt.timedelta(days=6)
            applications = sum(1 for k, day in rows if k == "job_application" and monday <= day <= sunday)
            if applications < per_week:
                weeks.append(monday.isoformat())
            monday += dt.timedelta(days=7)
        if weeks:
            short["job_application"] = weeks
    return short


def shortfall_text(short: dict[str, list[int | str]]) -> str:
    parts = []
    if "consultation" in short:
        done, needed = short["consultation"]
        parts.append(_("面談 %(done)s/%(needed)s回") % {"done": done, "needed": needed})
    if "hello_work" in short:
        done, needed = short["hello_work"]
        parts.append(_("ハローワーク %(done)s/%(needed)s回") % {"done": done, "needed": needed})
    if "job_application" in short:
        weeks = "、".join(short_wareki(dt.date.fromisoformat(str(w))) for w in short["job_application"])
        parts.append(_("応募のない週: %(weeks)s〜") % {"weeks": weeks})
    return "、".join(parts)


def stay_errors(starts_on: dt.date, ends_on: dt.date, decided_until: dt.date | None) -> dict[str, str]:
    """Field → message for a stay that breaks 居住支援's period: the standard period
    (3 months) unless the case's decision, extended, runs longer; never past the maximum
    (3 months and its extension: 6)."""
    if ends_on < starts_on:
        return {"planned_end": _("退所予定日が入所日より前になっています。")}
    rule = rule_for("housing_support")
    longest = rule.months + rule.max_extensions * rule.extension_months
    maximum = latest_end(starts_on, longest)
    if ends_on > maximum:
        return {
            "planned_end": _("居住支援の滞在は最長%(months)sか月です。%(limit)s以前にしてください。")
            % {"months": longest, "limit": short_wareki(maximum)}
        }
    allowed = decided_until if decided_until is not None else latest_end(starts_on, rule.months)
    if ends_on > allowed:
        if decided_until is None:
            message = _(
                "居住支援の滞在は%(months)sか月（%(limit)sまで）です。それより長い滞在には支援決定とその延長が必要です。"
            ) % {"months": rule.months, "limit": short_wareki(allowed)}
        else:
            message = _(
                "支援決定の期間（%(limit)sまで）を超えています。延長の支援決定を記録してから変更してください。"
            ) % {"limit": short_wareki(allowed)}
        return {"planned_end": message}
    return {}


def attendance_rate(attended: int, total: int) -> int | None:
    """Percent, rounded down; None when there were no sessions."""
    return None if total == 0 else attended * 100 // total
