"""Employment support (就労支援, DOMAIN.md §1 and §8): the job-seeker profile of a case
(versioned like the standard forms), the municipality's cooperating employers
(協力事業所) with the log of job development (求人開拓), openings (求人), the steps
towards work (見学・体験・面接・応募), placements (就労) with their retention follow-ups
(定着支援) and income rises (増収).

The national survey counts placements and income rises (tsunagu.statistics reads
`Placement` and `IncomeRise`); employers never see a person's record.
"""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import District, Municipality
from tsunagu.cases.models import Case, Task
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import short_wareki
from tsunagu.sheets.models import Issue, SheetVersion


class Stage(models.TextChoices):
    """Readiness stage (支援の段階) of a job-seeker, nearest to work first."""

    GENERAL = "general", _("一般就労")
    PREPARATION = "preparation", _("就労準備")
    CERTIFIED_TRAINING = "certified_training", _("認定就労訓練")
    WELFARE = "welfare", _("福祉的就労")


class JobCategory(models.TextChoices):
    """職種: the major groups of the 厚生労働省編職業分類, so that wishes and openings
    are compared on one vocabulary (free text stays beside it)."""

    MANAGEMENT = "management", _("管理的職業")
    PROFESSIONAL = "professional", _("専門的・技術的職業")
    CLERICAL = "clerical", _("事務的職業")
    SALES = "sales", _("販売の職業")
    SERVICE = "service", _("サービスの職業")
    SECURITY = "security", _("保安の職業")
    AGRICULTURE = "agriculture", _("農林漁業の職業")
    PRODUCTION = "production", _("生産工程の職業")
    TRANSPORT = "transport", _("輸送・機械運転の職業")
    CONSTRUCTION = "construction", _("建設・採掘の職業")
    CARRYING_CLEANING = "carrying_cleaning", _("運搬・清掃・包装等の職業")
    CARE = "care", _("介護・福祉の職業")


class Weekday(models.TextChoices):
    MON = "mon", _("月")
    TUE = "tue", _("火")
    WED = "wed", _("水")
    THU = "thu", _("木")
    FRI = "fri", _("金")
    SAT = "sat", _("土")
    SUN = "sun", _("日")


class Commute(models.TextChoices):
    WALK = "walk", _("徒歩")
    BICYCLE = "bicycle", _("自転車")
    PUBLIC = "public", _("公共交通機関")
    CAR = "car", _("自家用車")
    LIFT = "lift", _("送迎が必要")


# 就労阻害要因: the assessment's issues that stand between a person and work.
BARRIER_ISSUES = (
    Issue.JOB_SEARCH_DIFFICULTY,
    Issue.JOB_RETENTION_DIFFICULTY,
    Issue.ILLNESS,
    Issue.INJURY,
    Issue.DISABILITY_CERTIFIED,
    Issue.DISABILITY_SUSPECTED,
    Issue.MENTAL_HEALTH,
    Issue.UNSTABLE_HOUSING,
    Issue.HOMELESS,
    Issue.DEBT,
    Issue.IRREGULAR_LIFE,
    Issue.SOCIAL_ISOLATION,
    Issue.EARLY_SCHOOL_LEAVING,
    Issue.CHILD_REARING,
    Issue.CARE,
    Issue.SINGLE_PARENT,
    Issue.FOREIGN_NATIONALITY,
    Issue.FORMER_OFFENDER,
    Issue.COMMUNICATION,
    Issue.PERSONAL_ABILITY,
)


