"""Finding index entries, newest first: checked against the folded text in the same query
(no false hits), then against the reader's access (`search.access`), a batch at a time
until a page is full (find())."""

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
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
# The newest entries read in order first (see find()).
RECENT = 5000


@dataclass
class Found:
    documents: list[SearchDocument] = field(default_factory=list)
    # Whether more entries may match than were read (the reader should narrow the query).
    more: bool = False


def _holding(documents: QuerySet[SearchDocument], terms: list[str]) -> QuerySet[SearchDocument]:
    for term in terms:
        documents = documents.filter(folded__contains=term)
    return documents.order_by("-written_at", "-id")


def recent(municipality_id: int, cutoff: tuple[Any, int] | None, terms: list[str]) -> QuerySet[SearchDocument]:
    """Entries of the municipality from the cutoff on, holding every term, newest first:
    read in the order of the newest-first index and checked against the folded text."""
    documents = SearchDocument.objects.filter(municipality_id=municipality_id)
    if cutoff is not None:
        at, pk = cutoff
        documents = documents.filter(Q(written_at__gt=at) | Q(written_at=at, id__gte=pk))
    return _holding(documents, terms)


def candidates(municipality_id: int, cutoff: tuple[Any, int], terms: list[str]) -> QuerySet[SearchDocument]:
    """Entries of the municipality older than the cutoff holding every term, newest first:
    the grams find the candidates through their index, the folded text keeps only those
    that hold the words (no false hits)."""
    grams = sorted(set().union(*(query_grams(term) for term in terms)))
    at, pk = cutoff
    documents = SearchDocument.objects.filter(municipality_id=municipality_id).filter(
        Q(written_at__lt=at) | Q(written_at=at, id__lt=pk)
    )
    if connection.vendor == "postgresql":
        condition = RawSQL("search_document.grams @> %s::int4[]", (grams,), output_field=BooleanField())
        documents = documents.filter(condition)
    else:
        match = " AND ".join(gram_token(gram) for gram in grams)
        documents = documents.filter(
            pk__in=RawSQL("SELECT rowid FROM search_gram WHERE search_gram MATCH %s", (match,))
        )
    return _holding(documents, terms)


def _cutoff(municipality_id: int) -> tuple[Any, int] | None:
    """The (date, id) of the RECENT-th newest entry, or None when there are fewer."""
    newest = SearchDocument.objects.filter(municipality_id=municipality_id).order_by("-written_at", "-id")
    return newest.values_list("written_at", "id")[RECENT - 1 : RECENT].first()


def find(user: Staff, terms: list[str], *, page: int = PAGE) -> Found:
    """The newest entries the user may read that hold every term.

    Two ways, so that neither a frequent word nor a rare one reads much: first the
    RECENT newest entries in date order, checked against the folded text (a frequent
    word fills the page there, after a few hundred rows); then, if the page is not full,
    the older entries that hold the query's grams, found through the gram index (a rare
    word has few). Each batch goes through the reader's access (search.access)."""
    found = Found()
    if not terms or user.municipality_id is None:
        return found
    cutoff = _cutoff(user.municipality_id)
    sources = [recent(user.municipality_id, cutoff, terms)]
    if cutoff is not None:
        sources.append(candidates(user.municipality_id, cutoff, terms))
    read = 0
    for documents in sources:
        documents = documents.defer("folded")
        offset = 0
        while read < MAX_CANDIDATES:
            batch = list(documents[offset : offset + BATCH])
            offset += len(batch)
            read += len(batch)
            found.documents.extend(documents_visible_to(user, batch))
            if len(found.documents) >= page:
                found.more = True  # older entries may hold the words too
                found.documents = found.documents[:page]
                return found
            if len(batch) < BATCH:
                break
    found.more = read >= MAX_CANDIDATES
    return found
