"""Periods of the statutory programmes (DOMAIN.md §3) and the checks on decisions.

住居確保給付金 follows its rule (3 months, extended at most twice by 3 months, each
extension requested before the paid period ends). The others have a standard period
(common practice, about a year for 就労準備支援) and may be extended once; centres
with other practice override them in settings.TSUNAGU_PROGRAMME_RULES."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from tsunagu.lib.wareki import short_wareki


@dataclass(frozen=True)
class Rule:
    months: int
    max_extensions: int
    extension_months: int


DEFAULT_RULES: dict[str, Rule] = {
    "housing_benefit": Rule(months=3, max_extensions=2, extension_months=3),
    "work_preparation": Rule(months=12, max_extensions=1, extension_months=12),
    "household_budget": Rule(months=12, max_extensions=1, extension_months=12),
    "housing_support": Rule(months=3, max_extensions=1, extension_months=3),
    "child_learning": Rule(months=12, max_extensions=1, extension_months=12),
    "certified_work_training": Rule(months=12, max_extensions=1, extension_months=12),
}


def rule_for(programme: str) -> Rule:
    overrides: dict[str, dict[str, int]] = settings.TSUNAGU_PROGRAMME_RULES
    if programme in overrides:
        return Rule(**overrides[programme])
    return DEFAULT_RULES[programme]


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (1/31 + 1 month = 2/28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_end(starts_on: dt.date, months: int) -> dt.date:
    """The last day of a period of `months` starting on `starts_on` (民法143条): the day
    before the corresponding day of the last month, or, when that month has no such day
    (a period from 1/31), the month's last day."""
    month_index = starts_on.month - 1 + months
    year, month = starts_on.year + month_index // 12, month_index % 12 + 1
    if starts_on.day > calendar.monthrange(year, month)[1]:
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return dt.date(year, month, starts_on.day) - dt.timedelta(days=1)


def decision_errors(programme: str, starts_on: dt.date, ends_on: dt.date) -> dict[str, str]:
    """Field → message for a decision that breaks its programme's rule."""
    if ends_on < starts_on:
        return {"ends_on": _("終了日が開始日より前になっています。")}
    rule = rule_for(programme)
    limit = latest_end(starts_on, rule.months)
    if ends_on > limit:
        return {
            "ends_on": _("この事業の支援期間は%(months)sか月までです。終了日は%(limit)s以前にしてください。")
            % {"months": rule.months, "limit": short_wareki(limit)}
        }
    return {}


def extension_errors(
    programme: str, current_end: dt.date, extensions_so_far: int, requested_on: dt.date, new_ends_on: dt.date
) -> dict[str, str]:
    """Field → message for an extension that breaks the rule."""
    rule = rule_for(programme)
    if extensions_so_far >= rule.max_extensions:
        return {
            "__all__": _("この事業の延長は%(count)s回までです。すでに%(count)s回延長されています。")
            % {"count": rule.max_extensions}
        }
    if requested_on > current_end:
        return {
            "requested_on": _("延長は支給・支援期間が終わる前（%(end)sまで）に申請されている必要があります。")
            % {"end": short_wareki(current_end)}
        }
    if new_ends_on <= current_end:
        return {
            "new_ends_on": _("延長後の終了日は現在の終了日（%(end)s）より後にしてください。")
            % {"end": short_wareki(current_end)}
        }
    limit = latest_end(current_end + dt.timedelta(days=1), rule.extension_months)
    if new_ends_on > limit:
        return {
            "new_ends_on": _("1回の延長は%(months)sか月までです。延長後の終了日は%(limit)s以前にしてください。")
            % {"months": rule.extension_months, "limit": short_wareki(limit)}
        }
    return {}
