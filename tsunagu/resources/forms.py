from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, District
from tsunagu.community.models import ResourceField
from tsunagu.lib.forms import (
    ALL,
    CHOOSE,
    CONTACT_FIELDS,
    Form,
    IdMultipleChoiceField,
    JapaneseDateField,
    ModelForm,
    VersionField,
    choices,
)
from tsunagu.resources.models import Resource, ResourceKind
from tsunagu.sheets.models import Issue

MAX_AGE = 120
# An HSDS file larger than this is refused before it is read.
MAX_IMPORT_BYTES = 5 * 1024 * 1024

TEXT = forms.Textarea(attrs={"rows": 4})


class ResourceForm(ModelForm):
    issues = forms.MultipleChoiceField(
        label=_("対応する課題（アセスメントの課題と背景要因）"),
        choices=Issue.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("ここで選んだ課題を持つ相談者のケースに、この資源が候補として表示されます。"),
    )
    last_checked_on = JapaneseDateField(
        label=_("最終確認日"),
        required=False,
        help_text=_("内容が今も正しいことを確かめた日。和暦でも西暦でも入れられます。"),
    )

    class Meta:
        model = Resource
        fields = (*Resource.CONTENT_FIELDS, "districts")
        field_classes = {"districts": IdMultipleChoiceField, **CONTACT_FIELDS}
        widgets = {
            "description": TEXT,
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "districts": forms.CheckboxSelectMultiple,
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
            "min_age": forms.NumberInput(attrs={"min": 0, "max": MAX_AGE}),
            "max_age": forms.NumberInput(attrs={"min": 0, "max": MAX_AGE}),
        }
        help_texts = {
            "districts": _("選ばなければ、自治体の全域が対象になります。"),
            "provider_agency": _("登録されている機関が提供する場合に選びます。つなぎ（紹介）の宛先になります。"),
            "provider_name": _("機関として登録されていない団体や人の場合に書きます。"),
        }

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model's field is called `fields`, which a form class cannot declare (it is
        # the form's own dict of fields): it is set up here instead.
        self.fields["fields"] = forms.MultipleChoiceField(
            label=_("分野（あてはまるものすべて）"),
            choices=ResourceField.choices,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("分野を一つ以上選んでください。")},
        )
        choices(self, "provider_agency").queryset = Agency.objects.filter(municipality_id=municipality_id)
        choices(self, "districts").queryset = District.objects.filter(municipality_id=municipality_id)

    def clean_min_age(self) -> int | None:
        return self._age("min_age")

    def clean_max_age(self) -> int | None:
        return self._age("max_age")

    def _age(self, name: str) -> int | None:
        age: int | None = self.cleaned_data.get(name)
        if age is not None and age > MAX_AGE:
            raise forms.ValidationError(_("年齢は%(max)s歳までで入れてください。") % {"max": MAX_AGE})
        return age

    def clean_last_checked_on(self) -> Any:
        checked = self.cleaned_data.get("last_checked_on")
        if checked and checked > timezone.localdate():
            raise forms.ValidationError(_("最終確認日が未来の日付になっています。"))
        return checked

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and high < low:
            self.add_error("max_age", _("上限の年齢が下限より小さくなっています。"))
        if not data.get("provider_agency") and not data.get("provider_name"):
            self.add_error("provider_name", _("提供機関を選ぶか、提供する団体・人の名前を書いてください。"))
        return data


class ResourceEditForm(ResourceForm):
    version = VersionField()


class ResourceFilterForm(Form):
    q = forms.CharField(
        label=_("キーワード"),
        required=False,
        max_length=100,
        help_text=_("名称・内容・提供者などから探します。ひらがな・カタカナ、全角・半角を区別しません。"),
    )
    kind = forms.ChoiceField(label=_("種類"), choices=[("", ALL), *ResourceKind.choices], required=False)
    field = forms.ChoiceField(label=_("分野"), choices=[("", ALL), *ResourceField.choices], required=False)
    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False, empty_label=ALL
    )
    issue = forms.ChoiceField(label=_("対応する課題"), choices=[("", ALL), *Issue.choices], required=False)
    unchecked = forms.BooleanField(label=_("6か月以上確認されていないものだけ"), required=False)
    inactive = forms.BooleanField(label=_("利用できなくなったものも表示する"), required=False)

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = District.objects.filter(municipality_id=municipality_id)


class VersionForm(Form):
    """A one-step change (checked, deactivated) carries the version it was shown at."""

    version = VersionField()


class ImportForm(Form):
    file = forms.FileField(
        label=_("ファイル"),
        help_text=_("HSDS 3.0 の JSON ファイル（.json）か、CSV データパッケージの zip ファイル（.zip）。5MBまで。"),
        error_messages={"required": _("読み込むファイルを選んでください。")},
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("ファイルが大きすぎます（5MBまで）。"))
        return upload


class ProposeForm(Form):
    """Take a gap of the analysis to the network as a regional issue."""

    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False, empty_label=CHOOSE
    )
    issue = forms.ChoiceField(label=_("課題"), choices=Issue.choices)

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = District.objects.filter(municipality_id=municipality_id)
