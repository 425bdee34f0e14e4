"""Consent to share a person's information, and the log of every disclosure.

A partner agency sees, receives or reads in a meeting paper only the categories of
information a consent in force covers for that agency and purpose (`shared_categories`),
except in a 支援会議 (法第9条) or an emergency to protect life, and every time
information leaves the centre a Disclosure row says to whom, what, when and on which
legal basis (DOMAIN.md §7).
"""

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from tsunagu.accounts.models import Agency, AgencyKind
from tsunagu.audit.models import Action, record
from tsunagu.cases.models import ACTIVE_STATES, Case, TimelineEntry, TimelineKind
from tsunagu.lib.models import Model
from tsunagu.lib.wareki import short_wareki, wareki_moment
from tsunagu.people.models import Person

if TYPE_CHECKING:
    from tsunagu.accounts.models import Staff
    from tsunagu.cases.access import SeenCase


class Category(models.TextChoices):
    """Categories of a person's information that a consent covers one by one."""

    BASIC = "basic", _("基本情報（氏名・ふりがな・連絡先・主訴・概要）")
    PLAN = "plan", _("プラン（目標・支援内容・役割分担）")
    PROGRESS = "progress", _("支援経過（共有する記録）")
    ASSESSMENT = "assessment", _("アセスメント（生活歴・就労・家計。要配慮を除く）")
    HEALTH = "health", _("要配慮：病気・障害・メンタルヘルス")
    CRIMINAL_RECORD = "criminal_record", _("要配慮：犯罪の経歴")
    VICTIMISATION = "victimisation", _("要配慮：犯罪被害・DV・虐待")
    EMPLOYMENT = "employment", _("就労支援（希望・職歴・就労先・収入）")
    PROGRAMMES = "programmes", _("事業の利用（緊急支援・住居確保給付金・家計・居住支援・教室）")


# 要配慮個人情報 (個人情報保護法第2条第3項): each needs its own, explicit consent.
SENSITIVE_CATEGORIES = frozenset({Category.HEALTH, Category.CRIMINAL_RECORD, Category.VICTIMISATION})
# What the application form's consent covers: never the sensitive categories.
APPLICATION_CATEGORIES = (Category.BASIC, Category.PLAN, Category.PROGRESS)
# 主訴 (cases.Concern) and 課題 (sheets.Issue, its SENSITIVE_ISSUES) that are 要配慮個人情報,
# with the category a consent must cover before a partner may see them.
CONCERN_CATEGORIES: dict[str, str] = {"health": Category.HEALTH, "abuse": Category.VICTIMISATION}
ISSUE_CATEGORIES: dict[str, str] = {
    "illness": Category.HEALTH,
    "injury": Category.HEALTH,
    "disability_certified": Category.HEALTH,
    "disability_suspected": Category.HEALTH,
    "mental_health": Category.HEALTH,
    "suicide_attempt": Category.HEALTH,
    "abuse": Category.VICTIMISATION,
    "former_offender": Category.CRIMINAL_RECORD,
}


class Purpose(models.TextChoices):
    """What the information may be used for (the application form offers all of them).
    TEAM gates a partner's view of a case, REFERRAL what a referral may carry, and the
    meeting purposes what a meeting paper shows an attendee from outside the centre:
    COORDINATION for every kind of meeting (as every consent given before the kinds were
    told apart), a MEETING_… purpose for one kind only (meeting_purposes)."""

    ASSESSMENT = "assessment", _("アセスメントとプラン作成")
    COORDINATION = "coordination", _("関係機関との会議での共有（すべての種類の会議）")
    MEETING_COORDINATION = "meeting_coordination", _("支援調整会議での共有")
    MEETING_COMMUNITY_CARE = "meeting_community_care", _("地域ケア会議での共有")
    MEETING_CASE_REVIEW = "meeting_case_review", _("ケース検討会での共有")
    MEETING_INTEGRATION = "meeting_integration", _("相談支援包括化推進会議での共有")
    REFERRAL = "referral", _("関係機関へのつなぎ")
    STATISTICS = "statistics", _("国への報告（個人が特定されない統計）")
    TEAM = "team", _("ケースチームでの連携した支援")


# meetings.MeetingKind → the purpose that covers that kind alone (a 支援会議 needs no
# consent, 法第9条; a 協議会 部会 discusses regional issues, so only COORDINATION covers it).
MEETING_KIND_PURPOSES: dict[str, str] = {
    "coordination": Purpose.MEETING_COORDINATION,
    "community_care": Purpose.MEETING_COMMUNITY_CARE,
    "case_review": Purpose.MEETING_CASE_REVIEW,
    "integration": Purpose.MEETING_INTEGRATION,
}


