from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tsunagu.audit import checkpoints
from tsunagu.audit.models import first_broken_event


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain and compare it with the latest checkpoint (rows removed at the end); "
        "exit non-zero naming the first bad row or what is missing. When all holds, write a new checkpoint."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="Compare with this checkpoint file (e.g. a copy kept off the server) instead of the latest one.",
        )
        parser.add_argument(
            "--no-write",
            action="store_true",
            help="Do not write a checkpoint (e.g. when checking a restored copy of the database).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        broken = first_broken_event()
        if broken is not None:
            event, reason = broken
            raise CommandError(f"Audit row {event.pk} ({event.at:%Y-%m-%d %H:%M:%S}) is bad: {reason}.")
        try:
            kept = checkpoints.read(options["checkpoint"]) if options["checkpoint"] else checkpoints.latest()
            if kept is not None:
                checkpoints.compare(kept)
        except checkpoints.CheckpointError as error:
            raise CommandError(str(error)) from None
        head = checkpoints.current_head()
        self.stdout.write(
            f"Audit trail intact: {head.count} rows, last row {head.last_id}, hash {head.last_hash or '-'}."
        )
        if kept is not None:
            self.stdout.write(f"It reaches {kept.describe()}.")
        else:
            self.stdout.write("No earlier checkpoint to compare with.")
        if not options["no_write"]:
            written = checkpoints.write(head)
            self.stdout.write(f"Checkpoint written: {written.path}")
