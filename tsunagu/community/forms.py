"""Forms of the community app: the supporter's report, triage steps, the network's
management and regional issues."""

import datetime as dt
import re
from typing import Any

from django import forms
from django.db.models import F, Q, Value
from django.db.models.lookups import Contains
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import CENTRE_ROLES, District, Role, Staff
from tsunagu.community.models import (
    Neighbourhood,
    RegionalIssueStatus,
    ReportStatus,
    ResourceField,
    Sign,
    Supporter,
    SupporterReport,
    Urgency,
)
from tsunagu.lib.forms import (
    ALL,
    CHOOSE,
    DateInput,
    EmailField,
    Form,
    IdMultipleChoiceField,
    ModelForm,
    PhoneField,
    VersionField,
    choices,
)
from tsunagu.lib.kana import is_kana, search_key
from tsunagu.people.models import PersonQuerySet


def too_long(limit: int) -> dict[str, Any]:
    return {"max_length": _("%(limit_value)d文字以内にしてください（いまは%(show_value)d文字です）。")}


# The supporter's report ------------------------------------------------------------------


class ReportForm(Form):
    """Phone-first: tick what you noticed, say where, how urgent, how to reach you."""

    signs = forms.MultipleChoiceField(
        label=_("気づいたこと（あてはまるものすべて）"),
        choices=Sign.choices,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "sign-input"}),
        required=False,
    )
    other_text = forms.CharField(
        label=_("その他・くわしく"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=too_long(1000),
    )
    place = forms.CharField(
        label=_("場所（住所や目印）"),
        max_length=200,
        help_text=_("例: 東町二丁目の青い屋根のアパート2階"),
        error_messages={"required": _("場所を書いてください（住所や目印で大丈夫です）。"), **too_long(200)},
    )
    district = forms.ModelChoiceField(
        label=_("地区"),
        queryset=District.objects.none(),
        empty_label=CHOOSE,
        error_messages={
            "required": _("地区を選んでください。"),
            "invalid_choice": _("この地区は選べません。あなたの市町村の地区から選んでください。"),
        },
    )
    urgency = forms.ChoiceField(
        label=_("急ぎ具合"),
        choices=Urgency.choices,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        error_messages={"required": _("急ぎ具合を選んでください。")},
    )
    reporter_contact = forms.CharField(
        label=_("あなたへの連絡方法"),
        required=False,
        max_length=200,
        help_text=_("電話番号など。センターから様子を伺うことがあります。"),
        error_messages=too_long(200),
    )

    def __init__(self, *args: Any, supporter: Supporter, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.supporter = supporter
        choices(self, "district").queryset = District.objects.filter(municipality_id=supporter.municipality_id)
        if not self.is_bound:
            self.initial.setdefault("reporter_contact", supporter.phone)
            first = supporter.neighbourhoods.order_by("district__number", "name").first()
            if first is not None:
                self.initial.setdefault("district", first.district_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        signs = data.get("signs") or []
        text = (data.get("other_text") or "").strip()
        if "other_text" in data:
            if not signs and not text:
                self.add_error("signs", _("気づいたことを1つ以上選ぶか、「その他・くわしく」に書いてください。"))
            elif Sign.OTHER in signs and not text:
                self.add_error("other_text", _("「その他」を選んだときは、くわしく書いてください。"))
        return data


# Triage --------------------------------------------------------------------------------


class VersionForm(Form):
    """A step that asks for nothing but the version the user saw (and a short note)."""

    version = VersionField()
    note = forms.CharField(
        label=_("メモ"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=too_long(1000),
    )


class LinkForm(Form):
    version = VersionField()
    person = forms.UUIDField(widget=forms.HiddenInput)
    case = forms.UUIDField(widget=forms.HiddenInput, required=False)


class SuggestForm(Form):
    q = forms.CharField(
        label=_("氏名・ふりがなで探す"),
        required=False,
        max_length=100,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )


class VisitorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.get_role_display()}）"


class OutreachForm(Form):
    version = VersionField()
    outreach_by = VisitorChoiceField(
        label=_("訪問する人"),
        queryset=Staff.objects.none(),
        empty_label=CHOOSE,
        error_messages={"invalid_choice": _("センターの職員か、この地区の地区チーフを選んでください。")},
    )
    outreach_due = forms.DateField(label=_("訪問の期限"), widget=DateInput())

    def __init__(self, *args: Any, report: SupporterReport, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        visitors = Q(agency__municipality_id=report.municipality_id, agency__kind="consultation_centre")
        visitors &= Q(role__in=CENTRE_ROLES)
        # A visit on a case is written on the case: only the centre may do it.
        if report.district.chief_id and report.case_id is None:
            visitors |= Q(pk=report.district.chief_id)
        choices(self, "outreach_by").queryset = (
            Staff.objects.filter(visitors, is_active=True).select_related("agency").order_by("role", "username")
        )
        if not self.is_bound:
            self.initial.setdefault("outreach_due", timezone.localdate() + dt.timedelta(days=3))

    def clean_outreach_due(self) -> dt.date:
        due: dt.date = self.cleaned_data["outreach_due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("期限は今日以降の日付にしてください。"))
        return due


class VisitForm(Form):
    """The outreach visit, written as a 支援経過記録 (訪問) on the linked case."""

    version = VersionField()
    occurred_at = forms.DateTimeField(
        label=_("訪問した日時"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    content = forms.CharField(
        label=_("訪問の内容"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=too_long(20000),
    )
    response = forms.CharField(
        label=_("対応"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages=too_long(20000),
    )
    next_action = forms.CharField(label=_("次回の対応"), required=False, max_length=500, error_messages=too_long(500))

    def __init__(self, *args: Any, reported_at: dt.datetime | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A visit answers the report: not before it (a day's leeway for a visit already
        # made when the report was typed in).
        self.earliest = reported_at - dt.timedelta(days=1) if reported_at else None
        if not self.is_bound:
            self.initial.setdefault("occurred_at", timezone.localtime().replace(second=0, microsecond=0))

    def clean_occurred_at(self) -> dt.datetime:
        occurred: dt.datetime = self.cleaned_data["occurred_at"]
        if occurred > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("未来の日時の記録はできません。"))
        if self.earliest is not None and occurred < self.earliest:
            raise forms.ValidationError(_("訪問の日時がサポーターからの報告より前になっています。"))
        return occurred


class OpenCaseForm(VisitForm):
    """The visit found someone who needs support: a person and a case (把握) with the
    visit as its first note."""

    family_name = forms.CharField(label=_("姓"), max_length=50)
    given_name = forms.CharField(label=_("名"), max_length=50)
    family_name_kana = forms.CharField(label=_("せい（ふりがな）"), max_length=100)
    given_name_kana = forms.CharField(label=_("めい（ふりがな）"), max_length=100)
    address = forms.CharField(label=_("住所"), max_length=300, required=False, error_messages=too_long(300))

    field_order = [
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "address",
        "occurred_at",
        "content",
        "response",
        "next_action",
    ]

    def __init__(self, *args: Any, needs_person: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A report already tied to a person opens the case for that person.
        if not needs_person:
            for name in ("family_name", "given_name", "family_name_kana", "given_name_kana", "address"):
                del self.fields[name]

    def clean_family_name_kana(self) -> str:
        return self._kana("family_name_kana")

    def clean_given_name_kana(self) -> str:
        return self._kana("given_name_kana")

    def _kana(self, name: str) -> str:
        value: str = self.cleaned_data.get(name, "").strip()
        if value and not is_kana(value):
            raise forms.ValidationError(_("ふりがなはひらがなかカタカナで入れてください。"), code="not_kana")
        return value


class CloseForm(Form):
    version = VersionField()
    note = forms.CharField(
        label=_("訪問・確認の内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("報告したサポーターには伝わりません。"),
        error_messages={"required": _("確認した内容を書いてください。"), **too_long(5000)},
    )


class InboxFilterForm(Form):
    OPEN = "open"
    status = forms.ChoiceField(
        label=_("状況"),
        choices=[(OPEN, _("未対応・対応中")), ("", ALL), *ReportStatus.choices],
        required=False,
    )
    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False, empty_label=ALL
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = districts


# The network ---------------------------------------------------------------------------

SUPPORTER_FIELDS = (
    "name",
    "kind",
    "organisation",
    "phone",
    "email",
    "neighbourhoods",
    "agreement_signed_on",
    "agreement_ends_on",
    "active",
)


class NeighbourhoodChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.district.name}・{obj.name}"


class SupporterForm(ModelForm):
    neighbourhoods = NeighbourhoodChoiceField(
        label=_("見守る小地域"),
        queryset=Neighbourhood.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Supporter
        fields = SUPPORTER_FIELDS
        field_classes = {"phone": PhoneField, "email": EmailField}
        widgets = {
            "agreement_signed_on": DateInput(),
            "agreement_ends_on": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        }
        help_texts = {"agreement_signed_on": _("事業者（新聞・郵便・検針など）が自治体と結ぶ見守り協定。")}

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "neighbourhoods").queryset = Neighbourhood.objects.filter(
            district__municipality_id=municipality_id
        ).select_related("district")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        signed, ends = data.get("agreement_signed_on"), data.get("agreement_ends_on")
        if ends and not signed:
            self.add_error("agreement_signed_on", _("協定の終了日があるときは、締結日も入れてください。"))
        elif signed and ends and ends < signed:
            self.add_error("agreement_ends_on", _("終了日は締結日より後の日付にしてください。"))
        return data


class SupporterEditForm(SupporterForm):
    version = VersionField()


class ChiefChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.agency}）"


class DistrictForm(Form):
    chief = ChiefChoiceField(
        label=_("地区チーフ"),
        queryset=Staff.objects.none(),
        required=False,
        empty_label=_("（置かない）"),
        error_messages={"invalid_choice": _("この自治体の地区チーフの役割の職員を選んでください。")},
    )
    version = VersionField()

    def __init__(self, *args: Any, district: District, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "chief").queryset = Staff.objects.filter(
            agency__municipality_id=district.municipality_id, role=Role.DISTRICT_CHIEF, is_active=True
        ).select_related("agency")


class NeighbourhoodForm(Form):
    name = forms.CharField(label=_("小地域名"), max_length=100, error_messages=too_long(100))

    def __init__(self, *args: Any, district: District, instance: Neighbourhood | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.district = district
        self.instance = instance

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = Neighbourhood.objects.filter(district=self.district, name=name)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise forms.ValidationError(_("この地区にはもう同じ名前の小地域があります。"))
        return name


class NeighbourhoodEditForm(NeighbourhoodForm):
    version = VersionField()


# Regional issues --------------------------------------------------------------------


class IssueFilterForm(Form):
    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False, empty_label=ALL
    )
    status = forms.ChoiceField(label=_("進み具合"), choices=[("", ALL), *RegionalIssueStatus.choices], required=False)

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = districts


class IssueProgressForm(Form):
    version = VersionField()
    status = forms.ChoiceField(label=_("進み具合"), choices=RegionalIssueStatus.choices)
    note = forms.CharField(
        label=_("経過のメモ"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("何があったかを短く書いてください。"), **too_long(2000)},
    )


class IssueForm(Form):
    """地域課題を登録: a need of a district (or the whole municipality), never a person.
    A district chief raises issues of the districts they lead only."""

    title = forms.CharField(
        label=_("課題"),
        max_length=200,
        help_text=_("例: 夜間や休日に相談できる窓口がない"),
        error_messages={"required": _("課題を短く書いてください。"), **too_long(200)},
    )
    description = forms.CharField(
        label=_("内容"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("地域に足りないことと、その根拠。個人が特定できること（氏名・住所など）は書かないでください。"),
        error_messages=too_long(5000),
    )
    district = forms.ModelChoiceField(
        label=_("地区"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("自治体全体"),
        error_messages={
            "required": _("あなたが地区チーフを務める地区を選んでください。"),
            "invalid_choice": _("この地区は選べません。一覧の地区から選んでください。"),
        },
    )
    field = forms.ChoiceField(
        label=_("分野"),
        choices=[("", _("（決めない）")), *ResourceField.choices],
        required=False,
        error_messages={"invalid_choice": _("分野は一覧から選んでください。")},
    )

    def __init__(
        self, *args: Any, districts: Any, people: PersonQuerySet, municipality_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        district = choices(self, "district")
        district.queryset = districts
        # Only centre staff raise issues of the whole municipality.
        if not municipality_wide:
            district.required = True
            district.empty_label = CHOOSE
        self.people = people

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in ("title", "description"):
            if data.get(name) and self._names_someone(data[name]):
                self.add_error(
                    name,
                    _(
                        "個人の氏名が含まれています。地域課題には人を特定できることを書かず、地域に足りないことを書いてください。"
                    ),
                )
        return data

    def _names_someone(self, text: str) -> bool:
        """Whether the text contains the full name or reading of a person the user may
        see (only those: a refusal must not tell anyone that a stranger is on record)."""
        key = search_key(text)
        if not key:
            return False
        has_name = Q(Contains(Value(key), F("full_name_key")), ~Q(given_name_key=""))
        has_reading = Q(Contains(Value(key), F("full_kana_key")), ~Q(given_kana_key=""))
        return self.people.filter(has_name | has_reading).exists()


# Supporter accounts -----------------------------------------------------------------

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,29}$")


class SupporterAccountForm(Form):
    username = forms.CharField(
        label=_("ユーザー名"),
        max_length=30,
        help_text=_("半角の英小文字・数字と . _ - で3〜30文字（名字のローマ字など）。"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}),
        error_messages={"required": _("ユーザー名を入れてください。"), **too_long(30)},
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if not _USERNAME.match(username):
            raise forms.ValidationError(
                _("ユーザー名は半角の英小文字・数字と . _ - で、3〜30文字にしてください（先頭は英数字）。"),
                code="invalid",
            )
        if Staff.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("このユーザー名はもう使われています。別の名前にしてください。"), code="taken")
        return username
