"""Case.last_note_at follows the case's notes (cases.models.refresh_last_note), the
migration fills it from the notes, and /my/'s quiet cases are read through it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tsunagu.cases.models import Case, CaseState, ProgressNote
from tsunagu.tests.client import html, login
from tsunagu.tests.migrations import migrate
from tsunagu.tests.records import write_note

MY = reverse("my_day")


def last_note(case: Case) -> dt.datetime | None:
    return Case.objects.get(pk=case.pk).last_note_at


def test_the_latest_note_of_a_case_is_its_last_note_whatever_the_order_of_writing(world):
    assert last_note(world.case) is None
    recent = write_note(world.case, world.consultant, "電話", ago=dt.timedelta(days=2))
    assert last_note(world.case) == recent.occurred_at
    write_note(world.case, world.consultant, "後から書いた先月の面談", ago=dt.timedelta(days=30))
    assert last_note(world.case) == recent.occurred_at
    assert last_note(world.hanako_case) is None  # another case's notes are not this one's


def test_a_note_moved_back_in_time_or_deleted_gives_back_the_one_before(world):
    older = write_note(world.case, world.consultant, "先月", ago=dt.timedelta(days=30))
    latest = write_note(world.case, world.consultant, "昨日", ago=dt.timedelta(days=1))
    version = Case.objects.get(pk=world.case.pk).version
    latest.occurred_at = timezone.now() - dt.timedelta(days=60)
    latest.save()
    assert last_note(world.case) == older.occurred_at
    assert Case.objects.get(pk=world.case.pk).version == version  # an open edit of the case stays current
    older.delete()
    assert last_note(world.case) == latest.occurred_at
    latest.delete()
    assert last_note(world.case) is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_it_from_the_notes(world):
    notes = [write_note(world.case, world.consultant, f"記録{i}", ago=dt.timedelta(days=i)) for i in (9, 3, 5)]
    try:
        old = migrate([("cases", "0010_case_list_and_moved_order_indexes")])
        assert "last_note_at" not in {f.name for f in old.get_model("cases", "Case")._meta.get_fields()}
    finally:
        migrate([("cases", "0011_case_last_note_at")])
    assert last_note(world.case) == max(note.occurred_at for note in notes)
    assert last_note(world.hanako_case) is None


def quiet_on_my_day(client, worker) -> str:
    page = html(login(client, worker).get(MY))
    return page.split("30日以上", 1)[1] if "30日以上" in page else ""


def test_a_case_goes_quiet_and_wakes_up_with_its_notes_and_follows_its_worker(client, world):
    Case.objects.filter(pk=world.case.pk).update(created_at=timezone.now() - dt.timedelta(days=90))
    write_note(world.case, world.consultant, "最初の面談", ago=dt.timedelta(days=45))
    assert "山田 太郎" in quiet_on_my_day(client, world.consultant)
    # Suspended on purpose: not quiet.
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.SUSPENDED)
    assert "山田 太郎" not in quiet_on_my_day(client, world.consultant)
    Case.objects.filter(pk=world.case.pk).update(state=CaseState.IN_SUPPORT)
    # Moved to another worker: quiet on the new worker's day, not on the old one's.
    Case.objects.filter(pk=world.case.pk).update(worker=world.consultant2)
    assert "山田 太郎" not in quiet_on_my_day(client, world.consultant)
    assert "山田 太郎" in quiet_on_my_day(client, world.consultant2)
    # A new note wakes it up.
    ProgressNote.objects.create(
        case=world.case, author=world.consultant2, method="visit", content="訪問", occurred_at=timezone.now()
    )
    assert "山田 太郎" not in quiet_on_my_day(client, world.consultant2)
