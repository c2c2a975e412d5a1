"""``core.bulk.copy_create``: the rows written are the rows ``bulk_create`` would write (COPY on
PostgreSQL, batched inserts elsewhere) — JSON, dates, nulls and auto_now_add included."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core import bulk, clock
from core.models import AuditEvent
from tests.factories import UserFactory


@pytest.mark.django_db
def test_copy_create_writes_every_column_as_given():
    actor = UserFactory()
    kind = ContentType.objects.get_for_model(AuditEvent)
    rows = [
        AuditEvent(
            actor=actor if i % 2 else None,
            actor_name="hr" if i % 2 else "system",
            content_type=kind,
            object_id=str(i),
            object_repr=f"对象 {i}",
            action="create",
            changes={"n": i, "name": "张三", "nested": [1, None, "x\ty"]},
        )
        for i in range(7)
    ]
    assert bulk.copy_create(AuditEvent, rows) == 7
    assert bulk.copy_create(AuditEvent, []) == 0

    stored = list(AuditEvent.objects.order_by("pk"))
    assert [e.object_id for e in stored] == [str(i) for i in range(7)]
    assert [e.actor_id for e in stored] == [actor.pk if i % 2 else None for i in range(7)]
    assert stored[3].object_repr == "对象 3"
    assert stored[3].changes == {"n": 3, "name": "张三", "nested": [1, None, "x\ty"]}
    assert all(abs((e.at - clock.now()).total_seconds()) < 60 for e in stored)
