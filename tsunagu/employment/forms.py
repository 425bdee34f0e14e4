import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import CENTRE_ROLES, District, Staff
from tsunagu.cases.models import Case
from tsunagu.employment.models import (
    BARRIER_ISSUES,
    TRAINING_OFFERS,
    Commute,
    Employer,
    FollowUp,
    IncomeRise,
    JobCategory,
    JobDevelopment,
    JobSeekerProfile,
    Offer,
    Opening,
    OpeningSource,
    Placement,
    Stage,
    Step,
    StepResult,
    Weekday,
    WorkHistory,
)
from tsunagu.lib.forms import (
    ALL,
    CONTACT_FIELDS,
    DateInput,
    Form,
    IdMultipleChoiceField,
    ModelForm,
    VersionField,
    choices,
)
from tsunagu.sheets.forms import SheetForm, say_what_to_do
from tsunagu.sheets.models import Issue

TEXTAREA = forms.Textarea(attrs={"rows": 3})
# A monthly income or wage above this is a typing error, not a wage (円).
MAX_YEN = 10_000_000
MAX_HOURS = 80


def _multi(label: Any, options: Any, required: bool = False) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=options, widget=forms.CheckboxSelectMultiple, required=required
    )


def _hours(form: forms.BaseForm, name: str) -> None:
    hours = form.cleaned_data.get(name)
    if hours is not None and hours > MAX_HOURS:
        form.add_error(name, _("週の労働時間は%(max)s時間までで入れてください。") % {"max": MAX_HOURS})


def _yen(form: forms.BaseForm, name: str) -> None:
    amount = form.cleaned_data.get(name)
    if amount is not None and amount > MAX_YEN:
        form.add_error(name, _("金額が大きすぎます。月額を円で入れてください。"))


def _not_future(form: forms.BaseForm, name: str, message: Any) -> None:
    day = form.cleaned_data.get(name)
    if day and day > timezone.localdate():
        form.add_error(name, message)


