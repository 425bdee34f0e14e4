"""Checkpoints: the audit chain's head, kept apart from the table (docs/audit.md).

The hash chain shows a row that was altered, removed or reordered *between* other rows,
but not rows removed at the end: the shortened chain is still a valid chain. A
checkpoint records the head at a moment (how many rows, the last row's id and hash, the
first row's hash, when), signed with an HMAC key from the settings, in a file outside the
database. `verify_audit` compares the table with the latest checkpoint and names what is
missing; an operator keeps copies off the server, where whoever can delete rows cannot
reach them.
"""

import dataclasses
import datetime as dt
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.encoding import force_bytes

from tsunagu.audit.models import GENESIS_HASH, AuditEvent

FORMAT = "tsunagu-audit-checkpoint/1"
PREFIX = "checkpoint-"


class CheckpointError(Exception):
    """The table does not reach a checkpoint, or a checkpoint cannot be trusted."""


@dataclasses.dataclass(frozen=True)
class Head:
    """Where the chain stands: the number of rows, the last row and the first."""

    count: int
    last_id: int
    last_hash: str
    first_hash: str


@dataclasses.dataclass(frozen=True)
class Checkpoint:
    head: Head
    at: dt.datetime
    path: Path | None = None

    def body(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "count": self.head.count,
            "last_id": self.head.last_id,
            "last_hash": self.head.last_hash,
            "first_hash": self.head.first_hash,
            "at": self.at.isoformat(),
        }

    def describe(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return (
            f"the checkpoint of {timezone.localtime(self.at):%Y-%m-%d %H:%M:%S}{where} "
            f"recorded {self.head.count} rows up to row {self.head.last_id} (hash {self.head.last_hash[:16]}…)"
        )


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


def _key() -> bytes:
    # A key of its own when the operator sets one; otherwise one derived from SECRET_KEY
    # for this purpose only (a leaked checkpoint reveals nothing about SECRET_KEY).
    configured = settings.AUDIT_CHECKPOINT_KEY
    if configured:
        return force_bytes(configured)
    return hashlib.sha256(force_bytes("tsunagu.audit.checkpoint\n" + settings.SECRET_KEY)).digest()


def sign(body: dict[str, Any]) -> str:
    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hmac.new(_key(), text.encode(), hashlib.sha256).hexdigest()


def current_head() -> Head:
    """The table's head now: three queries on the primary key."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    first = AuditEvent.objects.order_by("id").values_list("hash", flat=True).first()
    if last is None:
        return Head(count=0, last_id=0, last_hash="", first_hash="")
    # Counted up to the last row read, so a row appended meanwhile does not make it disagree.
    count = AuditEvent.objects.filter(id__lte=last[0]).count()
    return Head(count=count, last_id=last[0], last_hash=last[1], first_hash=first or "")


def write(head: Head, directory: Path | None = None) -> Checkpoint:
    """Write a signed checkpoint of `head`; the file appears whole or not at all."""
    directory = directory or checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    checkpoint = Checkpoint(head=head, at=timezone.now())
    body = checkpoint.body()
    content = json.dumps({**body, "hmac": sign(body)}, indent=2, sort_keys=True) + "\n"
    name = f"{PREFIX}{checkpoint.at:%Y%m%dT%H%M%S%fZ}-{head.last_id}.json"
    temporary = directory / f".{name}.tmp"
    temporary.write_text(content)
    os.replace(temporary, directory / name)
    return dataclasses.replace(checkpoint, path=directory / name)


def read(path: Path) -> Checkpoint:
    """A checkpoint file, if its signature holds."""
    try:
        data = json.loads(path.read_text())
        body = {key: data[key] for key in ("format", "count", "last_id", "last_hash", "first_hash", "at")}
        signature = str(data["hmac"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"Checkpoint {path} cannot be read: {error}.") from None
    if body["format"] != FORMAT or not hmac.compare_digest(signature, sign(body)):
        raise CheckpointError(
            f"Checkpoint {path} is not signed with this server's checkpoint key: it was altered, "
            "or it comes from another installation."
        )
    head = Head(
        count=int(body["count"]),
        last_id=int(body["last_id"]),
        last_hash=str(body["last_hash"]),
        first_hash=str(body["first_hash"]),
    )
    return Checkpoint(head=head, at=dt.datetime.fromisoformat(body["at"]), path=path)


def latest(directory: Path | None = None) -> Checkpoint | None:
    """The newest checkpoint in the directory (by its name, which starts with its time)."""
    directory = directory or checkpoint_dir()
    if not directory.is_dir():
        return None
    names = sorted(p for p in directory.glob(f"{PREFIX}*.json") if p.is_file())
    return read(names[-1]) if names else None


def compare(checkpoint: Checkpoint) -> None:
    """Raise CheckpointError naming what is missing if the table does not reach the
    checkpoint: rows removed at the end, all rows removed, or the trail rewritten."""
    head = checkpoint.head
    if head.count == 0:
        return
    now = current_head()
    if now.count == 0:
        raise CheckpointError(
            f"The audit trail is empty, but {checkpoint.describe()}: all {head.count} rows are missing."
        )
    if now.first_hash != head.first_hash:
        raise CheckpointError(
            f"The audit trail's first row differs from {checkpoint.describe()}: "
            "the trail was replaced or rewritten from the start."
        )
    row = AuditEvent.objects.filter(id=head.last_id).values_list("hash", flat=True).first()
    if row is None:
        before = AuditEvent.objects.filter(id__lte=head.last_id).count()
        last_kept = AuditEvent.objects.filter(id__lt=head.last_id).order_by("-id").values_list("id", flat=True).first()
        raise CheckpointError(
            f"Rows are missing at the end of the audit trail: {checkpoint.describe()}, but row "
            f"{head.last_id} is gone and the last row before it is row {last_kept or 0} ({before} rows up to there): "
            f"{head.count - before} rows (ids {(last_kept or 0) + 1} to {head.last_id}) are missing."
        )
    if row != head.last_hash:
        raise CheckpointError(
            f"Row {head.last_id} no longer has the hash of {checkpoint.describe()}: the trail was rewritten."
        )
    before = AuditEvent.objects.filter(id__lte=head.last_id).count()
    if before != head.count:
        raise CheckpointError(
            f"The audit trail has {before} rows up to row {head.last_id}, but {checkpoint.describe()}: "
            f"{head.count - before} rows are missing."
        )


def links_hold_after(checkpoint: Checkpoint | None) -> str | None:
    """Whether the rows after the checkpoint chain on from it (what a periodic checkpoint
    checks, instead of walking the whole table): the first bad row's description or None."""
    previous = checkpoint.head.last_hash if checkpoint and checkpoint.head.count else GENESIS_HASH
    after = checkpoint.head.last_id if checkpoint else 0
    for event in AuditEvent.objects.filter(id__gt=after).order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != previous:
            return f"Audit row {event.pk} does not chain on from the row before (a row was removed or reordered)."
        if event.compute_hash() != event.hash:
            return f"Audit row {event.pk} does not match its hash (the row was altered)."
        previous = event.hash
    return None


def checkpoint_now() -> Checkpoint:
    """Check the table against the latest checkpoint (and the rows since), then write a
    new one. A periodic job calls this; it never signs a shortened trail."""
    kept = latest()
    if kept is not None:
        compare(kept)
    problem = links_hold_after(kept)
    if problem is not None:
        raise CheckpointError(problem)
    return write(current_head())


def retire_all() -> Path | None:
    """Move the checkpoints aside (into a `retired-<time>` folder next to them) when a
    demo database is wiped on purpose (`load_demo --force`): they describe a trail that
    no longer exists. Nothing is deleted."""
    directory = checkpoint_dir()
    if not directory.is_dir():
        return None
    files = list(directory.glob(f"{PREFIX}*.json"))
    if not files:
        return None
    retired = directory / f"retired-{timezone.now():%Y%m%dT%H%M%S%fZ}"
    retired.mkdir()
    for path in files:
        os.replace(path, retired / path.name)
    return retired
