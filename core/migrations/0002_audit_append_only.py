"""Make the audit table append-only in the database itself.

PostgreSQL: a trigger refuses UPDATE and DELETE of rows (TRUNCATE, used by test flushes, is
not a row operation). SQLite: a trigger refuses UPDATE (DELETE stays possible there because
Django's test flush on SQLite deletes rows).
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS core_auditevent_no_update ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER core_auditevent_no_update BEFORE UPDATE ON core_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS core_auditevent_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
