"""People, their households, and whereabouts confidentiality (DOMAIN.md §7)."""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Left
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import District, Municipality, Staff
from tsunagu.lib.kana import phone_key, search_key, to_katakana
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import short_wareki

if TYPE_CHECKING:
    pass


class Sex(models.TextChoices):
    MALE = "male", _("男性")
    FEMALE = "female", _("女性")
    OTHER = "other", _("その他")
    UNDISCLOSED = "undisclosed", _("回答しない")


def confidentiality_in_force(today: dt.date | None = None, prefix: str = "") -> Q:
    """Orders in force on a day. An order protects from the moment it is requested:
    the second staff member's confirmation records the check, and only lifting (the
    chief's act, with a reason) ends the protection early."""
    today = today or timezone.localdate()
    return Q(
        **{
            f"{prefix}starts_on__lte": today,
            f"{prefix}ends_on__gte": today,
            f"{prefix}lifted_at__isnull": True,
        }
    )


class SearchKeyField(models.CharField):
    """A folded search key (tsunagu.lib.kana) with a `prefix` lookup that an index answers."""


@SearchKeyField.register_lookup
class Prefix(models.Lookup):
    """`key__prefix=q`: the key starts with q. PostgreSQL: LIKE 'q%' (served by the
    varchar_pattern_ops index); SQLite: q <= key < q + U+10FFFF, the range its B-tree
    index serves (its LIKE is case-insensitive and cannot use a plain index)."""

    lookup_name = "prefix"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = str(self.rhs)
        escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"{lhs} LIKE %s", (*lhs_params, escaped + "%")

    def as_sqlite(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = str(self.rhs)
        return f"({lhs} >= %s AND {lhs} < %s)", (*lhs_params, value, *lhs_params, value + "\U0010ffff")


# The fewest digits a phone search matches on (the last four digits of a number).
PHONE_PART_DIGITS = 4


# The keys a name search matches on, each by prefix (PersonQuerySet.search).
NAME_KEYS = ("full_name_key", "given_name_key", "full_kana_key", "given_kana_key")


class CodepointOrder(models.Func):
    """A text column compared by code point. The keys are folded katakana, whose code
    points run in 五十音 order, so this is the order of their reading on both databases;
    on PostgreSQL it spares the database locale's strcoll, which spent 5 ms sorting the
    1,500 names that one character finds at 10,000 cases (issue 12). SQLite compares
    text by code point already."""

    template = '%(expressions)s COLLATE "C"'
    arity = 1

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, Any]:
        return compiler.compile(self.source_expressions[0])


