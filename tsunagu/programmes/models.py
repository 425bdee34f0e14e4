"""The statutory programmes as they are run (DOMAIN.md §3), not only decided: what the
centre gave on the day (緊急支援), the 住居確保給付金's application, payments and duties,
家計改善支援's household accounts, 居住支援's stays, and the sessions of 学習支援 and
就労準備支援 with their attendance.

Every record hangs off a case (and the case's 支援決定 where the programme has one). Rows
that can be corrected carry a `version` (lib.versioning.save_if_current refuses a stale
edit); the household accounts are sheet versions, appended like the standard forms.
Every change is audited and written to the case's timeline (changes.py).
"""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, Municipality
from tsunagu.cases.models import Case
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import short_wareki
from tsunagu.sheets.models import SheetVersion, SupportDecision

# 緊急支援 --------------------------------------------------------------------------------


class AidKind(models.TextChoices):
    FOOD = "food", _("食料")
    LOAN_APPLICATION = "loan_application", _("緊急小口資金・総合支援資金の申請支援")
    SHELTER_NIGHT = "shelter_night", _("一時的な宿泊")
    TRANSPORT = "transport", _("交通費")
    CLOTHING = "clothing", _("衣類")
    PHONE_TOP_UP = "phone_top_up", _("携帯電話のチャージ")
    OTHER = "other", _("その他")


class AidSource(models.TextChoices):
    FOOD_BANK = "food_bank", _("フードバンク")
    CENTRE_STOCK = "centre_stock", _("センターの備蓄（食料パック）")
    IN_KIND = "in_kind", _("食料の現物（寄付など）")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
    CENTRE_FUND = "centre_fund", _("センターの予算")
    DONATION = "donation", _("寄付・善意銀行")
    OTHER = "other", _("その他")


class LoanKind(models.TextChoices):
    EMERGENCY_SMALL = "emergency_small", _("緊急小口資金")
    GENERAL_SUPPORT = "general_support", _("総合支援資金")


class LoanResult(models.TextChoices):
    PENDING = "pending", _("審査中")
    APPROVED = "approved", _("貸付決定")
    REFUSED = "refused", _("不承認")
    WITHDRAWN = "withdrawn", _("取り下げ")


class EmergencyAidQuerySet(models.QuerySet["EmergencyAid"]):
    def in_month(self, month: dt.date) -> "EmergencyAidQuerySet":
        first = month.replace(day=1)
        return self.filter(given_on__gte=first, given_on__lt=next_month(first))


class EmergencyAid(Model):
    """One thing given on the day: what, from which resource, by whom, how much."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="emergency_aid", verbose_name=_("ケース"))
    kind = models.CharField(_("支援の種類"), max_length=20, choices=AidKind.choices)
    source = models.CharField(_("資源（どこから）"), max_length=30, choices=AidSource.choices)
    given_on = models.DateField(_("支援日"), default=timezone.localdate)
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("支援した職員")
    )
    quantity = models.PositiveIntegerField(_("数量（食料パック・泊数・枚数など）"), null=True, blank=True)
    amount = models.PositiveIntegerField(_("金額（円）"), null=True, blank=True)
    # 緊急小口資金 / 総合支援資金: the application the centre helped send to the 社協.
    loan_kind = models.CharField(_("貸付の種類"), max_length=20, choices=LoanKind.choices, blank=True)
    sent_on = models.DateField(_("社協への送付日"), null=True, blank=True)
    amount_asked = models.PositiveIntegerField(_("申請額（円）"), null=True, blank=True)
    loan_result = models.CharField(_("結果"), max_length=20, choices=LoanResult.choices, blank=True)
    result_on = models.DateField(_("結果の日"), null=True, blank=True)
    note = models.CharField(_("メモ"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = EmergencyAidQuerySet.as_manager()

    class Meta:
        verbose_name = _("緊急支援")
        verbose_name_plural = _("緊急支援")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["given_on", "case"], name="aid_day_case")]

    def __str__(self) -> str:
        return f"{short_wareki(self.given_on)} {self.get_kind_display()}"


class StockMovement(Model):
    """Food parcels in and out of the centre's stock, by best-before lot."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("機関"))
    moved_on = models.DateField(_("日付"), default=timezone.localdate)
    parcels = models.IntegerField(_("食料パックの数"), help_text=_("入庫は正、出庫は負の数です。"))
    best_before = models.DateField(_("賞味期限"))
    source = models.CharField(_("入手先・理由"), max_length=200, blank=True)
    aid = models.ForeignKey(EmergencyAid, on_delete=models.PROTECT, null=True, blank=True, related_name="stock_moves")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("食料パックの入出庫")
        verbose_name_plural = _("食料パックの入出庫")
        ordering = ["-moved_on", "-id"]
        constraints = [models.CheckConstraint(condition=~Q(parcels=0), name="stock_move_not_zero")]

    def __str__(self) -> str:
        return f"{short_wareki(self.moved_on)} {self.parcels:+d}"


