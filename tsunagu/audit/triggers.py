"""The database triggers that make the audit table append-only.

Migration 0002 installs them. `append_only_suspended()` lifts them for the length of a
block: only `load_demo --force` (wiping a demo database) and the tests that prove
`verify_audit` catches tampering use it."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit_auditevent is append-only (' || TG_OP || ' refused)';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""
SQLITE_CREATE = (
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (UPDATE refused)'); END;""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only (DELETE refused)'); END;""",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update;",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete;",
)


def create(execute: Any, vendor: str) -> None:
    if vendor == "postgresql":
        execute(POSTGRES_CREATE)
    elif vendor == "sqlite":
        for statement in SQLITE_CREATE:
            execute(statement)


def drop(execute: Any, vendor: str) -> None:
    if vendor == "postgresql":
        execute(POSTGRES_DROP)
    elif vendor == "sqlite":
        for statement in SQLITE_DROP:
            execute(statement)


@contextmanager
def append_only_suspended() -> Iterator[None]:
    with connection.cursor() as cursor:
        drop(cursor.execute, connection.vendor)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            create(cursor.execute, connection.vendor)
