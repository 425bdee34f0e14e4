"""Keeping the index in step with the records.

Each indexed model has a `Source`: how to read a record's text and what decides who may
read it (case, person, meeting, report). Saving or deleting a record updates its
SearchDocument in the same transaction (the receivers in `tsunagu.search.signals`).
A sheet is indexed as its latest version only: a new version replaces the entry, so a
search finds what the sheet says now, once. `rebuild()` (manage.py rebuild_search_index)
writes the whole index again, for records written by bulk operations that send no
signals (queryset.update, bulk_create, imports).
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from tsunagu.cases.models import ProgressNote
from tsunagu.community.models import SupporterReport
from tsunagu.lib.bulk import copy_rows
from tsunagu.lib.fulltext import fold, gram_token, grams_of_folded, join_fields
from tsunagu.meetings.models import AgendaItem, Meeting
from tsunagu.referrals.models import Referral
from tsunagu.search.models import Kind, SearchDocument
from tsunagu.sheets.models import AssessmentSheet, EvaluationSheet, IntakeSheet, PlanSheet


def _free_text_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The sheet's content fields a worker writes in words (not choices, dates or numbers)."""
    names = []
    for name in getattr(model, "CONTENT_FIELDS", ()):
        field = model._meta.get_field(name)
        if isinstance(field, models.TextField) or (isinstance(field, models.CharField) and not field.choices):
            names.append(name)
    return tuple(names)


