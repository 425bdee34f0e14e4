from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, Staff
from tsunagu.cases.models import Case
from tsunagu.consents.models import Category, LegalBasis
from tsunagu.lib.forms import CHOOSE, DateInput, Form, VersionField, choices
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.referrals.flow import REFERRAL_BASES
from tsunagu.referrals.snapshot import CATEGORY_TITLES


def agencies_to_refer_to(case: Case) -> Any:
    """The agencies of the case's municipality other than its centre."""
    return Agency.objects.filter(municipality_id=case.agency.municipality_id).exclude(pk=case.agency_id)


class AgencyChoiceForm(Form):
    """Step one (GET): choose the agency, to see what consent allows to send it."""

    to_agency = forms.ModelChoiceField(label=_("つなぎ先"), queryset=Agency.objects.none(), empty_label=CHOOSE)

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "to_agency").queryset = agencies_to_refer_to(case)


class ReferralForm(Form):
    to_agency = forms.ModelChoiceField(
        label=_("つなぎ先"), queryset=Agency.objects.none(), empty_label=CHOOSE, widget=forms.HiddenInput
    )
    categories = forms.MultipleChoiceField(
        label=_("送る情報"),
        choices=Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("必要なものだけを選んでください。同意のない区分は、緊急の場合を除き送れません。"),
    )
    request = forms.CharField(
        label=_("依頼内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("つなぎ先にお願いしたいこと。送る情報と一緒に届きます。同意のない情報は書かないでください。"),
    )
    basis = forms.ChoiceField(
        label=_("根拠"),
        choices=[(value, label) for value, label in LegalBasis.choices if value in REFERRAL_BASES],
        initial=LegalBasis.CONSENT,
        widget=forms.RadioSelect,
    )
    emergency_reason = forms.CharField(
        label=_("緊急の理由"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("同意なしに送るときだけ: 本人の生命・身体を守るために今必要な理由を書きます。記録に残ります。"),
    )

    def __init__(self, *args: Any, case: Case, covered: set[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "to_agency").queryset = agencies_to_refer_to(case)
        consent_note = {True: _("同意あり"), False: _("同意なし")}
        cast(forms.MultipleChoiceField, self.fields["categories"]).choices = [
            (value, f"{CATEGORY_TITLES[value]}（{consent_note[value in covered]}）") for value in Category.values
        ]


class VersionedForm(Form):
    version = VersionField()


class AcceptForm(VersionedForm):
    receiving_worker = forms.ModelChoiceField(
        label=_("受入れ担当者"), queryset=Staff.objects.none(), empty_label=CHOOSE
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "receiving_worker").queryset = (
            Staff.objects.filter(agency_id=agency_id, is_active=True)
            .exclude(role__in=NO_RECORDS_ROLES)
            .order_by("username")
        )


class DeclineForm(VersionedForm):
    reason = forms.CharField(label=_("お断りの理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(VersionedForm):
    contacted_on = forms.DateField(label=_("本人と接触した日"), widget=DateInput())


class OutcomeForm(VersionedForm):
    outcome = forms.CharField(
        label=_("結果"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("どのような支援につながったか（または、つながらなかった理由）。紹介元のケースに記録されます。"),
    )


class WithdrawForm(VersionedForm):
    reason = forms.CharField(label=_("取り下げの理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
