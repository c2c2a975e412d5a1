"""``core.bulk.copy_create``: the rows written are the rows ``bulk_create`` would write (COPY on
PostgreSQL, batched inserts elsewhere) — JSON, dates, nulls and auto_now_add included."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core import audit, bulk, clock
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


@pytest.mark.django_db
def test_copy_create_consumes_a_generator_across_batches():
    kind = ContentType.objects.get_for_model(AuditEvent)
    drawn = []

    def events():
        for i in range(bulk.BATCH + 3):
            drawn.append(i)
            yield AuditEvent(
                actor_name="system", content_type=kind, object_id=str(i), action="create"
            )

    assert bulk.copy_create(AuditEvent, events()) == bulk.BATCH + 3
    assert len(drawn) == bulk.BATCH + 3
    assert AuditEvent.objects.count() == bulk.BATCH + 3
    last = AuditEvent.objects.order_by("-pk").first()
    assert last is not None and last.object_id == str(bulk.BATCH + 2)


@pytest.mark.django_db
def test_copy_rows_writes_the_named_fields_and_leaves_the_others_null():
    actor = UserFactory()
    kind = ContentType.objects.get_for_model(AuditEvent)
    at = clock.now()
    empty = ("", "", "", {})  # from_state, to_state, reason, changes
    rows = (
        (actor.pk if i else None, "张三", kind.pk, str(i), f"对象 {i}", "create", *empty, at)
        for i in range(3)
    )
    fields = ["actor_id", "actor_name", "content_type_id", "object_id", "object_repr", "action"]
    fields += ["from_state", "to_state", "reason", "changes", "at"]
    assert bulk.copy_rows(AuditEvent, fields, rows) == 3
    stored = list(AuditEvent.objects.order_by("pk"))
    assert [(e.actor_id, e.object_id, e.action) for e in stored] == [
        (None, "0", "create"),
        (actor.pk, "1", "create"),
        (actor.pk, "2", "create"),
    ]
    assert {e.actor_name for e in stored} == {"张三"} and stored[2].object_repr == "对象 2"


@pytest.mark.django_db
def test_record_bulk_writes_the_events_record_many_writes():
    actor = UserFactory()
    objs = [UserFactory() for _ in range(3)]
    entries = [
        audit.Entry(obj, "open", to_state="open", changes={"n": i}) for i, obj in enumerate(objs)
    ]
    audit.record_many(actor=actor, entries=entries)
    assert audit.record_bulk(actor=actor, entries=iter(entries)) == 3

    fields = ("actor_id", "actor_name", "content_type_id", "object_id", "object_repr", "action")
    rows = list(AuditEvent.objects.order_by("pk").values_list(*fields, "to_state", "changes"))
    assert rows[3:] == rows[:3]
    assert [r[3] for r in rows[:3]] == [str(o.pk) for o in objs]
    assert [r[-1] for r in rows[3:]] == [{"n": 0}, {"n": 1}, {"n": 2}]


@pytest.mark.django_db
def test_record_bulk_on_a_cold_content_type_cache_chunk_by_chunk(monkeypatch):
    """Building an event looks its content type up, a query on a cold cache (a fresh worker):
    on PostgreSQL the rows of each chunk are drawn before its COPY opens, else that query
    would wait for the connection held by the COPY forever (the ranking commit hung so)."""
    monkeypatch.setattr(bulk, "COPY_CHUNK", 2)
    objs = [UserFactory() for _ in range(5)]
    ContentType.objects.clear_cache()
    entries = (audit.Entry(obj, "open", changes={"n": i}) for i, obj in enumerate(objs))
    assert audit.record_bulk(actor=None, entries=entries) == 5
    stored = list(AuditEvent.objects.order_by("pk").values_list("object_id", "changes"))
    assert stored == [(str(o.pk), {"n": i}) for i, o in enumerate(objs)]