def midday(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


@dataclass(frozen=True)
class Source:
    kind: str
    model: type[models.Model]
    # select_related paths that `document` reads, so that a rebuild reads in bulk.
    related: tuple[str, ...]
    document: Callable[[Any], dict[str, Any]]
    # A sheet: only the latest version of a case is indexed.
    latest_only: bool = False


def _case_fields(case: Any) -> dict[str, Any]:
    return {"case_id": case.pk, "person_id": case.person_id, "municipality_id": case.agency.municipality_id}


def _note(note: ProgressNote) -> dict[str, Any]:
    return {
        **_case_fields(note.case),
        "written_at": note.occurred_at,
        "text": join_fields([note.content, note.response]),
    }


def _sheet_document(fields: tuple[str, ...], extra: Callable[[Any], list[str]] | None = None) -> Callable[[Any], dict]:
    def document(sheet: Any) -> dict[str, Any]:
        values = [getattr(sheet, name) for name in fields] + (extra(sheet) if extra else [])
        return {**_case_fields(sheet.case), "written_at": sheet.recorded_at, "text": join_fields(values)}

    return document


def _plan_items(plan: PlanSheet) -> list[str]:
    return [text for item in plan.items.all() for text in (item.goal, item.person_action, item.support)]


def _attainments(evaluation: EvaluationSheet) -> list[str]:
    return [row.comment for row in evaluation.attainments.all()]


def _referral(referral: Referral) -> dict[str, Any]:
    return {
        **_case_fields(referral.case),
        "written_at": referral.sent_at,
        "text": join_fields([referral.request, referral.outcome]),
    }


def _meeting(meeting: Meeting) -> dict[str, Any]:
    return {
        "meeting_id": meeting.pk,
        "municipality_id": meeting.municipality_id,
        "written_at": midday(meeting.held_on),
        "text": join_fields([meeting.notes]),
    }


def _agenda_item(item: AgendaItem) -> dict[str, Any]:
    person_id = item.person_id or (item.case.person_id if item.case is not None else None)
    return {
        "meeting_id": item.meeting_id,
        "case_id": item.case_id,
        "person_id": person_id,
        "municipality_id": item.meeting.municipality_id,
        "written_at": midday(item.meeting.held_on),
        "text": join_fields([item.minutes, item.decision_note]),
    }


def _report(report: SupporterReport) -> dict[str, Any]:
    person_id = report.person_id or (report.case.person_id if report.case is not None else None)
    return {
        "report_id": report.pk,
        "case_id": report.case_id,
        "person_id": person_id,
        "municipality_id": report.municipality_id,
        "written_at": report.submitted_at,
        "text": join_fields([report.other_text, report.triage_note]),
    }


SOURCES: tuple[Source, ...] = (
    Source(Kind.NOTE, ProgressNote, ("case__agency",), _note),
    Source(Kind.INTAKE, IntakeSheet, ("case__agency",), _sheet_document(_free_text_fields(IntakeSheet)), True),
    Source(
        Kind.ASSESSMENT, AssessmentSheet, ("case__agency",), _sheet_document(_free_text_fields(AssessmentSheet)), True
    ),
    Source(Kind.PLAN, PlanSheet, ("case__agency",), _sheet_document(_free_text_fields(PlanSheet), _plan_items), True),
    Source(
        Kind.EVALUATION,
        EvaluationSheet,
        ("case__agency",),
        _sheet_document(_free_text_fields(EvaluationSheet), _attainments),
        True,
    ),
    Source(Kind.REFERRAL, Referral, ("case__agency",), _referral),
    Source(Kind.MEETING, Meeting, (), _meeting),
    Source(Kind.AGENDA_ITEM, AgendaItem, ("meeting", "case"), _agenda_item),
    Source(Kind.REPORT, SupporterReport, ("case",), _report),
)
SOURCE_OF_MODEL = {source.model: source for source in SOURCES}


# Grams, stored per database -------------------------------------------------------


def _store_grams(pairs: Iterable[tuple[int, set[int]]]) -> None:
    rows = list(pairs)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.executemany(
                "UPDATE search_document SET grams = %s::int4[] WHERE id = %s",
                [(sorted(grams), pk) for pk, grams in rows],
            )
        else:
            cursor.executemany("DELETE FROM search_gram WHERE rowid = %s", [(pk,) for pk, _grams in rows])
            cursor.executemany(
                "INSERT INTO search_gram (rowid, grams) VALUES (%s, %s)",
                [(pk, " ".join(gram_token(g) for g in sorted(grams))) for pk, grams in rows],
            )


def _forget_grams(ids: list[int]) -> None:
    if ids and connection.vendor != "postgresql":  # PostgreSQL's grams go with the row
        with connection.cursor() as cursor:
            cursor.executemany("DELETE FROM search_gram WHERE rowid = %s", [(pk,) for pk in ids])


# One record -----------------------------------------------------------------------


def _delete(kind: str, **where: Any) -> None:
    ids = list(SearchDocument.objects.filter(kind=kind, **where).values_list("pk", flat=True))
    if ids:
        _forget_grams(ids)
        SearchDocument.objects.filter(pk__in=ids).delete()


def index_record(instance: models.Model) -> None:
    """Write (or remove, when it has no text) the entry of one record."""
    source = SOURCE_OF_MODEL[type(instance)]
    with transaction.atomic():
        if source.latest_only:
            latest = type(instance)._default_manager.filter(case_id=instance.case_id).order_by("-version").first()  # type: ignore[attr-defined]
            _delete(source.kind, case_id=instance.case_id)  # type: ignore[attr-defined]
            if latest is None:
                return
            instance = latest
        values = source.document(instance)
        if not values["text"]:
            _delete(source.kind, object_id=instance.pk)
            return
        folded = fold(values["text"])
        document, _created = SearchDocument.objects.update_or_create(
            kind=source.kind,
            object_id=instance.pk,
            defaults={**values, "folded": folded, "object_code": instance.code},  # type: ignore[attr-defined]
        )
        _store_grams([(document.pk, grams_of_folded(folded))])


def unindex_record(instance: models.Model) -> None:
    source = SOURCE_OF_MODEL[type(instance)]
    with transaction.atomic():
        _delete(source.kind, object_id=instance.pk)
        if source.latest_only:  # the version before it is the sheet now
            index_record_latest(source, instance.case_id)  # type: ignore[attr-defined]


def index_record_latest(source: Source, case_id: int) -> None:
    latest = source.model._default_manager.filter(case_id=case_id).order_by("-version").first()
    if latest is not None:
        index_record(latest)


# The whole index --------------------------------------------------------------------

BATCH = 2000


def _latest_versions(model: type[models.Model]) -> models.QuerySet[Any]:
    newer = model._default_manager.filter(case_id=models.OuterRef("case_id"), version__gt=models.OuterRef("version"))
    return model._default_manager.filter(~models.Exists(newer))


def _records(source: Source, since: int = 0) -> Iterator[Any]:
    """The records of a source with a primary key above `since`, in batches (a sheet: the
    latest version of each case)."""
    records = _latest_versions(source.model) if source.latest_only else source.model._default_manager.all()
    if source.related:
        records = records.select_related(*source.related)
    records = records.order_by("pk")
    if source.model is PlanSheet:
        records = records.prefetch_related("items")
    elif source.model is EvaluationSheet:
        records = records.prefetch_related("attainments")
    last = since
    while True:
        batch = list(records.filter(pk__gt=last)[:BATCH])
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1].pk


