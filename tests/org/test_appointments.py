import datetime as dt

import pytest

from core.errors import DomainError, InvalidTransition
from org import services
from org.models import Appointment
from tests.factories import LevelFactory, StaffFactory, TrackFactory, make_ladder

pytestmark = pytest.mark.django_db


def test_promotion_closes_the_open_appointment_and_moves_the_current_level():
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2021, 3, 1))

    services.appoint(
        actor=None, staff=staff, level=l2, start=dt.date(2024, 1, 1), reason="promotion"
    )

    staff.refresh_from_db()
    assert staff.level == l2
    assert staff.level_since == dt.date(2024, 1, 1)
    history = list(Appointment.objects.filter(staff=staff).order_by("start"))
    assert [(a.level.code, a.start, a.end, a.closed_on) for a in history] == [
        ("L1", dt.date(2021, 3, 1), dt.date(2023, 3, 1), dt.date(2024, 1, 1)),
        ("L2", dt.date(2024, 1, 1), dt.date(2027, 1, 1), None),
    ]


def test_term_starting_on_29_february_ends_on_28_february():
    _, l2, *_ = make_ladder()
    staff = StaffFactory(level=l2, level_since=dt.date(2024, 2, 29))
    assert staff.appointments.get().end == dt.date(2027, 2, 28)


def test_an_appointment_cannot_start_before_or_on_the_current_one():
    l1, l2, *_ = make_ladder()
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 5, 1))
    with pytest.raises(InvalidTransition):
        services.appoint(
            actor=None, staff=staff, level=l2, start=dt.date(2024, 5, 1), reason="promotion"
        )
    staff.refresh_from_db()
    assert staff.level == l1
    assert staff.appointments.count() == 1


def test_a_level_of_another_track_is_refused():
    l1, *_ = make_ladder()
    foreign = LevelFactory(track=TrackFactory(code="TECH", name="技术"), order=1, code="T1")
    staff = StaffFactory(level=l1, level_since=dt.date(2024, 5, 1))
    with pytest.raises(DomainError) as err:
        services.appoint(
            actor=None, staff=staff, level=foreign, start=dt.date(2025, 1, 1), reason="promotion"
        )
    assert err.value.code == "level_not_in_track"


def test_a_same_level_renewal_keeps_the_date_at_the_level():
    _, l2, *_ = make_ladder()
    staff = StaffFactory(level=l2, level_since=dt.date(2021, 6, 1))

    services.appoint(actor=None, staff=staff, level=l2, start=dt.date(2024, 6, 1), reason="renewal")

    staff.refresh_from_db()
    assert staff.level_since == dt.date(2021, 6, 1)
    assert staff.appointments.filter(closed_on__isnull=True).get().start == dt.date(2024, 6, 1)
