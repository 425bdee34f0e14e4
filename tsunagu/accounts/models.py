"""Tenancy and accounts: municipalities, their districts and agencies, and staff."""

import uuid

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from tsunagu.lib.models import ChoiceLabels, Model


class Municipality(Model):
    name = models.CharField(_("自治体名"), max_length=100)
    prefecture = models.CharField(_("都道府県"), max_length=10)
    population = models.PositiveIntegerField(_("人口"), help_text=_("統計で人口10万人あたりの件数を出すのに使います。"))
    # How often a plan is reviewed (monitoring); the forms issue reads it.
    monitoring_interval_months = models.PositiveSmallIntegerField(_("モニタリング間隔（月）"), default=3)

    class Meta:
        verbose_name = _("自治体")
        verbose_name_plural = _("自治体")
        ordering = ["prefecture", "name"]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}"


class District(Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="districts", verbose_name=_("自治体")
    )
    # Public id in URLs (STYLE.md principle 4), never the primary key.
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("地区名"), max_length=100)
    number = models.PositiveSmallIntegerField(_("番号"), default=0)
    # 地区チーフ: leads the district's 地域ケア会議 and receives its supporters' reports.
    chief = models.ForeignKey(
        "accounts.Staff",
        on_delete=models.SET_NULL,
        related_name="districts_led",
        verbose_name=_("地区チーフ"),
        null=True,
        blank=True,
    )
    # Centre staff change the chief; the version refuses a save made from a stale form.
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["municipality", "number", "name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="district_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AgencyKind(models.TextChoices):
    CONSULTATION_CENTRE = "consultation_centre", _("自立相談支援機関")
    MUNICIPAL_DEPARTMENT = "municipal_department", _("自治体担当課")
    SOCIAL_WELFARE_COUNCIL = "social_welfare_council", _("社会福祉協議会")
    COMMUNITY_CARE_CENTRE = "community_care_centre", _("地域包括支援センター")
    DISABILITY_CONSULTATION = "disability_consultation", _("基幹相談支援センター・相談支援事業所")
    HELLO_WORK = "hello_work", _("ハローワーク")
    HEALTH_CENTRE = "health_centre", _("保健センター")
    SCHOOL = "school", _("学校")
    NPO = "npo", _("NPO")
    COMPANY = "company", _("企業")
    FOOD_BANK = "food_bank", _("フードバンク")
    LEGAL_AID = "legal_aid", _("法律相談")
    HOUSING_SUPPORT_CORPORATION = "housing_support_corporation", _("居住支援法人")
    OTHER = "other", _("その他")


class Agency(Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("自治体")
    )
    name = models.CharField(_("機関名"), max_length=200)
    kind = models.CharField(_("種別"), max_length=40, choices=AgencyKind.choices)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    address = models.CharField(_("所在地"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("機関")
        verbose_name_plural = _("機関")
        ordering = ["municipality", "kind", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_centre(self) -> bool:
        return self.kind == AgencyKind.CONSULTATION_CENTRE


class Role(models.TextChoices):
    CHIEF = "chief", _("主任相談支援員")
    CONSULTANT = "consultant", _("相談支援員")
    EMPLOYMENT_SUPPORTER = "employment_supporter", _("就労支援員")
    COORDINATOR = "coordinator", _("相談支援包括化推進員")
    MUNICIPAL_OFFICER = "municipal_officer", _("自治体担当職員")
    PARTNER = "partner", _("関係機関職員")
    DISTRICT_CHIEF = "district_chief", _("地区チーフ")
    SUPPORTER = "supporter", _("サポーター")
    ADMIN = "admin", _("管理者")


# Roles that work inside a consultation centre and so see its whole caseload.
CENTRE_ROLES = frozenset({Role.CHIEF, Role.CONSULTANT, Role.EMPLOYMENT_SUPPORTER, Role.COORDINATOR})


class Staff(ChoiceLabels, AbstractUser):
    """A person who signs in: centre workers, partner-agency staff, officers, admins."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="staff",
        verbose_name=_("所属機関"),
        null=True,
        blank=True,
    )
    role = models.CharField(_("役割"), max_length=30, choices=Role.choices)
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)
    # Set by the admin: the chief's deputy may read a protected person's whereabouts in an
    # emergency ("break-glass"), with a reason the chief sees at once (docs/security.md).
    is_deputy_chief = models.BooleanField(
        _("主任相談支援員の代理（緊急閲覧）"),
        default=False,
        help_text=_("所在秘匿の対象者の所在を、理由を記録して緊急に閲覧できます。主任相談支援員に直ちに通知されます。"),
    )

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")
        ordering = ["agency", "username"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    @property
    def municipality_id(self) -> int:
        """The municipality the user works for; 0 (no row has it) for accounts without
        an agency, so that scoping by it matches nothing."""
        return self.agency.municipality_id if self.agency_id and self.agency else 0

    @property
    def works_in_centre(self) -> bool:
        """Centre staff see their centre's whole caseload (DOMAIN.md §1)."""
        return bool(self.agency and self.agency.is_centre and self.role in CENTRE_ROLES)

    @property
    def is_chief(self) -> bool:
        return self.works_in_centre and self.role == Role.CHIEF

    @property
    def is_deputy(self) -> bool:
        """The chief's deputy, who may make an emergency read of whereabouts (break-glass)."""
        return self.works_in_centre and self.is_deputy_chief and self.role != Role.CHIEF

    @property
    def is_municipal_officer(self) -> bool:
        return bool(self.agency and self.role == Role.MUNICIPAL_OFFICER)

    @property
    def is_district_chief(self) -> bool:
        """地区チーフ: leads a district's community care meeting and receives its supporter
        reports (community.access)."""
        return self.role == Role.DISTRICT_CHIEF and self.agency_id is not None
