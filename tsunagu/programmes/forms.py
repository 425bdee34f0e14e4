import datetime as dt
import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.forms import DateInput, Form, ModelForm
from tsunagu.programmes.models import (
    INCOME_ITEMS,
    SPENDING_ITEMS,
    AidKind,
    DebtStatus,
    EmergencyAid,
    HousingApplication,
    HousingDuty,
    LoanResult,
    PaymentStatus,
    Session,
    Stay,
    WorkStep,
)

YEN_MAX = 100_000_000


def yen_field(label: Any, *, required: bool = True) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=required, min_value=0, max_value=YEN_MAX)


class AidForm(ModelForm):
    class Meta:
        model = EmergencyAid
        fields = (
            "kind",
            "source",
            "given_on",
            "quantity",
            "amount",
            "loan_kind",
            "sent_on",
            "amount_asked",
            "loan_result",
            "note",
        )
        widgets = {"given_on": DateInput(), "sent_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == AidKind.LOAN_APPLICATION:
            for name, message in (
                ("loan_kind", _("貸付の種類を選んでください。")),
                ("sent_on", _("社協に送った日を入力してください。")),
                ("amount_asked", _("申請額を入力してください。")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif kind in {AidKind.FOOD, AidKind.SHELTER_NIGHT, AidKind.CLOTHING}:
            self._need(data, "quantity", _("数量を入力してください。"))
        elif kind in {AidKind.TRANSPORT, AidKind.PHONE_TOP_UP}:
            self._need(data, "amount", _("金額を入力してください。"))
        return data

    def _need(self, data: dict[str, Any], name: str, message: Any) -> None:
        if not data.get(name) and name not in self.errors:
            self.add_error(name, message)


class LoanResultForm(Form):
    loan_result = forms.ChoiceField(label=_("結果"), choices=LoanResult.choices)
    result_on = forms.DateField(label=_("結果の日"), widget=DateInput())
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class StockForm(Form):
    moved_on = forms.DateField(label=_("入庫日"), widget=DateInput())
    parcels = forms.IntegerField(label=_("食料パックの数"), min_value=1, max_value=10000)
    best_before = forms.DateField(label=_("賞味期限"), widget=DateInput())
    source = forms.CharField(label=_("入手先"), max_length=200, required=False)


class ApplicationForm(ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0, required=False)

    class Meta:
        model = HousingApplication
        fields = HousingApplication.FACT_FIELDS
        widgets = {"applied_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["household_size"].widget.attrs["min"] = 1
        for name in ("monthly_income", "assets", "rent"):
            self.fields[name].widget.attrs["inputmode"] = "numeric"

    def clean_base_version(self) -> int:
        return int(self.cleaned_data.get("base_version") or 0)

    def clean_household_size(self) -> int:
        size = self.cleaned_data["household_size"]
        if size < 1 or size > 20:
            raise forms.ValidationError(_("世帯人数は1から20の間で入力してください。"))
        return int(size)

    def clean_account_number(self) -> str:
        number = self.cleaned_data["account_number"].strip()
        if not re.fullmatch(r"\d{7}", number):
            raise forms.ValidationError(_("口座番号は7桁の数字で入力してください。"))
        return str(number)


class PaymentForm(Form):
    month = forms.DateField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("状況"), choices=PaymentStatus.choices)
    paid_on = forms.DateField(label=_("支給日"), widget=DateInput(), required=False)
    stop_reason = forms.CharField(label=_("停止の理由"), max_length=500, required=False)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)


class DutyForm(ModelForm):
    class Meta:
        model = HousingDuty
        fields = ("kind", "done_on", "note")
        widgets = {"done_on": DateInput()}


class BudgetForm(Form):
    budget_month = forms.DateField(label=_("家計表の月（その月の1日）"), widget=DateInput())
    starting_balance = forms.IntegerField(
        label=_("手持ち金（開始時・円）"), min_value=-100_000_000, max_value=100_000_000
    )
    note = forms.CharField(label=_("家計の見立て"), max_length=20000, required=False, widget=forms.Textarea)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, label in INCOME_ITEMS:
            self.fields[f"income_{name}"] = yen_field(label, required=False)
        for name, label in SPENDING_ITEMS:
            self.fields[f"spending_{name}"] = yen_field(label, required=False)

    def clean_budget_month(self) -> dt.date:
        return self.cleaned_data["budget_month"].replace(day=1)

    def income_fields(self) -> list[Any]:
        return [self[f"income_{name}"] for name, _label in INCOME_ITEMS]

    def spending_fields(self) -> list[Any]:
        return [self[f"spending_{name}"] for name, _label in SPENDING_ITEMS]

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "budget_month": data["budget_month"],
            "starting_balance": data["starting_balance"],
            "note": data["note"],
            "income": {name: data.get(f"income_{name}") or 0 for name, _label in INCOME_ITEMS},
            "spending": {name: data.get(f"spending_{name}") or 0 for name, _label in SPENDING_ITEMS},
        }


class DebtForm(Form):
    creditor = forms.CharField(label=_("債権者"), max_length=200)
    balance = yen_field(_("残高（円）"))
    monthly = yen_field(_("月々の返済（円）"))
    status = forms.ChoiceField(label=_("債務整理"), choices=DebtStatus.choices)


class EventForm(Form):
    month = forms.TypedChoiceField(
        label=_("何か月目"), coerce=int, choices=[(i, _("%(n)sか月目") % {"n": i + 1}) for i in range(12)]
    )
    label = forms.CharField(label=_("内容"), max_length=200)
    income = yen_field(_("臨時の収入（円）"), required=False)
    spending = yen_field(_("臨時の支出（円）"), required=False)


DebtFormSet = forms.formset_factory(DebtForm, extra=2, can_delete=True, max_num=30, absolute_max=30, validate_max=True)
EventFormSet = forms.formset_factory(
    EventForm, extra=2, can_delete=True, max_num=24, absolute_max=24, validate_max=True
)


class StayForm(ModelForm):
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0, required=False)

    class Meta:
        model = Stay
        fields = (
            "place_kind",
            "place",
            "starts_on",
            "planned_end",
            "ended_on",
            "meals_per_day",
            "move_on",
            "move_on_note",
        )
        widgets = {"starts_on": DateInput(), "planned_end": DateInput(), "ended_on": DateInput()}

    def clean_base_version(self) -> int:
        return int(self.cleaned_data.get("base_version") or 0)

    def clean_meals_per_day(self) -> int:
        meals = self.cleaned_data["meals_per_day"]
        if meals > 3:
            raise forms.ValidationError(_("食事の提供は1日3回までで入力してください。"))
        return int(meals)


class SessionForm(ModelForm):
    class Meta:
        model = Session
        fields = ("programme", "held_on", "place", "title")
        widgets = {"held_on": DateInput()}


STEP_CHOICES = [("", _("（記録しない）")), *((str(v), label) for v, label in WorkStep.choices)]


class MonthForm(Form):
    month = forms.CharField(required=False)

    def month_or(self, default: dt.date) -> dt.date:
        text = self.data.get("month", "") if self.is_bound else ""
        match = re.fullmatch(r"(\d{4})-(\d{1,2})", str(text).strip())
        if match and 1 <= int(match.group(2)) <= 12 and 1900 <= int(match.group(1)) <= 2100:
            return dt.date(int(match.group(1)), int(match.group(2)), 1)
        return default.replace(day=1)
