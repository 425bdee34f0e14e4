"""The MHLW standard forms (帳票類, DOMAIN.md §2) as versioned records of a case.

Every save of a sheet appends a new version; earlier versions are never changed, so a
case can be shown as it stood on any past date (`as_of`). Who saved what is in the
audit trail. Fields that hold 要配慮個人情報 are listed in `SENSITIVE_FIELDS` (later
sharing rules hold them back); fields the national survey asks for (the bold-framed
items of the paper form) are listed in `NATIONAL_FIELDS`.
"""

import datetime as dt
import enum
import uuid
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import Case, Concern
from tsunagu.consents.models import (
    APPLICATION_CATEGORIES,
    Consent,
    Method,
    Purpose,
    ordered_choices,
    record_consent,
)
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import short_wareki

if TYPE_CHECKING:
    from tsunagu.accounts.models import Staff


class Issue(models.TextChoices):
    """課題と背景要因: the 28 items of the assessment sheet's checklist."""

    ECONOMIC_HARDSHIP = "economic_hardship", _("経済的困窮")
    JOB_SEARCH_DIFFICULTY = "job_search_difficulty", _("就職活動困難")
    JOB_RETENTION_DIFFICULTY = "job_retention_difficulty", _("就職定着困難")
    ILLNESS = "illness", _("病気")
    INJURY = "injury", _("けが")
    DISABILITY_CERTIFIED = "disability_certified", _("障害(手帳有)")
    DISABILITY_SUSPECTED = "disability_suspected", _("障害(疑い)")
    MENTAL_HEALTH = "mental_health", _("メンタルヘルスの課題")
    SUICIDE_ATTEMPT = "suicide_attempt", _("自死企図")
    UNSTABLE_HOUSING = "unstable_housing", _("住まい不安定")
    HOMELESS = "homeless", _("ホームレス")
    DEBT = "debt", _("債務")
    BUDGET_MANAGEMENT = "budget_management", _("家計管理の課題")
    IRREGULAR_LIFE = "irregular_life", _("生活習慣の乱れ")
    SOCIAL_ISOLATION = "social_isolation", _("社会的孤立")
    FAMILY_PROBLEMS = "family_problems", _("家族関係・家族の問題")
    SCHOOL_REFUSAL = "school_refusal", _("不登校")
    DELINQUENCY = "delinquency", _("非行")
    EARLY_SCHOOL_LEAVING = "early_school_leaving", _("中卒・高校中退")
    CHILD_REARING = "child_rearing", _("子育て")
    CARE = "care", _("介護")
    SINGLE_PARENT = "single_parent", _("ひとり親")
    ABUSE = "abuse", _("DV・虐待")
    FOREIGN_NATIONALITY = "foreign_nationality", _("外国籍")
    FORMER_OFFENDER = "former_offender", _("刑余者")
    COMMUNICATION = "communication", _("コミュニケーションが苦手")
    PERSONAL_ABILITY = "personal_ability", _("本人の能力の課題(識字等)")
    OTHER = "other", _("その他")


# 要配慮個人情報 among the issues: health, disability, mental health, criminal record,
# victimisation (個人情報保護法 第2条第3項).
SENSITIVE_ISSUES = frozenset(
    {
        Issue.ILLNESS,
        Issue.INJURY,
        Issue.DISABILITY_CERTIFIED,
        Issue.DISABILITY_SUSPECTED,
        Issue.MENTAL_HEALTH,
        Issue.SUICIDE_ATTEMPT,
        Issue.ABUSE,
        Issue.FORMER_OFFENDER,
    }
)


class Programme(models.TextChoices):
    """Statutory programmes a plan can apply for (DOMAIN.md §3)."""

    HOUSING_BENEFIT = "housing_benefit", _("住居確保給付金")
    WORK_PREPARATION = "work_preparation", _("就労準備支援事業")
    HOUSEHOLD_BUDGET = "household_budget", _("家計改善支援事業")
    HOUSING_SUPPORT = "housing_support", _("居住支援事業")
    CHILD_LEARNING = "child_learning", _("子どもの学習・生活支援事業")
    CERTIFIED_WORK_TRAINING = "certified_work_training", _("認定就労訓練事業")