class PersonQuerySet(models.QuerySet["Person"]):
    def in_municipality(self, municipality_id: int | None) -> "PersonQuerySet":
        return self.filter(municipality_id=municipality_id)

    def in_reading_order(self) -> "PersonQuerySet":
        """By the reading of the full name (then id), as Meta.ordering, sorted by code point."""
        return self.order_by(CodepointOrder("full_kana_key"), "id")

    def ids_in_reading_order(self, query: str, bound: int) -> models.QuerySet[Any]:
        """(id, reading) of these people in reading order, for a list that pages over ids
        and then reads its page's rows (the people list).

        `query` is the name search these people were narrowed by (search()), if any. One
        character finds a sixth of a town: read so, the list sorted every match, and its
        time grew with the town (issue 12). Where the database orders and limits each part
        of a UNION (PostgreSQL), each name key is walked instead in reading order through
        its first-character index (person_*_first), at most `bound` + 1 rows, and the four
        walks are merged: the page and its bounded count read the same at any size."""
        key = search_key(query)
        if not (
            len(key) == 1
            and query_kind(query) == QueryKind.NAME
            and connection.features.supports_slicing_ordering_in_compound
        ):
            return self.in_reading_order().values_list("pk", CodepointOrder("full_kana_key"))
        firsts = {f"first_{i}": Left(name, 1) for i, name in enumerate(NAME_KEYS)}
        walks = []
        for i in range(len(NAME_KEYS)):
            walk = self.alias(**firsts).filter(**{f"first_{i}": key})
            for j in range(i):  # a person found by an earlier key is not found again
                walk = walk.exclude(**{f"first_{j}": key})
            walk = walk.annotate(reading=CodepointOrder("full_kana_key")).values_list("pk", "reading")
            walks.append(walk.order_by("reading", "pk")[: bound + 1])
        return walks[0].union(*walks[1:], all=True).order_by("reading", "pk")

    def search(self, query: str, *, contacts: Q | None = None) -> "PersonQuerySet":
        """People whose name or reading starts with the query, after folding kana,
        width and spacing. Each branch is a prefix lookup on an indexed key column.
        A phone number or an e-mail address matches only with `contacts`, and then only
        people that condition admits: those whose whereabouts the searcher may see
        (location_visible_condition, as people.access.search_people passes
        it): a search must not answer "who has this number" about anyone else."""
        key = search_key(query)
        if not key:
            return self.none()
        condition = Q(*(Q(**{f"{name}__prefix": key}) for name in NAME_KEYS), _connector=Q.OR)
        kind = query_kind(query)
        if contacts is not None and kind in (QueryKind.PHONE, QueryKind.EMAIL):
            # Any part of a number (the last four digits, the number without its area code).
            contact = (
                Q(phone_key__contains=phone_key(query)) if kind == QueryKind.PHONE else Q(email__iexact=query.strip())
            )
            condition |= contact & contacts
        return self.filter(condition)


class QueryKind(models.TextChoices):
    """What a search was for, written to the audit trail instead of the query's text."""

    NAME = "name", _("氏名・ふりがな")
    PHONE = "phone", _("電話番号")
    EMAIL = "email", _("メールアドレス")


def query_kind(query: str) -> str:
    text = query.strip()
    if "@" in text:
        return QueryKind.EMAIL
    digits = phone_key(text)
    if len(digits) >= PHONE_PART_DIGITS and len(digits) == len(search_key(text)):
        return QueryKind.PHONE
    return QueryKind.NAME


