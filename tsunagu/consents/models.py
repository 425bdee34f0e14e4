"""Consent to share a person's information, and the log of every disclosure.

A partner agency sees, receives or reads in a meeting paper only the categories of
information a consent in force covers for that agency and purpose (`shared_categories`),
except in a 支援会議 (法第9条) or an emergency to protect life, and every time
information leaves the centre a Disclosure row says to whom, what, when and on which
legal basis (DOMAIN.md §7).
"""

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, AgencyKind
from tsunagu.people.models import Person

if TYPE_CHECKING:
    from tsunagu.accounts.models import Staff
    from tsunagu.cases.models import Case


class Category(models.TextChoices):
    """Categories of a person's information that a consent covers one by one."""

    BASIC = "basic", _("基本情報（氏名・ふりがな・連絡先・主訴・概要）")
    PLAN = "plan", _("プラン（目標・支援内容・役割分担）")
    PROGRESS = "progress", _("支援経過（共有する記録）")
    ASSESSMENT = "assessment", _("アセスメント（生活歴・就労・家計。要配慮を除く）")
    HEALTH = "health", _("要配慮：病気・障害・メンタルヘルス")
    CRIMINAL_RECORD = "criminal_record", _("要配慮：犯罪の経歴")
    VICTIMISATION = "victimisation", _("要配慮：犯罪被害・DV・虐待")


# 要配慮個人情報 (個人情報保護法第2条第3項): each needs its own, explicit consent.
SENSITIVE_CATEGORIES = frozenset({Category.HEALTH, Category.CRIMINAL_RECORD, Category.VICTIMISATION})
# What the application form's consent covers: never the sensitive categories.
APPLICATION_CATEGORIES = (Category.BASIC, Category.PLAN, Category.PROGRESS)


class Purpose(models.TextChoices):
    """What the information may be used for. The first four are the application form's."""

    ASSESSMENT = "assessment", _("アセスメントとプラン作成")
    COORDINATION = "coordination", _("支援調整会議での共有")
    REFERRAL = "referral", _("関係機関へのつなぎ")
    STATISTICS = "statistics", _("国への報告（個人が特定されない統計）")
    TEAM = "team", _("ケースチームでの連携した支援")


class Method(models.TextChoices):
    SIGNATURE = "signature", _("署名（紙）")
    SPOKEN = "spoken", _("口頭（記録）")


class ConsentQuerySet(models.QuerySet["Consent"]):
    def in_force(self, on: dt.date | None = None) -> "ConsentQuerySet":
        """Given, not withdrawn, not replaced and not yet ended on the day."""
        day = on or timezone.localdate()
        return self.filter(
            withdrawn_at__isnull=True,
            superseded_by__isnull=True,
            given_on__lte=day,
        ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))


