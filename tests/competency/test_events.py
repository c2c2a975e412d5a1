"""The 360° ratings reminder: one per rater and open round with a due date, for the ratings not
completed yet, in one query."""

import pytest

from competency import assessments as svc
from competency import events
from tests.clock import FROZEN_TODAY, days
from tests.competency.factories import make_model
from tests.competency.test_assessments import rate
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def model(ladder):
    return make_model(ladder=ladder, profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}})


def test_raters_with_ratings_to_give_are_reminded_once_per_round(model, team, hr_user):
    round_ = svc.round_create(
        actor=hr_user,
        model=model,
        name="2026 360",
        staff=[team["alice"], team["bob"]],
        due_date=days(14),
    )
    svc.round_create(actor=hr_user, model=model, name="no date", staff=[team["outsider"]])
    alice_assessment = round_.assessments.get(staff=team["alice"])
    rate(alice_assessment, team["alice_user"], "self", {"C1": 3, "C2": 4, "C3": 2})
    reminders = events.ratings_due_reminders(FROZEN_TODAY)
    got = {(r.user_id, r.event, r.due, r.key, r.context["n"]) for r in reminders}
    key = f"round:{round_.pk}"
    assert got == {
        (team["bob_user"].pk, events.RATINGS_DUE, days(14), key, 1),  # self-assessment
        (team["boss_user"].pk, events.RATINGS_DUE, days(14), key, 2),  # two reports
    }
    bob = next(r for r in reminders if r.user_id == team["bob_user"].pk)
    bob_assessment = round_.assessments.get(staff=team["bob"])
    assert bob.url == f"/competency/assessments/{bob_assessment.pk}/rate/"
    assert bob.context["round"] == "2026 360" and bob.context["due"] == days(14).isoformat()
    assert events.ratings_due_reminders(days(15)) == []  # past the due date


@pytest.mark.parametrize("n", [1, 12])
def test_the_reminder_source_takes_one_query(
    n, model, team, hr_user, ladder, django_assert_max_num_queries
):
    reports = [StaffFactory(level=ladder[1], manager=team["boss"]) for _ in range(n)]
    svc.round_create(actor=hr_user, model=model, name="R", staff=reports, due_date=days(7))
    with django_assert_max_num_queries(1):
        reminders = events.ratings_due_reminders(FROZEN_TODAY)
    assert [r.context["n"] for r in reminders] == [n]
