"""Meetings, from the 支援調整会議 that approves plans to the network council's
committees (DOMAIN.md §4): attendees, agenda items, minutes, decisions and actions.

Decisions that change a case go through tsunagu.meetings.decisions, which moves the case
with tsunagu.cases.transitions.move() in the same transaction.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, District, Municipality
from tsunagu.community.models import RegionalIssue, ResourceField
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import format_wareki
from tsunagu.people.models import Person


class MeetingKind(models.TextChoices):
    COORDINATION = "coordination", _("支援調整会議")
    SUPPORT_MEETING = "support_meeting", _("支援会議（法第9条）")
    COMMUNITY_CARE = "community_care", _("地域ケア会議")
    CASE_REVIEW = "case_review", _("ケース検討会")
    INTEGRATION = "integration", _("相談支援包括化推進会議")
    COUNCIL_COMMITTEE = "council_committee", _("協議会 部会")


# Kinds whose agenda takes regional issues rather than (only) cases.
REGIONAL_KINDS = frozenset({MeetingKind.COMMUNITY_CARE, MeetingKind.COUNCIL_COMMITTEE})

SUPPORT_MEETING_BASIS = _("生活困窮者自立支援法第9条（支援会議）。構成員は同条第5項の守秘義務を負う。")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("予定")
    HELD = "held", _("開催済み")
    CANCELLED = "cancelled", _("中止")


class MeetingQuerySet(models.QuerySet["Meeting"]):
    def in_month(self, year: int, month: int) -> "MeetingQuerySet":
        return self.filter(held_on__year=year, held_on__month=month)

    def upcoming(self, today: "dt.date | None" = None) -> "MeetingQuerySet":
        """Planned meetings from today on: the ones an agenda item can still be put on."""
        return self.filter(held_on__gte=today or timezone.localdate(), status=MeetingStatus.PLANNED)


class Meeting(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("自治体")
    )
    kind = models.CharField(_("会議の種類"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("会議名"), max_length=200)
    held_on = models.DateField(_("開催日"), db_index=True)
    starts_at = models.TimeField(_("開始時刻"), null=True, blank=True)
    ends_at = models.TimeField(_("終了時刻"), null=True, blank=True)
    place = models.CharField(_("場所"), max_length=200, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("議長・進行")
    )
    # 地域ケア会議: one district; 協議会 部会: the committee's name.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("地区"), null=True, blank=True
    )
    committee = models.CharField(_("部会名"), max_length=100, blank=True)
    legal_basis = models.CharField(_("根拠"), max_length=300, blank=True)
    # A meeting held on a fixed schedule (e.g. monthly) that may confirm support already
    # started (DOMAIN.md §4: 定例会議による事後確認).
    is_regular = models.BooleanField(_("定例会議"), default=False)
    status = models.CharField(_("状況"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED)
    notes = models.TextField(_("全体の記録"), max_length=20000, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("会議")
        verbose_name_plural = _("会議")
        ordering = ["-held_on", "-starts_at", "-id"]
        indexes = [models.Index(fields=["municipality", "held_on"], name="meeting_town_day")]

    def __str__(self) -> str:
        # Shown in choices (the case page's 「会議の議題にする」): the date as staff read it.
        return f"{format_wareki(self.held_on, seireki=False)} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"code": self.code})

    @property
    def is_support_meeting(self) -> bool:
        return self.kind == MeetingKind.SUPPORT_MEETING


class Attendee(Model):
    """A participant: a staff account, or an outside participant named with their agency."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_attendances",
        verbose_name=_("職員"),
        null=True,
        blank=True,
    )
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("所属機関"), null=True, blank=True
    )
    agency_name = models.CharField(_("所属（機関の登録がない場合）"), max_length=200, blank=True)
    # 支援会議: each member's written undertaking of confidentiality (法第9条第5項).
    undertaking_on = models.DateField(_("守秘義務の誓約日"), null=True, blank=True)
    # Recorded after the meeting by whoever records the minutes; None until then (never assumed).
    attended = models.BooleanField(_("出席"), null=True, blank=True, default=None)

    class Meta:
        verbose_name = _("出席者")
        verbose_name_plural = _("出席者")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "staff"], condition=Q(staff__isnull=False), name="attendee_staff_once"
            ),
            models.CheckConstraint(condition=Q(staff__isnull=False) | ~Q(name=""), name="attendee_has_name"),
        ]

    def __str__(self) -> str:
        return str(self.staff) if self.staff_id else self.name

    @property
    def display_agency(self) -> str:
        return self.agency.name if self.agency_id and self.agency else self.agency_name


class Purpose(models.TextChoices):
    """Why an item is on the agenda; the first three ask for a decision that moves the case."""

    PLAN_APPROVAL = "plan_approval", _("プランの承認")
    EVALUATION_REVIEW = "evaluation_review", _("評価・終結の確認")
    SUPPORT_CONFIRMATION = "support_confirmation", _("開始済みの支援の事後確認")
    CASE_DISCUSSION = "case_discussion", _("ケースの検討")
    REGIONAL_ISSUE = "regional_issue", _("地域課題")
    ESCALATED = "escalated", _("包括化推進会議への付議")


class Decision(models.TextChoices):
    APPROVED = "approved", _("了承")
    MODIFY = "modify", _("修正")
    RECONSIDER = "reconsider", _("再検討")
    CLOSE = "close", _("終結を了承")
    REPLAN = "replan", _("再プラン")
    CONTINUE = "continue", _("継続")
    NOTED = "noted", _("確認・共有")