class JobSeekerProfile(SheetVersion):
    """求職者プロフィール: each save appends a version, like the standard forms."""

    stage = models.CharField(_("支援の段階"), max_length=20, choices=Stage.choices)
    wished_categories = models.JSONField(_("希望する職種（分類）"), default=list, blank=True)
    wished_job = models.CharField(_("希望する仕事"), max_length=200, blank=True)
    wished_hours_per_week = models.PositiveSmallIntegerField(_("希望する週の労働時間"), null=True, blank=True)
    wished_days = models.JSONField(_("働ける曜日"), default=list, blank=True)
    wished_districts = models.ManyToManyField(District, blank=True, related_name="+", verbose_name=_("希望する地区"))
    wished_area = models.CharField(_("希望する勤務地（地区以外）"), max_length=200, blank=True)
    commute = models.JSONField(_("通勤の手段"), default=list, blank=True)
    commute_minutes = models.PositiveSmallIntegerField(_("通勤できる時間（片道・分）"), null=True, blank=True)
    licences = models.TextField(
        _("免許・資格"), max_length=2000, blank=True, help_text=_("1行に1つ（例: 普通自動車免許）")
    )
    barriers = models.JSONField(_("就労阻害要因"), default=list, blank=True)
    barrier_note = models.TextField(_("就労阻害要因の補足"), max_length=5000, blank=True)
    accommodations = models.TextField(_("必要な配慮"), max_length=5000, blank=True)
    hello_work_number = models.CharField(_("ハローワーク求職番号"), max_length=20, blank=True)
    hello_work_registered_on = models.DateField(_("求職登録日"), null=True, blank=True)
    supporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("就労支援員"),
    )

    SENSITIVE_FIELDS = frozenset({"barriers", "barrier_note", "accommodations"})
    CONTENT_FIELDS = (
        "stage",
        "wished_categories",
        "wished_job",
        "wished_hours_per_week",
        "wished_days",
        "wished_area",
        "commute",
        "commute_minutes",
        "licences",
        "barriers",
        "barrier_note",
        "accommodations",
        "hello_work_number",
        "hello_work_registered_on",
        "supporter",
    )

    class Meta(SheetVersion.Meta):
        verbose_name = _("求職者プロフィール")
        verbose_name_plural = _("求職者プロフィール")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="jobseeker_version_once")]
        indexes = [models.Index(fields=["case", "version"], name="jobseeker_case_version")]

    def get_absolute_url(self) -> str:
        return reverse("employment:profile", kwargs={"code": self.case.code})

    def licence_list(self) -> list[str]:
        return [line.strip() for line in self.licences.splitlines() if line.strip()]

    def category_labels(self) -> list[str]:
        return [str(JobCategory(c).label) for c in self.wished_categories if c in JobCategory.values]

    def day_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in self.wished_days if d in Weekday.values]

    def commute_labels(self) -> list[str]:
        return [str(Commute(c).label) for c in self.commute if c in Commute.values]

    def barrier_labels(self) -> list[str]:
        return [str(Issue(i).label) for i in self.barriers if i in Issue.values]


class WorkHistory(Model):
    """One row of the work history of a profile version (copied into the next one)."""

    profile = models.ForeignKey(JobSeekerProfile, on_delete=models.CASCADE, related_name="history")
    position = models.PositiveSmallIntegerField(default=0)
    employer_name = models.CharField(_("勤務先"), max_length=200)
    job = models.CharField(_("職種"), max_length=200, blank=True)
    started = models.CharField(_("期間（から）"), max_length=40, blank=True, help_text=_("例: 平成20年4月"))
    ended = models.CharField(_("期間（まで）"), max_length=40, blank=True)
    end_reason = models.CharField(_("辞めた理由"), max_length=500, blank=True)

    CONTENT_FIELDS = ("position", "employer_name", "job", "started", "ended", "end_reason")

    class Meta:
        verbose_name = _("職歴")
        verbose_name_plural = _("職歴")
        ordering = ["profile", "position", "id"]

    def __str__(self) -> str:
        return self.employer_name


class Industry(models.TextChoices):
    """業種: the major groups of the 日本標準産業分類 a small town meets most."""

    AGRICULTURE = "agriculture", _("農業・林業・漁業")
    CONSTRUCTION = "construction", _("建設業")
    MANUFACTURING = "manufacturing", _("製造業")
    TRANSPORT = "transport", _("運輸業・郵便業")
    RETAIL = "retail", _("卸売業・小売業")
    HOSPITALITY = "hospitality", _("宿泊業・飲食サービス業")
    LIVING_SERVICES = "living_services", _("生活関連サービス業")
    MEDICAL_WELFARE = "medical_welfare", _("医療・福祉")
    SERVICES = "services", _("サービス業（他に分類されないもの）")
    OTHER = "other", _("その他")


class Offer(models.TextChoices):
    """What a cooperating employer can offer a job-seeker."""

    VISIT = "visit", _("職場見学")
    EXPERIENCE = "experience", _("職場体験")
    EMPLOYMENT = "employment", _("雇用")
    TRAINING_EMPLOYED = "training_employed", _("認定就労訓練（雇用型）")
    TRAINING_NON_EMPLOYED = "training_non_employed", _("認定就労訓練（非雇用型）")


TRAINING_OFFERS = frozenset({Offer.TRAINING_EMPLOYED, Offer.TRAINING_NON_EMPLOYED})


