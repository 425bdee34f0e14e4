"""The periodic checkpoint as a django.tasks task, for a deployment that runs a task
worker and schedules work there instead of in cron (docs/deployment.md)."""

from typing import Any

from django.tasks import task

from tsunagu.audit import checkpoints


@task
def write_audit_checkpoint() -> dict[str, Any]:
    """Same as `manage.py audit_checkpoint`: raises CheckpointError (the task fails) and
    writes nothing when the table no longer reaches the latest checkpoint."""
    written = checkpoints.checkpoint_now()
    return {"path": str(written.path), "count": written.head.count, "last_id": written.head.last_id}
