"""Cases: one support episode of one person, its team, notes, tasks and timeline.

State changes go only through tsunagu.cases.transitions.move().
"""

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import short_wareki
from tsunagu.people.models import Person, location_annotations

if TYPE_CHECKING:
    from tsunagu.accounts.models import District, Staff


class CaseState(models.TextChoices):
    IDENTIFIED = "identified", _("把握")
    INTAKE = "intake", _("相談受付")
    SCREENING = "screening", _("スクリーニング")
    CLOSED_INFO_ONLY = "closed_info_only", _("情報提供のみで終了")
    HANDED_OFF = "handed_off", _("他制度・他機関へつなぎ")
    APPLIED = "applied", _("申込・同意")
    ASSESSMENT = "assessment", _("アセスメント")
    PLAN_DRAFT = "plan_draft", _("プラン案")
    COORDINATION = "coordination", _("支援調整会議")
    DECIDED = "decided", _("支援決定・確認")
    IN_SUPPORT = "in_support", _("支援提供・モニタリング")
    EVALUATION = "evaluation", _("評価")
    CLOSED = "closed", _("終結")
    FOLLOW_UP = "follow_up", _("フォローアップ")
    ENDED = "ended", _("終了")
    SUSPENDED = "suspended", _("中断")


# States from which a case may be suspended (DOMAIN.md §2, "any open state").
OPEN_STATES = frozenset(
    {
        CaseState.IDENTIFIED,
        CaseState.INTAKE,
        CaseState.SCREENING,
        CaseState.APPLIED,
        CaseState.ASSESSMENT,
        CaseState.PLAN_DRAFT,
        CaseState.COORDINATION,
        CaseState.DECIDED,
        CaseState.IN_SUPPORT,
        CaseState.EVALUATION,
    }
)
# States in which the case still asks something of a worker (lists, /my/).
ACTIVE_STATES = OPEN_STATES | {CaseState.HANDED_OFF, CaseState.FOLLOW_UP, CaseState.SUSPENDED}
# Open cases that can go quiet on /my/ (a suspended or handed-off case waits on purpose).
QUIET_STATES = ACTIVE_STATES - {CaseState.SUSPENDED, CaseState.HANDED_OFF}


class IntakeRoute(models.TextChoices):
    WALK_IN = "walk_in", _("来所")
    PHONE = "phone", _("電話")
    AGENCY_REFERRAL = "agency_referral", _("関係機関からの紹介")
    SUPPORTER_REPORT = "supporter_report", _("サポーターからの情報")
    OUTREACH = "outreach", _("アウトリーチ")
    OTHER = "other", _("その他")


class Concern(models.TextChoices):
    """主訴: the 16 items of the intake form's checklist."""

    HEALTH = "health", _("病気・健康・障害")
    HOUSING = "housing", _("住まい")
    INCOME = "income", _("収入・生活費")
    RENT_LOAN = "rent_loan", _("家賃・ローン支払い")
    TAX_UTILITIES = "tax_utilities", _("税金・公共料金の支払い")
    DEBT = "debt", _("債務")
    JOB_SEARCH = "job_search", _("仕事探し・就職")
    WORK_TROUBLE = "work_trouble", _("仕事上の不安・トラブル")
    COMMUNITY = "community", _("地域との関係")
    FAMILY = "family", _("家族との関係")
    CHILD_REARING = "child_rearing", _("子育て")
    CARE = "care", _("介護")
    WITHDRAWAL = "withdrawal", _("ひきこもり・不登校")
    ABUSE = "abuse", _("DV・虐待")
    NO_FOOD = "no_food", _("食べるものがない")
    OTHER = "other", _("その他")


class ScreeningOutcome(models.TextChoices):
    INFO_ONLY = "info_only", _("情報提供のみ")
    HANDED_OFF = "handed_off", _("他制度・他機関へつなぎ")
    APPLIED = "applied", _("申込")


class SuspensionReason(models.TextChoices):
    CONTACT_LOST = "contact_lost", _("連絡が取れない")
    MOVED_AWAY = "moved_away", _("転居")
    REFUSED = "refused", _("本人の拒否")
    OTHER = "other", _("その他")