class Consent(models.Model):
    """One consent of a person to share information: with which agencies (named, or every
    agency of a kind), for which purposes, covering which categories. Never edited: a
    change is a new consent, a withdrawal is recorded on it and takes effect at once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("相談者"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="consents", verbose_name=_("ケース"), null=True, blank=True
    )
    # Set when the consent is the one given on 相談受付・申込票 (a version of it).
    intake_sheet = models.ForeignKey(
        "sheets.IntakeSheet", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    agencies = models.ManyToManyField(Agency, blank=True, related_name="+", verbose_name=_("同意の対象機関"))
    agency_kinds = models.JSONField(_("同意の対象となる機関の種別"), default=list, blank=True)
    purposes = models.JSONField(_("利用目的"), default=list)
    categories = models.JSONField(_("共有する情報の範囲"), default=list)
    method = models.CharField(_("同意の方法"), max_length=20, choices=Method.choices)
    given_on = models.DateField(_("同意日"))
    ends_on = models.DateField(_("有効期限"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("記録者")
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    withdrawn_at = models.DateTimeField(_("撤回日時"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    withdrawal_note = models.CharField(_("撤回の内容"), max_length=500, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("情報共有の同意")
        verbose_name_plural = _("情報共有の同意")
        ordering = ["-given_on", "-id"]
        indexes = [models.Index(fields=["person", "withdrawn_at"], name="consent_person")]

    def __str__(self) -> str:
        return f"{self.person} {self.given_on}"

    def names_agency(self, agency: Agency) -> bool:
        """Whether the consent is for this agency (by name or by its kind). Uses the
        prefetched `agencies` when there is one."""
        if agency.kind in self.agency_kinds:
            return True
        return any(a.pk == agency.pk for a in self.agencies.all())

    def covers(self, agency: Agency, purpose: str, category: str, on: dt.date | None = None) -> bool:
        return (
            self.is_in_force(on)
            and purpose in self.purposes
            and category in self.categories
            and self.names_agency(agency)
        )

    def is_in_force(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return (
            self.withdrawn_at is None
            and self.superseded_by_id is None
            and self.given_on <= day
            and (self.ends_on is None or self.ends_on >= day)
        )

    @property
    def agency_kind_labels(self) -> list[str]:
        return [str(AgencyKind(k).label) for k in self.agency_kinds if k in AgencyKind.values]

    @property
    def purpose_labels(self) -> list[str]:
        return [str(Purpose(p).label) for p in self.purposes if p in Purpose.values]

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]


def shared_categories(
    person_ids: Iterable[int], agency: Agency, purpose: str, on: dt.date | None = None
) -> dict[int, set[str]]:
    """For each person, the categories that consents in force let the centre share with
    `agency` for `purpose`. Two queries whatever the number of people."""
    result: dict[int, set[str]] = {}
    consents = Consent.objects.in_force(on).filter(person_id__in=list(person_ids)).prefetch_related("agencies")
    for consent in consents:
        if purpose in consent.purposes and consent.names_agency(agency):
            result.setdefault(consent.person_id, set()).update(consent.categories)
    return result


def categories_for(person: Person, agency: Agency, purpose: str, on: dt.date | None = None) -> set[str]:
    return shared_categories([person.pk], agency, purpose, on).get(person.pk, set())


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("本人の同意")
    SUPPORT_MEETING = "support_meeting", _("支援会議（生活困窮者自立支援法第9条）")
    EMERGENCY = "emergency", _("人の生命・身体の保護のための緊急の必要（個人情報保護法第27条第1項第2号）")


class Channel(models.TextChoices):
    TEAM_VIEW = "team_view", _("ケースチームの関係機関による閲覧")
    REFERRAL = "referral", _("つなぎ（紹介）")
    MEETING_PAPER = "meeting_paper", _("会議資料")
    EMERGENCY = "emergency", _("緊急時の提供")


class DisclosureQuerySet(models.QuerySet["Disclosure"]):
    def for_person(self, person: Person) -> "DisclosureQuerySet":
        return self.filter(person=person)


class Disclosure(models.Model):
    """One time a person's information left the centre: never edited or deleted."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(_("日時"), default=timezone.now)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="disclosures", verbose_name=_("相談者"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("ケース"), null=True, blank=True
    )
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("提供先"))
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("受け取った人"),
        null=True,
        blank=True,
    )
    # An outside participant without an account (a meeting attendee).
    recipient_name = models.CharField(_("受け取った人（氏名）"), max_length=100, blank=True)
    channel = models.CharField(_("経路"), max_length=20, choices=Channel.choices)
    categories = models.JSONField(_("提供した情報"), default=list)
    basis = models.CharField(_("根拠"), max_length=20, choices=LegalBasis.choices)
    consent = models.ForeignKey(
        Consent, on_delete=models.PROTECT, related_name="disclosures", null=True, blank=True, verbose_name=_("同意")
    )
    reason = models.CharField(_("理由"), max_length=500, blank=True)
    # What carried the information: a referral or a meeting, by its public code.
    source_type = models.CharField(max_length=50, blank=True)
    source_code = models.UUIDField(null=True, blank=True)
    disclosed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("情報提供の記録")
        verbose_name_plural = _("情報提供の記録")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["person", "at"], name="disclosure_person_time")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.recipient_agency}"

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]


def disclose(
    *,
    person: Person,
    to_agency: Agency,
    channel: str,
    categories: Iterable[str],
    basis: str,
    by: "Staff | None",
    case: "Case | None" = None,
    recipient: "Staff | None" = None,
    recipient_name: str = "",
    consent: Consent | None = None,
    reason: str = "",
    source: "models.Model | None" = None,
) -> Disclosure:
    """Log one disclosure. Call it in the transaction that shows or sends the information."""
    return Disclosure.objects.create(
        person=person,
        case=case,
        recipient_agency=to_agency,
        recipient=recipient,
        recipient_name=recipient_name,
        channel=channel,
        categories=sorted(set(categories)),
        basis=basis,
        consent=consent,
        reason=reason,
        source_type=source._meta.label_lower if source is not None else "",
        source_code=getattr(source, "code", None) if source is not None else None,
        disclosed_by=by,
    )
