"""The social-resource directory (社会資源, DOMAIN.md §6): what a worker can offer, by
kind, field and district, matched to a case's assessed issues; exchanged with other
systems as Open Referral HSDS 3.0 (tsunagu.resources.hsds)."""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, District, Municipality

# A resource not checked for this long is flagged (DOMAIN.md §6; the issue says 6 months).
CHECK_INTERVAL_DAYS = 183


class ResourceKind(models.TextChoices):
    """The seed's eight kinds of social resource."""

    SCHEME = "scheme", _("制度資源")
    PEOPLE = "people", _("人的資源")
    ARRANGEMENT = "arrangement", _("体制資源")
    GROUP = "group", _("団体資源")
    FOOD = "food", _("食料資源")
    PROFESSIONAL = "professional", _("専門資源")
    INFORMATION = "information", _("情報資源")
    SERVICE = "service", _("サービス提供資源")


class ResourceQuerySet(models.QuerySet["Resource"]):
    def active(self) -> "ResourceQuerySet":
        return self.filter(active=True)

    def unchecked(self, today: dt.date | None = None) -> "ResourceQuerySet":
        limit = (today or timezone.localdate()) - dt.timedelta(days=CHECK_INTERVAL_DAYS)
        return self.filter(models.Q(last_checked_on__isnull=True) | models.Q(last_checked_on__lt=limit))


class Resource(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="resources", verbose_name=_("自治体")
    )
    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("種類"), max_length=20, choices=ResourceKind.choices)
    # ResourceField values (community.models): 福祉, 保健, 雇用 …
    fields = models.JSONField(_("分野"), default=list)
    # sheets.Issue values this resource helps with: how a case's assessment finds it.
    issues = models.JSONField(_("対応する課題"), default=list, blank=True)
    description = models.TextField(_("内容"), max_length=5000, blank=True)
    provider_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="resources", verbose_name=_("提供機関"), null=True, blank=True
    )
    provider_name = models.CharField(_("提供する団体・人"), max_length=200, blank=True)
    # No district: serves the whole municipality.
    districts = models.ManyToManyField(District, blank=True, related_name="resources", verbose_name=_("対象地区"))
    min_age = models.PositiveSmallIntegerField(_("対象年齢（下限）"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("対象年齢（上限）"), null=True, blank=True)
    conditions = models.CharField(_("利用の条件"), max_length=500, blank=True)
    cost = models.CharField(_("費用"), max_length=200, blank=True)
    hours = models.CharField(_("受付時間・開所日"), max_length=200, blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    url = models.URLField(_("ウェブサイト"), blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)
    capacity = models.CharField(_("定員・受入れ枠"), max_length=200, blank=True)
    last_checked_on = models.DateField(_("最終確認日"), null=True, blank=True)
    active = models.BooleanField(_("利用できる"), default=True)
    # Ids given by HSDS exchange (organization, service, location), kept for round trips.
    hsds_ids = models.JSONField(default=dict, blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = _("社会資源")
        verbose_name_plural = _("社会資源")
        ordering = ["municipality", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_check(self) -> bool:
        limit = timezone.localdate() - dt.timedelta(days=CHECK_INTERVAL_DAYS)
        return self.last_checked_on is None or self.last_checked_on < limit
