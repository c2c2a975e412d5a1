"""Sessions: capacity, enrolment rights, results, completion exactly once."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection

from core.errors import InvalidTransition, RoleRequired
from core.models import AuditEvent
from core.roles import Role
from tests.factories import StaffFactory, UserFactory
from training import services
from training.models import Enrolment, TrainingRecord, TrainingSession

from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def hr(db):
    return UserFactory(username="hr-train", roles=[Role.HR])


def test_the_last_seat_is_taken_and_one_more_is_refused(world, hr):
    session = SessionFactory(capacity=3)
    for s in (world.alice, world.bob, world.carol):
        services.session_enrol(actor=hr, session=session, staff=s)
    with pytest.raises(InvalidTransition) as err:
        services.session_enrol(actor=hr, session=session, staff=world.dave)
    assert err.value.code == "session_full"
    assert session.enrolments.count() == 3


def test_capacity_one_takes_exactly_one(world, hr):
    session = SessionFactory(capacity=1)
    services.session_enrol(actor=hr, session=session, staff=world.alice)
    with pytest.raises(InvalidTransition):
        services.session_enrol(actor=hr, session=session, staff=world.bob)


def test_self_enrolment_is_for_oneself_only(world):
    session = SessionFactory()
    services.session_enrol(actor=world.alice.user, session=session, staff=world.alice)
    with pytest.raises(RoleRequired):
        services.session_enrol(actor=world.alice.user, session=session, staff=world.bob)
    # A manager is not the office either.
    with pytest.raises(RoleRequired):
        services.session_enrol(actor=world.mgr.user, session=session, staff=world.bob)


def test_self_enrolment_can_be_closed_by_the_office(world, hr):
    session = SessionFactory(self_enrolment=False)
    with pytest.raises(InvalidTransition) as err:
        services.session_enrol(actor=world.alice.user, session=session, staff=world.alice)
    assert err.value.code == "no_self_enrolment"
    services.session_enrol(actor=hr, session=session, staff=world.alice)


def test_enrolling_twice_is_refused(world, hr):
    session = SessionFactory()
    services.session_enrol(actor=hr, session=session, staff=world.alice)
    with pytest.raises(InvalidTransition) as err:
        services.session_enrol(actor=hr, session=session, staff=world.alice)
    assert err.value.code == "already_enrolled"


def _results(hr, session, rows):
    services.session_results_record(
        actor=hr,
        session=session,
        results=[{"staff": s.pk, "attended": a, "score": sc} for s, a, sc in rows],
    )


def test_completion_writes_records_for_those_who_passed_once(world, hr):
    course = CourseFactory(code="P01", hours=D("16.0"), credits=D("6.50"))
    session = SessionFactory(course=course, pass_mark=D("60.00"), end=dt.date(2026, 10, 13))
    for s in (world.alice, world.bob, world.carol, world.dave):
        services.session_enrol(actor=hr, session=session, staff=s)
    _results(
        hr,
        session,
        [
            (world.alice, True, D("60.00")),  # exactly the pass mark: passes
            (world.bob, True, D("59.99")),  # just below: fails
            (world.carol, False, D("95.00")),  # absent: fails whatever the score
            (world.dave, True, None),  # no score: fails
        ],
    )

    assert services.session_complete(actor=hr, session=session) == 1

    records = list(TrainingRecord.objects.filter(session=session))
    assert [(r.staff_id, r.date, r.hours, r.credits, r.result, r.source) for r in records] == [
        (world.alice.pk, dt.date(2026, 10, 13), D("16.0"), D("6.50"), "passed", "session")
    ]
    outcome = dict(Enrolment.objects.filter(session=session).values_list("staff_id", "passed"))
    assert outcome == {
        world.alice.pk: True,
        world.bob.pk: False,
        world.carol.pk: False,
        world.dave.pk: False,
    }
    # Twice: refused, nothing more written.
    with pytest.raises(InvalidTransition):
        services.session_complete(actor=hr, session=session)
    assert TrainingRecord.objects.filter(session=session).count() == 1
    assert AuditEvent.objects.filter(action="complete").count() == 1


def test_a_session_without_exam_passes_everyone_who_attended(world, hr):
    session = SessionFactory(pass_mark=None)
    for s in (world.alice, world.bob):
        services.session_enrol(actor=hr, session=session, staff=s)
    _results(hr, session, [(world.alice, True, None), (world.bob, False, None)])
    assert services.session_complete(actor=hr, session=session) == 1
    record = TrainingRecord.objects.get(session=session)
    assert (record.staff_id, record.result) == (world.alice.pk, "completed")


def test_a_completed_session_refuses_enrolment_and_results(world, hr):
    session = SessionFactory()
    services.session_enrol(actor=hr, session=session, staff=world.alice)
    services.session_complete(actor=hr, session=session)
    with pytest.raises(InvalidTransition):
        services.session_enrol(actor=hr, session=session, staff=world.bob)
    with pytest.raises(InvalidTransition):
        _results(hr, session, [(world.alice, True, D(90))])


def test_capacity_cannot_drop_below_the_enrolments(world, hr):
    from core.errors import DomainError

    session = SessionFactory(capacity=5)
    for s in (world.alice, world.bob):
        services.session_enrol(actor=hr, session=session, staff=s)
    with pytest.raises(DomainError):
        services.session_save(actor=hr, session=session, capacity=1)
    services.session_save(actor=hr, session=session, capacity=2)
    session.refresh_from_db()
    assert session.capacity == 2


def test_only_the_office_completes(world):
    session = SessionFactory()
    with pytest.raises(RoleRequired):
        services.session_complete(actor=world.mgr.user, session=session)
    assert TrainingSession.objects.get(pk=session.pk).status == "open"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_enrolments_never_exceed_the_capacity():
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite; run on PostgreSQL")
    from tests.factories import make_ladder

    make_ladder()
    session = SessionFactory(capacity=3)
    people = [StaffFactory() for _ in range(8)]
    barrier = threading.Barrier(len(people))
    outcomes = []

    def attempt(staff):
        from django.db import connections

        try:
            barrier.wait()
            services.session_enrol(actor=None, session=session, staff=staff)
            outcomes.append("ok")
        except InvalidTransition as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(s,)) for s in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok"] * 3 + ["session_full"] * 5
    assert Enrolment.objects.filter(session=session).count() == 3


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_completions_write_records_once():
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite; run on PostgreSQL")
    session = SessionFactory(pass_mark=None)
    people = [StaffFactory() for _ in range(4)]
    for s in people:
        Enrolment.objects.create(session=session, staff=s, attended=True)
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        from django.db import connections

        try:
            barrier.wait()
            outcomes.append(services.session_complete(actor=None, session=session))
        except InvalidTransition:
            outcomes.append("409")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes, key=str) == [4, "409", "409", "409"]
    assert TrainingRecord.objects.filter(session=session).count() == 4