# What each kind of meeting takes on its agenda (DOMAIN.md §4).
PURPOSES_BY_KIND: dict[str, tuple[str, ...]] = {
    MeetingKind.COORDINATION: (
        Purpose.PLAN_APPROVAL,
        Purpose.EVALUATION_REVIEW,
        Purpose.SUPPORT_CONFIRMATION,
        Purpose.CASE_DISCUSSION,
    ),
    MeetingKind.SUPPORT_MEETING: (Purpose.CASE_DISCUSSION,),
    MeetingKind.COMMUNITY_CARE: (Purpose.CASE_DISCUSSION, Purpose.REGIONAL_ISSUE),
    MeetingKind.CASE_REVIEW: (Purpose.CASE_DISCUSSION,),
    MeetingKind.INTEGRATION: (Purpose.ESCALATED, Purpose.CASE_DISCUSSION, Purpose.REGIONAL_ISSUE),
    MeetingKind.COUNCIL_COMMITTEE: (Purpose.REGIONAL_ISSUE,),
}
# Purposes whose item is about one case.
CASE_PURPOSES = frozenset(
    {Purpose.PLAN_APPROVAL, Purpose.EVALUATION_REVIEW, Purpose.SUPPORT_CONFIRMATION, Purpose.CASE_DISCUSSION}
)
# The decisions an item of each purpose may take; the first three purposes move the case.
DECISIONS_BY_PURPOSE: dict[str, tuple[str, ...]] = {
    Purpose.PLAN_APPROVAL: (Decision.APPROVED, Decision.MODIFY, Decision.RECONSIDER),
    Purpose.EVALUATION_REVIEW: (Decision.CLOSE, Decision.REPLAN),
    Purpose.SUPPORT_CONFIRMATION: (Decision.APPROVED,),
    Purpose.CASE_DISCUSSION: (Decision.NOTED, Decision.CONTINUE),
    Purpose.REGIONAL_ISSUE: (Decision.NOTED, Decision.CONTINUE),
    Purpose.ESCALATED: (Decision.NOTED, Decision.CONTINUE),
}


class AgendaItem(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("順番"), default=0)
    purpose = models.CharField(_("議題の種類"), max_length=30, choices=Purpose.choices)
    title = models.CharField(_("議題"), max_length=200, blank=True)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("ケース"),
        null=True,
        blank=True,
    )
    # 支援会議 may discuss a person with no case and no consent.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="agenda_items", verbose_name=_("相談者"), null=True, blank=True
    )
    regional_issue = models.ForeignKey(
        RegionalIssue,
        on_delete=models.PROTECT,
        related_name="agenda_items",
        verbose_name=_("地域課題"),
        null=True,
        blank=True,
    )
    minutes = models.TextField(_("議事の記録"), max_length=20000, blank=True)
    decision = models.CharField(_("決定"), max_length=20, choices=Decision.choices, blank=True)
    decision_note = models.TextField(_("決定の内容・理由"), max_length=5000, blank=True)
    # A confirmation after the fact: the day support actually started.
    support_started_on = models.DateField(_("支援の開始日"), null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Escalation to a 相談支援包括化推進会議: the item there points back to this one.
    escalated_from = models.OneToOneField(
        "self", on_delete=models.PROTECT, related_name="escalated_to", null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("議題")
        verbose_name_plural = _("議題")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "case"], condition=Q(case__isnull=False), name="agenda_case_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_purpose_display()

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def allowed_decisions(self) -> list[tuple[str, str]]:
        return [(d, str(Decision(d).label)) for d in DECISIONS_BY_PURPOSE.get(self.purpose, ())]


class RoleAssignment(Model):
    """支援調整会議's sharing of roles: becomes the case team's role on approval."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="roles")
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("職員")
    )
    team_role = models.CharField(_("チームでの役割"), max_length=20)
    note = models.CharField(_("役割の内容"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("役割分担")
        verbose_name_plural = _("役割分担")
        constraints = [models.UniqueConstraint(fields=["item", "staff"], name="role_assignment_once")]

    def __str__(self) -> str:
        return f"{self.staff} {self.team_role_label}"

    @property
    def team_role_label(self) -> str:
        from tsunagu.cases.models import TeamRole

        return str(TeamRole(self.team_role).label) if self.team_role in TeamRole.values else self.team_role


class Action(Model):
    """An action decided in a meeting: who does what by when; on a case it is a task."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("内容"), max_length=200)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("担当者")
    )
    due_on = models.DateField(_("期限"))
    task = models.OneToOneField("cases.Task", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("アクション")
        verbose_name_plural = _("アクション")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class ResourceGap(Model):
    """A missing social resource noted in a meeting (the community issue reads these)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="gaps")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("地区"), null=True, blank=True
    )
    field = models.CharField(_("分野"), max_length=20, choices=ResourceField.choices, blank=True)
    issue = models.CharField(_("アセスメントの課題"), max_length=40, blank=True)
    description = models.CharField(_("不足している資源"), max_length=500)
    noted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    noted_at = models.DateTimeField(default=timezone.now, editable=False)
    regional_issue = models.ForeignKey(
        RegionalIssue, on_delete=models.PROTECT, related_name="gaps", null=True, blank=True
    )

    class Meta:
        verbose_name = _("不足している社会資源")
        verbose_name_plural = _("不足している社会資源")
        ordering = ["-noted_at", "-id"]

    def __str__(self) -> str:
        return self.description
