import datetime as dt
from typing import Any

from django import forms
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import CENTRE_ROLES, Agency, Staff
from tsunagu.cases.models import Case, Concern
from tsunagu.lib.forms import CHOOSE, DateInput, Form, IdMultipleChoiceField, ModelForm, choices
from tsunagu.sheets import rules
from tsunagu.sheets.models import (
    CONDITIONS,
    AssessmentSheet,
    Attainment,
    ConsentMethod,
    ConsentPurpose,
    DecisionExtension,
    EvaluationSheet,
    IntakeSheet,
    Issue,
    PlanItem,
    PlanSheet,
    Programme,
    SupportDecision,
)

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class SheetForm(ModelForm):
    """A sheet's form: it carries the version it was read at (0 for the first). A missing
    answer says what to do, by the field's name, in place of Django's 「このフィールドは必須です。」."""

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_what_to_do(self)


def say_what_to_do(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        if field.widget.is_hidden:
            continue
        chosen = isinstance(field, forms.ChoiceField | forms.ModelChoiceField | forms.BooleanField)
        required = _("「%(label)s」を選んでください。") if chosen else _("「%(label)s」を入れてください。")
        field.error_messages["required"] = required % {"label": field.label}
        field.error_messages["invalid_choice"] = _("「%(label)s」は一覧から選んでください。") % {"label": field.label}


class IntakeForm(SheetForm):
    concerns = forms.MultipleChoiceField(
        label=_("主訴（あてはまるものすべて）"), choices=Concern.choices, widget=forms.CheckboxSelectMultiple
    )
    consent_purposes = forms.MultipleChoiceField(
        label=_("同意の目的"), choices=ConsentPurpose.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = IntakeSheet
        fields = (*IntakeSheet.CONTENT_FIELDS, "consent_agencies")
        field_classes = {"consent_agencies": IdMultipleChoiceField}
        widgets = {
            "received_on": DateInput(),
            "applied_on": DateInput(),
            "concern_detail": forms.Textarea(attrs={"rows": 5}),
            "consent_agencies": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "receiving_worker").queryset = Staff.objects.filter(
            agency_id=case.agency_id, role__in=CENTRE_ROLES, is_active=True
        ).order_by("username")
        self.fields["consent_agencies"].queryset = Agency.objects.filter(  # type: ignore[attr-defined]
            municipality_id=case.agency.municipality_id
        ).exclude(pk=case.agency_id)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        concerns, primary = data.get("concerns") or [], data.get("primary_concern")
        if primary and concerns and primary not in concerns:
            self.add_error("primary_concern", _("最も大きな主訴は、チェックした主訴の中から選んでください。"))
        if data.get("applied"):
            if not data.get("applied_on"):
                self.add_error("applied_on", _("申込日を入れてください。"))
            if not data.get("consent_method"):
                self.add_error("consent_method", _("同意の方法を選んでください。"))
            if not data.get("consent_purposes"):
                self.add_error("consent_purposes", _("同意の目的を一つ以上選んでください。"))
        received, applied_on = data.get("received_on"), data.get("applied_on")
        if received and applied_on and applied_on < received:
            self.add_error("applied_on", _("申込日が受付日より前になっています。"))
        return data


class AssessmentForm(SheetForm):
    issues = forms.MultipleChoiceField(
        label=_("課題と背景要因（あてはまるものすべて）"), choices=Issue.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AssessmentSheet
        fields = AssessmentSheet.CONTENT_FIELDS
        widgets = {
            "assessed_on": DateInput(),
            **{
                name: TEXTAREA
                for name in AssessmentSheet.CONTENT_FIELDS
                if isinstance(AssessmentSheet._meta.get_field(name), models.TextField)
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("emergency_needed") and not data.get("emergency_note"):
            self.add_error("emergency_note", _("緊急対応が必要な場合は、その内容を書いてください。"))
        if data.get("suicide_risk") == "high" and not data.get("emergency_needed"):
            self.add_error("emergency_needed", _("自殺のリスクが高い場合は、緊急対応の要否を必ず判断してください。"))
        return data


class PlanForm(SheetForm):
    programmes = forms.MultipleChoiceField(
        label=_("利用を申し込む事業"), choices=Programme.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = PlanSheet
        fields = PlanSheet.CONTENT_FIELDS
        widgets = {
            "long_term_goal": TEXTAREA,
            "short_term_goals": TEXTAREA,
            "period_start": DateInput(),
            "period_end": DateInput(),
            "next_evaluation_on": DateInput(),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end, review = data.get("period_start"), data.get("period_end"), data.get("next_evaluation_on")
        if start and end and end < start:
            self.add_error("period_end", _("プランの終了日が開始日より前になっています。"))
        if start and review and review < start:
            self.add_error("next_evaluation_on", _("モニタリング・評価日がプランの開始日より前になっています。"))
        if end and review and review > end:
            self.add_error("next_evaluation_on", _("モニタリング・評価日がプランの期間を過ぎています。"))
        return data


def provider_agencies(case: Case) -> "models.QuerySet[Agency]":
    return Agency.objects.filter(municipality_id=case.agency.municipality_id).order_by("kind", "name")


class PlanItemForm(ModelForm):
    class Meta:
        model = PlanItem
        fields = tuple(f for f in PlanItem.CONTENT_FIELDS if f != "position")

    def __init__(
        self, *args: Any, case: Case, agency_choices: list[tuple[Any, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = choices(self, "provider_agency")
        field.queryset = provider_agencies(case)
        if agency_choices is not None:
            field.choices = agency_choices
        say_what_to_do(self)


class BasePlanItemFormSet(forms.BaseFormSet):
    """The rows share one list of agencies: one query for the page, not one per row."""

    @cached_property
    def agency_choices(self) -> list[tuple[Any, str]]:
        return [("", str(CHOOSE)), *((a.pk, str(a)) for a in provider_agencies(self.form_kwargs["case"]))]

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "agency_choices": self.agency_choices}


PlanItemFormSet = forms.formset_factory(PlanItemForm, formset=BasePlanItemFormSet, extra=1, can_delete=True, max_num=30)


class AgreementForm(Form):
    agreed_on = forms.DateField(label=_("本人の同意日"), widget=DateInput())
    agreement_method = forms.ChoiceField(label=_("同意の方法"), choices=ConsentMethod.choices)
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args: Any, plan: PlanSheet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_agreed_on(self) -> dt.date:
        agreed: dt.date = self.cleaned_data["agreed_on"]
        if agreed < self.plan.recorded_at.date() - dt.timedelta(days=1):
            raise forms.ValidationError(_("同意日がこの版のプランを作った日より前になっています。"))
        return agreed


class EvaluationForm(SheetForm):
    class Meta:
        model = EvaluationSheet
        fields = EvaluationSheet.CONTENT_FIELDS
        widgets = {"evaluated_on": DateInput(), "reason": TEXTAREA}


class AttainmentForm(Form):
    attainment = forms.ChoiceField(label=_("達成度"), choices=Attainment.choices)
    comment = forms.CharField(label=_("コメント"), max_length=500, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_what_to_do(self)


def attainment_forms(data: Any, plan: PlanSheet) -> list[tuple[PlanItem, AttainmentForm]]:
    """One small form per goal of the plan being evaluated."""
    return [(item, AttainmentForm(data, prefix=f"goal-{item.pk}")) for item in plan.items.all()]


class DecisionForm(ModelForm):
    class Meta:
        model = SupportDecision
        fields = ("programme", "decided_on", "starts_on", "ends_on", "note")
        widgets = {"decided_on": DateInput(), "starts_on": DateInput(), "ends_on": DateInput()}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        programme, starts, ends = data.get("programme"), data.get("starts_on"), data.get("ends_on")
        if programme and starts and ends:
            for field, message in rules.decision_errors(programme, starts, ends).items():
                self.add_error(field, message)
        return data


class ExtensionForm(ModelForm):
    class Meta:
        model = DecisionExtension
        fields = ("requested_on", "decided_on", "new_ends_on")
        widgets = {"requested_on": DateInput(), "decided_on": DateInput(), "new_ends_on": DateInput()}

    def __init__(self, *args: Any, decision: SupportDecision, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.decision = decision

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        requested, new_end = data.get("requested_on"), data.get("new_ends_on")
        if requested and new_end:
            errors = rules.extension_errors(
                self.decision.programme,
                self.decision.current_end(),
                len(self.decision.extensions.all()),
                requested,
                new_end,
            )
            for field, message in errors.items():
                self.add_error(None if field == "__all__" else field, message)
        return data


CONDITION_FIELDS = [(name, label, f"{name}_before", f"{name}_after") for name, label in CONDITIONS]