class ClosureReason(models.TextChoices):
    GOALS_MET = "goals_met", _("目標達成")
    SELF_RELIANT = "self_reliant", _("就労・増収等による自立")
    OTHER_PROGRAMME = "other_programme", _("他制度（生活保護等）へ移行")
    MOVED_AWAY = "moved_away", _("転居")
    CONTACT_LOST = "contact_lost", _("連絡途絶")
    DECLINED = "declined", _("本人の辞退")
    DIED = "died", _("死亡")
    OTHER = "other", _("その他")


class CaseQuerySet(models.QuerySet["Case"]):
    def on_team_of(self, user: "Staff") -> "CaseQuerySet":
        """Cases the user is the worker of or a team member on."""
        member = CaseTeamMember.objects.filter(case=OuterRef("pk"), staff=user)
        return self.filter(Q(worker=user) | Exists(member))

    def held_by(self, user: "Staff") -> "CaseQuerySet":
        """on_team_of for a list or a count of the user's own cases (/my/, 自分の担当, a
        district chief's cases): their ids are read first through the two indexes (worker,
        team member), in one query, then matched by primary key. As one OR beside the
        other conditions, PostgreSQL scanned every open case of the town for them (64,000
        rows at 100,000 cases for a worker holding 75; docs/benchmarks.md). For a
        condition inside another query (Exists, OuterRef) use on_team_of."""
        mine = Case.objects.filter(worker=user).order_by().values_list("pk", flat=True)
        teams = CaseTeamMember.objects.filter(staff=user).order_by().values_list("case_id", flat=True)
        return self.filter(pk__in=list(mine.union(teams).order_by()))

    def active(self) -> "CaseQuerySet":
        return self.filter(state__in=ACTIVE_STATES)

    def open_in_district(self, district: "District", user: "Staff") -> "CaseQuerySet":
        """Open cases of people who live in the district, for a district's figures: those
        whose whereabouts the user may not see are left out (a count of one would locate
        them)."""
        _confidential, visible = location_annotations(user, "person_id")
        return (
            self.filter(
                agency__municipality_id=district.municipality_id, person__district=district, state__in=ACTIVE_STATES
            )
            .annotate(person_location_visible=visible)
            .filter(person_location_visible=True)
        )

    def with_list_columns(self) -> "CaseQuerySet":
        """What a case list shows, fetched in the same query as the cases."""
        return self.select_related("person", "person__district", "worker", "agency").annotate(
            primary_concern=models.Subquery(
                CaseConcern.objects.filter(case=OuterRef("pk"), is_primary=True).values("concern")[:1]
            ),
        )  # and last_note_at, a column of the case


