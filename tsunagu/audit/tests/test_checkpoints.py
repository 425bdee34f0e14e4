"""The chain's head kept apart from the table: rows removed at the end are noticed
(issue 9, finding 7)."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tsunagu.audit import checkpoints
from tsunagu.audit.models import Action, AuditEvent, record
from tsunagu.audit.tasks import write_audit_checkpoint
from tsunagu.audit.testing import tamper


@pytest.fixture
def five_events(world):
    return [record(world.consultant, Action.VIEW, world.taro, detail=str(i)) for i in range(5)]


def delete_rows(where: str = "", params: list | None = None) -> None:
    """Tamper with the table as someone with database access would."""
    tamper("DELETE FROM {table} " + where, params)


def verify(*args: str) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def checkpoint_files(settings) -> list[Path]:
    return sorted(Path(settings.AUDIT_CHECKPOINT_DIR).glob("checkpoint-*.json"))


def test_verify_audit_prints_the_head_and_writes_a_signed_checkpoint(five_events, settings):
    total = AuditEvent.objects.count()
    out = verify()
    last = five_events[-1]
    assert f"Audit trail intact: {total} rows, last row {last.pk}, hash {last.hash}." in out
    [written] = checkpoint_files(settings)
    assert f"Checkpoint written: {written}" in out
    data = json.loads(written.read_text())
    assert (data["count"], data["last_id"], data["last_hash"]) == (total, last.pk, last.hash)
    assert len(data["hmac"]) == 64


def test_deleting_the_newest_rows_is_noticed(five_events, settings):
    verify()
    newest = five_events[-2:]
    delete_rows("WHERE id >= %s", [newest[0].pk])
    assert checkpoints.links_hold_after(None) is None  # the shortened chain is still a valid chain
    with pytest.raises(CommandError) as failure:
        verify()
    message = str(failure.value)
    assert "Rows are missing at the end of the audit trail" in message
    assert f"2 rows (ids {newest[0].pk} to {newest[1].pk}) are missing" in message
    assert failure.value.returncode == 1
    assert len(checkpoint_files(settings)) == 1  # a failed check signs nothing


def test_deleting_every_row_is_noticed(five_events):
    verify()
    total = AuditEvent.objects.count()
    delete_rows()
    with pytest.raises(CommandError, match=f"The audit trail is empty, .*: all {total} rows are missing"):
        verify()


def test_new_rows_after_a_deletion_do_not_hide_it(client, five_events, world):
    verify()
    delete_rows("WHERE id = %s", [five_events[-1].pk])
    record(world.chief, Action.VIEW, world.hanako)  # the chain goes on from the shortened end
    with pytest.raises(CommandError, match=f"ids {five_events[-1].pk} to {five_events[-1].pk}"):
        verify()


def test_rows_appended_after_a_checkpoint_pass(five_events, world, settings):
    verify()
    record(world.chief, Action.VIEW, world.hanako)
    out = verify()
    assert "It reaches the checkpoint of" in out
    assert f"recorded {AuditEvent.objects.count() - 1} rows" in out
    assert len(checkpoint_files(settings)) == 2


def test_an_altered_checkpoint_is_refused(five_events, settings):
    verify()
    [written] = checkpoint_files(settings)
    data = json.loads(written.read_text())
    data["count"] = 3  # as if someone made the checkpoint agree with a shortened table
    written.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="is not signed with this server's checkpoint key"):
        verify()


def test_a_checkpoint_signed_with_another_key_is_refused(five_events, settings):
    verify()
    settings.AUDIT_CHECKPOINT_KEY = "another-installation"
    with pytest.raises(CommandError, match="not signed"):
        verify()


def test_a_kept_copy_is_checked_and_nothing_is_written(five_events, settings, tmp_path):
    verify()
    kept = tmp_path / "off-server.json"
    kept.write_text(checkpoint_files(settings)[0].read_text())
    for path in checkpoint_files(settings):
        path.unlink()  # whoever deleted rows also removed the server's checkpoints
    delete_rows("WHERE id = %s", [five_events[-1].pk])
    assert "No earlier checkpoint" in verify("--no-write")
    assert checkpoint_files(settings) == []
    with pytest.raises(CommandError, match="Rows are missing at the end"):
        verify("--checkpoint", str(kept), "--no-write")


def test_a_replaced_trail_is_noticed(five_events):
    verify()
    delete_rows()
    record(None, Action.VIEW, object_type="x")  # a fresh chain from the genesis hash
    with pytest.raises(CommandError, match="first row differs"):
        verify()


def test_the_periodic_checkpoint_refuses_a_shortened_trail(five_events, settings):
    out = io.StringIO()
    call_command("audit_checkpoint", stdout=out)
    assert f"last row {five_events[-1].pk}" in out.getvalue()
    delete_rows("WHERE id >= %s", [five_events[-3].pk])
    with pytest.raises(CommandError, match=r"3 rows .* are missing"):
        call_command("audit_checkpoint", stdout=io.StringIO())
    assert len(checkpoint_files(settings)) == 1


def test_the_periodic_checkpoint_checks_the_rows_since_the_last_one(five_events, world, settings):
    call_command("audit_checkpoint", stdout=io.StringIO())
    later = record(world.chief, Action.VIEW, world.hanako)
    tamper("UPDATE {table} SET detail = 'forged' WHERE id = %s", [later.pk])
    with pytest.raises(CommandError, match=f"Audit row {later.pk} does not match its hash"):
        call_command("audit_checkpoint", stdout=io.StringIO())
    assert len(checkpoint_files(settings)) == 1


def test_the_task_writes_a_checkpoint(five_events, settings):
    result = write_audit_checkpoint.call()
    assert result["last_id"] == five_events[-1].pk
    assert [str(p) for p in checkpoint_files(settings)] == [result["path"]]


def test_load_demo_force_moves_the_checkpoints_aside(five_events, settings):
    from tsunagu.demo.management.commands.load_demo import wipe_database

    verify()
    wipe_database()
    assert checkpoint_files(settings) == []
    [retired] = Path(settings.AUDIT_CHECKPOINT_DIR).glob("retired-*/checkpoint-*.json")
    assert "No earlier checkpoint" in verify()
    assert retired.exists()