class EmployerQuerySet(models.QuerySet["Employer"]):
    def active(self) -> "EmployerQuerySet":
        return self.filter(active=True)


class Employer(Model):
    """協力事業所 of a municipality. Holds the employer's contact, never a person's."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="employers", verbose_name=_("自治体")
    )
    name = models.CharField(_("事業所名"), max_length=200)
    industry = models.CharField(_("業種"), max_length=30, choices=Industry.choices)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("地区")
    )
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    contact_name = models.CharField(_("担当者"), max_length=100, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    offers = models.JSONField(_("受け入れられること"), default=list, blank=True)
    training_certification_number = models.CharField(_("認定就労訓練の認定番号"), max_length=50, blank=True)
    training_certified_on = models.DateField(_("認定日"), null=True, blank=True)
    note = models.TextField(_("メモ"), max_length=5000, blank=True)
    active = models.BooleanField(_("協力中"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = EmployerQuerySet.as_manager()

    CONTENT_FIELDS = (
        "name",
        "industry",
        "district",
        "address",
        "contact_name",
        "phone",
        "email",
        "offers",
        "training_certification_number",
        "training_certified_on",
        "note",
        "active",
    )

    class Meta:
        verbose_name = _("協力事業所")
        verbose_name_plural = _("協力事業所")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["municipality", "name"], name="employer_municipality_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("employment:employer", kwargs={"code": self.code})

    def offer_labels(self) -> list[str]:
        return [str(Offer(o).label) for o in self.offers if o in Offer.values]


class ContactMethod(models.TextChoices):
    VISIT = "visit", _("訪問")
    PHONE = "phone", _("電話")
    OTHER = "other", _("その他（メール・来所等）")


class ContactOutcome(models.TextChoices):
    OPENING = "opening", _("求人の開拓")
    PLACEMENT_SLOT = "placement_slot", _("見学・体験の受け入れ")
    INTEREST = "interest", _("関心あり・継続")
    DECLINED = "declined", _("今回は見送り")
    FOLLOW_UP = "follow_up", _("定着支援の連絡")


class JobDevelopment(Model):
    """求人開拓の記録: a visit or call to an employer. Appended, never edited."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="contacts")
    contacted_on = models.DateField(_("日付"))
    method = models.CharField(_("方法"), max_length=20, choices=ContactMethod.choices)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("対応者")
    )
    outcome = models.CharField(_("結果"), max_length=20, choices=ContactOutcome.choices)
    note = models.TextField(_("内容"), max_length=5000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("求人開拓の記録")
        verbose_name_plural = _("求人開拓の記録")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["employer", "contacted_on"], name="development_employer_date")]

    def __str__(self) -> str:
        return f"{self.employer} {short_wareki(self.contacted_on)}"


class EmploymentType(models.TextChoices):
    """雇用形態 of an opening or a placement."""

    REGULAR = "regular", _("正規")
    NON_REGULAR = "non_regular", _("非正規（契約・派遣等）")
    PART_TIME = "part_time", _("パート・アルバイト")
    TRAINING_EMPLOYED = "training_employed", _("認定就労訓練（雇用型）")
    TRAINING_NON_EMPLOYED = "training_non_employed", _("認定就労訓練（非雇用型）")
    WELFARE = "welfare", _("福祉的就労（就労継続支援等）")
    SELF_EMPLOYED = "self_employed", _("自営")


class OpeningSource(models.TextChoices):
    EMPLOYER = "employer", _("協力事業所から")
    HELLO_WORK = "hello_work", _("ハローワーク求人")


class WageUnit(models.TextChoices):
    HOURLY = "hourly", _("時給")
    DAILY = "daily", _("日給")
    MONTHLY = "monthly", _("月給")


class OpeningQuerySet(models.QuerySet["Opening"]):
    def open_on(self, day: dt.date | None = None) -> "OpeningQuerySet":
        day = day or timezone.localdate()
        return self.filter(closed_on__isnull=True).filter(
            models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=day)
        )

    def closed_on_day(self, day: dt.date | None = None) -> "OpeningQuerySet":
        day = day or timezone.localdate()
        return self.filter(models.Q(closed_on__isnull=False) | models.Q(closes_on__lt=day))