class ProfileForm(SheetForm):
    wished_categories = _multi(_("希望する職種（分類）"), JobCategory.choices)
    wished_days = _multi(_("働ける曜日"), Weekday.choices)
    commute = _multi(_("通勤の手段"), Commute.choices)
    barriers = _multi(
        _("就労阻害要因"),
        [(value, label) for value, label in Issue.choices if value in BARRIER_ISSUES],
    )

    class Meta:
        model = JobSeekerProfile
        fields = (*JobSeekerProfile.CONTENT_FIELDS, "wished_districts")
        field_classes = {"wished_districts": IdMultipleChoiceField}
        widgets = {
            "licences": TEXTAREA,
            "barrier_note": TEXTAREA,
            "accommodations": TEXTAREA,
            "hello_work_registered_on": DateInput(),
            "wished_districts": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "barriers": _("アセスメントの課題と背景要因から、就労を妨げているものを選びます。"),
            "supporter": _("このケースの就労支援を受け持つ職員。定着支援のタスクはこの職員に入ります。"),
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = case.agency.municipality_id
        choices(self, "wished_districts").queryset = District.objects.filter(municipality_id=municipality_id)
        choices(self, "supporter").queryset = Staff.objects.filter(
            agency_id=case.agency_id, role__in=CENTRE_ROLES, is_active=True
        ).order_by("role", "display_name")
        self.fields["barriers"].help_text = _("アセスメントの課題と背景要因から、就労を妨げているものを選びます。")
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _hours(self, "wished_hours_per_week")
        minutes = data.get("commute_minutes")
        if minutes is not None and minutes > 240:
            self.add_error("commute_minutes", _("通勤できる時間は240分までで入れてください。"))
        _not_future(self, "hello_work_registered_on", _("求職登録日が未来の日付になっています。"))
        number = data.get("hello_work_number", "")
        if number and not number.replace("-", "").isdigit():
            self.add_error("hello_work_number", _("求職番号は数字とハイフンで入れてください（例: 05010-12345678）。"))
        if data.get("hello_work_registered_on") and not number:
            self.add_error("hello_work_number", _("求職登録日を入れたときは、求職番号も入れてください。"))
        return data


class WorkHistoryForm(ModelForm):
    class Meta:
        model = WorkHistory
        fields = tuple(f for f in WorkHistory.CONTENT_FIELDS if f != "position")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_what_to_do(self)


WorkHistoryFormSet = forms.formset_factory(WorkHistoryForm, extra=1, can_delete=True, max_num=30)


class EmployerForm(ModelForm):
    offers = _multi(_("受け入れられること"), Offer.choices)

    class Meta:
        model = Employer
        fields = Employer.CONTENT_FIELDS
        field_classes = {**{k: v for k, v in CONTACT_FIELDS.items() if k != "url"}}
        widgets = {
            "note": TEXTAREA,
            "training_certified_on": DateInput(),
            "phone": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = District.objects.filter(municipality_id=municipality_id)
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        training = bool(set(data.get("offers") or []) & set(TRAINING_OFFERS))
        if training and not data.get("training_certification_number"):
            self.add_error(
                "training_certification_number",
                _("認定就労訓練を受け入れるときは、都道府県の認定番号を入れてください。"),
            )
        if training and not data.get("training_certified_on"):
            self.add_error("training_certified_on", _("認定就労訓練を受け入れるときは、認定日を入れてください。"))
        _not_future(self, "training_certified_on", _("認定日が未来の日付になっています。"))
        return data


class EmployerEditForm(EmployerForm):
    version = VersionField()


class ContactForm(ModelForm):
    class Meta:
        model = JobDevelopment
        fields = ("contacted_on", "method", "outcome", "note")
        widgets = {"contacted_on": DateInput(), "note": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_future(self, "contacted_on", _("求人開拓の日付が未来になっています。"))
        return data


class OpeningForm(ModelForm):
    days = _multi(_("勤務する曜日"), Weekday.choices)
    stages = _multi(_("対象とする段階"), Stage.choices)

    class Meta:
        model = Opening
        fields = Opening.CONTENT_FIELDS
        widgets = {
            "conditions": TEXTAREA,
            "required_licences": TEXTAREA,
            "accommodations": TEXTAREA,
            "closes_on": DateInput(),
            "closed_on": DateInput(),
        }
        help_texts = {
            "stages": _(
                "選ばなければ、雇用形態から決まります（認定就労訓練は認定就労訓練の段階、それ以外は一般就労・就労準備）。"
            ),
            "required_licences": _("1行に1つ。"),
        }

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "employer").queryset = Employer.objects.filter(municipality_id=municipality_id).active()
        choices(self, "district").queryset = District.objects.filter(municipality_id=municipality_id)
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _hours(self, "hours_per_week")
        _yen(self, "wage")
        source = data.get("source")
        if source == OpeningSource.HELLO_WORK and not data.get("hello_work_number"):
            self.add_error("hello_work_number", _("ハローワークの求人は求人番号を入れてください。"))
        number = data.get("hello_work_number", "")
        if number and not number.replace("-", "").isdigit():
            self.add_error("hello_work_number", _("求人番号は数字とハイフンで入れてください（例: 05010-1234561）。"))
        if not data.get("employer") and not data.get("employer_name"):
            self.add_error("employer_name", _("協力事業所を選ぶか、事業所名を入れてください。"))
        if source == OpeningSource.EMPLOYER and not data.get("employer"):
            self.add_error("employer", _("協力事業所からの求人は、事業所を選んでください。"))
        return data


class OpeningEditForm(OpeningForm):
    version = VersionField()


class OpeningFilterForm(Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    category = forms.ChoiceField(label=_("職種"), choices=[("", ALL), *JobCategory.choices], required=False)
    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False, empty_label=ALL
    )
    closed = forms.BooleanField(label=_("募集を終えた求人も表示する"), required=False)

    def __init__(self, *args: Any, municipality_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = District.objects.filter(municipality_id=municipality_id)


class VersionForm(Form):
    version = VersionField()


class StepForm(ModelForm):
    class Meta:
        model = Step
        fields = ("kind", "opening", "employer", "on", "result", "note")
        widgets = {"on": DateInput(), "note": TEXTAREA}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = case.agency.municipality_id
        choices(self, "opening").queryset = Opening.objects.filter(municipality_id=municipality_id).select_related(
            "employer"
        )
        choices(self, "employer").queryset = Employer.objects.filter(municipality_id=municipality_id)
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, result = data.get("on"), data.get("result")
        if day and result and result != StepResult.PLANNED and day > timezone.localdate():
            self.add_error("result", _("まだ来ていない日の結果は「予定」にしてください。"))
        if not data.get("opening") and not data.get("employer"):
            self.add_error("employer", _("求人か協力事業所を選んでください。"))
        return data


class StepResultForm(ModelForm):
    version = VersionField()

    class Meta:
        model = Step
        fields = ("result", "note")
        widgets = {"note": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_what_to_do(self)


class StepEditForm(StepForm):
    """A step corrected after saving (kind, date, where, result, note)."""

    version = VersionField()


class PlacementForm(ModelForm):
    class Meta:
        model = Placement
        fields = Placement.CONTENT_FIELDS
        widgets = {"started_on": DateInput()}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        municipality_id = case.agency.municipality_id
        choices(self, "employer").queryset = Employer.objects.filter(municipality_id=municipality_id)
        choices(self, "opening").queryset = Opening.objects.filter(municipality_id=municipality_id).select_related(
            "employer"
        )
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _hours(self, "hours_per_week")
        _yen(self, "monthly_wage")
        opening = data.get("opening")
        if opening is not None and not data.get("employer") and opening.employer_id:
            data["employer"] = opening.employer
        if not data.get("employer") and not data.get("employer_name"):
            if opening is not None and opening.employer_name:
                data["employer_name"] = opening.employer_name
            else:
                self.add_error("employer_name", _("協力事業所を選ぶか、就職先の名前を入れてください。"))
        started = data.get("started_on")
        if started and started > timezone.localdate() + dt.timedelta(days=62):
            self.add_error("started_on", _("就労開始日は2か月先までで入れてください。"))
        return data


class PlacementEditForm(PlacementForm):
    """A placement corrected after saving; once the person has left, the leaving (date,
    reason, 経緯) is corrected here too. A recorded leaving cannot be emptied."""

    version = VersionField()

    class Meta:
        model = Placement
        fields = (*Placement.CONTENT_FIELDS, *Placement.END_FIELDS)
        widgets = {"started_on": DateInput(), "ended_on": DateInput(), "end_note": TEXTAREA}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, case=case, **kwargs)
        if self.instance.ended_on is None:
            for name in Placement.END_FIELDS:
                del self.fields[name]
        else:
            self.fields["ended_on"].required = True
            self.fields["end_reason"].required = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_on"), data.get("ended_on")
        if started and ended and ended < started:
            self.add_error("ended_on", _("離職日が就労開始日より前になっています。"))
        if "ended_on" in self.fields:
            _not_future(self, "ended_on", _("離職日が未来の日付になっています。"))
        return data


class PlacementEndForm(ModelForm):
    version = VersionField()

    class Meta:
        model = Placement
        fields = Placement.END_FIELDS
        widgets = {"ended_on": DateInput(), "end_note": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].required = True
        self.fields["end_reason"].required = True
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ended = data.get("ended_on")
        if ended and self.instance.started_on and ended < self.instance.started_on:
            self.add_error("ended_on", _("離職日が就労開始日より前になっています。"))
        _not_future(self, "ended_on", _("離職日が未来の日付になっています。"))
        return data


class FollowUpForm(ModelForm):
    version = VersionField()
    still_working = forms.TypedChoiceField(
        label=_("就労を継続している"),
        choices=[("", "—"), ("yes", _("はい")), ("no", _("いいえ"))],
        coerce=lambda v: v == "yes",
    )

    class Meta:
        model = FollowUp
        fields = ("done_on", "still_working", "note")
        widgets = {"done_on": DateInput(), "note": TEXTAREA}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].required = True
        self.fields["note"].required = True
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _not_future(self, "done_on", _("実施日が未来の日付になっています。"))
        done = data.get("done_on")
        if done and done < self.instance.placement.started_on:
            self.add_error("done_on", _("実施日が就労開始日より前になっています。"))
        return data


class IncomeRiseForm(ModelForm):
    class Meta:
        model = IncomeRise
        fields = ("risen_on", "income_before", "income_after", "source", "placement", "note")
        widgets = {"risen_on": DateInput(), "note": TEXTAREA}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "placement").queryset = Placement.objects.filter(case=case).select_related("employer")
        say_what_to_do(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _yen(self, "income_before")
        _yen(self, "income_after")
        before, after = data.get("income_before"), data.get("income_after")
        if before is not None and after is not None and after <= before:
            self.add_error("income_after", _("増収の記録です。後の月収は前の月収より多くしてください。"))
        _not_future(self, "risen_on", _("増収の日が未来の日付になっています。"))
        return data


class IncomeRiseEditForm(IncomeRiseForm):
    """An income rise corrected after saving: the figures count its corrected date and source."""

    version = VersionField()
