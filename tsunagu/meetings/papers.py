"""What a meeting's papers (the page, the minutes PDF) show each reader (DOMAIN.md §7).

Centre staff and the municipality's officers read every item. A reader from another
agency (a partner attending, a district chief chairing) reads an item's person only if
a consent in force lets the centre share BASIC information with the reader's agency for
a meeting of that kind (its own purpose, or COORDINATION for every kind:
consents.models.meeting_purposes), and the plan only with PLAN; otherwise the item says
「同意の範囲外」. In a 支援会議 (法第9条) members read without consent, on the statutory
basis. Each time a person is shown to an outside reader a Disclosure row is written.
Papers never show an address, nor the district of a person whose whereabouts are
confidential.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext as _

from tsunagu.accounts.models import District, Staff
from tsunagu.audit.models import record_for_people
from tsunagu.cases.access import cases_visible_to
from tsunagu.consents.models import Category, Channel, Consent, Disclosure, LegalBasis, meeting_purposes
from tsunagu.lib.wareki import short_wareki
from tsunagu.meetings.access import is_insider, meetings_visible_to
from tsunagu.meetings.models import Action, AgendaItem, Meeting, ResourceGap, RoleAssignment
from tsunagu.people.models import Person, WhereaboutsConfidentiality, confidentiality_in_force
from tsunagu.sheets.models import PlanSheet


@dataclass
class Paper:
    """One agenda item as one reader may read it."""

    item: AgendaItem
    shows_person: bool = True
    plan: PlanSheet | None = None
    district: District | None = None
    categories: list[str] = field(default_factory=list)
    # Whether the reader sees the meeting's records in full (the centre's side): only they
    # learn that a person is under whereabouts confidentiality (支援措置), which says DV.
    insider: bool = False

    @property
    def shows_source(self) -> bool:
        """The meeting an item was escalated from, unless it is a 支援会議 the reader is not
        a member of: that it discussed someone is its members' to know (法第9条第5項)."""
        source = self.item.escalated_from
        if source is None:
            return False
        return not source.meeting.is_support_meeting or bool(getattr(self.item, "source_visible", False))

    @property
    def out_of_consent(self) -> bool:
        return self.item.person_id is not None and not self.shows_person

    @property
    def shows_details(self) -> bool:
        """Minutes, decision note, roles and actions speak of the person: hidden with them."""
        return self.item.person_id is None or self.shows_person


def paper_items(meeting: Meeting, user: Staff, items: Any = None) -> Any:
    """The meeting's items with what the papers need, in a fixed number of queries."""
    confidential = Exists(
        WhereaboutsConfidentiality.objects.filter(person=OuterRef("person_id")).filter(confidentiality_in_force())
    )
    case_visible = Exists(cases_visible_to(user).filter(pk=OuterRef("case_id")))
    source_visible = Exists(meetings_visible_to(user).filter(pk=OuterRef("escalated_from__meeting_id")))
    queryset = items if items is not None else AgendaItem.objects.filter(meeting=meeting)
    return (
        queryset.select_related(
            "case",
            "case__worker",
            "person",
            "person__district",
            "regional_issue",
            "regional_issue__district",
            "escalated_from",
            "escalated_from__meeting",
            "escalated_to",
            "escalated_to__meeting",
            "decided_by",
        )
        .annotate(person_confidential=confidential, case_visible=case_visible, source_visible=source_visible)
        .prefetch_related(
            Prefetch("roles", RoleAssignment.objects.select_related("staff", "staff__agency").order_by("id")),
            Prefetch("actions", Action.objects.select_related("assignee")),
            Prefetch("gaps", ResourceGap.objects.select_related("district").order_by("noted_at", "id")),
        )
        .order_by("order", "id")
    )


def _latest_plans(case_ids: Iterable[int]) -> dict[int, PlanSheet]:
    ids = list(case_ids)
    plans: dict[int, PlanSheet] = {}
    if not ids:
        return plans
    for plan in PlanSheet.objects.filter(case_id__in=ids).order_by("case_id", "-version"):
        plans.setdefault(plan.case_id, plan)
    return plans


