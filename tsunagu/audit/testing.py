"""For tests that pin query counts (STYLE.md: query-count tests on list pages)."""

from django.db import connection


def pinned(base: int, audit_writes: int = 0) -> int:
    """The pinned count of queries measured on SQLite; on PostgreSQL each audit write
    also takes the chain's advisory lock (audit.models.record), one query more."""
    return base + (audit_writes if connection.vendor == "postgresql" else 0)