class Opening(Model):
    """求人: from a cooperating employer, or re-keyed from Hello Work (求人番号). A closed
    opening is kept (and found) with its closing date."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("求人の出所"), max_length=20, choices=OpeningSource.choices)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="openings",
        verbose_name=_("協力事業所"),
    )
    employer_name = models.CharField(_("事業所名（協力事業所でないとき）"), max_length=200, blank=True)
    hello_work_number = models.CharField(_("ハローワーク求人番号"), max_length=20, blank=True)
    title = models.CharField(_("仕事の内容"), max_length=200)
    category = models.CharField(_("職種（分類）"), max_length=30, choices=JobCategory.choices)
    employment_type = models.CharField(_("雇用形態"), max_length=30, choices=EmploymentType.choices)
    conditions = models.TextField(_("条件"), max_length=5000, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(_("週の労働時間"), null=True, blank=True)
    days = models.JSONField(_("勤務する曜日"), default=list, blank=True)
    wage_unit = models.CharField(_("賃金の単位"), max_length=20, choices=WageUnit.choices)
    wage = models.PositiveIntegerField(_("賃金（円）"))
    place = models.CharField(_("就業場所"), max_length=300, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("就業場所の地区")
    )
    required_licences = models.TextField(_("必要な免許・資格"), max_length=2000, blank=True)
    stages = models.JSONField(_("対象とする段階"), default=list, blank=True)
    accommodations = models.TextField(_("配慮できること"), max_length=5000, blank=True)
    closes_on = models.DateField(_("締切日"), null=True, blank=True)
    closed_on = models.DateField(_("募集終了日"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = OpeningQuerySet.as_manager()

    CONTENT_FIELDS = (
        "source",
        "employer",
        "employer_name",
        "hello_work_number",
        "title",
        "category",
        "employment_type",
        "conditions",
        "hours_per_week",
        "days",
        "wage_unit",
        "wage",
        "place",
        "district",
        "required_licences",
        "stages",
        "accommodations",
        "closes_on",
        "closed_on",
    )

    class Meta:
        verbose_name = _("求人")
        verbose_name_plural = _("求人")
        ordering = ["closes_on", "id"]
        indexes = [models.Index(fields=["municipality", "closes_on"], name="opening_municipality_closes")]

    def __str__(self) -> str:
        return f"{self.title}（{self.employer_label}）"

    def get_absolute_url(self) -> str:
        return reverse("employment:opening", kwargs={"code": self.code})

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id and self.employer else self.employer_name

    def is_open(self, day: dt.date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.closed_on is None and (self.closes_on is None or self.closes_on >= day)

    def licence_list(self) -> list[str]:
        return [line.strip() for line in self.required_licences.splitlines() if line.strip()]

    def day_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in self.days if d in Weekday.values]

    def stage_labels(self) -> list[str]:
        return [str(Stage(s).label) for s in self.stages if s in Stage.values]


class StepKind(models.TextChoices):
    VISIT = "visit", _("職場見学")
    EXPERIENCE = "experience", _("職場体験")
    INTERVIEW = "interview", _("面接")
    APPLICATION = "application", _("応募")


class StepResult(models.TextChoices):
    PLANNED = "planned", _("予定")
    DONE = "done", _("実施した")
    PASSED = "passed", _("採用・合格")
    NOT_PASSED = "not_passed", _("不採用")
    DECLINED = "declined", _("本人が辞退")
    CANCELLED = "cancelled", _("中止")


class Step(Model):
    """A step towards work on a case: a visit, a work experience, an interview or an
    application, with its date and result (shown on the case timeline)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+", verbose_name=_("ケース"))
    kind = models.CharField(_("種類"), max_length=20, choices=StepKind.choices)
    opening = models.ForeignKey(
        Opening, on_delete=models.PROTECT, null=True, blank=True, related_name="steps", verbose_name=_("求人")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("協力事業所")
    )
    on = models.DateField(_("日付"))
    result = models.CharField(_("結果"), max_length=20, choices=StepResult.choices, default=StepResult.PLANNED)
    note = models.TextField(_("メモ"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("就労に向けたステップ")
        verbose_name_plural = _("就労に向けたステップ")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["case", "on"], name="step_case_on")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {short_wareki(self.on)}"


class EndReason(models.TextChoices):
    CONTRACT_END = "contract_end", _("契約期間の満了")
    OWN_HEALTH = "own_health", _("本人の体調")
    WORKPLACE = "workplace", _("職場の人間関係・環境")
    CONDITIONS = "conditions", _("労働条件が合わない")
    DISMISSED = "dismissed", _("解雇・雇止め")
    STEP_UP = "step_up", _("ステップアップ（転職）")
    FAMILY = "family", _("家庭の事情")
    OTHER = "other", _("その他")


class PlacementQuerySet(models.QuerySet["Placement"]):
    def current(self) -> "PlacementQuerySet":
        return self.filter(ended_on__isnull=True)


class Placement(Model):
    """就労: a person started work (or 認定就労訓練). Leaving is recorded on the same row
    (`ended_on`, `end_reason`); the statistics count `started_on`."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="placements", verbose_name=_("ケース"))
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="placements",
        verbose_name=_("協力事業所"),
    )
    employer_name = models.CharField(_("就職先（協力事業所でないとき）"), max_length=200, blank=True)
    opening = models.ForeignKey(
        Opening, on_delete=models.PROTECT, null=True, blank=True, related_name="placements", verbose_name=_("求人")
    )
    job = models.CharField(_("仕事の内容"), max_length=200, blank=True)
    started_on = models.DateField(_("就労開始日"))
    employment_type = models.CharField(_("雇用形態"), max_length=30, choices=EmploymentType.choices)
    hours_per_week = models.PositiveSmallIntegerField(_("週の労働時間"), null=True, blank=True)
    monthly_wage = models.PositiveIntegerField(_("月収（円）"), null=True, blank=True)
    ended_on = models.DateField(_("離職日"), null=True, blank=True)
    end_reason = models.CharField(_("離職の理由"), max_length=20, choices=EndReason.choices, blank=True)
    end_note = models.TextField(_("離職の経緯"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PlacementQuerySet.as_manager()

    CONTENT_FIELDS = (
        "employer",
        "employer_name",
        "opening",
        "job",
        "started_on",
        "employment_type",
        "hours_per_week",
        "monthly_wage",
    )
    END_FIELDS = ("ended_on", "end_reason", "end_note")

    class Meta:
        verbose_name = _("就労")
        verbose_name_plural = _("就労")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["started_on"], name="placement_started_on")]

    def __str__(self) -> str:
        return f"{self.employer_label} {short_wareki(self.started_on)}"

    @property
    def employer_label(self) -> str:
        return self.employer.name if self.employer_id and self.employer else self.employer_name


class FollowUp(Model):
    """定着支援: a follow-up of a placement due some months after the start, created as a
    task for the job-seeker's 就労支援員 and recorded when done."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    placement = models.ForeignKey(Placement, on_delete=models.PROTECT, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("就労からの月数"))
    due_on = models.DateField(_("予定日"))
    task = models.OneToOneField(Task, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    done_on = models.DateField(_("実施日"), null=True, blank=True)
    still_working = models.BooleanField(_("就労を継続している"), null=True, blank=True)
    note = models.TextField(_("内容"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("定着支援")
        verbose_name_plural = _("定着支援")
        ordering = ["placement", "months"]
        constraints = [models.UniqueConstraint(fields=["placement", "months"], name="follow_up_once_per_month")]

    def __str__(self) -> str:
        return _("%(months)sか月の定着支援") % {"months": self.months}


class IncomeSource(models.TextChoices):
    WORK = "work", _("就労による増収")
    OTHER = "other", _("就労以外（年金・手当等）による増収")


class IncomeRise(Model):
    """増収: the person's monthly income rose. The survey counts those from work and
    the others separately (`source`), in the month of `risen_on`."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="income_rises", verbose_name=_("ケース"))
    risen_on = models.DateField(_("増収の日"))
    income_before = models.PositiveIntegerField(_("前の月収（円）"))
    income_after = models.PositiveIntegerField(_("後の月収（円）"))
    source = models.CharField(_("増収の理由"), max_length=20, choices=IncomeSource.choices)
    placement = models.ForeignKey(
        Placement, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("就労")
    )
    note = models.TextField(_("メモ"), max_length=5000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    CONTENT_FIELDS = ("risen_on", "income_before", "income_after", "source", "placement", "note")

    class Meta:
        verbose_name = _("増収")
        verbose_name_plural = _("増収")
        ordering = ["-risen_on", "-id"]
        indexes = [models.Index(fields=["risen_on"], name="income_rise_risen_on")]

    def __str__(self) -> str:
        return f"{short_wareki(self.risen_on)} {self.income_before}→{self.income_after}"

    @property
    def increase(self) -> int:
        return self.income_after - self.income_before


def labels(choices: Any, values: list[str]) -> list[str]:
    return [str(choices(v).label) for v in values if v in choices.values]
