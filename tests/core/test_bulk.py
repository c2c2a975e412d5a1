"""``core.bulk.copy_create``: the rows written are the rows ``bulk_create`` would write (COPY on
PostgreSQL, batched inserts elsewhere) — JSON, dates, nulls and auto_now_add included;
``insert_select`` and ``audit.record_rows``: rows computed by the database in one statement;
``loading``: a table's constraints and indexes set aside while it is filled, put back as they
were, and a broken constraint failing the whole load."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, JSONObject
from django.db.transaction import TransactionManagementError

from core import audit, bulk, clock
from core.models import AuditEvent
from tests.audit import audit_row
from tests.factories import StaffFactory, UserFactory
from tests.training.factories import CourseFactory
from training.demo import RECORD_FIELDS
from training.models import TrainingRecord


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


@pytest.fixture
def fails_instead_of_hanging():
    """A statement on the connection during a ``COPY`` would wait for its lock forever: fail
    after a minute instead."""
    import signal

    def timeout(signum, frame):
        raise TimeoutError("the COPY waited for its own connection")

    previous = signal.signal(signal.SIGALRM, timeout)
    signal.alarm(60)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.django_db
def test_rows_that_query_the_database_as_they_are_drawn_are_written(fails_instead_of_hanging):
    """The content types of a fresh process are not cached yet: the audit events of a ranking
    commit look theirs up while the rows are drawn (it used to hang on PostgreSQL)."""
    actor = UserFactory()
    objs = [UserFactory() for _ in range(3)]
    ContentType.objects.clear_cache()
    entries = (audit.Entry(obj, "open") for obj in objs)
    assert audit.record_bulk(actor=actor, entries=entries) == 3

    kind = ContentType.objects.get_for_model(AuditEvent)
    fields = ["actor_name", "content_type_id", "object_id", "object_repr", "action"]
    fields += ["from_state", "to_state", "reason", "changes", "at"]

    def rows():
        for i in range(bulk.COPY_CHUNK + 2):
            if i % bulk.COPY_CHUNK in (0, 1):  # a query at the start of each chunk
                AuditEvent.objects.count()
            yield ("system", kind.pk, str(i), "", "create", "", "", "", {}, clock.now())

    assert bulk.copy_rows(AuditEvent, fields, rows()) == bulk.COPY_CHUNK + 2
    assert AuditEvent.objects.filter(action="create").count() == bulk.COPY_CHUNK + 2
    assert AuditEvent.objects.filter(action="open").count() == 3


@pytest.mark.django_db
def test_insert_select_writes_one_row_per_selected_row_with_the_constants():
    users = [UserFactory(username=f"用户{i}") for i in range(3)]
    kind = ContentType.objects.get_for_model(AuditEvent)
    at = clock.now()
    rows = (
        type(users[0])
        .objects.filter(pk__in=[u.pk for u in users[1:]])
        .values_list(Cast("pk", CharField()), "username")
    )
    written = bulk.insert_select(
        AuditEvent,
        fields=["object_id", "object_repr"],
        rows=rows,
        constants={
            "at": at,
            "actor_name": "system",
            "content_type_id": kind.pk,
            "action": "create",
            "from_state": "",
            "to_state": "",
            "reason": "",
            "changes": {"名": "值"},
        },
    )
    assert written == 2
    stored = list(
        AuditEvent.objects.order_by("object_id").values_list(
            "object_id", "object_repr", "action", "changes", "at", "actor_id"
        )
    )
    assert stored == [
        (str(u.pk), u.username, "create", {"名": "值"}, at, None)
        for u in sorted(users[1:], key=lambda u: str(u.pk))
    ]


@pytest.mark.django_db
def test_record_rows_writes_the_events_record_writes():
    """Each event of :func:`audit.record_rows` is the one :func:`audit.record` writes for the
    same object: name (computed by the database, cut at 255), changes, actor, states."""
    actor = UserFactory(username="officer")
    long = {"first_name": "名" * 150, "last_name": "姓" * 150}  # the name: 308 characters
    objs = [UserFactory(username=f"u{i}", **(long if i == 2 else {})) for i in range(3)]
    users = type(actor).objects.filter(pk__in=[o.pk for o in objs])
    for obj in objs:
        audit.record(
            actor=actor,
            obj=obj,
            action="open",
            to_state="open",
            reason="r",
            changes={"n": obj.pk, "name": obj.username},
        )
    name = Concat(
        F("username"), Value(" · "), F("first_name"), F("last_name"), output_field=CharField()
    )
    written = audit.record_rows(
        actor=actor,
        rows=users,
        action="open",
        to_state="open",
        reason="r",
        object_repr=name,
        changes=JSONObject(n=F("pk"), name=F("username")),
    )
    assert written == 3
    events = list(AuditEvent.objects.order_by("pk"))
    singly, by_rows = events[:3], events[3:]

    def key(event):  # the names differ on purpose: compared below
        return audit_row(event, without=("object_repr",))

    assert sorted(map(key, by_rows)) == sorted(map(key, singly))
    reprs = {e.object_id: e.object_repr for e in by_rows}
    assert reprs[str(objs[0].pk)] == "u0 · "
    assert reprs[str(objs[2].pk)] == ("u2 · " + "名" * 150 + "姓" * 150)[:255]
    assert audit.record_rows(actor=None, rows=users.none(), action="x", object_repr=name) == 0


# --- loading: constraints and indexes set aside while a builder fills a table ---------------


def _shape(table: str) -> set[tuple[str, str]]:
    """The table's constraints and indexes, each with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass "
            "UNION SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass",
            [table, table],
        )
        return set(cursor.fetchall())


