"""Forms of the meetings app. The meeting page carries several forms per agenda item:
their choices are lists the view reads once (ObjectChoiceField), so a page of three
items costs the same queries as a page of one."""

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Municipality, Role, Staff
from tsunagu.cases.models import ClosureReason, TeamRole
from tsunagu.community.models import ResourceField
from tsunagu.lib.forms import CHOOSE, DateInput, Form, ModelForm, VersionField, choices
from tsunagu.lib.wareki import format_wareki, short_wareki
from tsunagu.meetings.access import is_outside
from tsunagu.meetings.calendar import day_off_reason
from tsunagu.meetings.models import (
    CASE_PURPOSES,
    PURPOSES_BY_KIND,
    SUPPORT_MEETING_BASIS,
    AgendaItem,
    Meeting,
    MeetingKind,
    Purpose,
)
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.sheets.models import Issue


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%H:%M")


class ObjectChoiceField(forms.ChoiceField):
    """A choice among objects the view has already read: renders without a query, and
    cleans to the object (or None when nothing is chosen)."""

    default_error_messages = {"invalid_choice": _("選べない項目です。一覧から選び直してください。")}

    def __init__(
        self,
        *,
        objects: Iterable[Any] = (),
        key: str = "pk",
        label_of: Callable[[Any], str] = str,
        group_of: Callable[[Any], str] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.objects: dict[str, Any] = {str(getattr(o, key)): o for o in objects}
        options: list[Any] = [("", CHOOSE)]
        if group_of is None:
            options += [(k, label_of(o)) for k, o in self.objects.items()]
        else:
            groups: dict[str, list[tuple[str, str]]] = {}
            for k, o in self.objects.items():
                groups.setdefault(group_of(o), []).append((k, label_of(o)))
            options += list(groups.items())
        self.choices = options

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.objects.get(str(value)) if value else None


def staff_label(staff: Staff) -> str:
    return f"{staff}（{staff.get_role_display()}）"


def staff_group(staff: Staff) -> str:
    return staff.agency.name if staff.agency else ""


def staff_options(municipality_id: int) -> list[Staff]:
    """Everyone of the municipality who works with records (chairs, attendees, owners)."""
    return list(
        Staff.objects.filter(agency__municipality_id=municipality_id, is_active=True)
        .exclude(role__in=NO_RECORDS_ROLES)
        .select_related("agency")
        .order_by("agency__kind", "agency__name", "username")
    )


def district_chief_for(district: Any) -> Staff | None:
    """The chief of a district, to chair its 地域ケア会議: the district's own chief once
    District records one, else the chief who chaired its last meeting, else the
    municipality's only district chief."""
    chief_id = getattr(district, "chief_id", None)
    chiefs = Staff.objects.filter(
        role=Role.DISTRICT_CHIEF, agency__municipality_id=district.municipality_id, is_active=True
    )
    if chief_id:
        return chiefs.filter(pk=chief_id).first()
    last = (
        Meeting.objects.filter(
            kind=MeetingKind.COMMUNITY_CARE, district=district, chair__role=Role.DISTRICT_CHIEF, chair__is_active=True
        )
        .order_by("-held_on", "-id")
        .select_related("chair")
        .first()
    )
    if last is not None:
        return last.chair
    found = list(chiefs[:2])
    return found[0] if len(found) == 1 else None


# Meetings -----------------------------------------------------------------------------

# The fields each kind of meeting asks for besides the common ones.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    MeetingKind.COORDINATION: ("is_regular",),
    MeetingKind.SUPPORT_MEETING: ("legal_basis",),
    MeetingKind.COMMUNITY_CARE: ("district",),
    MeetingKind.CASE_REVIEW: (),
    MeetingKind.INTEGRATION: (),
    MeetingKind.COUNCIL_COMMITTEE: ("committee",),
}
OPTIONAL_FIELDS = ("is_regular", "legal_basis", "district", "committee")