class SheetQuerySet(models.QuerySet[Any]):
    def as_of(self, when: dt.datetime) -> "SheetQuerySet":
        """The versions that existed at a moment."""
        return self.filter(recorded_at__lte=when)

    def latest_version(self) -> Any:
        return self.order_by("-version").first()


class SheetVersion(Model):
    """One saved version of a sheet of a case. Never updated after it is written,
    except to record the person's agreement on a plan."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("ケース"))
    version = models.PositiveIntegerField(_("版"), editable=False)
    recorded_at = models.DateTimeField(_("記録日時"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )

    objects = SheetQuerySet.as_manager()

    # Field names holding 要配慮個人情報, and field names the national survey reports.
    SENSITIVE_FIELDS: frozenset[str] = frozenset()
    NATIONAL_FIELDS: frozenset[str] = frozenset()
    # The fields a form edits and a new version copies.
    CONTENT_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["case", "-version"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} 第{self.version}版"


class WorkStatus(models.TextChoices):
    REGULAR = "regular", _("就労中（正規）")
    NON_REGULAR = "non_regular", _("就労中（非正規）")
    SELF_EMPLOYED = "self_employed", _("自営業")
    JOB_SEEKING = "job_seeking", _("求職中")
    NOT_WORKING = "not_working", _("無職（求職していない）")
    STUDENT = "student", _("学生")
    OTHER = "other", _("その他")


class HousingStatus(models.TextChoices):
    OWNED = "owned", _("持ち家")
    RENTED = "rented", _("民間賃貸")
    PUBLIC = "public", _("公営住宅")
    COMPANY = "company", _("社宅・寮")
    ACQUAINTANCE = "acquaintance", _("知人・親族宅")
    FACILITY = "facility", _("施設")
    NONE = "none", _("住居なし（路上・ネットカフェ等）")
    OTHER = "other", _("その他")


class Insurance(models.TextChoices):
    NATIONAL = "national", _("国民健康保険")
    EMPLOYEE = "employee", _("被用者保険（社会保険）")
    LATE_ELDERLY = "late_elderly", _("後期高齢者医療")
    PUBLIC_ASSISTANCE = "public_assistance", _("生活保護（医療扶助）")
    NONE = "none", _("無保険")
    UNKNOWN = "unknown", _("不明")


class Pension(models.TextChoices):
    RECEIVING = "receiving", _("受給中")
    PAYING = "paying", _("加入・納付中")
    EXEMPT = "exempt", _("免除・猶予")
    UNPAID = "unpaid", _("未加入・未納")
    UNKNOWN = "unknown", _("不明")


# One vocabulary of consent for the application form and the consent records.
ConsentMethod = Method
ConsentPurpose = Purpose


class IntakeSheet(SheetVersion):
    """相談受付・申込票 (A and B sheets). The person's details come from the Person."""

    received_on = models.DateField(_("受付日"))
    receiving_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("受付者")
    )
    visitor_name = models.CharField(_("来所者（本人以外）の氏名"), max_length=100, blank=True)
    visitor_relation = models.CharField(_("本人との関係"), max_length=100, blank=True)
    concerns = models.JSONField(_("主訴"), default=list)
    primary_concern = models.CharField(_("最も大きな主訴"), max_length=20, choices=Concern.choices)
    concern_detail = models.TextField(_("相談内容"), max_length=20000, blank=True)
    work_status = models.CharField(_("仕事の状況"), max_length=20, choices=WorkStatus.choices)
    housing_status = models.CharField(_("住まいの状況"), max_length=20, choices=HousingStatus.choices)
    insurance = models.CharField(_("医療保険"), max_length=20, choices=Insurance.choices)
    pension = models.CharField(_("年金"), max_length=20, choices=Pension.choices)
    applied = models.BooleanField(_("支援を申し込む"), default=False)
    applied_on = models.DateField(_("申込日"), null=True, blank=True)
    consent_method = models.CharField(_("同意の方法"), max_length=20, choices=ConsentMethod.choices, blank=True)
    consent_purposes = models.JSONField(_("同意の目的"), default=list, blank=True)
    consent_agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("同意の対象機関"))
    # The consent records given on this version: the application consent it recorded
    # (consents.record_application_consent), and any recorded later from its consent field.
    # The sheet points at the consent, not the other way round: consents sit below sheets.
    consents = models.ManyToManyField(
        Consent, blank=True, related_name="intake_sheets", verbose_name=_("この版で記録した同意")
    )

    NATIONAL_FIELDS = frozenset({"received_on", "concerns", "primary_concern", "work_status", "housing_status"})
    CONTENT_FIELDS = (
        "received_on",
        "receiving_worker",
        "visitor_name",
        "visitor_relation",
        "concerns",
        "primary_concern",
        "concern_detail",
        "work_status",
        "housing_status",
        "insurance",
        "pension",
        "applied",
        "applied_on",
        "consent_method",
        "consent_purposes",
    )

    class Meta(SheetVersion.Meta):
        verbose_name = _("相談受付・申込票")
        verbose_name_plural = _("相談受付・申込票")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="intake_version_once")]

    def get_absolute_url(self) -> str:
        return reverse("sheets:intake", kwargs={"code": self.case.code})