def _record_rows(staff, course, days: int) -> list[tuple]:
    now = clock.now()
    return [
        (
            staff.pk,
            course.pk,
            "",
            now.date() - dt.timedelta(days=d),
            2,
            1,
            "passed",
            "import",
            now,
            now,
        )
        for d in range(days)
    ]


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_loading_puts_back_every_constraint_and_index_as_it_was():
    if connection.vendor != "postgresql":
        pytest.skip("constraints are set aside on PostgreSQL only")
    table = TrainingRecord._meta.db_table
    before = _shape(table)
    kinds = {definition.split(" ")[0] for _name, definition in before}
    assert {"FOREIGN", "UNIQUE", "CREATE"} <= kinds  # keys, a unique constraint, indexes
    staff, course = StaffFactory(), CourseFactory()
    with transaction.atomic(), bulk.loading(TrainingRecord):
        assert {d.split(" ")[0] for _n, d in _shape(table)} == {"PRIMARY", "CREATE"}
        assert len(_shape(table)) == 2  # the primary key and its index only
        bulk.copy_rows(TrainingRecord, RECORD_FIELDS, _record_rows(staff, course, 30))
    assert _shape(table) == before
    assert TrainingRecord.objects.filter(staff=staff).count() == 30


@pytest.mark.postgres_only
@pytest.mark.django_db
def test_a_row_that_breaks_a_constraint_fails_the_loading_and_nothing_is_written():
    if connection.vendor != "postgresql":
        pytest.skip("constraints are set aside on PostgreSQL only")
    staff, course = StaffFactory(), CourseFactory()
    twice = _record_rows(staff, course, 3) * 2  # the import key (staff, course, date) twice
    missing = [(staff.pk + 1000, *_record_rows(staff, course, 1)[0][1:])]  # no such staff
    for rows in (twice, missing):
        with pytest.raises(IntegrityError), transaction.atomic(), bulk.loading(TrainingRecord):
            bulk.copy_rows(TrainingRecord, RECORD_FIELDS, rows)
        assert not TrainingRecord.objects.exists()
    assert len(_shape(TrainingRecord._meta.db_table)) > 2  # rolled back with the rows


@pytest.mark.django_db(transaction=True)
def test_loading_needs_a_transaction():
    if connection.vendor != "postgresql":
        with bulk.loading(TrainingRecord):  # nothing to set aside elsewhere
            pass
        return
    with pytest.raises(TransactionManagementError), bulk.loading(TrainingRecord):
        pass
