"""The community around the centre: regional issues (地域課題) found in meetings and in
the gap analysis of resources, taken to 地域ケア会議 and the network council's committees
(DOMAIN.md §5, §6)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import District, Municipality


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


class RegionalIssue(models.Model):
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