class MeetingForm(ModelForm):
    confirm_day_off = forms.BooleanField(
        label=_("休日・閉庁日でもこの日に開催する"),
        required=False,
        help_text=_("土日・祝日・年末年始（12月29日〜1月3日）に開く会議は、確かめてからチェックしてください。"),
    )

    class Meta:
        model = Meeting
        fields: tuple[str, ...] = (
            "title",
            "held_on",
            "starts_at",
            "ends_at",
            "place",
            "chair",
            "district",
            "committee",
            "legal_basis",
            "is_regular",
            "notes",
        )
        widgets = {
            "held_on": DateInput(),
            "starts_at": TimeInput(),
            "ends_at": TimeInput(),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, kind: str, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.municipality = municipality
        self.day_off = ""
        for name in OPTIONAL_FIELDS:
            if name not in KIND_FIELDS[kind]:
                del self.fields[name]
        chair = choices(self, "chair")
        chair.queryset = (
            Staff.objects.filter(agency__municipality=municipality, is_active=True)
            .exclude(role__in=NO_RECORDS_ROLES)
            .select_related("agency")
            .order_by("agency__kind", "username")
        )
        chair.label_from_instance = staff_label  # type: ignore[assignment,method-assign]
        if "district" in self.fields:
            choices(self, "district").queryset = municipality.districts.all()
            self.fields["district"].required = True
            self.fields["district"].error_messages["required"] = _("地域ケア会議の地区を選んでください。")
            # Left empty, the chair is the district's chief (clean()).
            chair.required = False
            chair.help_text = _("空欄のときは、その地区の地区チーフが議長になります。")
        if "committee" in self.fields:
            self.fields["committee"].required = True
            self.fields["committee"].error_messages["required"] = _("部会名を書いてください（例: 就労支援部会）。")
        if "legal_basis" in self.fields and not self.is_bound and not self.instance.legal_basis:
            self.initial["legal_basis"] = str(SUPPORT_MEETING_BASIS)
        self.fields["title"].error_messages["required"] = _("会議名を書いてください。")
        self.fields["held_on"].error_messages["required"] = _("開催日を入れてください。")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        held_on: dt.date | None = data.get("held_on")
        if held_on is not None:
            reason = day_off_reason(held_on)
            if reason and not data.get("confirm_day_off"):
                self.day_off = reason
                self.add_error(
                    "held_on",
                    _(
                        "%(day)sは%(reason)sです。この日に開く場合は「休日・閉庁日でもこの日に開催する」にチェックしてください。"
                    )
                    % {"day": format_wareki(held_on), "reason": reason},
                )
            elif reason:
                self.day_off = reason
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("終了時刻が開始時刻より前になっています。"))
        if self.kind == MeetingKind.COMMUNITY_CARE and not data.get("chair") and data.get("district"):
            chief = district_chief_for(data["district"])
            if chief is None:
                self.add_error("chair", _("この地区の地区チーフが登録されていません。議長を選んでください。"))
            else:
                data["chair"] = chief
        if not data.get("chair") and "chair" not in self.errors:
            self.add_error("chair", _("議長・進行を選んでください。"))
        chair = data.get("chair")
        if self.kind == MeetingKind.SUPPORT_MEETING and chair is not None and is_outside(chair, self.municipality.pk):
            # Members from outside sign the undertaking of confidentiality (法第9条第5項) as
            # attendees; the meeting itself is run by the centre or the municipality.
            self.add_error(
                "chair",
                _(
                    "支援会議の議長はセンターの職員か自治体の担当職員にしてください。"
                    "関係機関の方は、守秘義務の誓約日とともに出席者として加えてください。"
                ),
            )
        if self.kind == MeetingKind.SUPPORT_MEETING and not (data.get("legal_basis") or "").strip():
            data["legal_basis"] = str(SUPPORT_MEETING_BASIS)
        return data


class MeetingEditForm(MeetingForm):
    version = VersionField()

    class Meta(MeetingForm.Meta):
        fields = (*MeetingForm.Meta.fields, "status")


# Attendees and the agenda -------------------------------------------------------------


