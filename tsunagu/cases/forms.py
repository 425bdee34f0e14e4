import datetime as dt
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import CENTRE_ROLES, Agency, District, Staff
from tsunagu.cases.models import (
    Case,
    CaseState,
    ClosureReason,
    Concern,
    ProgressNote,
    SuspensionReason,
    Task,
    TeamRole,
)
from tsunagu.lib.forms import ALL, CHOOSE, DateInput, Form, ModelForm, VersionField, choices

CASE_FIELDS = ("intake_route", "opened_on", "worker", "summary")


class CaseForm(ModelForm):
    concerns = forms.MultipleChoiceField(
        label=_("主訴（あてはまるものすべて）"),
        choices=Concern.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    primary_concern = forms.ChoiceField(
        label=_("最も大きな主訴"), choices=[("", CHOOSE), *Concern.choices], required=False
    )

    class Meta:
        model = Case
        fields = CASE_FIELDS
        widgets = {"opened_on": DateInput(), "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "worker").queryset = Staff.objects.filter(
            agency=agency, role__in=CENTRE_ROLES, is_active=True
        ).order_by("username")
        self.fields["worker"].required = True

    def clean_opened_on(self) -> Any:
        opened = self.cleaned_data.get("opened_on")
        if opened and opened > timezone.localdate():
            raise forms.ValidationError(_("受付日が未来の日付になっています。"))
        return opened

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        concerns = data.get("concerns") or []
        primary = data.get("primary_concern")
        if primary and primary not in concerns:
            data["concerns"] = [*concerns, primary]
        if concerns and not primary:
            self.add_error("primary_concern", _("主訴の中から最も大きなものを一つ選んでください。"))
        return data


class CaseEditForm(CaseForm):
    version = VersionField()


class MoveForm(Form):
    """The details a move asks for; move() itself decides whether it is allowed."""

    to = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    expected_state = forms.ChoiceField(choices=CaseState.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=_("理由・メモ"), required=False, max_length=400)
    to_agency = forms.ModelChoiceField(
        label=_("つなぎ先"), queryset=Agency.objects.none(), required=False, empty_label=CHOOSE
    )
    closure_reason = forms.ChoiceField(
        label=_("終結理由"), choices=[("", CHOOSE), *ClosureReason.choices], required=False
    )
    suspension_reason = forms.ChoiceField(
        label=_("中断の理由"), choices=[("", CHOOSE), *SuspensionReason.choices], required=False
    )
    # The chief's reason for making a move whose record is missing (audited).
    override_reason = forms.CharField(label=_("記録なしで進める理由"), required=False, max_length=300)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "to_agency").queryset = Agency.objects.filter(
            municipality_id=case.agency.municipality_id
        ).exclude(pk=case.agency_id)

    def details(self, asks: tuple[str, ...]) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) or ("" if name != "to_agency" else None) for name in asks}


NOTE_FIELDS = ("occurred_at", "method", "participants", "content", "response", "next_action", "shared_with_team")


class ProgressNoteForm(ModelForm):
    class Meta:
        model = ProgressNote
        fields = NOTE_FIELDS
        widgets = {
            "occurred_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "content": forms.Textarea(attrs={"rows": 5}),
            "response": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.instance.pk:
            self.initial["occurred_at"] = timezone.localtime().replace(second=0, microsecond=0)

    def clean_occurred_at(self) -> Any:
        occurred = self.cleaned_data.get("occurred_at")
        if occurred and occurred > timezone.now() + dt.timedelta(minutes=5):
            raise forms.ValidationError(_("未来の日時の記録はできません。"))
        return occurred


class ProgressNoteEditForm(ProgressNoteForm):
    version = VersionField()


class TaskForm(ModelForm):
    class Meta:
        model = Task
        fields = ("title", "due_on", "assignee")
        widgets = {"due_on": DateInput()}

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centre = Q(agency_id=case.agency_id, role__in=CENTRE_ROLES, is_active=True)
        choices(self, "assignee").queryset = Staff.objects.filter(centre | Q(team_memberships__case=case)).distinct()
        if case.worker_id:
            self.initial.setdefault("assignee", case.worker_id)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj}（{obj.agency}・{obj.get_role_display()}）"


class TeamMemberForm(Form):
    staff = StaffChoiceField(label=_("職員"), queryset=Staff.objects.none(), empty_label=CHOOSE)
    team_role = forms.ChoiceField(label=_("チームでの役割"), choices=TeamRole.choices)
    note = forms.CharField(label=_("役割の内容"), required=False, max_length=200)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "staff").queryset = (
            Staff.objects.filter(agency__municipality_id=case.agency.municipality_id, is_active=True)
            .exclude(role__in=["supporter", "admin"])
            .exclude(team_memberships__case=case)
            .select_related("agency")
            .order_by("agency__name", "username")
        )


class TeamDecisionForm(Form):
    """The chief's decision on a request to join a protected person's case team."""

    decision = forms.ChoiceField(
        label=_("判断"), choices=[("approve", _("承認する")), ("refuse", _("承認しない"))], widget=forms.RadioSelect
    )
    reason = forms.CharField(label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class CaseFilterForm(Form):
    state = forms.ChoiceField(label=_("状態"), choices=[("", ALL), *CaseState.choices], required=False)
    worker = forms.ModelChoiceField(label=_("担当者"), queryset=Staff.objects.none(), required=False, empty_label=ALL)
    district = forms.ModelChoiceField(
        label=_("地区"), queryset=District.objects.none(), required=False, empty_label=ALL
    )
    concern = forms.ChoiceField(label=_("主訴"), choices=[("", ALL), *Concern.choices], required=False)
    include_closed = forms.BooleanField(label=_("終了したケースも表示"), required=False)
    # The cases the user works on: the worker or a team member (as /my/ counts them).
    mine = forms.BooleanField(label=_("自分が担当・チームのケースだけ"), required=False)

    def __init__(self, *args: Any, user: Staff, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "district").queryset = District.objects.filter(municipality_id=user.municipality_id)
        if user.agency_id:
            choices(self, "worker").queryset = Staff.objects.filter(
                agency__municipality_id=user.municipality_id, role__in=CENTRE_ROLES
            ).order_by("username")
        if not (user.works_in_centre or user.is_municipal_officer):
            # 主訴 can be 要配慮 (DV, illness): a filter on it would show it to partners.
            del self.fields["concern"]