class ApplicationConsent(enum.Enum):
    """What saving a 相談受付・申込票 did to the consent records."""

    NOT_GIVEN = "not_given"
    RECORDED = "recorded"
    UNCHANGED = "unchanged"
    WITHDRAWN = "withdrawn"


def record_application_consent(sheet: IntakeSheet, by: "Staff") -> ApplicationConsent:
    """The consent signed on the application form, as a Consent record (BASIC, PLAN and
    PROGRESS, never a sensitive category), which the version then points at. Call it in
    the transaction that saves the version.

    A new version with the same consent changes nothing. A changed consent replaces the
    earlier one (superseded_by). Once the person has withdrawn it, saving the form again,
    changed or not, records nothing: a new consent after a withdrawal is recorded on its
    own page, with the day the person gave it."""
    if not sheet.applied or not sheet.consent_method:
        return ApplicationConsent.NOT_GIVEN
    case = sheet.case
    agencies = list(sheet.consent_agencies.all())
    purposes = ordered_choices(sheet.consent_purposes, Purpose)
    given_on = sheet.applied_on or sheet.received_on
    terms = (sorted(a.pk for a in agencies), purposes, sheet.consent_method, given_on)
    with transaction.atomic():
        earlier = (
            Consent.objects.select_for_update()
            .filter(case=case, on_application=True, superseded_by__isnull=True)
            .order_by("-id")
            .first()
        )
        if earlier is not None:
            if earlier.withdrawn_at is not None:
                return ApplicationConsent.WITHDRAWN
            same = (sorted(a.pk for a in earlier.agencies.all()), earlier.purposes, earlier.method, earlier.given_on)
            if same == terms:
                return ApplicationConsent.UNCHANGED
        consent = record_consent(
            case.person,
            by,
            case=case,
            agencies=agencies,
            purposes=purposes,
            categories=APPLICATION_CATEGORIES,
            method=sheet.consent_method,
            given_on=given_on,
            note=_t("相談受付・申込票（第%(v)s版）での同意") % {"v": sheet.version},
            on_application=True,
        )
        sheet.consents.add(consent)
        if earlier is not None:
            earlier.superseded_by = consent
            earlier.save(update_fields=["superseded_by"])
            record(by, Action.CHANGE, earlier, changes={"superseded_by": str(consent.code)})
    return ApplicationConsent.RECORDED


class Certificate(models.TextChoices):
    NONE = "none", _("なし")
    PHYSICAL = "physical", _("身体障害者手帳")
    INTELLECTUAL = "intellectual", _("療育手帳")
    MENTAL = "mental", _("精神障害者保健福祉手帳")
    SUSPECTED = "suspected", _("手帳なし（障害の疑い）")


class SuicideRisk(models.TextChoices):
    NONE = "none", _("なし")
    LOW = "low", _("低")
    MODERATE = "moderate", _("中")
    HIGH = "high", _("高（緊急対応）")