class AttendanceForm(Form):
    """Who was there, recorded after the meeting: every attendee not ticked was absent."""

    present = forms.TypedMultipleChoiceField(
        label=_("出席した人"), coerce=int, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, attendees: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        listed = list(attendees)
        field = self.fields["present"]
        field.choices = [(a.pk, f"{a}（{a.display_agency}）" if a.display_agency else str(a)) for a in listed]  # type: ignore[attr-defined]
        if not self.is_bound:
            self.initial["present"] = [a.pk for a in listed if a.attended]


class AttendeeForm(Form):
    staff = ObjectChoiceField(label=_("職員（アカウントのある人）"))
    name = forms.CharField(label=_("氏名（アカウントのない出席者）"), max_length=100, required=False)
    agency = ObjectChoiceField(label=_("所属機関"))
    agency_name = forms.CharField(label=_("所属（機関の登録がない場合）"), max_length=200, required=False)
    undertaking_on = forms.DateField(label=_("守秘義務の誓約日"), required=False, widget=DateInput())

    def __init__(self, *args: Any, staff: Iterable[Staff], agencies: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"] = ObjectChoiceField(
            label=self.fields["staff"].label, objects=staff, label_of=staff_label, group_of=staff_group
        )
        self.fields["agency"] = ObjectChoiceField(label=self.fields["agency"].label, objects=agencies)


class CaseItemForm(Form):
    case = ObjectChoiceField(label=_("ケース"))
    purpose = forms.ChoiceField(label=_("議題の種類"), required=False)

    def __init__(self, *args: Any, kind: str, cases: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"] = ObjectChoiceField(
            label=_("ケース"),
            objects=cases,
            key="code",
            label_of=lambda c: f"{c.person.full_name}（{c.person.full_name_kana}）{c.get_state_display()}",
        )
        purposes = [p for p in PURPOSES_BY_KIND[kind] if p in CASE_PURPOSES]
        cast(forms.ChoiceField, self.fields["purpose"]).choices = [
            ("", _("ケースの状態から決める")),
            *[(p, Purpose(p).label) for p in purposes],
        ]


class PersonItemForm(Form):
    person = ObjectChoiceField(label=_("相談者"))
    title = forms.CharField(label=_("議題（任意）"), max_length=200, required=False)

    def __init__(self, *args: Any, people: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = ObjectChoiceField(
            label=_("相談者"),
            objects=people,
            key="code",
            label_of=lambda p: f"{p.full_name}（{p.full_name_kana}）",
        )


class IssueItemForm(Form):
    issue = ObjectChoiceField(label=_("登録済みの地域課題"))
    title = forms.CharField(label=_("新しい地域課題の題名"), max_length=200, required=False)
    district = ObjectChoiceField(label=_("地区（空欄は自治体全体）"))
    field = forms.ChoiceField(label=_("分野"), choices=[("", CHOOSE), *ResourceField.choices], required=False)
    description = forms.CharField(
        label=_("内容"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, issues: Iterable[Any], districts: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue"] = ObjectChoiceField(
            label=self.fields["issue"].label,
            objects=issues,
            key="code",
            label_of=lambda i: f"{i.title}（{i.get_status_display()}）",
        )
        self.fields["district"] = ObjectChoiceField(label=self.fields["district"].label, objects=districts)


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{short_wareki(obj.held_on)} {obj.title}（{obj.get_kind_display()}）"


class IssueAgendaForm(Form):
    """A regional issue's page: the issue onto a coming meeting's agenda (meetings:issue_agenda)."""

    meeting = MeetingChoiceField(
        label=_("議題にのせる会議"),
        queryset=None,
        to_field_name="code",
        empty_label=CHOOSE,
        error_messages={
            "invalid_choice": _(
                "この会議は選べません。この地区の地域ケア会議か協議会の部会で、これから開かれるものを選んでください。"
            )
        },
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices(self, "meeting").queryset = meetings


class CandidatesForm(Form):
    cases = forms.MultipleChoiceField(label=_("検討するケース"), widget=forms.CheckboxSelectMultiple, required=False)

    def __init__(self, *args: Any, candidates: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.by_code = {str(c.case.code): c.case for c in candidates}
        cast(forms.ChoiceField, self.fields["cases"]).choices = [
            (code, case.person.full_name) for code, case in self.by_code.items()
        ]
        self.fields["cases"].initial = list(self.by_code)

    def chosen(self) -> list[Any]:
        return [self.by_code[code] for code in self.cleaned_data["cases"]]


# Per item -----------------------------------------------------------------------------


def item_auto_id(item: AgendaItem, name: str) -> str:
    """Ids unique on the page, where every item carries the same forms."""
    return f"id_{name}_{item.code.hex[:8]}_%s"


class MinutesForm(Form):
    minutes = forms.CharField(
        label=_("議事の記録"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    version = VersionField()


class DecisionForm(Form):
    decision = forms.ChoiceField(label=_("決定"), required=False)
    note = forms.CharField(
        label=_("決定の内容・理由"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    closure_reason = forms.ChoiceField(
        label=_("終結理由"), choices=[("", CHOOSE), *ClosureReason.choices], required=False
    )
    support_started_on = forms.DateField(label=_("支援を開始した日"), required=False, widget=DateInput())

    def __init__(self, *args: Any, item: AgendaItem, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["decision"]).choices = [("", CHOOSE), *item.allowed_decisions]
        if item.purpose != Purpose.EVALUATION_REVIEW:
            del self.fields["closure_reason"]
        if item.purpose != Purpose.SUPPORT_CONFIRMATION:
            del self.fields["support_started_on"]

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "decision": data.get("decision") or "",
            "note": data.get("note") or "",
            "closure_reason": data.get("closure_reason") or "",
            "support_started_on": data.get("support_started_on"),
        }


class RoleForm(Form):
    staff = ObjectChoiceField(label=_("職員"))
    team_role = forms.ChoiceField(label=_("チームでの役割"), choices=[("", CHOOSE), *TeamRole.choices], required=False)
    note = forms.CharField(label=_("役割の内容"), max_length=200, required=False)

    def __init__(self, *args: Any, staff: Iterable[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"] = ObjectChoiceField(
            label=_("職員"), objects=staff, label_of=staff_label, group_of=staff_group
        )


class ActionForm(Form):
    title = forms.CharField(label=_("決まったこと"), max_length=200, required=False)
    assignee = ObjectChoiceField(label=_("担当者"))
    due_on = forms.DateField(label=_("期限"), required=False, widget=DateInput())

    def __init__(self, *args: Any, staff: Iterable[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"] = ObjectChoiceField(
            label=_("担当者"), objects=staff, label_of=staff_label, group_of=staff_group
        )
        if not self.is_bound:
            self.initial["due_on"] = timezone.localdate() + dt.timedelta(days=14)


class GapForm(Form):
    description = forms.CharField(label=_("不足している資源"), max_length=500, required=False)
    field = forms.ChoiceField(label=_("分野"), choices=[("", CHOOSE), *ResourceField.choices], required=False)
    district = ObjectChoiceField(label=_("地区（空欄は相談者の地区）"))
    issue = forms.ChoiceField(label=_("アセスメントの課題"), choices=[("", CHOOSE), *Issue.choices], required=False)

    def __init__(self, *args: Any, districts: Iterable[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"] = ObjectChoiceField(label=self.fields["district"].label, objects=districts)


class EscalateForm(Form):
    # Any code is accepted here: escalate() says why a meeting cannot take the item.
    to_meeting = forms.UUIDField(label=_("付議先の相談支援包括化推進会議"), required=False)
    # Required from a 支援会議 (escalate() says so): its titles stay with its members.
    title = forms.CharField(
        label=_("付議先での議題名"),
        max_length=200,
        required=False,
        help_text=_("支援会議からの付議では必須です。支援会議で話された内容に触れない名前にしてください。"),
    )

    def __init__(self, *args: Any, meetings: Iterable[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [("", CHOOSE), *[(str(m.code), f"{short_wareki(m.held_on)} {m.title}") for m in meetings]]
        self.fields["to_meeting"].widget = forms.Select(choices=options)


class PanelAddForm(Form):
    """The case page's link to an upcoming meeting."""

    meeting = ObjectChoiceField(label=_("会議"))

    def __init__(self, *args: Any, meetings: Iterable[Meeting], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["meeting"] = ObjectChoiceField(
            label=_("議題にする会議"),
            objects=meetings,
            key="code",
            label_of=lambda m: f"{short_wareki(m.held_on)} {m.title}",
        )