def meeting_purposes(kind: str) -> frozenset[str]:
    """The purposes any one of which lets a meeting of this kind show the person's papers."""
    own = MEETING_KIND_PURPOSES.get(kind)
    return frozenset({Purpose.COORDINATION, *([own] if own else [])})


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


class Consent(Model):
    """One consent of a person to share information: with which agencies (named, or every
    agency of a kind), for which purposes, covering which categories. Never edited: a
    change is a new consent, a withdrawal is recorded on it and takes effect at once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents", verbose_name=_("相談者"))
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="consents", verbose_name=_("ケース"), null=True, blank=True
    )
    # Given on 相談受付・申込票: which version records it is the sheet's to say
    # (sheets.IntakeSheet.consents, sheets being above consents).
    on_application = models.BooleanField(_("申込票での同意"), default=False, editable=False)
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
        return f"{self.person} {short_wareki(self.given_on)}"

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

    @property
    def category_marks(self) -> list[tuple[str, bool]]:
        """(label, whether it is 要配慮個人情報) for each category covered."""
        return _category_marks(self.categories)

    @property
    def status(self) -> str:
        """in_force, withdrawn or ended (replaced, past its end, or not yet given)."""
        if self.withdrawn_at is not None:
            return "withdrawn"
        return "in_force" if self.is_in_force() else "ended"


def covering_consents(
    person_ids: Iterable[int], agency: Agency, purpose: str, on: dt.date | None = None
) -> dict[int, list[Consent]]:
    """For each person, the consents in force that let the centre share with `agency`
    for `purpose`, newest first. Two queries whatever the number of people."""
    result: dict[int, list[Consent]] = {}
    consents = Consent.objects.in_force(on).filter(person_id__in=list(person_ids)).prefetch_related("agencies")
    for consent in consents:
        if purpose in consent.purposes and consent.names_agency(agency):
            result.setdefault(consent.person_id, []).append(consent)
    return result


def shared_categories(
    person_ids: Iterable[int], agency: Agency, purpose: str, on: dt.date | None = None
) -> dict[int, set[str]]:
    """For each person, the categories that consents in force let the centre share with
    `agency` for `purpose`. Two queries whatever the number of people."""
    return {
        person_id: {category for consent in consents for category in consent.categories}
        for person_id, consents in covering_consents(person_ids, agency, purpose, on).items()
    }


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


class Disclosure(Model):
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
        return f"{short_wareki(self.at)} {self.recipient_agency}"

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(c).label) for c in self.categories if c in Category.values]

    @property
    def category_marks(self) -> list[tuple[str, bool]]:
        return _category_marks(self.categories)


def _category_marks(categories: Iterable[str]) -> list[tuple[str, bool]]:
    chosen = set(categories)
    return [(str(label), value in SENSITIVE_CATEGORIES) for value, label in Category.choices if value in chosen]


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


# What a partner may see ----------------------------------------------------------------------


@dataclass(eq=False)
class ConsentScope:
    """What one viewer may be shown of one person. Centre staff and officers (full
    access) see everything; a partner-agency member of a case team sees what the
    consents in force cover for their agency and the team's work (Purpose.TEAM).

    A page marks what it actually showed (`show`), and `log_view` writes that to the
    Disclosure log in the request that showed it."""

    person: Person
    agency: Agency | None
    consents: list[Consent] = field(default_factory=list)
    full: bool = False
    shown: set[str] = field(default_factory=set)

    @property
    def categories(self) -> set[str]:
        if self.full:
            return set(Category.values)
        return {category for consent in self.consents for category in consent.categories}

    def covers(self, category: str) -> bool:
        return self.full or any(category in consent.categories for consent in self.consents)

    # For templates.
    @property
    def basic(self) -> bool:
        return self.covers(Category.BASIC)

    @property
    def plan(self) -> bool:
        return self.covers(Category.PLAN)

    @property
    def progress(self) -> bool:
        return self.covers(Category.PROGRESS)

    @property
    def category_labels(self) -> list[str]:
        return [str(label) for value, label in Category.choices if value in self.categories]

    def show(self, *categories: str) -> None:
        """Note that the page shows these categories (only those covered count)."""
        self.shown.update(c for c in categories if self.covers(c))

    def concerns(self, concerns: Iterable[Any]) -> Any:
        """The 主訴 the viewer may see: none without BASIC, a sensitive one (illness,
        DV) only with its own category."""
        if self.full:
            return concerns
        if not self.covers(Category.BASIC):
            return []
        shown = [c for c in concerns if self.covers(CONCERN_CATEGORIES.get(c.concern, Category.BASIC))]
        self.show(Category.BASIC, *(CONCERN_CATEGORIES.get(c.concern, Category.BASIC) for c in shown))
        return shown

    def issue_visible(self, issue: str) -> bool:
        return self.covers(ISSUE_CATEGORIES.get(issue, Category.PLAN))

    def consent_covering(self, category: str) -> Consent | None:
        return next((consent for consent in self.consents if category in consent.categories), None)

    def disclosures(self, recipient: "Staff", case: Case | None = None) -> list[Disclosure]:
        """Unsaved Disclosure rows for what was shown: one per consent relied on."""
        if self.full or not self.shown or self.agency is None:
            return []
        by_consent: dict[int, tuple[Consent, list[str]]] = {}
        for category in sorted(self.shown):
            consent = self.consent_covering(category)
            if consent is not None:
                by_consent.setdefault(consent.pk, (consent, []))[1].append(category)
        return [
            Disclosure(
                person=self.person,
                case=case,
                recipient_agency=self.agency,
                recipient=recipient,
                channel=Channel.TEAM_VIEW,
                categories=categories,
                basis=LegalBasis.CONSENT,
                consent=consent,
            )
            for consent, categories in by_consent.values()
        ]

    def log_view(self, recipient: "Staff", case: Case | None = None) -> list[Disclosure]:
        return log_team_views([(self, case)], recipient)


def full_scope(person: Person) -> ConsentScope:
    return ConsentScope(person=person, agency=None, full=True)


def team_scopes(people: Iterable[Person], agency: Agency) -> dict[int, ConsentScope]:
    """A partner's scope for each person: two queries whatever the number of people."""
    people = list(people)
    consents = covering_consents((p.pk for p in people), agency, Purpose.TEAM)
    return {p.pk: ConsentScope(person=p, agency=agency, consents=consents.get(p.pk, [])) for p in people}


