"""Days the offices are closed, and the month grid of the meeting calendar.

jpholiday knows the public holidays (振替休日 and 国民の休日 included) but not the
government offices' year-end closure, 29 December to 3 January (行政機関の休日に関する法律).
"""

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import jpholiday
from django.utils.translation import gettext as _

from tsunagu.lib.wareki import format_wareki


def is_year_end_closure(day: dt.date) -> bool:
    return (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3)


def holiday_name(day: dt.date) -> str:
    """The public holiday's name, or 年末年始（閉庁） in the closure, or ""."""
    name = jpholiday.is_holiday_name(day)
    if name:
        return str(name)
    if is_year_end_closure(day):
        return _("年末年始（閉庁）")
    return ""


def day_off_reason(day: dt.date) -> str:
    """Why the offices are closed on the day ("" on a working day): a meeting form warns."""
    name = holiday_name(day)
    if name:
        return name
    if day.weekday() == 5:
        return _("土曜日")
    if day.weekday() == 6:
        return _("日曜日")
    return ""


def month_heading(year: int, month: int) -> str:
    """令和8年12月 (the 和暦 of the month's first day, without the day)."""
    return format_wareki(dt.date(year, month, 1), seireki=False).partition("月")[0] + "月"


def parse_month(value: str | None, today: dt.date) -> tuple[int, int]:
    """`2026-12` as (2026, 12); anything else (or nothing) is the current month."""
    try:
        year_text, month_text = (value or "").split("-")
        year, month = int(year_text), int(month_text)
    except ValueError:
        return today.year, today.month
    if not (1900 <= year <= 2200 and 1 <= month <= 12):
        return today.year, today.month
    return year, month


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


@dataclass
class CalendarDay:
    day: dt.date
    in_month: bool
    holiday: str
    is_today: bool
    meetings: list[Any] = field(default_factory=list)

    @property
    def weekday(self) -> int:
        return self.day.weekday()

    @property
    def is_closed(self) -> bool:
        return bool(self.holiday) or self.day.weekday() >= 5


def month_weeks(year: int, month: int, meetings: list[Any], today: dt.date) -> list[list[CalendarDay]]:
    """The weeks (Monday first) covering the month, each day with its meetings."""
    by_day: dict[dt.date, list[Any]] = {}
    for meeting in meetings:
        by_day.setdefault(meeting.held_on, []).append(meeting)
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [
        [
            CalendarDay(
                day=day,
                in_month=day.month == month,
                holiday=holiday_name(day),
                is_today=day == today,
                meetings=by_day.get(day, []) if day.month == month else [],
            )
            for day in week
        ]
        for week in weeks
    ]