class Case(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases", verbose_name=_("相談者"))
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="cases", verbose_name=_("自立相談支援機関")
    )
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        verbose_name=_("担当者"),
        null=True,
        blank=True,
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=CaseState.choices, default=CaseState.IDENTIFIED, db_index=True
    )
    suspended_from = models.CharField(_("中断前の状態"), max_length=20, choices=CaseState.choices, blank=True)
    suspension_reason = models.CharField(_("中断の理由"), max_length=20, choices=SuspensionReason.choices, blank=True)
    intake_route = models.CharField(_("相談経路"), max_length=20, choices=IntakeRoute.choices)
    opened_on = models.DateField(_("受付日"), default=timezone.localdate)
    summary = models.TextField(
        _("概要"), max_length=20000, blank=True, help_text=_("チームの関係機関にも共有される概要です。")
    )
    screening_outcome = models.CharField(
        _("スクリーニング結果"), max_length=20, choices=ScreeningOutcome.choices, blank=True
    )
    handed_off_to = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="handed_off_cases",
        verbose_name=_("つなぎ先"),
        null=True,
        blank=True,
    )
    closure_reason = models.CharField(_("終結理由"), max_length=20, choices=ClosureReason.choices, blank=True)
    closed_on = models.DateField(_("終結日"), null=True, blank=True)
    state_changed_at = models.DateTimeField(_("状態の変更日時"), default=timezone.now)
    # When the latest progress note took place (None: no note yet), kept by
    # refresh_last_note on every note's save and delete: lists show it, and /my/ finds a
    # worker's quiet cases through case_worker_quiet without reading their notes.
    last_note_at = models.DateTimeField(_("最新の支援経過記録"), null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("ケース")
        verbose_name_plural = _("ケース")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["agency", "state"], name="case_agency_state"),
            # The case list's order within what a user sees: the centre's cases, and the
            # worker's own (cases_visible_to's two row conditions), newest first.
            models.Index(fields=["agency", "-opened_on", "-id"], name="case_agency_list_order"),
            models.Index(fields=["worker", "-opened_on", "-id"], name="case_worker_list_order"),
            # The national statistics count by these dates per centre (statistics/definitions.py).
            models.Index(fields=["agency", "opened_on"], name="case_agency_opened"),
            models.Index(fields=["agency", "closed_on"], name="case_agency_closed"),
            # The case list's order whatever the OR of cases_visible_to: PostgreSQL walks it
            # and stops at the page, instead of sorting every visible open case.
            models.Index(fields=["-opened_on", "-id"], name="case_list_order"),
            # The cases a 支援調整会議 may take up, the latest moved first (meetings.views): in
            # order, filtered by state as read (an IN list on a leading column loses the order).
            models.Index(fields=["-state_changed_at", "-id"], name="case_latest_moved"),
            # A worker's cases gone quiet, the quietest first (/my/): read up to the page,
            # whatever the worker's caseload.
            models.Index(
                fields=["worker", "last_note_at", "id"],
                name="case_worker_quiet",
                condition=Q(state__in=sorted(state.value for state in QUIET_STATES)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_state_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", kwargs={"code": self.code})

    @property
    def primary_concern_label(self) -> str:
        value = getattr(self, "primary_concern", None)
        return str(Concern(value).label) if value else ""


def team_condition(user: "Staff", person_ref: str) -> Q:
    """Whether the user is on the team of a case of the person at `person_ref` (the path
    to the person's id): registered in people.models (CASE_TEAM) in CasesConfig.ready(),
    it decides who may find a person and see her whereabouts.

    Two EXISTS, one per index (the worker's cases, the user's team memberships): as one
    EXISTS over `worker OR member`, PostgreSQL hashed it by scanning every case of the
    town (30 ms a list at 100,000 cases; docs/benchmarks.md)."""
    worker = Case.objects.filter(person=OuterRef(person_ref), worker=user)
    member = CaseTeamMember.objects.filter(case__person=OuterRef(person_ref), staff=user)
    return Q(Exists(worker)) | Q(Exists(member))


class TeamRole(models.TextChoices):
    LEAD = "lead", _("主担当")
    CO_WORKER = "co_worker", _("副担当")
    EMPLOYMENT = "employment", _("就労支援")
    COORDINATOR = "coordinator", _("包括化推進")
    PARTNER = "partner", _("関係機関担当")
    DISTRICT_CHIEF = "district_chief", _("地区チーフ")
    OTHER = "other", _("その他")


class CaseTeamMember(Model):
    """A member of a case's team, from the centre or a partner agency."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team", verbose_name=_("ケース"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="team_memberships", verbose_name=_("職員")
    )
    team_role = models.CharField(_("チームでの役割"), max_length=20, choices=TeamRole.choices)
    note = models.CharField(_("役割の内容"), max_length=200, blank=True)
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("ケースチーム")
        verbose_name_plural = _("ケースチーム")
        constraints = [models.UniqueConstraint(fields=["case", "staff"], name="team_member_once")]

    def __str__(self) -> str:
        return f"{self.staff}（{self.get_team_role_display()}）"


class TeamRequestKind(models.TextChoices):
    MEMBER = "member", _("ケースチームへの参加")
    WORKER = "worker", _("担当者になる")


class TeamRequestQuerySet(models.QuerySet["TeamRequest"]):
    def pending(self) -> "TeamRequestQuerySet":
        return self.filter(decided_at__isnull=True)


class TeamRequest(Model):
    """A request to join the case team of a person under whereabouts confidentiality
    (as a member or as the worker): joining her team shows where she is, so the chief
    (or her team, if the chief delegates) decides, never the joiner (cases.team)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_requests", verbose_name=_("ケース"))
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("参加する職員")
    )
    kind = models.CharField(_("申請の内容"), max_length=20, choices=TeamRequestKind.choices)
    team_role = models.CharField(_("チームでの役割"), max_length=20, choices=TeamRole.choices, blank=True)
    note = models.CharField(_("役割の内容"), max_length=200, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    requested_at = models.DateTimeField(default=timezone.now)
    approved = models.BooleanField(null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(_("判断の理由"), max_length=2000, blank=True)

    objects = TeamRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("ケースチームへの参加申請")
        verbose_name_plural = _("ケースチームへの参加申請")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "staff", "kind"], condition=Q(decided_at__isnull=True), name="team_request_pending_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff}: {self.get_kind_display()}"


# Sent (sender=CaseConcern, case=…) once a case's 主訴 have been replaced: they are
# written in bulk, which sends no post_save, and figures kept elsewhere count by them.
concerns_changed = Signal()


class CaseConcern(Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("ケース"))
    concern = models.CharField(_("主訴"), max_length=20, choices=Concern.choices)
    is_primary = models.BooleanField(_("最も大きな主訴"), default=False)

    class Meta:
        verbose_name = _("主訴")
        verbose_name_plural = _("主訴")
        constraints = [
            models.UniqueConstraint(fields=["case", "concern"], name="concern_once"),
            models.UniqueConstraint(fields=["case"], condition=Q(is_primary=True), name="concern_one_primary"),
        ]
        indexes = [models.Index(fields=["concern", "case"], name="concern_case")]

    def __str__(self) -> str:
        return self.get_concern_display()


class NoteMethod(models.TextChoices):
    VISIT_CENTRE = "visit_centre", _("来所")
    PHONE = "phone", _("電話")
    HOME_VISIT = "home_visit", _("訪問")
    ACCOMPANY = "accompany", _("同行")
    EMAIL = "email", _("メール")
    MEETING = "meeting", _("会議")


class ProgressNoteQuerySet(models.QuerySet["ProgressNote"]):
    def shared(self) -> "ProgressNoteQuerySet":
        return self.filter(shared_with_team=True)


class ProgressNote(Model):
    """支援経過記録. An edit keeps the earlier text as a ProgressNoteRevision."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="notes", verbose_name=_("ケース"))
    occurred_at = models.DateTimeField(_("日時"), default=timezone.now)
    method = models.CharField(_("方法"), max_length=20, choices=NoteMethod.choices)
    participants = models.CharField(_("参加者"), max_length=300, blank=True)
    content = models.TextField(_("内容"), max_length=20000)
    response = models.TextField(_("対応"), max_length=20000, blank=True)
    next_action = models.CharField(_("次回の対応"), max_length=500, blank=True)
    shared_with_team = models.BooleanField(
        _("チームの関係機関と共有する"),
        default=False,
        help_text=_("チェックすると、ケースチームの関係機関職員もこの記録を読めます。"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    edited_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ProgressNoteQuerySet.as_manager()

    class Meta:
        verbose_name = _("支援経過記録")
        verbose_name_plural = _("支援経過記録")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["case", "occurred_at"], name="note_case_time")]

    def __str__(self) -> str:
        return f"{short_wareki(self.occurred_at)} {self.get_method_display()}"


class ProgressNoteRevision(Model):
    """The text of a progress note as it was before an edit (read by the chief)."""

    note = models.ForeignKey(ProgressNote, on_delete=models.PROTECT, related_name="revisions")
    version = models.PositiveIntegerField()
    occurred_at = models.DateTimeField()
    method = models.CharField(max_length=20, choices=NoteMethod.choices)
    participants = models.CharField(max_length=300, blank=True)
    content = models.TextField()
    response = models.TextField(blank=True)
    next_action = models.CharField(max_length=500, blank=True)
    shared_with_team = models.BooleanField()
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("支援経過記録の修正履歴")
        verbose_name_plural = _("支援経過記録の修正履歴")
        ordering = ["-version"]
        constraints = [models.UniqueConstraint(fields=["note", "version"], name="note_revision_once")]

    def __str__(self) -> str:
        return f"{self.note} v{self.version}"


class TaskKind(models.TextChoices):
    MANUAL = "manual", _("タスク")
    HANDOFF_FOLLOW_UP = "handoff_follow_up", _("つなぎ先への確認")
    FOLLOW_UP = "follow_up", _("フォローアップ")
    EVALUATION_DUE = "evaluation_due", _("評価")
    REFERRAL_ANSWER = "referral_answer", _("つなぎ先の回答待ち")
    MEETING_ACTION = "meeting_action", _("会議で決まったこと")
    OUTREACH = "outreach", _("アウトリーチ（訪問）")
    CLOSURE_APPROVAL = "closure_approval", _("終結の承認")
    RETENTION = "retention", _("定着支援")
    HOUSING_DUTIES = "housing_duties", _("住居確保給付金の求職活動の不足")


class TaskQuerySet(models.QuerySet["Task"]):
    def open(self) -> "TaskQuerySet":
        return self.filter(done_at__isnull=True)

    def overdue(self, today: dt.date | None = None) -> "TaskQuerySet":
        return self.open().filter(due_on__lt=today or timezone.localdate())


class Task(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("ケース"))
    title = models.CharField(_("内容"), max_length=200)
    kind = models.CharField(_("種類"), max_length=20, choices=TaskKind.choices, default=TaskKind.MANUAL)
    due_on = models.DateField(_("期限"))
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="tasks", verbose_name=_("担当者")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(_("完了日時"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # Why a task was closed without being done (e.g. the case was closed).
    closing_note = models.CharField(_("完了・取消のメモ"), max_length=200, blank=True)

    objects = TaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("タスク")
        verbose_name_plural = _("タスク")
        ordering = ["done_at", "due_on", "id"]
        indexes = [
            # A user's open tasks by due date (/my/): walked in order and cut at the list's
            # end, whatever the number of open tasks (PostgreSQL scanned the table for a
            # worker holding 1,900 cases with an index that left done_at in the middle).
            models.Index(
                fields=["assignee", "due_on", "id"], name="task_assignee_open_due", condition=Q(done_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()


class TimelineKind(models.TextChoices):
    OPENED = "opened", _("ケース作成")
    STATE = "state", _("状態の変更")
    NOTE = "note", _("支援経過記録")
    NOTE_EDITED = "note_edited", _("支援経過記録の修正")
    TASK = "task", _("タスク")
    TASK_DONE = "task_done", _("タスク完了")
    TEAM = "team", _("チームの変更")
    DETAILS = "details", _("ケース情報の変更")
    SHEET = "sheet", _("帳票")
    CONSENT = "consent", _("同意")
    REFERRAL = "referral", _("つなぎ")
    MEETING = "meeting", _("会議")
    EMPLOYMENT = "employment", _("就労支援")
    PROGRAMME = "programme", _("事業の実施")


class TimelineEntry(Model):
    """What happened on a case, in order: written with each change, never edited."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="timeline", verbose_name=_("ケース"))
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=TimelineKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    from_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=CaseState.choices, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    # Whether partner-agency team members may see the entry (the summary level).
    shared = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("経過")
        verbose_name_plural = _("経過")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["case", "at"], name="timeline_case_time"),
            # Hand-offs and info-only endings by month (statistics/definitions.py).
            models.Index(fields=["to_state", "at"], name="timeline_state_time", condition=models.Q(kind="state")),
        ]

    def __str__(self) -> str:
        return f"{short_wareki(self.at)} {self.get_kind_display()}"


def refresh_last_note(case_id: int) -> None:
    """Case.last_note_at from the case's notes, in the transaction of the change (a single
    UPDATE: it does not touch the case's version, so an open edit of the case stays current)."""
    latest = ProgressNote.objects.filter(case_id=case_id).order_by("-occurred_at").values("occurred_at")[:1]
    Case.objects.filter(pk=case_id).update(last_note_at=models.Subquery(latest))


@receiver([post_save, post_delete], sender=ProgressNote)
def _note_changed(sender: type[ProgressNote], instance: ProgressNote, **kwargs: Any) -> None:
    refresh_last_note(instance.case_id)