# 住居確保給付金 ---------------------------------------------------------------------------


class HousingLimit(Model):
    """The municipality's 基準額 and 家賃上限 per household size (set by the admin; the
    values of settings.TSUNAGU_HOUSING_LIMITS when a size has none)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    household_size = models.PositiveSmallIntegerField(_("世帯人数"))
    income_base = models.PositiveIntegerField(_("基準額（月額・円）"))
    rent_cap = models.PositiveIntegerField(_("家賃上限（住宅扶助基準額・円）"))
    asset_cap = models.PositiveIntegerField(_("金融資産の上限（円）"))

    class Meta:
        verbose_name = _("住居確保給付金の基準額")
        verbose_name_plural = _("住居確保給付金の基準額")
        ordering = ["municipality", "household_size"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "household_size"], name="housing_limit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.household_size}人世帯"


class BankAccountType(models.TextChoices):
    ORDINARY = "ordinary", _("普通")
    CURRENT = "current", _("当座")


class HousingApplication(Model):
    """住居確保給付金の申請: the facts the eligibility check reads, and its answer."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="housing_applications")
    decision = models.ForeignKey(
        SupportDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("支援決定"),
    )
    applied_on = models.DateField(_("申請日"))
    lost_work = models.BooleanField(
        _("離職・廃業から2年以内、または本人の責めによらず収入が離職等と同程度まで減った"), default=False
    )
    household_size = models.PositiveSmallIntegerField(_("世帯人数"))
    monthly_income = models.PositiveIntegerField(_("世帯の月収（円）"))
    assets = models.PositiveIntegerField(_("世帯の金融資産（円）"))
    rent = models.PositiveIntegerField(_("家賃（月額・円）"))
    landlord_name = models.CharField(_("貸主（家主・管理会社）"), max_length=200)
    bank_name = models.CharField(_("金融機関"), max_length=100)
    bank_branch = models.CharField(_("支店"), max_length=100)
    account_type = models.CharField(_("口座の種類"), max_length=10, choices=BankAccountType.choices)
    account_number = models.CharField(_("口座番号"), max_length=7)
    account_holder = models.CharField(_("口座名義（カナ）"), max_length=100)
    eligible = models.BooleanField(_("要件を満たす"), default=False, editable=False)
    refusal_reason = models.CharField(_("要件を満たさない理由"), max_length=500, blank=True, editable=False)
    monthly_payment = models.PositiveIntegerField(_("支給額（月額・円）"), default=0, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    FACT_FIELDS = (
        "applied_on",
        "lost_work",
        "household_size",
        "monthly_income",
        "assets",
        "rent",
        "landlord_name",
        "bank_name",
        "bank_branch",
        "account_type",
        "account_number",
        "account_holder",
    )

    class Meta:
        verbose_name = _("住居確保給付金の申請")
        verbose_name_plural = _("住居確保給付金の申請")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return f"{_('住居確保給付金の申請')} {short_wareki(self.applied_on)}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:housing", kwargs={"code": self.code})


class PaymentStatus(models.TextChoices):
    PAID = "paid", _("支給済み")
    STOPPED = "stopped", _("支給停止")


class HousingPaymentQuerySet(models.QuerySet["HousingPayment"]):
    def for_month(self, month: dt.date) -> "HousingPaymentQuerySet":
        return self.filter(month=month.replace(day=1))


