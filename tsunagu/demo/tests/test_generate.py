"""generate_town's generator (demo/generate.py): the demo's proportions, the same town
from the same seed, a chain of audit events that verifies, counts the pages can read,
and the full-text entries of what it writes."""

import io

from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max

from tsunagu.accounts.models import Staff
from tsunagu.audit.models import AuditEvent
from tsunagu.cases.models import ACTIVE_STATES, Case, ProgressNote
from tsunagu.demo.generate import generate
from tsunagu.lib.fulltext import query_terms
from tsunagu.resources import summary
from tsunagu.resources.models import OpenCaseCount
from tsunagu.search import index as search_index
from tsunagu.search.models import Kind, SearchDocument
from tsunagu.search.query import find
from tsunagu.sheets.models import AssessmentSheet


def made_since(case_id):
    cases = Case.objects.filter(pk__gt=case_id).order_by("id")
    return [
        (c.state, c.person.full_name, [n.content for n in ProgressNote.objects.filter(case=c).order_by("id")])
        for c in cases.select_related("person")
    ]


def test_cases_come_with_notes_sheets_and_audit_events_in_the_demos_proportions(world):
    before = Case.objects.order_by("-id").values_list("id", flat=True).first()
    written = generate(40, seed=7, progress=False, log=lambda _: None)
    assert written["cases.Case"] == 40
    notes = ProgressNote.objects.filter(case_id__gt=before)
    assert 10 * 40 <= notes.count() <= 30 * 40
    assert all(50 <= len(n) <= 400 for n in notes.values_list("content", flat=True))
    assert written["sheets.AssessmentSheet"] > 0
    assert written["audit.AuditEvent"] > notes.count()  # a note, a read, the sheets, the moves
    # Each case's last note, as the receivers keep it (cases.models.refresh_last_note).
    latest = dict(notes.values("case").annotate(at=Max("occurred_at")).values_list("case", "at"))
    assert dict(Case.objects.filter(pk__gt=before).values_list("pk", "last_note_at")) == latest
    # A realistic caseload: no worker but the extreme one holds more than 150 open cases.
    loads = Case.objects.filter(state__in=ACTIVE_STATES, pk__gt=before).values("worker").annotate(n=Count("id"))
    assert max(row["n"] for row in loads) <= 150
    assert Staff.objects.filter(username="extreme_worker").exists()


def test_the_same_seed_gives_the_same_town(world):
    first = Case.objects.order_by("-id").values_list("id", flat=True).first()
    generate(15, seed=11, progress=False, log=lambda _: None)
    second = Case.objects.order_by("-id").values_list("id", flat=True).first()
    generate(15, seed=11, progress=False, log=lambda _: None)
    once, again = made_since(first)[:15], made_since(second)
    assert once == again
    assert len({state for state, _name, _notes in once}) > 3


def test_the_audit_chain_verifies_and_the_kept_counts_match_the_records(world):
    generate(25, seed=3, progress=False, log=lambda _: None)
    out = io.StringIO()
    call_command("verify_audit", stdout=out)
    assert AuditEvent.objects.count() > 25 * 20
    kept = sorted(OpenCaseCount.objects.filter(open_cases__gt=0).values_list("area", "kind", "key", "open_cases"))
    summary.rebuild()
    assert kept == sorted(
        OpenCaseCount.objects.filter(open_cases__gt=0).values_list("area", "kind", "key", "open_cases")
    )
    assessed = AssessmentSheet.objects.filter(case__state__in=ACTIVE_STATES).exists()
    assert assessed == OpenCaseCount.objects.filter(kind="issue", open_cases__gt=0).exists()


def index_entries() -> dict[tuple[str, int], tuple[str, list[int] | str]]:
    """(kind, record id) → (folded text, grams as stored) of every full-text entry."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT id, grams FROM search_document")
            grams = {pk: sorted(row) for pk, row in cursor.fetchall()}
        else:
            cursor.execute("SELECT rowid, grams FROM search_gram")
            grams = dict(cursor.fetchall())
    return {
        (kind, object_id): (folded, grams[pk])
        for pk, kind, object_id, folded in SearchDocument.objects.values_list("pk", "kind", "object_id", "folded")
    }


def test_what_it_writes_is_in_the_full_text_index_as_a_rebuild_writes_it(world):
    before = Case.objects.order_by("-id").values_list("id", flat=True).first()
    written = generate(20, seed=5, progress=False, log=lambda _: None)
    notes = ProgressNote.objects.filter(case_id__gt=before)
    assert SearchDocument.objects.filter(kind=Kind.NOTE, object_id__in=notes.values("id")).count() == notes.count()
    assert SearchDocument.objects.filter(kind=Kind.ASSESSMENT, case_id__gt=before).exists()
    assert written["search.SearchDocument"] >= notes.count()
    generated = index_entries()
    assert search_index.rebuild() == len(generated)
    assert index_entries() == generated
    # A generated note is found by its words, by the centre's chief.
    newest = notes.order_by("-occurred_at", "-id").first()
    chief = Staff.objects.get(username="chief")
    assert newest.pk in {d.object_id for d in find(chief, query_terms(newest.content[:5])).documents}
