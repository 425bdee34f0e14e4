"""Template filters every page uses (loaded as a builtin in settings.TEMPLATES)."""

import datetime as dt

from django import template
from django.utils import timezone

from tsunagu.lib.wareki import age_on, format_wareki

register = template.Library()


@register.filter
def wareki(value: dt.date | dt.datetime | None) -> str:
    """令和8年11月26日（2026年）; a datetime is shown in local time, date only."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_wareki(value)


@register.filter
def wareki_short(value: dt.date | dt.datetime | None) -> str:
    """令和8年11月26日, without the 西暦 in brackets (for dense tables)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_wareki(value, seireki=False)


@register.filter
def wareki_time(value: dt.datetime | None) -> str:
    """令和8年11月26日（2026年） 14:05 in local time."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{format_wareki(local.date())} {local:%H:%M}"


@register.filter
def age(birth: dt.date | None) -> str:
    if birth is None:
        return ""
    return str(age_on(birth, timezone.localdate()))