def scope_for(user: "Staff", person: Person, *, full: bool) -> ConsentScope:
    if full:
        return full_scope(person)
    if user.agency is None:
        return ConsentScope(person=person, agency=None)
    return team_scopes([person], user.agency)[person.pk]


def scope_on_case(user: "Staff", seen: "SeenCase") -> ConsentScope:
    """The scope of the viewer of a case page (seen through cases.access.case_for),
    worked out once per request: the case page and its panels share it."""
    case = seen.case
    cached = getattr(case, "consent_scope", None)
    if cached is None:
        cached = scope_for(user, case.person, full=seen.full)
        case.consent_scope = cached  # type: ignore[attr-defined]
    return cached


def log_team_views(views: Iterable[tuple[ConsentScope, Case | None]], recipient: "Staff") -> list[Disclosure]:
    """Write what partner pages showed to the Disclosure log: one query for a whole list."""
    rows = [row for scope, case in views for row in scope.disclosures(recipient, case)]
    return Disclosure.objects.bulk_create(rows) if rows else []


def withhold_from_team(user: "Staff", rows: Sequence[tuple[Person, Case | None]]) -> None:
    """People listed to a partner at the team level: mark those whose consents do not
    cover their basic information (`person.basic_withheld`), and log the showing of
    the others. Three queries at most, whatever the number of rows."""
    if not rows or user.agency is None:
        for person, _case in rows:
            person.basic_withheld = True  # type: ignore[attr-defined]
        return
    scopes = team_scopes({person.pk: person for person, _case in rows}.values(), user.agency)
    views = []
    for person, case in rows:
        scope = scopes[person.pk]
        person.basic_withheld = not scope.basic  # type: ignore[attr-defined]
        if scope.basic:
            scope.show(Category.BASIC)
            views.append((scope, case))
    log_team_views(views, user)


def people_with_basic_shared(user: "Staff", people: Any) -> Any:
    """Narrow a partner's search results to people whose names they may see: a match on
    a name they may not see would tell them the name."""
    if user.agency is None:
        return people.none()
    ids = list(people.values_list("pk", flat=True))
    shared = covering_consents(ids, user.agency, Purpose.TEAM)
    return people.filter(
        pk__in=[pk for pk, consents in shared.items() if any(Category.BASIC in c.categories for c in consents)]
    )


# Recording, withdrawing and disclosing -------------------------------------------------------