class AssessmentSheet(SheetVersion):
    """インテーク・アセスメントシート."""

    assessed_on = models.DateField(_("アセスメント日"))
    life_history = models.TextField(_("生活歴"), max_length=20000, blank=True)
    work_history = models.TextField(_("職歴"), max_length=20000, blank=True)
    education = models.TextField(_("学歴"), max_length=20000, blank=True)
    health = models.TextField(_("健康状態・通院"), max_length=20000, blank=True)
    # Required and without a default: an unassessed risk must not be saved as なし.
    disability_certificate = models.CharField(_("障害の状況"), max_length=20, choices=Certificate.choices)
    disability_detail = models.TextField(_("障害の内容"), max_length=20000, blank=True)
    mental_health = models.TextField(_("メンタルヘルス"), max_length=20000, blank=True)
    addictions = models.TextField(_("依存症（アルコール・ギャンブル等）"), max_length=20000, blank=True)
    criminal_record = models.TextField(_("刑事手続・前歴"), max_length=20000, blank=True)
    victimisation = models.TextField(_("犯罪被害・DV・虐待の被害"), max_length=20000, blank=True)
    monthly_income = models.PositiveIntegerField(_("月収（円）"), null=True, blank=True)
    income_detail = models.TextField(_("収入の内訳"), max_length=20000, blank=True)
    household_budget = models.TextField(_("家計の状況（支出）"), max_length=20000, blank=True)
    debts = models.TextField(_("債務"), max_length=20000, blank=True)
    debt_total = models.PositiveIntegerField(_("債務の総額（円）"), null=True, blank=True)
    assets = models.TextField(_("資産"), max_length=20000, blank=True)
    schemes_enrolled = models.TextField(_("利用中の制度"), max_length=20000, blank=True)
    family = models.TextField(_("家族の状況"), max_length=20000, blank=True)
    key_person = models.CharField(_("キーパーソン"), max_length=200, blank=True)
    social_relations = models.TextField(_("地域・友人との関係"), max_length=20000, blank=True)
    desired_life = models.TextField(
        _("本人が望む暮らし（本人の言葉）"),
        max_length=20000,
        blank=True,
        help_text=_("できるだけ本人の言葉のまま書きます。"),
    )
    issues = models.JSONField(_("課題と背景要因"), default=list)
    judgement = models.TextField(_("相談員の見立て"), max_length=20000, blank=True)
    suicide_risk = models.CharField(_("自殺のリスク"), max_length=20, choices=SuicideRisk.choices)
    emergency_needed = models.BooleanField(_("緊急の対応が必要"), default=False)
    emergency_note = models.TextField(_("緊急対応の内容"), max_length=20000, blank=True)

    SENSITIVE_FIELDS = frozenset(
        {
            "health",
            "disability_certificate",
            "disability_detail",
            "mental_health",
            "addictions",
            "criminal_record",
            "victimisation",
            "suicide_risk",
        }
    )
    NATIONAL_FIELDS = frozenset({"issues", "monthly_income", "disability_certificate", "debt_total"})
    CONTENT_FIELDS = (
        "assessed_on",
        "life_history",
        "work_history",
        "education",
        "health",
        "disability_certificate",
        "disability_detail",
        "mental_health",
        "addictions",
        "criminal_record",
        "victimisation",
        "monthly_income",
        "income_detail",
        "household_budget",
        "debts",
        "debt_total",
        "assets",
        "schemes_enrolled",
        "family",
        "key_person",
        "social_relations",
        "desired_life",
        "issues",
        "judgement",
        "suicide_risk",
        "emergency_needed",
        "emergency_note",
    )

    class Meta(SheetVersion.Meta):
        verbose_name = _("インテーク・アセスメントシート")
        verbose_name_plural = _("インテーク・アセスメントシート")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="assessment_version_once")]

    def get_absolute_url(self) -> str:
        return reverse("sheets:assessment", kwargs={"code": self.case.code})

    def issue_labels(self) -> list[str]:
        return [str(Issue(i).label) for i in self.issues if i in Issue.values]


