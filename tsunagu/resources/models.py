"""The social-resource directory (社会資源, DOMAIN.md §6): what a worker can offer, by
kind, field and district, matched to a case's assessed issues; exchanged with other
systems as Open Referral HSDS 3.0 (tsunagu.resources.hsds)."""

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, District, Municipality
from tsunagu.community.models import ResourceField
from tsunagu.lib.kana import search_key
from tsunagu.lib.models import Model
from tsunagu.sheets.models import Issue

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


def _json_has(column: str, value: str) -> models.Q:
    """A JSON list column holds this value. The list is read as text and the value looked
    for in quotes (the values are slugs), which both SQLite and PostgreSQL answer."""
    return models.Q(**{f"{column}_text__contains": f'"{value}"'})


class ResourceQuerySet(models.QuerySet["Resource"]):
    def active(self) -> "ResourceQuerySet":
        return self.filter(active=True)

    def unchecked(self, today: dt.date | None = None) -> "ResourceQuerySet":
        limit = (today or timezone.localdate()) - dt.timedelta(days=CHECK_INTERVAL_DAYS)
        return self.filter(models.Q(last_checked_on__isnull=True) | models.Q(last_checked_on__lt=limit))

    def in_field(self, field: str) -> "ResourceQuerySet":
        return self.annotate(fields_text=Cast("fields", models.TextField())).filter(_json_has("fields", field))

    def helping_with(self, issue: str) -> "ResourceQuerySet":
        return self.annotate(issues_text=Cast("issues", models.TextField())).filter(_json_has("issues", issue))

    def serving(self, district: District) -> "ResourceQuerySet":
        """Resources for the district: those naming it, and those of the whole municipality."""
        through = Resource.districts.through.objects
        named = Exists(through.filter(resource_id=OuterRef("pk"), district_id=district.pk))
        any_district = Exists(through.filter(resource_id=OuterRef("pk")))
        return self.filter(named | ~any_district)

    def in_directory_order(self) -> "ResourceQuerySet":
        """By kind in the seed's order (制度資源 first), then by name."""
        kind_order = models.Case(
            *(models.When(kind=kind, then=models.Value(i)) for i, kind in enumerate(ResourceKind.values)),
            default=models.Value(len(ResourceKind.values)),
            output_field=models.IntegerField(),
        )
        return self.alias(kind_order=kind_order).order_by("kind_order", "name", "id")

    def search(self, query: str) -> "ResourceQuerySet":
        """Every word of the query appears in the resource's text, after folding kana,
        width and case (tsunagu.lib.kana)."""
        keys = [key for key in (search_key(word) for word in query.split()) if key]
        found = self
        for key in keys:
            found = found.filter(search_text__contains=key)
        return found


class Resource(Model):
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
    # The folded text the directory's search reads (tsunagu.lib.kana), kept in step by save().
    search_text = models.TextField(default="", blank=True, editable=False)

    objects = ResourceQuerySet.as_manager()

    # The fields a worker edits in the directory's form (and HSDS exchange carries).
    CONTENT_FIELDS = (
        "name",
        "kind",
        "fields",
        "issues",
        "description",
        "provider_agency",
        "provider_name",
        "min_age",
        "max_age",
        "conditions",
        "cost",
        "hours",
        "phone",
        "email",
        "url",
        "address",
        "capacity",
        "last_checked_on",
    )
    SEARCHED_FIELDS = frozenset(
        {"name", "kind", "fields", "issues", "description", "provider_agency", "provider_name", "conditions", "address"}
    )

    class Meta:
        verbose_name = _("社会資源")
        verbose_name_plural = _("社会資源")
        ordering = ["municipality", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_text()
        update_fields: Iterable[str] | None = kwargs.get("update_fields")
        if update_fields is not None and self.SEARCHED_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"code": self.code})

    def refresh_search_text(self) -> None:
        parts = [self.name, self.description, self.provider_name, self.conditions, self.address]
        if self.provider_agency_id and self.provider_agency:
            parts.append(self.provider_agency.name)
        parts.append(str(self.get_kind_display()) if self.kind else "")
        parts += self.field_labels() + self.issue_labels()
        # One key per line: a query's key (which has no line breaks) cannot span two parts.
        self.search_text = "\n".join(search_key(part) for part in parts if part)

    @property
    def needs_check(self) -> bool:
        limit = timezone.localdate() - dt.timedelta(days=CHECK_INTERVAL_DAYS)
        return self.last_checked_on is None or self.last_checked_on < limit

    def field_labels(self) -> list[str]:
        return [str(ResourceField(f).label) for f in self.fields if f in ResourceField.values]

    def issue_labels(self) -> list[str]:
        return [str(Issue(i).label) for i in self.issues if i in Issue.values]

    @property
    def serves_whole_municipality(self) -> bool:
        """From the prefetched districts (a list page prefetches them)."""
        return not self.districts.all()

    def age_label(self) -> str:
        if self.min_age is None and self.max_age is None:
            return ""
        if self.max_age is None:
            return str(_("%(min)s歳以上") % {"min": self.min_age})
        if self.min_age is None:
            return str(_("%(max)s歳以下") % {"max": self.max_age})
        return str(_("%(min)s〜%(max)s歳") % {"min": self.min_age, "max": self.max_age})


# -- open cases per area (resources.summary keeps them) ---------------------------------


class CountKind(models.TextChoices):
    STATE = "state", _("状態")
    ISSUE = "issue", _("課題")


class OpenCaseCount(Model):
    """How many open cases of the municipality are in an area with a state or an assessed
    issue. Written by resources.summary in the same transaction as the change of the
    case, its latest assessment, the person's district or a whereabouts order, so that
    the gaps and district pages read counts, not every assessment (issue 12).
    `area` is the district's id, or 0 for the whole municipality (no district, or a
    person whose whereabouts are confidential)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    area = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=CountKind.choices)
    key = models.CharField(max_length=40)
    open_cases = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("地区ごとの支援中のケース数")
        verbose_name_plural = _("地区ごとの支援中のケース数")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "area", "kind", "key"], name="open_case_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.area}/{self.kind}/{self.key}: {self.open_cases}"


class OpenCaseEntry(Model):
    """What one open case counts for now (its municipality, area, state and issues): the
    summary subtracts it before adding what the case counts for after a change."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, primary_key=True, related_name="+")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="+")
    area = models.PositiveIntegerField()
    state = models.CharField(max_length=20)
    issues = models.JSONField(default=list)

    class Meta:
        verbose_name = _("集計に数えたケース")
        verbose_name_plural = _("集計に数えたケース")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.area}/{self.state}"