class HousingPayment(Model):
    """One month of the schedule, as recorded: paid to the landlord, or stopped with
    the reason. Months of the schedule not recorded yet have no row."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(HousingApplication, on_delete=models.PROTECT, related_name="payments")
    month = models.DateField(_("支給月"), help_text=_("その月の1日"))
    status = models.CharField(_("状況"), max_length=10, choices=PaymentStatus.choices)
    amount = models.PositiveIntegerField(_("支給額（円）"), default=0)
    paid_on = models.DateField(_("支給日"), null=True, blank=True)
    stop_reason = models.CharField(_("停止の理由"), max_length=500, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = HousingPaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("住居確保給付金の支給")
        verbose_name_plural = _("住居確保給付金の支給")
        ordering = ["application", "month"]
        constraints = [models.UniqueConstraint(fields=["application", "month"], name="housing_payment_once")]
        indexes = [models.Index(fields=["month", "status"], name="housing_payment_month")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.get_status_display()}"


class DutyKind(models.TextChoices):
    CONSULTATION = "consultation", _("自立相談支援機関での面談")
    HELLO_WORK = "hello_work", _("ハローワークでの職業相談")
    JOB_APPLICATION = "job_application", _("求人への応募・面接")


class HousingDuty(Model):
    """A duty of the recipient done (recorded as it happens)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(HousingApplication, on_delete=models.PROTECT, related_name="duties")
    kind = models.CharField(_("求職活動の種類"), max_length=20, choices=DutyKind.choices)
    done_on = models.DateField(_("日付"))
    note = models.CharField(_("内容"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("求職活動の記録")
        verbose_name_plural = _("求職活動の記録")
        ordering = ["-done_on", "-id"]
        indexes = [models.Index(fields=["application", "done_on"], name="housing_duty_day")]

    def __str__(self) -> str:
        return f"{short_wareki(self.done_on)} {self.get_kind_display()}"


class DutyCheck(Model):
    """The monthly check of one recipient's duties (check_housing_duties): what was
    short on the day it ran, and the task that told the worker."""

    application = models.ForeignKey(HousingApplication, on_delete=models.PROTECT, related_name="duty_checks")
    month = models.DateField(_("対象月"))
    checked_on = models.DateField(_("確認日"))
    shortfall = models.JSONField(_("不足"), default=dict)
    task = models.ForeignKey("cases.Task", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("求職活動の確認")
        verbose_name_plural = _("求職活動の確認")
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["application", "month"], name="duty_check_once")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m}"


# 家計改善支援 ---------------------------------------------------------------------------

INCOME_ITEMS: tuple[tuple[str, Any], ...] = (
    ("wages", _("給与（手取り）")),
    ("pension", _("年金")),
    ("allowances", _("手当（児童手当など）")),
    ("support", _("仕送り・その他の収入")),
)
SPENDING_ITEMS: tuple[tuple[str, Any], ...] = (
    ("housing", _("住居費")),
    ("food", _("食費")),
    ("utilities", _("水道光熱費")),
    ("phone", _("通信費")),
    ("insurance", _("保険料")),
    ("education", _("教育費")),
    ("transport", _("交通費")),
    ("daily", _("日用品")),
    ("medical", _("医療費")),
    ("repayment", _("借金の返済")),
    ("other", _("その他")),
)


class DebtStatus(models.TextChoices):
    NONE = "none", _("未着手")
    CONSULTING = "consulting", _("法律相談中")
    VOLUNTARY = "voluntary", _("任意整理")
    CONCILIATION = "conciliation", _("特定調停")
    REHABILITATION = "rehabilitation", _("個人再生")
    BANKRUPTCY = "bankruptcy", _("自己破産")
    DONE = "done", _("整理済み")


class HouseholdBudget(SheetVersion):
    """家計表 and キャッシュフロー表 of 家計改善支援, with the debts list: a sheet of the
    case, appended as versions like the standard forms."""

    budget_month = models.DateField(_("家計表の月"))
    income = models.JSONField(_("収入"), default=dict)
    spending = models.JSONField(_("支出"), default=dict)
    debts = models.JSONField(_("債務"), default=list, blank=True)
    starting_balance = models.IntegerField(_("手持ち金（開始時・円）"), default=0)
    # The キャッシュフロー表's one-off items: [{"month": 0..11, "label", "income", "spending"}].
    events = models.JSONField(_("臨時の収入・支出"), default=list, blank=True)
    note = models.TextField(_("家計の見立て"), max_length=20000, blank=True)

    CONTENT_FIELDS = ("budget_month", "income", "spending", "debts", "starting_balance", "events", "note")

    class Meta(SheetVersion.Meta):
        verbose_name = _("家計表")
        verbose_name_plural = _("家計表")
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="budget_version_once")]

    def get_absolute_url(self) -> str:
        return reverse("programmes:budget", kwargs={"code": self.case.code})

    @property
    def income_total(self) -> int:
        return sum(int(v or 0) for v in self.income.values())

    @property
    def spending_total(self) -> int:
        return sum(int(v or 0) for v in self.spending.values())

    @property
    def balance(self) -> int:
        return self.income_total - self.spending_total

    @property
    def debt_total(self) -> int:
        return sum(int(d.get("balance") or 0) for d in self.debts)