class PlanSheet(SheetVersion):
    """プラン兼事業等利用申込書. A version is agreed when the person agreed to it; editing
    an agreed plan makes a new version that needs agreement again."""

    long_term_goal = models.TextField(_("長期目標（本人の目指す姿）"), max_length=20000)
    short_term_goals = models.TextField(_("短期目標"), max_length=20000, blank=True)
    programmes = models.JSONField(_("利用を申し込む事業"), default=list, blank=True)
    # 就労支援対象者: the plan sets work as a goal (national statistics, DOMAIN.md §8).
    employment_support = models.BooleanField(
        _("就労支援の対象とする"), default=False, help_text=_("プランの目標に就労（増収）を含めるときに選びます。")
    )
    period_start = models.DateField(_("プランの期間（開始）"))
    period_end = models.DateField(_("プランの期間（終了）"))
    next_evaluation_on = models.DateField(_("次回のモニタリング・評価日"))
    agreed_on = models.DateField(_("本人の同意日"), null=True, blank=True)
    agreement_method = models.CharField(_("同意の方法"), max_length=20, choices=ConsentMethod.choices, blank=True)

    NATIONAL_FIELDS = frozenset({"programmes", "employment_support", "period_start", "agreed_on"})
    CONTENT_FIELDS = (
        "long_term_goal",
        "short_term_goals",
        "programmes",
        "employment_support",
        "period_start",
        "period_end",
        "next_evaluation_on",
    )

    class Meta(SheetVersion.Meta):
        verbose_name = _("プラン兼事業等利用申込書")
        verbose_name_plural = _("プラン兼事業等利用申込書")
        # The national statistics: plans by the day they were agreed, and a case's earlier
        # agreement (statistics/definitions.py).
        indexes = [
            models.Index(fields=["agreed_on"], name="plan_agreed_on", condition=models.Q(agreed_on__isnull=False)),
            models.Index(fields=["case", "agreed_on"], name="plan_case_agreed_on"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="plan_version_once"),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")), name="plan_period"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("sheets:plan", kwargs={"code": self.case.code})

    @property
    def agreed(self) -> bool:
        return self.agreed_on is not None

    def programme_labels(self) -> list[str]:
        return [str(Programme(p).label) for p in self.programmes if p in Programme.values]


class PlanItem(Model):
    """One row of the plan: an issue and what each side will do about it."""

    plan = models.ForeignKey(PlanSheet, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    issue = models.CharField(_("課題"), max_length=30, choices=Issue.choices)
    goal = models.CharField(_("目標"), max_length=500)
    person_action = models.CharField(_("本人の取り組み"), max_length=500, blank=True)
    support = models.CharField(_("支援内容"), max_length=500, blank=True)
    provider_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("支援機関")
    )
    provider_worker = models.CharField(_("担当者"), max_length=100, blank=True)
    period = models.CharField(_("期間"), max_length=100, blank=True)
    frequency = models.CharField(_("頻度"), max_length=100, blank=True)

    CONTENT_FIELDS = (
        "position",
        "issue",
        "goal",
        "person_action",
        "support",
        "provider_agency",
        "provider_worker",
        "period",
        "frequency",
    )

    class Meta:
        verbose_name = _("プランの項目")
        verbose_name_plural = _("プランの項目")
        ordering = ["plan", "position", "id"]

    def __str__(self) -> str:
        return f"{self.get_issue_display()}: {self.goal}"


class Outcome(models.TextChoices):
    CLOSURE = "closure", _("終結")
    REPLAN = "replan", _("再プラン")
    SUSPENSION = "suspension", _("中断")


class Attainment(models.TextChoices):
    ACHIEVED = "achieved", _("達成")
    PARTLY = "partly", _("一部達成")
    NOT_ACHIEVED = "not_achieved", _("未達成")


SCALE = [(n, str(n)) for n in range(1, 6)]
CONDITIONS = (
    ("motivation", _("意欲")),
    ("relationships", _("関係性")),
    ("participation", _("参加")),
    ("finances", _("経済的困窮の改善")),
    ("employment", _("就労")),
)


class EvaluationSheet(SheetVersion):
    """評価シート. Its outcome moves the case through the transition functions."""

    plan = models.ForeignKey(
        PlanSheet, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("評価するプラン")
    )
    evaluated_on = models.DateField(_("評価日"))
    motivation_before = models.PositiveSmallIntegerField(_("意欲（前）"), choices=SCALE)
    motivation_after = models.PositiveSmallIntegerField(_("意欲（後）"), choices=SCALE)
    relationships_before = models.PositiveSmallIntegerField(_("関係性（前）"), choices=SCALE)
    relationships_after = models.PositiveSmallIntegerField(_("関係性（後）"), choices=SCALE)
    participation_before = models.PositiveSmallIntegerField(_("参加（前）"), choices=SCALE)
    participation_after = models.PositiveSmallIntegerField(_("参加（後）"), choices=SCALE)
    finances_before = models.PositiveSmallIntegerField(_("経済的困窮の改善（前）"), choices=SCALE)
    finances_after = models.PositiveSmallIntegerField(_("経済的困窮の改善（後）"), choices=SCALE)
    employment_before = models.PositiveSmallIntegerField(_("就労（前）"), choices=SCALE)
    employment_after = models.PositiveSmallIntegerField(_("就労（後）"), choices=SCALE)
    outcome = models.CharField(_("評価の結果"), max_length=20, choices=Outcome.choices)
    reason = models.TextField(_("理由"), max_length=20000)

    NATIONAL_FIELDS = frozenset(
        {f"{name}_{when}" for name, _label in CONDITIONS for when in ("before", "after")} | {"outcome"}
    )
    CONTENT_FIELDS = (
        "evaluated_on",
        *(f"{name}_{when}" for name, _label in CONDITIONS for when in ("before", "after")),
        "outcome",
        "reason",
    )

    class Meta(SheetVersion.Meta):
        verbose_name = _("評価シート")
        verbose_name_plural = _("評価シート")
        indexes = [models.Index(fields=["evaluated_on"], name="evaluation_evaluated_on")]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="evaluation_version_once")]

    def get_absolute_url(self) -> str:
        return reverse("sheets:evaluation", kwargs={"code": self.case.code})

    @property
    def improved(self) -> bool:
        """自立に向けた改善が見られた: any condition rose on the scale."""
        return any(getattr(self, f"{name}_after") > getattr(self, f"{name}_before") for name, _label in CONDITIONS)


