import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, AgencyKind
from tsunagu.cases.models import Case
from tsunagu.consents.models import SENSITIVE_CATEGORIES, Category, Method, Purpose
from tsunagu.lib.forms import CHOOSE, DateInput, Form, IdMultipleChoiceField, JapaneseDateField, choices
from tsunagu.people.models import Person

CHECKBOXES = forms.CheckboxSelectMultiple
ORDINARY_CATEGORIES = [(v, label) for v, label in Category.choices if v not in SENSITIVE_CATEGORIES]
SENSITIVE_CHOICES = [(v, label) for v, label in Category.choices if v in SENSITIVE_CATEGORIES]
OTHER_AGENCY = _("選べるのは、この自治体の関係機関（自立相談支援機関を除く）だけです。")


def partner_agencies(municipality_id: int, *, excluding: int | None = None) -> Any:
    """The agencies of the municipality information may go to: not the centres."""
    agencies = Agency.objects.filter(municipality_id=municipality_id).exclude(kind=AgencyKind.CONSULTATION_CENTRE)
    return agencies.exclude(pk=excluding) if excluding else agencies


def _not_in_future(day: dt.date | None, message: Any) -> None:
    if day is not None and day > timezone.localdate():
        raise forms.ValidationError(message, code="future")


class ConsentForm(Form):
    """A consent the person gave: to whom, for what, which information."""

    agencies = IdMultipleChoiceField(
        label=_("同意の対象機関"),
        queryset=Agency.objects.none(),
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": OTHER_AGENCY, "invalid_pk_value": OTHER_AGENCY},
    )
    agency_kinds = forms.MultipleChoiceField(
        label=_("同意の対象となる機関の種別"),
        help_text=_("種別を選ぶと、その種別のこの自治体のすべての機関が対象になります。"),
        choices=[(v, label) for v, label in AgencyKind.choices if v != AgencyKind.CONSULTATION_CENTRE],
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": _("選べない機関の種別です。")},
    )
    purposes = forms.MultipleChoiceField(
        label=_("利用目的"),
        choices=Purpose.choices,
        widget=CHECKBOXES,
        error_messages={
            "required": _("利用目的を一つ以上選んでください。"),
            "invalid_choice": _("選べない利用目的です。"),
        },
    )
    categories = forms.MultipleChoiceField(
        label=_("共有する情報"),
        choices=ORDINARY_CATEGORIES,
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": _("選べない情報の範囲です。")},
    )
    sensitive_categories = forms.MultipleChoiceField(
        label=_("要配慮個人情報（一つずつ本人の明示的な同意が必要です）"),
        choices=SENSITIVE_CHOICES,
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": _("選べない情報の範囲です。")},
    )
    sensitive_confirmed = forms.BooleanField(
        label=_("選んだ要配慮個人情報の一つひとつについて、本人から明示的な同意を得たことを確認しました"),
        required=False,
    )
    method = forms.ChoiceField(
        label=_("同意の方法"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("同意の方法を選んでください。"), "invalid_choice": _("選べない同意の方法です。")},
    )
    given_on = JapaneseDateField(
        label=_("同意日"), widget=DateInput(), error_messages={"required": _("同意日を入れてください。")}
    )
    ends_on = JapaneseDateField(
        label=_("有効期限（任意）"),
        required=False,
        widget=DateInput(),
        help_text=_("空欄のときは、撤回されるまで有効です。"),
    )
    case = forms.ModelChoiceField(
        label=_("関係するケース（任意）"),
        queryset=Case.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("なし"),
        error_messages={"invalid_choice": _("この相談者のケースを選んでください。")},
    )
    note = forms.CharField(label=_("備考"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, person: Person, cases: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "agencies").queryset = partner_agencies(person.municipality_id)
        choices(self, "case").queryset = cases

    def clean_given_on(self) -> dt.date | None:
        day = self.cleaned_data.get("given_on")
        _not_in_future(day, _("同意日が未来の日付になっています。"))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "agencies" in data and "agency_kinds" in data and not data["agencies"] and not data["agency_kinds"]:
            self.add_error("agencies", _("同意の対象機関か、機関の種別を一つ以上選んでください。"))
        if "categories" in data and "sensitive_categories" in data:
            if not data["categories"] and not data["sensitive_categories"]:
                self.add_error("categories", _("共有する情報を一つ以上選んでください。"))
            if data["sensitive_categories"] and not data.get("sensitive_confirmed"):
                self.add_error(
                    "sensitive_confirmed",
                    _("要配慮個人情報を含めるときは、本人の明示的な同意を確かめてチェックしてください。"),
                )
        given, ends = data.get("given_on"), data.get("ends_on")
        if ends is not None:
            if given is not None and ends < given:
                self.add_error("ends_on", _("有効期限が同意日より前になっています。"))
            elif ends < timezone.localdate():
                self.add_error("ends_on", _("有効期限がすでに過ぎています。"))
        return data

    def all_categories(self) -> list[str]:
        return [*self.cleaned_data["categories"], *self.cleaned_data["sensitive_categories"]]


class WithdrawForm(Form):
    note = forms.CharField(
        label=_("撤回の内容"),
        help_text=_("いつ、誰に、どのように撤回の申し出があったかを書きます。"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("撤回の内容を書いてください。")},
    )


class EmergencyForm(Form):
    """Information given to protect life or body, without consent."""

    agency = forms.ModelChoiceField(
        label=_("提供先の機関"),
        queryset=Agency.objects.none(),
        error_messages={"required": _("提供先の機関を選んでください。"), "invalid_choice": OTHER_AGENCY},
    )
    recipient_name = forms.CharField(label=_("受け取った人（氏名・職名）"), max_length=100, required=False)
    categories = forms.MultipleChoiceField(
        label=_("提供した情報"),
        choices=ORDINARY_CATEGORIES,
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": _("選べない情報の範囲です。")},
    )
    sensitive_categories = forms.MultipleChoiceField(
        label=_("提供した要配慮個人情報"),
        choices=SENSITIVE_CHOICES,
        required=False,
        widget=CHECKBOXES,
        error_messages={"invalid_choice": _("選べない情報の範囲です。")},
    )
    reason = forms.CharField(
        label=_("緊急の必要があった理由"),
        help_text=_("人の生命・身体を守るために、本人の同意を得る時間がなかった事情を具体的に書きます。"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("緊急の必要があった理由を書いてください。")},
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = choices(self, "agency")
        field.queryset = partner_agencies(case.agency.municipality_id, excluding=case.agency_id)
        field.empty_label = str(CHOOSE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chose = "categories" in data and "sensitive_categories" in data
        if chose and not data["categories"] and not data["sensitive_categories"]:
            self.add_error("categories", _("提供した情報を一つ以上選んでください。"))
        return data

    def all_categories(self) -> list[str]:
        return [*self.cleaned_data["categories"], *self.cleaned_data["sensitive_categories"]]