class ConsentError(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _summary(consent: Consent) -> dict[str, Any]:
    return {
        "agencies": sorted(a.name for a in consent.agencies.all()),
        "agency_kinds": consent.agency_kinds,
        "purposes": consent.purposes,
        "categories": consent.categories,
        "method": consent.method,
        "given_on": consent.given_on,
        "ends_on": consent.ends_on,
        "note": consent.note,
    }


def ordered_choices(values: Iterable[str], choices: type[models.TextChoices]) -> list[str]:
    """Values without repeats, in the order of their choices."""
    chosen = set(values)
    return [value for value in choices.values if value in chosen]


def record_consent(
    person: Person,
    by: "Staff",
    *,
    case: Case | None = None,
    agencies: Iterable[Agency] = (),
    agency_kinds: Iterable[str] = (),
    purposes: Iterable[str],
    categories: Iterable[str],
    method: str,
    given_on: dt.date,
    ends_on: dt.date | None = None,
    note: str = "",
    on_application: bool = False,
) -> Consent:
    """Record a consent the person gave, with its timeline entry and audit entry."""
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            case=case,
            on_application=on_application,
            agency_kinds=ordered_choices(agency_kinds, AgencyKind),
            purposes=ordered_choices(purposes, Purpose),
            categories=ordered_choices(categories, Category),
            method=method,
            given_on=given_on,
            ends_on=ends_on,
            note=note,
            recorded_by=by,
        )
        consent.agencies.set(list(agencies))
        if case is not None:
            TimelineEntry.objects.create(
                case=case,
                kind=TimelineKind.CONSENT,
                actor=by,
                detail=_t("情報共有の同意を記録（%(categories)s）") % {"categories": "、".join(_short(consent))},
                shared=False,
            )
        record(by, Action.CREATE, consent, changes=_summary(consent))
    return consent


def _short(consent: Consent) -> list[str]:
    return [str(label).split("（")[0] for value, label in Category.choices if value in consent.categories]


def withdraw_consent(consent: Consent, by: "Staff", note: str) -> None:
    """The person withdraws a consent: it stops covering anything at once. A CONSENT
    entry goes on each of the person's open cases."""
    with transaction.atomic():
        current = Consent.objects.select_for_update().get(pk=consent.pk)
        if current.withdrawn_at is not None:
            raise ConsentError(
                _t("この同意は%(when)sにすでに撤回されています。") % {"when": wareki_moment(current.withdrawn_at)}
            )
        if current.superseded_by_id is not None:
            raise ConsentError(_t("この同意はすでに新しい同意に置き換えられています。撤回するのは新しい同意です。"))
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = by
        consent.withdrawal_note = note
        consent.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_note"])
        detail = _t("情報共有の同意の撤回（%(categories)s）: %(note)s") % {
            "categories": "、".join(_short(consent)),
            "note": note[:200],
        }
        TimelineEntry.objects.bulk_create(
            TimelineEntry(case=case, kind=TimelineKind.CONSENT, actor=by, detail=detail, shared=False)
            for case in Case.objects.filter(person_id=consent.person_id, state__in=ACTIVE_STATES)
        )
        record(by, Action.CHANGE, consent, changes={"withdrawn": True, "withdrawal_note": note})


def disclose_in_emergency(
    case: Case,
    by: "Staff",
    *,
    agency: Agency,
    categories: Iterable[str],
    reason: str,
    recipient_name: str = "",
) -> Disclosure:
    """Information given without consent to protect life or body (個人情報保護法第27条
    第1項第2号): logged with its reason. It gives the agency no access afterwards."""
    with transaction.atomic():
        disclosure = disclose(
            person=case.person,
            to_agency=agency,
            channel=Channel.EMERGENCY,
            categories=ordered_choices(categories, Category),
            basis=LegalBasis.EMERGENCY,
            by=by,
            case=case,
            recipient_name=recipient_name,
            reason=reason,
        )
        TimelineEntry.objects.create(
            case=case,
            kind=TimelineKind.CONSENT,
            actor=by,
            # The timeline is read by every centre worker; the recipient of a person under
            # whereabouts confidentiality (a shelter, a hospital) is in the register only.
            detail=_t("緊急時の情報提供: %(agency)s（%(reason)s）")
            % {
                "agency": _t("提供先は情報提供の記録に記載") if case.person.whereabouts_confidential else agency.name,
                "reason": reason[:200],
            },
            shared=False,
        )
        record(
            by,
            Action.CREATE,
            disclosure,
            changes={
                "recipient_agency": agency.name,
                "recipient_name": recipient_name,
                "categories": disclosure.categories,
                "basis": disclosure.basis,
                "reason": reason,
            },
        )
    return disclosure
