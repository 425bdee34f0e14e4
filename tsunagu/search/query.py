"""Finding index entries: candidates by grams, checked against the folded text in the
same query (no false hits), newest first, then against the reader's access
(`search.access`), a batch at a time until a page is full."""

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from tsunagu.accounts.models import Staff
from tsunagu.lib.fulltext import gram_token, query_grams
from tsunagu.search.access import documents_visible_to
from tsunagu.search.models import SearchDocument

# How many entries a page shows, how many candidates one query reads, and how many
# candidates a search reads at most before it stops and says there may be more.
PAGE = 50
BATCH = 60
MAX_CANDIDATES = 1200


@dataclass
class Found:
    documents: list[SearchDocument] = field(default_factory=list)
    # Whether more entries may match than were read (the reader should narrow the query).
    more: bool = False


# On SQLite, a gram held by at least this many entries is "frequent": the newest entries
# are then read in order and checked against the folded text (the first page is found
# after a few hundred rows), instead of collecting every entry that holds the gram and
# sorting them. PostgreSQL's planner makes the same choice from its statistics.
FREQUENT = 3000


def candidates(municipality_id: int, terms: list[str]) -> QuerySet[SearchDocument]:
    """Entries of the municipality holding every term, newest first: the grams find the
    candidates through the index, the folded text keeps only those that hold the words."""
    grams = sorted(set().union(*(query_grams(term) for term in terms)))
    documents = SearchDocument.objects.filter(municipality_id=municipality_id)
    if connection.vendor == "postgresql":
        condition = RawSQL("search_document.grams @> %s::int4[]", (grams,), output_field=BooleanField())
        documents = documents.filter(condition)
    else:
        match = " AND ".join(gram_token(gram) for gram in grams)
        if not _frequent(match):
            documents = documents.filter(
                pk__in=RawSQL("SELECT rowid FROM search_gram WHERE search_gram MATCH %s", (match,))
            )
    for term in terms:
        documents = documents.filter(folded__contains=term)
    return documents.order_by("-written_at", "-id")


def _frequent(match: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM (SELECT 1 FROM search_gram WHERE search_gram MATCH %s LIMIT %s)", [match, FREQUENT]
        )
        return bool(cursor.fetchone()[0] >= FREQUENT)


def find(user: Staff, terms: list[str], *, page: int = PAGE) -> Found:
    found = Found()
    if not terms or user.municipality_id is None:
        return found
    documents = candidates(user.municipality_id, terms).defer("folded")
    offset = 0
    while offset < MAX_CANDIDATES:
        batch = list(documents[offset : offset + BATCH])
        offset += len(batch)
        found.documents.extend(documents_visible_to(user, batch))
        if len(found.documents) >= page:
            found.more = len(found.documents) > page or len(batch) == BATCH
            found.documents = found.documents[:page]
            return found
        if len(batch) < BATCH:
            return found
    found.more = True
    return found
