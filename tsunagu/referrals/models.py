"""Referrals (つなぎ): a worker sends a person to another agency with the information
consent allows, and follows the referral until the receiving agency has answered,
met the person and recorded the outcome (a closed loop).

State changes go through the named functions in tsunagu.referrals.flow.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency
from tsunagu.consents.models import Consent, LegalBasis
from tsunagu.lib.models import Model
from tsunagu.people.models import Person


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("回答待ち")
    ACCEPTED = "accepted", _("受入れ")
    CONTACTED = "contacted", _("本人と接触済み")
    COMPLETED = "completed", _("結果報告済み")
    DECLINED = "declined", _("お断り")
    WITHDRAWN = "withdrawn", _("取り下げ")


# States in which the referral still waits for something.
OPEN_STATUSES = frozenset({ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.CONTACTED})


class ReferralQuerySet(models.QuerySet["Referral"]):
    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def to_agency(self, agency_id: int) -> "ReferralQuerySet":
        return self.filter(to_agency_id=agency_id)


class Referral(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="referrals", verbose_name=_("ケース"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("相談者"))
    from_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("紹介元"))
    to_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("つなぎ先")
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("紹介者")
    )
    request = models.TextField(_("依頼内容"), max_length=5000)
    # What was sent: the categories and, frozen at sending, their content; the receiving
    # agency sees this and nothing else of the person.
    categories = models.JSONField(_("送る情報"), default=list)
    snapshot = models.JSONField(default=dict, editable=False)
    basis = models.CharField(_("根拠"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.CONSENT)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    emergency_reason = models.CharField(_("緊急の理由"), max_length=500, blank=True)
    # Created by the screening outcome 他機関へつなぎ (the case moved to handed_off).
    from_handoff = models.BooleanField(default=False, editable=False)
    status = models.CharField(
        _("状況"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.SENT, db_index=True
    )
    sent_at = models.DateTimeField(_("送付日時"), default=timezone.now)
    answer_by = models.DateField(_("回答期限"))
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    receiving_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        verbose_name=_("受入れ担当者"),
    )
    decline_reason = models.CharField(_("お断りの理由"), max_length=500, blank=True)
    contacted_on = models.DateField(_("本人との接触日"), null=True, blank=True)
    outcome = models.TextField(_("結果"), max_length=5000, blank=True)
    outcome_at = models.DateTimeField(_("結果の報告日時"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("取り下げ日時"), null=True, blank=True)
    withdraw_reason = models.CharField(_("取り下げの理由"), max_length=500, blank=True)
    # The referrer's task: answer awaited (becomes overdue), or contact to confirm.
    task = models.ForeignKey("cases.Task", on_delete=models.PROTECT, related_name="+", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("つなぎ")
        verbose_name_plural = _("つなぎ")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["to_agency", "status"], name="referral_inbox")]

    def __str__(self) -> str:
        return f"{self.to_agency}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"code": self.code})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.status == ReferralStatus.SENT and self.answer_by < timezone.localdate()
