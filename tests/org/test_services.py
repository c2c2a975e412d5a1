"""The org services: the unit tree's materialised paths, staff creation and the invariant
"current level = the one open appointment" (DOMAIN.md, "Organisation and career ladder")."""

import datetime as dt
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError, InvalidTransition
from org import services
from org.models import Appointment, OrgUnit, Staff
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit

pytestmark = pytest.mark.django_db


def paths():
    return dict(OrgUnit.objects.values_list("code", "path"))


def depths():
    return dict(OrgUnit.objects.values_list("code", "depth"))


# --- units -------------------------------------------------------------------------------


def test_unit_path_and_depth_follow_the_tree():
    co = make_unit("CO")
    a = make_unit("A", co)
    a1 = make_unit("A1", a)
    assert (co.path, co.depth) == (f"/{co.pk}/", 0)
    assert (a.path, a.depth) == (f"/{co.pk}/{a.pk}/", 1)
    assert (a1.path, a1.depth) == (f"/{co.pk}/{a.pk}/{a1.pk}/", 2)


def test_moving_a_unit_rewrites_its_whole_subtree_in_one_update():
    co = make_unit("CO")
    a = make_unit("A", co)
    a1 = make_unit("A1", a)
    a1x = make_unit("A1X", a1)
    a1xx = make_unit("A1XX", a1x)
    a1y = make_unit("A1Y", a1)
    a2 = make_unit("A2", a)
    b = make_unit("B", co)

    with CaptureQueriesContext(connection) as ctx:
        services.unit_update(actor=None, unit=a1, parent=b)

    updates = [
        q["sql"] for q in ctx.captured_queries if q["sql"].startswith('UPDATE "org_orgunit"')
    ]
    # one UPDATE saves the moved unit itself, ONE more rewrites the paths of its 4-unit subtree
    # and ONE (a bulk UPDATE) their full names ("B / A1 / A1X"), whatever the subtree's size
    assert len(updates) == 3
    p = f"/{co.pk}/{b.pk}/{a1.pk}/"
    assert paths() == {
        "CO": f"/{co.pk}/",
        "A": f"/{co.pk}/{a.pk}/",
        "A2": f"/{co.pk}/{a.pk}/{a2.pk}/",
        "B": f"/{co.pk}/{b.pk}/",
        "A1": p,
        "A1X": f"{p}{a1x.pk}/",
        "A1XX": f"{p}{a1x.pk}/{a1xx.pk}/",
        "A1Y": f"{p}{a1y.pk}/",
    }
    assert depths() == {"CO": 0, "A": 1, "A2": 2, "B": 1, "A1": 2, "A1X": 3, "A1XX": 4, "A1Y": 3}


def test_moving_a_unit_to_the_top_makes_it_a_root():
    co = make_unit("CO")
    a = make_unit("A", co)
    a1 = make_unit("A1", a)
    services.unit_update(actor=None, unit=a, parent=None)
    assert paths()["A"] == f"/{a.pk}/"
    assert paths()["A1"] == f"/{a.pk}/{a1.pk}/"
    assert depths() == {"CO": 0, "A": 0, "A1": 1}


def test_subtree_move_keeps_staff_scope_consistent():
    co = make_unit("CO")
    a = make_unit("A", co)
    a1 = make_unit("A1", a)
    b = make_unit("B", co)
    services.unit_update(actor=None, unit=a1, parent=b)
    assert set(b.descendants_and_self().values_list("code", flat=True)) == {"B", "A1"}
    assert set(a.descendants_and_self().values_list("code", flat=True)) == {"A"}


@pytest.mark.parametrize("target", ["A", "A1", "A1X"])
def test_a_unit_cannot_be_moved_under_itself_or_its_descendant(target):
    co = make_unit("CO")
    a = make_unit("A", co)
    a1 = make_unit("A1", a)
    make_unit("A1X", a1)
    before = paths()
    with pytest.raises(DomainError):
        services.unit_update(actor=None, unit=a, parent=OrgUnit.objects.get(code=target))
    assert paths() == before
    a.refresh_from_db()
    assert a.parent == co


def test_renaming_a_unit_does_not_touch_paths():
    co = make_unit("CO")
    a = make_unit("A", co)
    before = paths()
    services.unit_update(actor=None, unit=a, name="新名")
    assert paths() == before
    assert OrgUnit.objects.get(code="A").name == "新名"


def test_duplicate_unit_code_is_refused():
    make_unit("CO")
    with pytest.raises(Exception) as err:
        services.unit_create(actor=None, code="CO", name="again")
    assert "code" in err.value.message_dict


# --- staff -------------------------------------------------------------------------------


def test_staff_create_with_a_level_opens_the_initial_appointment():
    unit = make_unit("CO")
    l1, l2, *_ = make_ladder()
    staff = services.staff_create(
        actor=None,
        employee_no="E1",
        name="新人",
        unit=unit,
        track=l1.track,
        hire_date=dt.date(2022, 7, 1),
        level=l2,
    )
    assert staff.level == l2
    assert staff.level_since == dt.date(2022, 7, 1)
    appointment = staff.appointments.get()
    assert appointment.reason == Appointment.Reason.INITIAL
    assert (appointment.start, appointment.end, appointment.closed_on) == (
        dt.date(2022, 7, 1),
        dt.date(2025, 7, 1),
        None,
    )


