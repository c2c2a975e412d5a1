"""scripts/create-db-roles on PostgreSQL: the runtime role cannot TRUNCATE the audit trail nor
disable its trigger, and can still add to it. Everything runs inside the test's transaction,
so the roles, grants and ownership changes are rolled back with it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from core import audit
from core.models import AuditEvent
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db]
SCRIPT = Path(settings.BASE_DIR) / "scripts" / "create-db-roles"
OWNER, RUNTIME = "ladder_test_owner", "ladder_test_app"


@pytest.fixture
def roles():
    if connection.vendor != "postgresql":
        pytest.skip("database roles and privileges are PostgreSQL's")
    env = {
        **os.environ,
        "DB_NAME": connection.settings_dict["NAME"],
        "DB_OWNER": OWNER,
        "DB_RUNTIME": RUNTIME,
    }
    sql = subprocess.run(  # noqa: S603 - the project's own script, fixed arguments
        [str(SCRIPT), "--sql"], env=env, check=True, capture_output=True, text=True
    ).stdout
    with connection.cursor() as cursor:
        cursor.execute(sql)


def as_runtime(statement: str, params=None) -> None:
    """Run ``statement`` as the runtime role, in a savepoint (a refusal leaves the test's
    transaction usable)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SET LOCAL ROLE {RUNTIME}")
        cursor.execute(statement, params)


def test_the_runtime_role_cannot_truncate_the_audit_trail(roles):
    audit.record(actor=UserFactory(), obj=UserFactory(), action="seed")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_runtime("TRUNCATE core_auditevent")
    assert AuditEvent.objects.count() == 1


def test_the_runtime_role_cannot_disable_the_audit_trigger(roles):
    with pytest.raises(DatabaseError, match="must be owner"):
        as_runtime("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_update")
    with pytest.raises(DatabaseError, match="must be owner"):
        as_runtime("ALTER TABLE core_auditevent DISABLE TRIGGER ALL")


def test_the_runtime_role_cannot_update_or_delete_audit_rows(roles):
    event = audit.record(actor=UserFactory(), obj=UserFactory(), action="seed")
    for statement in (
        "UPDATE core_auditevent SET reason = 'forged' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="permission denied"):
            as_runtime(statement, [event.pk])


def test_the_runtime_role_adds_to_the_audit_trail_and_works_on_other_tables(roles):
    user = UserFactory()
    event = audit.record(actor=user, obj=user, action="seed")
    as_runtime(
        "INSERT INTO core_auditevent (at, actor_id, actor_name, content_type_id, object_id,"
        " object_repr, action, from_state, to_state, reason, changes)"
        " SELECT now(), actor_id, actor_name, content_type_id, object_id, object_repr,"
        " 'by-runtime', '', '', '', '{}' FROM core_auditevent WHERE id = %s",
        [event.pk],
    )
    as_runtime("UPDATE org_staff SET name = name")
    as_runtime("SELECT count(*) FROM core_auditevent")
    assert AuditEvent.objects.filter(action="by-runtime").count() == 1
    with pytest.raises(DatabaseError, match="permission denied"):
        as_runtime("TRUNCATE org_staff")
    with pytest.raises(DatabaseError, match="permission denied"):
        as_runtime("CREATE TABLE runtime_made (id int)")


def test_the_owner_owns_the_tables(roles):
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
        assert cursor.fetchall() == [(OWNER,)]
