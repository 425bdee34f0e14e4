import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency
from tsunagu.lib.forms import Form
from tsunagu.statistics.definitions import Period, fiscal_year, parse_month


class PeriodForm(Form):
    """Which period (a month, or a fiscal year) and which centre (empty: the
    municipality's centres together)."""

    month = forms.CharField(label=_("月"), required=False, max_length=7, help_text=_("例: 2026-11（西暦の年と月）"))
    year = forms.IntegerField(
        label=_("年度"), required=False, min_value=2000, max_value=2100, help_text=_("例: 2026（4月から翌年3月まで）")
    )
    centre = forms.TypedChoiceField(label=_("機関"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, centres: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.centres = {c.pk: c for c in centres}
        self.fields["centre"].choices = [("", _("自治体全体")), *[(c.pk, c.name) for c in centres]]  # type: ignore[attr-defined]

    def clean_month(self) -> Period | None:
        text = self.cleaned_data.get("month") or ""
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError:
            raise forms.ValidationError(_("月は「2026-11」のように、西暦の年と月で入力してください。")) from None

    def period(self) -> Period:
        """The chosen period: the fiscal year if one is given, else the month, else
        this month."""
        data = self.cleaned_data
        if data.get("year"):
            return fiscal_year(data["year"])
        if data.get("month"):
            return data["month"]
        today: dt.date = timezone.localdate()
        return parse_month(f"{today:%Y-%m}")

    def chosen_centre(self) -> Agency | None:
        return self.centres.get(self.cleaned_data.get("centre") or 0)