def test_staff_create_with_level_since_starts_there():
    l1, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 3, 1), hire_date=dt.date(2020, 1, 1))
    assert staff.appointments.get().start == dt.date(2024, 3, 1)
    assert staff.appointments.get().end == dt.date(2026, 3, 1)  # L1 term is 2 years


def test_staff_create_without_level_has_no_appointment():
    make_ladder()
    staff = StaffFactory()
    assert staff.level is None
    assert not staff.appointments.exists()


def test_staff_update_refuses_the_level_and_unknown_fields():
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 3, 1))
    with pytest.raises(DomainError):
        services.staff_update(actor=None, staff=staff, level=l2)
    staff.refresh_from_db()
    assert staff.level == l1


def test_staff_cannot_be_their_own_manager():
    staff = StaffFactory()
    with pytest.raises(DomainError):
        services.staff_update(actor=None, staff=staff, manager=staff)


def test_changing_track_away_from_the_current_levels_track_is_refused():
    l1, *_ = make_ladder()
    from tests.factories import TrackFactory

    other = TrackFactory(code="TECH", name="技术")
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 3, 1))
    with pytest.raises(DomainError) as err:
        services.staff_update(actor=None, staff=staff, track=other)
    assert err.value.code == "level_not_in_track"


# --- appointments ------------------------------------------------------------------------


def test_every_appointment_keeps_exactly_one_open_and_the_level_follows_it():
    l1, l2, l3, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2019, 1, 1))
    services.appoint(
        actor=None, staff=staff, level=l2, start=dt.date(2021, 1, 1), reason="promotion"
    )
    services.appoint(
        actor=None, staff=staff, level=l3, start=dt.date(2024, 1, 1), reason="promotion"
    )
    services.appoint(
        actor=None, staff=staff, level=l2, start=dt.date(2025, 6, 1), reason="demotion"
    )
    staff.refresh_from_db()
    open_ = Appointment.objects.filter(staff=staff, closed_on__isnull=True)
    assert open_.count() == 1
    assert open_.get().level == staff.level == l2
    assert staff.level_since == dt.date(2025, 6, 1)
    history = Appointment.objects.filter(staff=staff).order_by("start")
    assert [(a.level.code, a.reason, a.closed_on) for a in history] == [
        ("L1", "initial", dt.date(2021, 1, 1)),
        ("L2", "promotion", dt.date(2024, 1, 1)),
        ("L3", "promotion", dt.date(2025, 6, 1)),
        ("L2", "demotion", None),
    ]


def test_unknown_appointment_reason_is_refused():
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2019, 1, 1))
    with pytest.raises(DomainError):
        services.appoint(actor=None, staff=staff, level=l2, start=dt.date(2021, 1, 1), reason="x")
    assert staff.appointments.count() == 1


def test_database_refuses_a_second_open_appointment():
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2019, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            staff=staff,
            level=l2,
            start=dt.date(2022, 1, 1),
            end=dt.date(2025, 1, 1),
            reason="promotion",
        )
    assert Appointment.objects.filter(staff=staff, closed_on__isnull=True).count() == 1


def test_database_refuses_a_term_ending_before_it_starts():
    l1, *_ = make_ladder()
    staff = StaffFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.create(
            staff=staff,
            level=l1,
            start=dt.date(2022, 1, 1),
            end=dt.date(2022, 1, 1),
            reason="initial",
        )


def test_closed_appointments_may_be_many():
    l1, l2, l3, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2019, 1, 1))
    services.appoint(
        actor=None, staff=staff, level=l2, start=dt.date(2021, 1, 1), reason="promotion"
    )
    services.appoint(
        actor=None, staff=staff, level=l3, start=dt.date(2022, 1, 1), reason="promotion"
    )
    assert Appointment.objects.filter(staff=staff, closed_on__isnull=False).count() == 2


# --- concurrency (PostgreSQL) ------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_appointments_of_the_same_staff_leave_exactly_one_open(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite; row locks need PostgreSQL")
    # Widen the race window: pause right after the staff row is fetched (and, with the
    # service's row lock, held) and before the open appointment is read. Without the lock
    # both threads would read the same open appointment and both try to replace it.
    check = services._check_level_track

    def slow_check(staff, level):
        time.sleep(0.3)
        check(staff, level)

    monkeypatch.setattr(services, "_check_level_track", slow_check)
    l1, l2, l3, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2020, 1, 1))
    actor = UserFactory(username="hr-race")
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def run(name, level):
        try:
            barrier.wait(timeout=10)
            services.appoint(
                actor=actor, staff=staff, level=level, start=dt.date(2024, 1, 1), reason="promotion"
            )
            outcomes[name] = "ok"
        except Exception as exc:  # noqa: BLE001 — the thread hands what it raised to the test
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=("to-l2", l2)),
        threading.Thread(target=run, args=("to-l3", l3)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    results = sorted(outcomes.values(), key=lambda v: v != "ok")
    assert results[0] == "ok"
    # The loser waited for the winner's row lock, then saw the new open appointment that
    # starts on the same day, so it was refused by the rule, not by the unique index.
    assert isinstance(results[1], InvalidTransition), repr(results[1])
    staff.refresh_from_db()
    open_ = Appointment.objects.filter(staff=staff, closed_on__isnull=True)
    assert open_.count() == 1
    assert open_.get().level == staff.level
    assert Appointment.objects.filter(staff=staff).count() == 2
    assert Staff.objects.get(pk=staff.pk).level_since == dt.date(2024, 1, 1)
