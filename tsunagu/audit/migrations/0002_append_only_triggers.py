"""Make the audit table refuse UPDATE and DELETE in the database itself, so that not
even raw SQL from the application can rewrite history (docs/audit.md)."""

from django.db import migrations

from tsunagu.audit import triggers


def create_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    triggers.create(schema_editor.execute, schema_editor.connection.vendor)


def drop_triggers(apps, schema_editor):  # type: ignore[no-untyped-def]
    triggers.drop(schema_editor.execute, schema_editor.connection.vendor)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_trail")]
    operations = [migrations.RunPython(create_triggers, drop_triggers)]
