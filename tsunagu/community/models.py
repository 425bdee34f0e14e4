"""The community around the centre: regional issues (地域課題) found in meetings and in
the gap analysis of resources, taken to 地域ケア会議 and the network council's committees
(DOMAIN.md §5, §6)."""

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import District, Municipality
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import format_wareki, short_wareki


class ResourceField(models.TextChoices):
    """The fields of social resources (the seed's eight)."""

    WELFARE = "welfare", _("福祉")
    HEALTH = "health", _("保健")
    EMPLOYMENT = "employment", _("雇用")
    EDUCATION = "education", _("教育")
    FINANCE = "finance", _("金融")
    HOUSING = "housing", _("住宅")
    INDUSTRY = "industry", _("産業")
    AGRICULTURE = "agriculture", _("農林漁業")


class RegionalIssueStatus(models.TextChoices):
    PROPOSED = "proposed", _("提案")
    DISCUSSED = "discussed", _("協議済み")
    DEVELOPING = "developing", _("資源開発中")
    RESOLVED = "resolved", _("解決")


class RegionalIssueSource(models.TextChoices):
    MEETING = "meeting", _("会議で提起")
    GAP_ANALYSIS = "gap_analysis", _("資源の不足の分析")
    OTHER = "other", _("その他")


class RegionalIssue(Model):
    """地域課題: a need of a district (or the whole municipality) that its resources do
    not meet. Never names a person."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="regional_issues", verbose_name=_("自治体")
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        related_name="regional_issues",
        verbose_name=_("地区"),
        null=True,
        blank=True,
        help_text=_("空欄は自治体全体の課題です。"),
    )
    title = models.CharField(_("課題"), max_length=200)
    description = models.TextField(_("内容"), max_length=5000, blank=True)
    field = models.CharField(_("分野"), max_length=20, choices=ResourceField.choices, blank=True)
    # The assessed issue (sheets.Issue) the need comes from, when it comes from cases.
    issue = models.CharField(_("アセスメントの課題"), max_length=40, blank=True)
    # Figures behind it (counts of cases and resources), never names.
    figures = models.JSONField(_("根拠となる数値"), default=dict, blank=True)
    source = models.CharField(_("出どころ"), max_length=20, choices=RegionalIssueSource.choices)
    status = models.CharField(
        _("進み具合"), max_length=20, choices=RegionalIssueStatus.choices, default=RegionalIssueStatus.PROPOSED
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("提起した人")
    )
    raised_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("地域課題")
        verbose_name_plural = _("地域課題")
        ordering = ["status", "-raised_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("community:issue_detail", kwargs={"code": self.code})

    def figure_rows(self) -> list[tuple[str, str]]:
        """The figures as a reader reads them: Japanese labels, dates in 和暦, in
        FIGURE_LABELS' order (PostgreSQL's jsonb keeps no key order of its own)."""
        if not isinstance(self.figures, dict):
            return []
        order = {key: i for i, key in enumerate(FIGURE_LABELS)}
        keys = sorted(self.figures, key=lambda key: (order.get(key, len(order)), key))
        return [(str(FIGURE_LABELS.get(key, key)), _figure_value(self.figures[key])) for key in keys]


# The keys the gap analysis (resources.gaps.propose) and the demo write into `figures`.
FIGURE_LABELS = {
    "open_cases": _("支援中のケース"),
    "cases": _("ケース"),
    "resources": _("社会資源"),
    "as_of": _("集計日"),
}


def _figure_value(value: Any) -> str:
    if isinstance(value, str):
        try:
            return format_wareki(dt.date.fromisoformat(value))
        except ValueError:
            return value
    return str(value)


class RegionalIssueUpdate(Model):
    """One step of a regional issue's progress, with the note that explains it."""

    issue = models.ForeignKey(RegionalIssue, on_delete=models.CASCADE, related_name="updates")
    from_status = models.CharField(max_length=20, choices=RegionalIssueStatus.choices)
    to_status = models.CharField(_("進み具合"), max_length=20, choices=RegionalIssueStatus.choices)
    note = models.TextField(_("経過のメモ"), max_length=2000)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("地域課題の経過")
        verbose_name_plural = _("地域課題の経過")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.issue} {self.from_status}→{self.to_status}"


class Neighbourhood(Model):
    """小地域: the small, face-to-face area a supporter watches over."""

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="neighbourhoods", verbose_name=_("地区")
    )
    # Public id in URLs (STYLE.md principle 4), never the primary key.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("小地域名"), max_length=100)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("小地域")
        verbose_name_plural = _("小地域")
        ordering = ["district", "name"]
        constraints = [models.UniqueConstraint(fields=["district", "name"], name="neighbourhood_unique_name")]

    def __str__(self) -> str:
        return self.name


class SupporterKind(models.TextChoices):
    WELFARE_COMMISSIONER = "welfare_commissioner", _("民生委員・児童委員")
    MAIL = "mail", _("郵便配達")
    NEWSPAPER = "newspaper", _("新聞配達")
    MILK = "milk", _("牛乳配達")
    METER = "meter", _("水道・ガス検針")
    MEAL_DELIVERY = "meal_delivery", _("配食サービス")
    PARCEL = "parcel", _("宅配")
    MOBILE_SHOP = "mobile_shop", _("移動販売")
    SHOP = "shop", _("商店")
    BARBER = "barber", _("理美容")
    RESIDENTS_ASSOCIATION = "residents_association", _("町内会")
    APARTMENT_MANAGER = "apartment_manager", _("アパート管理人")
    NEIGHBOUR = "neighbour", _("近隣住民")
    OTHER = "other", _("その他")


