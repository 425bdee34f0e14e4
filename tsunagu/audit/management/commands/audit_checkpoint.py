from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagu.audit import checkpoints


class Command(BaseCommand):
    help = (
        "Write a signed checkpoint of the audit trail's head (run it from cron, e.g. hourly). "
        "It first checks that the table still reaches the latest checkpoint and that the rows since "
        "chain on from it; otherwise it writes nothing and exits non-zero."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            written = checkpoints.checkpoint_now()
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error)) from None
        head = written.head
        self.stdout.write(
            f"Checkpoint written: {written.path} ({head.count} rows, last row {head.last_id}, "
            f"hash {head.last_hash or '-'})."
        )