def _meeting_consents(
    person_ids: Iterable[int], reader: Staff, kind: str
) -> dict[int, tuple[set[str], Consent | None]]:
    """Per person, what consents in force let the centre share with the reader's agency in
    a meeting of this kind (as consents.models.shared_categories), and the consent that
    covers BASIC."""
    agency = reader.agency
    result: dict[int, tuple[set[str], Consent | None]] = {}
    if agency is None:
        return result
    purposes = meeting_purposes(kind)
    consents = Consent.objects.in_force().filter(person_id__in=list(person_ids)).prefetch_related("agencies")
    for consent in consents:
        if purposes.isdisjoint(consent.purposes) or not consent.names_agency(agency):
            continue
        categories, basic = result.get(consent.person_id, (set(), None))
        categories.update(consent.categories)
        if basic is None and Category.BASIC in consent.categories:
            basic = consent
        result[consent.person_id] = (categories, basic)
    return result


def papers_for(user: Staff, meeting: Meeting, items: Sequence[AgendaItem]) -> list[Paper]:
    """The papers of `items` as `user` may read them; logs the disclosures that makes.
    The caller records the reading itself (record_reading)."""
    plans = _latest_plans(i.case_id for i in items if i.case_id)
    insider = is_insider(user, meeting)
    consents: dict[int, tuple[set[str], Consent | None]] = {}
    if not insider and not meeting.is_support_meeting:
        consents = _meeting_consents({i.person_id for i in items if i.person_id}, user, meeting.kind)
    papers: list[Paper] = []
    disclosures: list[Disclosure] = []
    for item in items:
        paper = Paper(item, insider=insider)
        plan = plans.get(item.case_id) if item.case_id else None
        person = item.person
        if person is None or insider:
            paper.plan = plan
        elif meeting.is_support_meeting:
            paper.plan = plan
            paper.categories = [Category.BASIC, *([Category.PLAN] if plan else [])]
            disclosures.append(
                _disclosure(user, meeting, item, person, paper.categories, LegalBasis.SUPPORT_MEETING, None)
            )
        else:
            allowed, consent = consents.get(person.pk, (set(), None))
            paper.shows_person = Category.BASIC in allowed
            if paper.shows_person:
                paper.plan = plan if Category.PLAN in allowed else None
                paper.categories = [Category.BASIC, *([Category.PLAN] if paper.plan else [])]
                disclosures.append(
                    _disclosure(user, meeting, item, person, paper.categories, LegalBasis.CONSENT, consent)
                )
        if paper.shows_person and person is not None and not item.person_confidential:  # type: ignore[attr-defined]
            paper.district = person.district
        papers.append(paper)
    # One insert for the whole paper, rather than consents.models.disclose() per person.
    Disclosure.objects.bulk_create(disclosures)
    return papers


def record_reading(user: Staff, action: str, meeting: Meeting, papers: Sequence[Paper], path: str) -> None:
    """The reading of the papers (VIEW) or a printout (EXPORT): one audit event for each
    person shown, so that each one's access log has it, written in one insert."""
    shown = sorted({p.item.person.code for p in papers if p.item.person is not None and p.shows_person}, key=str)
    record_for_people(
        user,
        action,
        meeting,
        list(shown),
        changes={"people": [str(code) for code in shown], "items": len(papers)},
        detail=str(_("会議資料")),
        path=path,
    )


def _disclosure(
    user: Staff,
    meeting: Meeting,
    item: AgendaItem,
    person: Person,
    categories: list[str],
    basis: str,
    consent: Consent | None,
) -> Disclosure:
    """A row as consents.models.disclose() writes it."""
    return Disclosure(
        person=person,
        case=item.case,
        recipient_agency=user.agency,
        recipient=user,
        channel=Channel.MEETING_PAPER,
        categories=sorted(set(categories)),
        basis=basis,
        consent=consent,
        reason=_("%(meeting)s（%(day)s）の会議資料") % {"meeting": meeting.title, "day": short_wareki(meeting.held_on)},
        source_type=meeting._meta.label_lower,
        source_code=meeting.code,
    )