class Supporter(Model):
    """サポーター: a community member or company staff who reports worries. Signs in with
    an account of role `supporter`, or through a personal link (SupporterLink)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="supporters", verbose_name=_("自治体")
    )
    name = models.CharField(_("氏名"), max_length=100)
    kind = models.CharField(_("種類"), max_length=30, choices=SupporterKind.choices)
    organisation = models.CharField(_("事業者・団体名"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="supporters", verbose_name=_("見守る小地域")
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supporter",
        verbose_name=_("アカウント"),
        null=True,
        blank=True,
    )
    # 見守り協定: the watching-over agreement a company signs with the municipality.
    agreement_signed_on = models.DateField(_("見守り協定の締結日"), null=True, blank=True)
    agreement_ends_on = models.DateField(_("見守り協定の終了日"), null=True, blank=True)
    active = models.BooleanField(_("活動中"), default=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(default=timezone.now, editable=False)
    # Centre staff edit supporters; the version refuses a save made from a stale form.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("サポーター")
        verbose_name_plural = _("サポーター")
        ordering = ["municipality", "kind", "name"]

    def __str__(self) -> str:
        return f"{self.name}（{self.organisation}）" if self.organisation else self.name

    def get_absolute_url(self) -> str:
        return reverse("community:supporter_detail", kwargs={"code": self.code})


class SupporterLink(Model):
    """A personal link that lets a supporter report without an account. Only a hash of
    its secret is stored; the centre can revoke it."""

    supporter = models.ForeignKey(Supporter, on_delete=models.PROTECT, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("無効にした日時"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("サポーター用リンク")
        verbose_name_plural = _("サポーター用リンク")
        ordering = ["-issued_at", "-id"]

    def __str__(self) -> str:
        return f"{self.supporter} {short_wareki(self.issued_at)}"


class Sign(models.TextChoices):
    """What a supporter noticed (the report's checklist)."""

    MAIL_PILING_UP = "mail_piling_up", _("新聞・郵便がたまっている")
    LIGHTS_ON = "lights_on", _("昼も電気がついたまま")
    NOT_SEEN = "not_seen", _("姿を見かけない")
    CHANGED_APPEARANCE = "changed_appearance", _("様子・身なりの変化")
    SHORT_OF_FOOD = "short_of_food", _("食べ物に困っている様子")
    DUNNING = "dunning", _("督促状・差押え")
    NOISE = "noise", _("大きな声・物音")
    UNWELL = "unwell", _("体調が悪そう")
    OTHER = "other", _("その他")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("気になる（急ぎではない）")
    SOON = "soon", _("早めに見てほしい")
    URGENT = "urgent", _("急いでいる")


class ReportStatus(models.TextChoices):
    """What the reporter sees: that it was received and handled, never what was found."""

    RECEIVED = "received", _("受け付けました")
    IN_PROGRESS = "in_progress", _("対応中")
    HANDLED = "handled", _("対応しました")


class ReportQuerySet(models.QuerySet["SupporterReport"]):
    def open(self) -> "ReportQuerySet":
        return self.exclude(status=ReportStatus.HANDLED)

    def outreach_due_by(self, user: Any) -> "ReportQuerySet":
        """Open outreach visits assigned to the user, soonest first."""
        return (
            self.open()
            .filter(outreach_by=user, outreach_done_at__isnull=True)
            .order_by(models.F("outreach_due").asc(nulls_last=True), "submitted_at", "id")
        )


class SupporterReport(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    supporter = models.ForeignKey(
        Supporter, on_delete=models.PROTECT, related_name="reports", verbose_name=_("サポーター")
    )
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="supporter_reports", verbose_name=_("地区")
    )
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, related_name="+", verbose_name=_("小地域"), null=True, blank=True
    )
    signs = models.JSONField(_("気づいたこと"), default=list)
    other_text = models.TextField(_("その他・くわしく"), max_length=1000, blank=True)
    place = models.CharField(_("場所（住所や目印）"), max_length=200)
    urgency = models.CharField(_("急ぎ具合"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    reporter_contact = models.CharField(_("あなたへの連絡方法"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("報告日時"), default=timezone.now, db_index=True)
    via_link = models.BooleanField(default=False, editable=False)
    status = models.CharField(
        _("状況"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED, db_index=True
    )
    # Triage, never shown to the reporter.
    person = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("相談者"), null=True, blank=True
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("ケース"), null=True, blank=True
    )
    task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    # An outreach visit to make before any case exists (who goes, by when).
    outreach_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="outreach_reports",
        verbose_name=_("訪問する職員"),
        null=True,
        blank=True,
    )
    outreach_due = models.DateField(_("訪問の期限"), null=True, blank=True)
    # When the visit was recorded (a note on the case, a new case, or 見守り継続).
    outreach_done_at = models.DateTimeField(_("訪問の記録日時"), null=True, blank=True)
    triage_note = models.TextField(_("対応の記録"), max_length=5000, blank=True)
    triaged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    triaged_at = models.DateTimeField(null=True, blank=True)
    handled_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("サポーターからの情報")
        verbose_name_plural = _("サポーターからの情報")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "status"], name="report_inbox")]

    def __str__(self) -> str:
        return f"{short_wareki(self.submitted_at)} {self.district}"

    def get_absolute_url(self) -> str:
        return reverse("community:report_detail", kwargs={"code": self.code})

    @property
    def outreach_open(self) -> bool:
        return self.outreach_by_id is not None and self.outreach_done_at is None and self.status != ReportStatus.HANDLED

    @property
    def sign_labels(self) -> list[str]:
        return [str(Sign(s).label) for s in self.signs if s in Sign.values]