class GoalAttainment(Model):
    evaluation = models.ForeignKey(EvaluationSheet, on_delete=models.CASCADE, related_name="attainments")
    plan_item = models.ForeignKey(PlanItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("目標"))
    attainment = models.CharField(_("達成度"), max_length=20, choices=Attainment.choices)
    comment = models.CharField(_("コメント"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("目標の達成度")
        verbose_name_plural = _("目標の達成度")
        ordering = ["evaluation", "plan_item__position", "id"]

    def __str__(self) -> str:
        return f"{self.plan_item}: {self.get_attainment_display()}"


class SupportDecisionQuerySet(models.QuerySet["SupportDecision"]):
    def as_of(self, when: dt.datetime | None) -> "SupportDecisionQuerySet":
        """The decisions recorded by a moment (all for None), with their extensions."""
        decisions = self.select_related("decided_by").prefetch_related("extensions")
        return decisions if when is None else decisions.filter(recorded_at__lte=when)


class SupportDecision(Model):
    """支援決定: a municipal officer's decision for one statutory programme."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("ケース"))
    programme = models.CharField(_("事業"), max_length=30, choices=Programme.choices)
    decided_on = models.DateField(_("決定日"))
    starts_on = models.DateField(_("支援開始日"))
    ends_on = models.DateField(_("支援終了日"))
    note = models.CharField(_("備考"), max_length=500, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("決定者")
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = SupportDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("支援決定")
        verbose_name_plural = _("支援決定")
        ordering = ["case", "starts_on", "id"]
        indexes = [models.Index(fields=["programme", "decided_on"], name="decision_programme_decided")]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="decision_period"),
        ]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {short_wareki(self.starts_on)}〜{short_wareki(self.ends_on)}"

    def extensions_until(self, when: dt.datetime | None = None) -> list["DecisionExtension"]:
        """The extensions recorded by a moment (all for None), from the prefetched rows."""
        return [e for e in self.extensions.all() if when is None or e.recorded_at <= when]

    def current_end(self, when: dt.datetime | None = None) -> dt.date:
        """The end date with the extensions decided up to a moment."""
        return max([self.ends_on, *(e.new_ends_on for e in self.extensions_until(when))])


class DecisionExtension(Model):
    decision = models.ForeignKey(SupportDecision, on_delete=models.CASCADE, related_name="extensions")
    requested_on = models.DateField(_("延長の申請日"))
    decided_on = models.DateField(_("延長の決定日"))
    new_ends_on = models.DateField(_("延長後の終了日"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("支援決定の延長")
        verbose_name_plural = _("支援決定の延長")
        ordering = ["decision", "new_ends_on"]
        indexes = [models.Index(fields=["decided_on"], name="extension_decided_on")]

    def __str__(self) -> str:
        return f"{self.decision} → {short_wareki(self.new_ends_on)}"


def current_version(model: type[SheetVersion], case: Case, when: dt.datetime | None = None) -> Any:
    """The version of a sheet in force at a moment (now by default), or None."""
    versions = model.objects.filter(case=case)
    if when is not None:
        versions = versions.as_of(when)
    return versions.latest_version()
