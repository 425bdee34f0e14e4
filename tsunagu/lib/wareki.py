"""和暦 (Japanese era) dates: formatting with 西暦, and parsing what workers type."""

import datetime as dt
import re
import unicodedata
from typing import NamedTuple

from django.utils import timezone


class Era(NamedTuple):
    name: str
    initial: str
    start: dt.date


# Newest first. Dates before 明治6年 (the solar calendar) are shown as 西暦 only.
ERAS: tuple[Era, ...] = (
    Era("令和", "R", dt.date(2019, 5, 1)),
    Era("平成", "H", dt.date(1989, 1, 8)),
    Era("昭和", "S", dt.date(1926, 12, 25)),
    Era("大正", "T", dt.date(1912, 7, 30)),
    Era("明治", "M", dt.date(1873, 1, 1)),
)
_MEIJI_FIRST_YEAR = 1868


def era_of(day: dt.date) -> tuple[Era, int] | None:
    """The era and its year for a date, or None before 明治6年."""
    for era in ERAS:
        if day >= era.start:
            first_year = _MEIJI_FIRST_YEAR if era.name == "明治" else era.start.year
            return era, day.year - first_year + 1
    return None


def era_year_label(year: int) -> str:
    return "元年" if year == 1 else f"{year}年"


def format_wareki(day: dt.date, *, seireki: bool = True) -> str:
    """令和8年11月26日（2026年）; 元年 for an era's first year."""
    found = era_of(day)
    if found is None:
        return f"{day.year}年{day.month}月{day.day}日"
    era, year = found
    text = f"{era.name}{era_year_label(year)}{day.month}月{day.day}日"
    return f"{text}（{day.year}年）" if seireki else text


def age_on(birth: dt.date, on: dt.date) -> int:
    """Full years of age on a day (a 2/29 birthday turns on 3/1 in common years)."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


_ERA_BY_KEY = {era.name: era for era in ERAS} | {era.initial: era for era in ERAS}
_WAREKI = re.compile(
    r"^(?P<era>令和|平成|昭和|大正|明治|[RHSTM])\s*(?P<year>元|\d{1,2})\s*[年./-]\s*"
    r"(?P<month>\d{1,2})\s*[月./-]\s*(?P<day>\d{1,2})\s*日?$"
)
_SEIREKI = re.compile(r"^(?P<year>\d{4})\s*[年./-]\s*(?P<month>\d{1,2})\s*[月./-]\s*(?P<day>\d{1,2})\s*日?$")
_COMPACT = re.compile(r"^(?P<year>\d{4})(?P<month>\d{2})(?P<day>\d{2})$")


def parse_date(text: str) -> dt.date | None:
    """A date typed as 西暦 (2026-11-26, 2026/11/26, 2026年11月26日, 20261126) or 和暦
    (令和8年11月26日, R8.11.26, 平成元年1月8日). None when it is not a real date, or a
    和暦 date outside its era (平成31年5月1日 does not exist)."""
    text = unicodedata.normalize("NFKC", text).strip().upper()
    if not text:
        return None
    match = _WAREKI.match(text)
    if match:
        era = _ERA_BY_KEY[match["era"]]
        year = 1 if match["year"] == "元" else int(match["year"])
        first_year = _MEIJI_FIRST_YEAR if era.name == "明治" else era.start.year
        day = _make_date(first_year + year - 1, int(match["month"]), int(match["day"]))
        if day is None or era_of(day) is None or era_of(day) != (era, year):
            return None
        return day
    match = _SEIREKI.match(text) or _COMPACT.match(text)
    if match:
        return _make_date(int(match["year"]), int(match["month"]), int(match["day"]))
    return None


def _make_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def short_wareki(value: dt.date | dt.datetime | None) -> str:
    """令和8年11月26日 for text written by the code (labels, choices, details): a datetime
    in local time. Never an ISO date on screen."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_wareki(value, seireki=False)


def wareki_moment(value: dt.datetime) -> str:
    """令和8年11月26日 14:05, in local time."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{format_wareki(local.date(), seireki=False)} {local:%H:%M}"