class Person(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="people", verbose_name=_("自治体")
    )
    family_name = models.CharField(_("姓"), max_length=50)
    given_name = models.CharField(_("名"), max_length=50, blank=True)
    family_name_kana = models.CharField(_("せい（ふりがな）"), max_length=100)
    given_name_kana = models.CharField(_("めい（ふりがな）"), max_length=100, blank=True)
    birth_date = models.DateField(_("生年月日"), null=True, blank=True)
    sex = models.CharField(_("性別"), max_length=20, choices=Sex.choices, default=Sex.UNDISCLOSED)
    postal_code = models.CharField(_("郵便番号"), max_length=8, blank=True)
    address = models.CharField(_("住所"), max_length=300, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="people", verbose_name=_("地区")
    )
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    notes = models.TextField(_("メモ"), blank=True, max_length=20000)

    # Folded search keys (tsunagu.lib.kana), kept in step by save().
    full_name_key = SearchKeyField(max_length=120, editable=False, default="")
    given_name_key = SearchKeyField(max_length=60, editable=False, default="")
    full_kana_key = SearchKeyField(max_length=220, editable=False, default="")
    given_kana_key = SearchKeyField(max_length=110, editable=False, default="")
    phone_key = models.CharField(max_length=30, editable=False, default="", db_index=True)

    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("相談者")
        verbose_name_plural = _("相談者")
        ordering = ["full_kana_key", "id"]
        indexes = [
            # One index per key serves the prefix lookup on both databases: PostgreSQL
            # uses varchar_pattern_ops for LIKE 'key%' whatever the collation; SQLite
            # ignores opclasses and answers the range form (see SearchKeyField).
            models.Index(fields=["full_name_key"], name="person_full_name_key", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["given_name_key"], name="person_given_name_key", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["full_kana_key"], name="person_full_kana_key", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["given_kana_key"], name="person_given_kana_key", opclasses=["varchar_pattern_ops"]),
            # The list in reading order, walked to its page (PersonQuerySet.in_reading_order).
            models.Index(F("municipality"), CodepointOrder("full_kana_key"), F("id"), name="person_reading_order"),
            # A one-character search walks each key's first character in reading order
            # (PersonQuerySet.ids_in_reading_order).
            *[
                models.Index(
                    F("municipality"),
                    Left(name, 1),
                    CodepointOrder("full_kana_key"),
                    F("id"),
                    name=f"person_{name.removesuffix('_key')}_first",
                )
                for name in NAME_KEYS
            ],
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.refresh_search_keys()
        update_fields: Iterable[str] | None = kwargs.get("update_fields")
        if update_fields is not None and self.NAME_FIELDS & set(update_fields):
            kwargs["update_fields"] = {*update_fields, *self.KEY_FIELDS}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("people:detail", kwargs={"code": self.code})

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_name_kana(self) -> str:
        return f"{self.family_name_kana} {self.given_name_kana}".strip()

    @property
    def whereabouts_confidential(self) -> bool:
        """Whether an order of whereabouts confidentiality is in force today."""
        annotated = getattr(self, "confidential_now", None)
        if annotated is not None:
            return bool(annotated)
        return self.confidentiality_orders.filter(confidentiality_in_force()).exists()

    NAME_FIELDS = frozenset({"family_name", "given_name", "family_name_kana", "given_name_kana", "phone"})
    KEY_FIELDS = ("full_name_key", "given_name_key", "full_kana_key", "given_kana_key", "phone_key")

    def refresh_search_keys(self) -> None:
        self.family_name_kana = to_katakana(self.family_name_kana)
        self.given_name_kana = to_katakana(self.given_name_kana)
        self.full_name_key = search_key(self.family_name + self.given_name)
        self.given_name_key = search_key(self.given_name)
        self.full_kana_key = search_key(self.family_name_kana + self.given_name_kana)
        self.given_kana_key = search_key(self.given_name_kana)
        self.phone_key = phone_key(self.phone)


class Household(Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="households", verbose_name=_("自治体")
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("世帯")
        verbose_name_plural = _("世帯")

    def __str__(self) -> str:
        head = next((m for m in self.members.all() if m.is_head), None)
        return _("%(name)s世帯") % {"name": head.person.family_name} if head else str(_("世帯"))


class Relation(models.TextChoices):
    HEAD = "head", _("世帯主")
    SPOUSE = "spouse", _("配偶者")
    CHILD = "child", _("子")
    PARENT = "parent", _("父母")
    GRANDPARENT = "grandparent", _("祖父母")
    GRANDCHILD = "grandchild", _("孫")
    SIBLING = "sibling", _("兄弟姉妹")
    OTHER_RELATIVE = "other_relative", _("その他の親族")
    COHABITANT = "cohabitant", _("同居人")


class HouseholdMember(Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members", verbose_name=_("世帯"))
    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="household_membership", verbose_name=_("相談者")
    )
    relation = models.CharField(_("続柄"), max_length=20, choices=Relation.choices)
    is_head = models.BooleanField(_("世帯主"), default=False)

    class Meta:
        verbose_name = _("世帯員")
        verbose_name_plural = _("世帯員")
        constraints = [
            models.UniqueConstraint(fields=["household"], condition=Q(is_head=True), name="household_one_head"),
        ]

    def __str__(self) -> str:
        return f"{self.person}（{self.get_relation_display()}）"


class ConfidentialitySource(models.TextChoices):
    RESIDENT_REGISTER = "resident_register", _("住民基本台帳の支援措置")
    PROTECTION_ORDER = "protection_order", _("保護命令")
    AGENCY_JUDGEMENT = "agency_judgement", _("相談機関の判断")


class WhereaboutsConfidentiality(Model):
    """An order that withholds a person's whereabouts from anyone outside their case
    team and the centre's chief. Setting needs a second person's confirmation; lifting
    is the chief's act alone, with a reason."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="confidentiality_orders", verbose_name=_("相談者")
    )
    source = models.CharField(_("根拠"), max_length=30, choices=ConfidentialitySource.choices)
    starts_on = models.DateField(_("開始日"))
    ends_on = models.DateField(_("終了日"))
    protects_against = models.TextField(
        _("対象となる相手"), max_length=2000, help_text=_("加害者など、所在を知られてはならない相手。")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申請者")
    )
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    lift_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lift_requested_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(_("解除の理由"), blank=True, max_length=2000)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    # The chief may let the centre workers already on her case team decide who else joins
    # it (cases.team); otherwise only the chief decides.
    team_decisions_delegated = models.BooleanField(_("チームへの参加の承認をケースチームに委任"), default=False)

    class Meta:
        verbose_name = _("支援措置（所在秘匿）")
        verbose_name_plural = _("支援措置（所在秘匿）")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="confidentiality_dates"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {short_wareki(self.starts_on)}〜{short_wareki(self.ends_on)}"

    @property
    def in_force(self) -> bool:
        today = timezone.localdate()
        return self.lifted_at is None and self.starts_on <= today <= self.ends_on

    @property
    def awaiting_confirmation(self) -> bool:
        return self.confirmed_at is None and self.lifted_at is None

    @property
    def awaiting_lift_confirmation(self) -> bool:
        return self.lift_requested_at is not None and self.lifted_at is None

    @property
    def renewal_due(self) -> bool:
        days = settings.TSUNAGU["CONFIDENTIALITY_REMIND_DAYS"]
        return self.in_force and self.ends_on - timezone.localdate() <= dt.timedelta(days=days)


# Who is on a person's case team: the cases app's answer (cases.models.team_condition),
# registered in CasesConfig.ready(). At most one; until it is registered nobody is on a
# team, so a partner finds nobody and only the chief sees a confidential person's whereabouts.
TeamCondition = Callable[["Staff", str], Q]
CASE_TEAM: list[TeamCondition] = []


def register_case_team(condition: TeamCondition) -> None:
    CASE_TEAM[:] = [condition]


def on_case_team(user: "Staff", person_ref: str) -> Q:
    """Whether the user is on the team of a case of the person at `person_ref`."""
    if not CASE_TEAM:
        return Q(models.Value(False, output_field=models.BooleanField()))
    return CASE_TEAM[0](user, person_ref)


def location_visible_condition(user: "Staff", person_ref: str) -> Q:
    """A filter: the user may see the whereabouts of the person at `person_ref`."""
    confidential, _visible = location_annotations(user, person_ref)
    if user.is_chief:
        return Q()
    return ~Q(confidential) | on_case_team(user, person_ref)


def location_annotations(user: "Staff", person_ref: str) -> tuple[Exists, models.Expression]:
    """Two expressions for a query over rows that point at a person (`person_ref` is
    the path to the person's id): whether an order of whereabouts confidentiality is
    in force, and whether the user may see the person's whereabouts anyway: only the
    person's case team and the centre's chief may (DOMAIN.md §7). Both are EXISTS
    subqueries, so a list costs the same number of queries whatever its length."""
    confidential = Exists(
        WhereaboutsConfidentiality.objects.filter(person=OuterRef(person_ref)).filter(confidentiality_in_force())
    )
    if user.is_chief:
        return confidential, models.Value(True, output_field=models.BooleanField())
    visible = models.ExpressionWrapper(
        ~confidential | on_case_team(user, person_ref), output_field=models.BooleanField()
    )
    return confidential, visible


class EmergencyRead(Model):
    """A break-glass read of a protected person's whereabouts by the chief's deputy, with
    the reason. The chief sees it at once on /my/ until acknowledging it; the person's
    access log shows it for ever (an AuditEvent written with it)."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="emergency_reads", verbose_name=_("相談者")
    )
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("閲覧者")
    )
    reason = models.TextField(_("緊急閲覧の理由"), max_length=2000)
    at = models.DateTimeField(default=timezone.now)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    acknowledged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("所在の緊急閲覧")
        verbose_name_plural = _("所在の緊急閲覧")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.reader}"
