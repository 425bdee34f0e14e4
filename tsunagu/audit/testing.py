"""For tests: pinned query counts (STYLE.md: query-count tests on list pages), and
tampering with the audit table as someone with database access would."""

from typing import Any

from django.db import connection


def pinned(base: int, audit_writes: int = 0) -> int:
    """The pinned count of queries measured on SQLite; on PostgreSQL each audit write
    also takes the chain's advisory lock (audit.models.record), one query more."""
    return base + (audit_writes if connection.vendor == "postgresql" else 0)


def tamper(statement: str, params: list[Any] | None = None) -> None:
    """Run an UPDATE or DELETE on the audit table (`{table}` in the statement) with its
    append-only triggers lifted, as someone with database access could."""
    from tsunagu.audit.models import AuditEvent
    from tsunagu.audit.triggers import append_only_suspended

    with append_only_suspended(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=AuditEvent._meta.db_table), params or [])
