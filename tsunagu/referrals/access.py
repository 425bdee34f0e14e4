"""The only way views get referrals (STYLE.md principle 3).

Two sides see a referral. The sending side: staff with full access to the case
(cases.access: the centre that holds it, the municipality's officers). The receiving
side: staff of the agency it was sent to, who see the referral and what was sent with
it (the snapshot) and nothing else: a referral gives no access to the case or the
person. Anyone else gets the same 404 as for a missing referral, and the attempt is
audited.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Agency, Staff
from tsunagu.audit.models import Action, record
from tsunagu.cases.access import FULL, access_level, case_for, may_write
from tsunagu.cases.models import Case
from tsunagu.consents.models import LegalBasis, Purpose, categories_for, shared_categories
from tsunagu.people.access import NO_RECORDS_ROLES
from tsunagu.people.models import Person, location_annotations
from tsunagu.referrals.models import Referral, ReferralQuerySet


def _works_with_records(user: Staff) -> bool:
    return user.is_authenticated and bool(user.agency_id) and user.role not in NO_RECORDS_ROLES


def referrals_received_by(user: Staff) -> ReferralQuerySet:
    if not _works_with_records(user):
        return Referral.objects.none()
    return Referral.objects.to_agency(user.agency_id)  # type: ignore[arg-type]


def referrals_sent_by(user: Staff) -> ReferralQuerySet:
    """What the user's centre sent (the sending side's list)."""
    if not _works_with_records(user) or not user.works_in_centre:
        return Referral.objects.none()
    return Referral.objects.filter(case__agency_id=user.agency_id or 0)


def case_to_refer_from(user: Staff, code: Any) -> Case:
    """The case the user may send a referral from: the centre that holds it, and for a
    person under whereabouts confidentiality only those who may see where she is
    (choosing where she goes is knowing where she is)."""
    case = case_for(user, code, write=True).case
    _confidential, visible = location_annotations(user, "pk")
    if Person.objects.filter(pk=case.person_id).annotate(visible=visible).filter(visible=True).exists():
        return case
    record(user, Action.DENIED, object_type="cases.case", object_code=str(code), detail="refer")
    raise Http404(_("見つかりません。"))


@dataclass(frozen=True)
class SeenReferral:
    """A referral as one user sees it (referral_for): from which side. At least one is
    true; both may be (the municipality's officer reading one sent to their department)."""

    referral: Referral
    sender: bool
    receiver: bool

    @property
    def side(self) -> str:
        """The side the user reads it from, for the audit trail: the sender's wins."""
        return "sender" if self.sender else "receiver"


def referral_for(user: Staff, code: Any, *, write: bool = False) -> SeenReferral:
    """The referral with this code if the user is on one of its sides (with `write`: may
    act on it: the receiving agency, or the centre that sent it), with the sides."""
    referral = None
    if _works_with_records(user):
        referral = (
            Referral.objects.select_related(
                "case",
                "case__agency",
                "person",
                "from_agency",
                "to_agency",
                "referred_by",
                "receiving_worker",
                "answered_by",
                "consent",
                "task",
            )
            .filter(Q(to_agency_id=user.agency_id) | Q(case__agency__municipality_id=user.municipality_id))
            .filter(code=code)
            .annotate(person_location_visible=location_annotations(user, "person_id")[1])
            .first()
        )
    if referral is not None:
        # Where a person under whereabouts confidentiality was sent can tell where she is:
        # on the sending side only for those who may see her whereabouts (her case team and
        # the chief), as for the register of disclosures (consents.access).
        sender = access_level(user, referral.case) == FULL and referral.person_location_visible
        if write:
            sender = sender and may_write(user, referral.case)
        receiver = referral.to_agency_id == user.agency_id
        if sender or receiver:
            return SeenReferral(referral=referral, sender=sender, receiver=receiver)
    record(
        user, Action.DENIED, object_type="referrals.referral", object_code=str(code), detail="write" if write else ""
    )
    raise Http404(_("見つかりません。"))


def consent_still_allows(referral: Referral) -> bool:
    """Whether what was sent on consent may still be shown to the receiving agency: the
    consent used was not withdrawn and consents in force still cover every category
    sent. A referral on another basis (an emergency) stays as it was sent."""
    if not _rests_on_consent(referral):
        return True
    return _still_allowed(referral, categories_for(referral.person, referral.to_agency, Purpose.REFERRAL))


def mark_consent_allows(referrals: Sequence[Referral], agency: Agency) -> None:
    """consent_still_allows for a list of referrals to one agency, as `consent_ok` on
    each (two queries whatever the length; the referrals come with their consent)."""
    people = {r.person_id for r in referrals if _rests_on_consent(r)}
    covered = shared_categories(people, agency, Purpose.REFERRAL) if people else {}
    for referral in referrals:
        allowed = not _rests_on_consent(referral) or _still_allowed(referral, covered.get(referral.person_id, set()))
        referral.consent_ok = allowed  # type: ignore[attr-defined]


def _rests_on_consent(referral: Referral) -> bool:
    return referral.basis == LegalBasis.CONSENT and bool(referral.categories)


def _still_allowed(referral: Referral, covered: set[str]) -> bool:
    if referral.consent is not None and referral.consent.withdrawn_at is not None:
        return False
    return set(referral.categories) <= covered


def sees_location(user: Staff, referral: Referral) -> bool:
    """Whether the user may see where the person lives (people.models.location_annotations):
    always, unless the person is under whereabouts confidentiality now; then only the
    centre's chief and the person's case team."""
    if not referral.person.whereabouts_confidential:
        return True
    if user.is_chief and user.agency_id == referral.from_agency_id:
        return True
    return Case.objects.filter(person_id=referral.person_id).on_team_of(user).exists()


def hide_destinations(user: Staff, rows: Sequence[tuple[int, Any, str]]) -> None:
    """Texts written on a case (timeline entries, task titles) may name the agency a person
    was sent to, and those written before her order of whereabouts confidentiality came
    into force do. For each (person id, object, attribute) whose person is under an order
    and whose whereabouts the user may not see, replace in memory every name of an agency
    she was sent to, handed off to, or agreed to share with by 「つなぎ先」: the same rule
    as the referral pages (`referral_for`). Four queries when some row needs it, one otherwise."""
    from tsunagu.consents.models import Consent, Disclosure

    person_ids = {person_id for person_id, _obj, _attr in rows}
    if not person_ids:
        return
    _confidential, visible = location_annotations(user, "pk")
    hidden = set(
        Person.objects.filter(pk__in=person_ids)
        .annotate(visible=visible)
        .filter(visible=False)
        .values_list("pk", flat=True)
    )
    if not hidden:
        return
    names: dict[int, set[str]] = {pk: set() for pk in hidden}
    sources = [
        Referral.objects.filter(person_id__in=hidden).values_list("person_id", "to_agency__name"),
        Case.objects.filter(person_id__in=hidden, handed_off_to__isnull=False).values_list(
            "person_id", "handed_off_to__name"
        ),
        Consent.objects.filter(person_id__in=hidden).values_list("person_id", "agencies__name"),
        Disclosure.objects.filter(person_id__in=hidden).values_list("person_id", "recipient_agency__name"),
    ]
    for source in sources:
        for person_id, name in source:
            if name:
                names[person_id].add(name)
    placeholder = str(_("つなぎ先"))
    for person_id, obj, attr in rows:
        if person_id not in hidden:
            continue
        text = getattr(obj, attr)
        for name in sorted(names[person_id], key=len, reverse=True):
            text = text.replace(name, placeholder)
        setattr(obj, attr, text)
