"""The only way views get people (STYLE.md principle 3)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tsunagu.accounts.models import Role, Staff
from tsunagu.audit.models import Action, record
from tsunagu.people.models import (
    EmergencyRead,
    Person,
    PersonQuerySet,
    QueryKind,
    WhereaboutsConfidentiality,
    location_annotations,
    location_visible_condition,
    on_case_team,
    query_kind,
)

FULL = "full"
TEAM = "team"

# Roles that never see personal records, whatever their agency.
NO_RECORDS_ROLES = frozenset({Role.SUPPORTER, Role.ADMIN})


def sees_municipality_records(user: Staff) -> bool:
    """Centre staff and the municipality's officers see every person of the municipality."""
    return user.works_in_centre or user.is_municipal_officer


def people_visible_to(user: Staff) -> PersonQuerySet:
    """People the user may find: all of the municipality for centre staff and officers,
    otherwise only people on whose case team the user is. Location is annotated
    (`confidential_now`, `location_visible`: people.models.location_annotations)."""
    if not user.is_authenticated or user.role in NO_RECORDS_ROLES or user.agency_id is None:
        return Person.objects.none()
    people = Person.objects.all()
    if sees_municipality_records(user):
        people = people.in_municipality(user.municipality_id)
    else:
        people = people.filter(on_case_team(user, "pk"))
    confidential, visible = location_annotations(user, "pk")
    return people.annotate(confidential_now=confidential, location_visible=visible)


@dataclass(frozen=True)
class Seen:
    """What an access function found out about a user and a person's records: how much
    they see (FULL or TEAM) and whether her whereabouts (DOMAIN.md §7)."""

    access: str
    location_visible: bool

    @property
    def full(self) -> bool:
        return self.access == FULL


@dataclass(frozen=True)
class SeenPerson(Seen):
    """A person as one user sees her (person_for). Code reads these; templates may still
    read the person's `location_visible` annotation, which says the same."""

    person: Person


def person_for(user: Staff, code: Any, *, write: bool = False) -> SeenPerson:
    """The person with this code if the user may see it (and change it, with write),
    with the level of access and whether her whereabouts are shown. Missing and
    forbidden both raise Http404."""
    person = people_visible_to(user).select_related("municipality", "district").filter(code=code).first()
    if person is not None and (not write or user.works_in_centre):
        return SeenPerson(
            person=person,
            access=FULL if sees_municipality_records(user) else TEAM,
            # The annotation of people_visible_to; missing would mean hidden.
            location_visible=bool(getattr(person, "location_visible", False)),
        )
    record(user, Action.DENIED, object_type="people.person", object_code=str(code), detail="write" if write else "")
    raise Http404(_("見つかりません。"))


def confidentiality_for(user: Staff, code: Any) -> WhereaboutsConfidentiality:
    """An order of whereabouts confidentiality, for centre staff of the person's municipality."""
    order = (
        WhereaboutsConfidentiality.objects.select_related("person", "requested_by", "lift_requested_by")
        .filter(code=code, person__municipality_id=user.municipality_id)
        .first()
        if user.is_authenticated and user.works_in_centre
        else None
    )
    if order is None:
        record(user, Action.DENIED, object_type="people.whereaboutsconfidentiality", object_code=str(code))
        raise Http404(_("見つかりません。"))
    return order


def sees_whereabouts(user: Staff, person: Person) -> bool:
    """Whether the user may see where the person is (DOMAIN.md §7): always, unless an
    order of whereabouts confidentiality is in force; then only the chief of her
    municipality's centre and her case team (people.models.location_annotations)."""
    if not person.whereabouts_confidential:
        return True
    if user.is_chief and user.municipality_id == person.municipality_id:
        return True
    return Person.objects.filter(pk=person.pk).filter(on_case_team(user, "pk")).exists()


def search_people(user: Staff, query: str, *, path: str = "", purpose: str = "people") -> PersonQuerySet:
    """People the user may find with this query, and the search audited by the kind of
    query (name, phone, e-mail), never its text. A phone number or an e-mail address
    matches only people whose contact details the user would see on their page: full
    access, and for a person under whereabouts confidentiality only her team and the chief."""
    kind = query_kind(query)
    contacts = location_visible_condition(user, "pk") if sees_municipality_records(user) else None
    people = people_visible_to(user).search(query, contacts=contacts)
    record(user, Action.SEARCH, object_type="people.person", detail=f"{purpose}:{kind}", path=path)
    return people


def possible_duplicates(user: Staff, data: Mapping[str, Any]) -> PersonQuerySet:
    """People who may be the one being entered: the same full reading (and birth date, when
    both have one), or the same phone number. The one check for every form that makes a
    person (/people/new/, a supporter's report that opens a case); audited by its kinds."""
    probe = Person(
        family_name_kana=data.get("family_name_kana", ""),
        given_name_kana=data.get("given_name_kana", ""),
        phone=data.get("phone", ""),
    )
    probe.refresh_search_keys()
    condition = Q(pk__in=[])
    kinds = []
    if probe.full_kana_key and probe.family_name_kana:
        # Without a birth date on either side, the same full reading is enough to ask.
        born = Q(birth_date__isnull=True) | Q(birth_date=data["birth_date"]) if data.get("birth_date") else Q()
        condition |= Q(full_kana_key=probe.full_kana_key) & born
        kinds.append("reading")
    if len(probe.phone_key) >= 6:
        # A phone matches only someone whose phone the worker would see (search_people).
        condition |= Q(phone_key=probe.phone_key) & location_visible_condition(user, "pk")
        kinds.append(QueryKind.PHONE)
    record(user, Action.SEARCH, object_type="people.person", detail="duplicate_check:" + ("+".join(kinds) or "none"))
    return people_visible_to(user).filter(condition).select_related("district")[:10]


def emergency_reads_to_acknowledge(user: Staff) -> list[EmergencyRead]:
    """Break-glass reads the chief has not yet acknowledged (the chief's /my/)."""
    if not user.is_authenticated or not user.is_chief:
        return []
    return list(
        EmergencyRead.objects.filter(person__municipality_id=user.municipality_id, acknowledged_at__isnull=True)
        .select_related("person", "reader")
        .order_by("at", "id")[:50]
    )
