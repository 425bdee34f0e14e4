"""Who may read which index entry (STYLE.md principle 3): the index decides nothing of
its own. An entry is shown only when every record it points at is one the reader may
see through that record's own access function, asked at the time of the search:

- its case: `cases.access.cases_visible_to` (the centre's caseload and the reader's teams);
- its person: while an order of whereabouts confidentiality is in force, only her case
  team and the centre's chief (`people.models.location_visible_condition`);
- its meeting: `meetings.access.meetings_visible_to` (a 支援会議 only for its members);
- its supporter report: `community.access.reports_visible_to`.

The search itself is for centre staff only: partner agencies never search case content.
"""

from collections.abc import Sequence

from tsunagu.accounts.models import Staff
from tsunagu.cases.access import cases_visible_to
from tsunagu.community.access import reports_visible_to
from tsunagu.meetings.access import meetings_visible_to
from tsunagu.people.models import Person, location_visible_condition
from tsunagu.search.models import SearchDocument


def may_search(user: Staff) -> bool:
    return user.is_authenticated and user.works_in_centre


def _ids(documents: Sequence[SearchDocument], attribute: str) -> set[int]:
    return {value for document in documents if (value := getattr(document, attribute)) is not None}


def documents_visible_to(user: Staff, documents: Sequence[SearchDocument]) -> list[SearchDocument]:
    """The entries of a batch the user may read, in their order (one query per kind of
    record the batch points at, whatever its length)."""
    if not may_search(user):
        return []
    allowed: dict[str, set[int]] = {}
    for attribute, visible in (
        ("case_id", lambda ids: cases_visible_to(user).filter(pk__in=ids)),
        ("meeting_id", lambda ids: meetings_visible_to(user).filter(pk__in=ids)),
        ("report_id", lambda ids: reports_visible_to(user).filter(pk__in=ids)),
        ("person_id", lambda ids: Person.objects.filter(pk__in=ids).filter(location_visible_condition(user, "pk"))),
    ):
        ids = _ids(documents, attribute)
        allowed[attribute] = set(visible(ids).values_list("pk", flat=True)) if ids else set()
    return [
        document
        for document in documents
        if all(getattr(document, attribute) in (None, *allowed[attribute]) for attribute in allowed)
    ]