def index_new(source: Source, since: int = 0) -> int:
    """Write the entries of the source's records above `since`, in bulk; returns how many.
    For records written by bulk operations that send no signals (the town generator);
    the records must not have entries yet (and a sheet's older versions none either)."""
    written = 0
    pending: list[tuple[SearchDocument, set[int]]] = []
    for record in _records(source, since):
        values = source.document(record)
        if not values["text"]:
            continue
        folded = fold(values["text"])
        document = SearchDocument(
            kind=source.kind, object_id=record.pk, object_code=record.code, folded=folded, **values
        )
        pending.append((document, grams_of_folded(folded)))
        if len(pending) >= BATCH:
            written += _write(pending)
            pending = []
    return written + _write(pending)


def rebuild(progress: Callable[[str, int], None] | None = None) -> int:
    """Write the whole index again from the records; returns how many entries it holds."""
    with transaction.atomic():
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM search_gram")
        SearchDocument.objects.all().delete()
        total = 0
        for source in SOURCES:
            written = index_new(source)
            total += written
            if progress:
                progress(source.kind, written)
        return total


@contextmanager
def gram_index_set_aside() -> Iterator[None]:
    """For a bulk load on PostgreSQL: the gram index is dropped while the block writes and
    built again at its end (one sorted build instead of an update of the index for every
    entry). Elsewhere it does nothing: FTS5 keeps its own index."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'search_document_grams'")
        row = cursor.fetchone()
        if row is not None:
            cursor.execute("DROP INDEX search_document_grams")
    if row is None:  # already set aside by an outer block
        yield
        return
    try:
        yield
    finally:
        connection.check_constraints()  # no deferred checks may be pending in a CREATE INDEX
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '512MB'")
            cursor.execute(row[0])
            cursor.execute("RESET maintenance_work_mem")


def _write(pending: list[tuple[SearchDocument, set[int]]]) -> int:
    """Insert new entries with their grams: by COPY on PostgreSQL (ids drawn from the
    sequence first), by bulk_create and the gram table elsewhere."""
    if not pending:
        return 0
    if connection.vendor != "postgresql":
        created = SearchDocument.objects.bulk_create([document for document, _grams in pending])
        _store_grams([(document.pk, grams) for document, (_d, grams) in zip(created, pending, strict=True)])
        return len(created)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('search_document', 'id')) FROM generate_series(1, %s)",
            [len(pending)],
        )
        for document, (row,) in zip((d for d, _g in pending), cursor.fetchall(), strict=True):
            document.pk = row
    copy_rows(SearchDocument, ((document, [sorted(grams)]) for document, grams in pending), ["grams"])
    return len(pending)
