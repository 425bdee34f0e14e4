import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import District
from tsunagu.lib.forms import (
    BirthDateField,
    DateInput,
    EmailField,
    Form,
    ModelForm,
    PhoneField,
    PostalCodeField,
    VersionField,
    choices,
)
from tsunagu.lib.kana import is_kana
from tsunagu.people.models import Person, Relation, WhereaboutsConfidentiality

PERSON_FIELDS = (
    "family_name",
    "given_name",
    "family_name_kana",
    "given_name_kana",
    "birth_date",
    "sex",
    "postal_code",
    "address",
    "district",
    "phone",
    "email",
    "notes",
)


class PersonForm(ModelForm):
    birth_date = BirthDateField(
        label=_("生年月日"),
        required=False,
        help_text=_("和暦でも西暦でも入れられます（例: 昭和50年4月1日、S50.4.1、1975/4/1）。"),
    )
    postal_code = PostalCodeField(label=_("郵便番号"))

    class Meta:
        model = Person
        fields = PERSON_FIELDS
        field_classes = {"phone": PhoneField, "email": EmailField}
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args: Any, municipality_id: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = District.objects.filter(municipality_id=municipality_id)
        self.fields["given_name"].required = True
        self.fields["given_name_kana"].required = True

    def clean_family_name_kana(self) -> str:
        return self._kana("family_name_kana")

    def clean_given_name_kana(self) -> str:
        return self._kana("given_name_kana")

    def _kana(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "").strip()
        if value and not is_kana(value):
            raise forms.ValidationError(_("ふりがなはひらがなかカタカナで入れてください。"), code="not_kana")
        return value


class PersonEditForm(PersonForm):
    version = VersionField()


class PersonSearchForm(Form):
    q = forms.CharField(
        label=_("氏名・ふりがなで検索"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class ConfidentialityForm(ModelForm):
    class Meta:
        model = WhereaboutsConfidentiality
        fields = ("source", "starts_on", "ends_on", "protects_against")
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "protects_against": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["starts_on"].initial = today
        self.fields["ends_on"].initial = today + dt.timedelta(days=settings.TSUNAGU["CONFIDENTIALITY_DAYS"] - 1)
        self.fields["ends_on"].help_text = _("支援措置の期間は通常1年です。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("終了日が開始日より前になっています。"))
        return data


class LiftForm(Form):
    lift_reason = forms.CharField(label=_("解除の理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class HouseholdMemberForm(Form):
    member = forms.UUIDField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(label=_("続柄"), choices=Relation.choices)


class RelationForm(Form):
    relation = forms.ChoiceField(label=_("本人の続柄"), choices=Relation.choices)


class EmergencyReadForm(Form):
    reason = forms.CharField(
        label=_("緊急閲覧の理由"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("主任相談支援員に直ちに通知され、本人のアクセス記録に残ります。"),
    )