# 居住支援 -------------------------------------------------------------------------------


class StayPlace(models.TextChoices):
    SHELTER = "shelter", _("シェルター（一時生活支援施設）")
    CORPORATION_ROOM = "corporation_room", _("居住支援法人の部屋")
    HOTEL = "hotel", _("借り上げのホテル・アパート")
    OTHER = "other", _("その他")


class MoveOn(models.TextChoices):
    RENTED_FLAT = "rented_flat", _("民間賃貸住宅")
    PUBLIC_HOUSING = "public_housing", _("公営住宅")
    FAMILY = "family", _("家族・知人宅")
    FACILITY = "facility", _("施設（救護施設など）")
    WORKPLACE = "workplace", _("住み込みの仕事・寮")
    UNKNOWN = "unknown", _("不明（退所先不明）")


class Stay(Model):
    """A stay of 居住支援 (formerly 一時生活支援): 3 months, at most 6 with an
    extension of the case's decision (rules.stay_errors)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="stays")
    decision = models.ForeignKey(
        SupportDecision, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("支援決定")
    )
    place_kind = models.CharField(_("滞在先の種類"), max_length=20, choices=StayPlace.choices)
    place = models.CharField(_("滞在先"), max_length=200)
    starts_on = models.DateField(_("入所日"))
    planned_end = models.DateField(_("退所予定日"))
    ended_on = models.DateField(_("退所日"), null=True, blank=True)
    meals_per_day = models.PositiveSmallIntegerField(_("食事の提供（1日の回数）"), default=0)
    move_on = models.CharField(_("退所後の住まい"), max_length=20, choices=MoveOn.choices, blank=True)
    move_on_note = models.CharField(_("退所後の住まい（詳しく）"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("居住支援の滞在")
        verbose_name_plural = _("居住支援の滞在")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(planned_end__gte=models.F("starts_on")), name="stay_period"),
        ]

    def __str__(self) -> str:
        return f"{self.place} {short_wareki(self.starts_on)}〜"


# 学習支援・就労準備支援 ----------------------------------------------------------------------


class GroupProgramme(models.TextChoices):
    CHILD_LEARNING = "child_learning", _("子どもの学習・生活支援事業")
    WORK_PREPARATION = "work_preparation", _("就労準備支援事業")


class WorkStep(models.IntegerChoices):
    """就労準備支援's three steps, in order."""

    DAILY_LIFE = 1, _("日常生活自立")
    SOCIAL_LIFE = 2, _("社会生活自立")
    EMPLOYMENT = 3, _("就労自立")


class Session(Model):
    """One class of 学習支援 or one activity of 就労準備支援."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    programme = models.CharField(_("事業"), max_length=30, choices=GroupProgramme.choices)
    held_on = models.DateField(_("実施日"))
    place = models.CharField(_("場所"), max_length=200)
    title = models.CharField(_("内容"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("教室・活動の回")
        verbose_name_plural = _("教室・活動の回")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{short_wareki(self.held_on)} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:session", kwargs={"code": self.code})


class Attendance(Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attendance")
    attended = models.BooleanField(_("出席"))
    step = models.PositiveSmallIntegerField(_("到達した段階"), choices=WorkStep.choices, null=True, blank=True)
    note = models.CharField(_("様子"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("出欠")
        verbose_name_plural = _("出欠")
        ordering = ["session", "case"]
        constraints = [models.UniqueConstraint(fields=["session", "case"], name="attendance_once")]

    def __str__(self) -> str:
        return f"{self.session}: {'○' if self.attended else '×'}"


def next_month(day: dt.date) -> dt.date:
    """The first day of the month after `day`'s."""
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
