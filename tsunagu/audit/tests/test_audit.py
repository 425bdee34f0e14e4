import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tsunagu.audit.models import GENESIS_HASH, Action, AppendOnlyError, AuditEvent, first_broken_event, record
from tsunagu.audit.testing import tamper
from tsunagu.audit.triggers import append_only_suspended


@pytest.fixture
def three_events(world):
    return [
        record(world.consultant, Action.VIEW, world.taro),
        record(world.consultant, Action.CHANGE, world.case, changes={"summary": ["a", "b"]}),
        record(world.chief, Action.VIEW, world.hanako),
    ]


def test_events_form_a_chain(three_events):
    first, second, third = three_events
    before = AuditEvent.objects.filter(id__lt=first.id).order_by("-id").first()
    assert first.prev_hash == (before.hash if before is not None else GENESIS_HASH)
    assert first.prev_hash != first.hash
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    assert len({e.hash for e in three_events}) == 3


def test_record_takes_person_and_case_codes_from_the_object(world, three_events):
    viewed, changed, _ = three_events
    assert viewed.person_code == world.taro.code
    assert changed.case_code == world.case.code
    assert changed.person_code == world.taro.code
    assert viewed.actor_label == "consultant"


def test_verify_audit_passes_on_an_intact_chain(three_events, capsys):
    call_command("verify_audit")
    assert "intact" in capsys.readouterr().out


def test_orm_cannot_update_or_delete(three_events):
    event = three_events[0]
    event.detail = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(detail="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).detail == ""


def test_database_trigger_refuses_raw_update_and_delete(three_events):
    table = AuditEvent._meta.db_table
    for sql in [f"UPDATE {table} SET detail = 'x'", f"DELETE FROM {table}"]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert AuditEvent.objects.count() == 3
    assert not AuditEvent.objects.filter(detail="x").exists()


def test_verify_audit_names_the_first_altered_row(three_events):
    altered = three_events[1]
    tamper("UPDATE {table} SET detail = 'forged' WHERE id = %s", [altered.pk])
    broken = first_broken_event()
    assert broken is not None
    assert broken[0].pk == altered.pk
    with pytest.raises(CommandError, match=f"Audit row {altered.pk} "):
        call_command("verify_audit")


def test_verify_audit_notices_a_removed_row(three_events):
    removed = three_events[1]
    tamper("DELETE FROM {table} WHERE id = %s", [removed.pk])
    broken = first_broken_event()
    assert broken is not None
    assert broken[0].pk == three_events[2].pk
    assert "removed" in broken[1]


def test_triggers_come_back_after_suspension(three_events):
    with append_only_suspended():
        pass
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEvent._meta.db_table}")
    assert AuditEvent.objects.count() == 3


def test_verify_audit_exits_non_zero_from_the_command_line(three_events):
    tamper("UPDATE {table} SET actor_label = 'someone' WHERE id = %s", [three_events[0].pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert str(three_events[0].pk) in str(failure.value)
    assert failure.value.returncode == 1
