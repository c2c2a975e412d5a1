"""Course evaluation: once per participant, anonymous, aggregated per course and trainer
(means half-up to 2 places, shown from 3 evaluations), to-do item, pages and API."""

from decimal import Decimal

import pytest

from core.errors import InvalidTransition
from tests.clock import days
from tests.conftest import client_for
from training import rules, selectors, services
from training.models import CourseEvaluation, Enrolment

from .factories import CourseFactory, SessionFactory

pytestmark = pytest.mark.django_db
D = Decimal


def _session(participants, *, attended=True, trainer="王老师", course=None, end=-3):
    session = SessionFactory(
        course=course or CourseFactory(code="P02", title="方案编写与演示"),
        start=days(end - 1),
        end=days(end),
        trainer=trainer,
        status="completed",
    )
    for staff in participants:
        Enrolment.objects.create(session=session, staff=staff, attended=attended)
    return session


@pytest.mark.parametrize(
    ("total", "count", "mean"),
    [
        (13, 3, "4.33"),
        (14, 3, "4.67"),
        (9, 4, "2.25"),
        (19, 8, "2.38"),  # 2.375 half-up
        (10, 2, None),  # fewer than 3: not shown
        (0, 0, None),
    ],
)
def test_the_mean_is_half_up_and_hidden_below_three(total, count, mean):
    assert rules.evaluation_mean(total, count) == (D(mean) if mean else None)


def test_a_participant_rates_once_and_the_rating_does_not_name_them(world):
    session = _session([world.alice, world.bob])
    evaluation = services.evaluation_submit(
        actor=world.alice.user, session=session, content=4, trainer=5, usefulness=3, comment="好"
    )
    fields = {f.name for f in CourseEvaluation._meta.get_fields()}
    assert fields == {"id", "session", "content", "trainer", "usefulness", "comment"}
    assert len(evaluation.pk) == 32
    assert Enrolment.objects.get(staff=world.alice).evaluated is True
    with pytest.raises(InvalidTransition) as exc:
        services.evaluation_submit(
            actor=world.alice.user, session=session, content=1, trainer=1, usefulness=1
        )
    assert exc.value.code == "already_evaluated"
    assert CourseEvaluation.objects.count() == 1


def test_who_may_rate(world):
    absent = _session([world.alice], attended=False)
    with pytest.raises(InvalidTransition):
        services.evaluation_submit(
            actor=world.alice.user, session=absent, content=3, trainer=3, usefulness=3
        )
    present = _session([world.alice], course=absent.course)
    with pytest.raises(InvalidTransition) as exc:  # not a participant
        services.evaluation_submit(
            actor=world.bob.user, session=present, content=3, trainer=3, usefulness=3
        )
    assert exc.value.code == "not_enrolled"
    old = _session([world.alice], course=absent.course, end=-61)  # closed on day -1
    with pytest.raises(InvalidTransition):
        services.evaluation_submit(
            actor=world.alice.user, session=old, content=3, trainer=3, usefulness=3
        )
    last_day = _session([world.alice], course=absent.course, end=-60)
    services.evaluation_submit(
        actor=world.alice.user, session=last_day, content=3, trainer=3, usefulness=3
    )


def test_aggregates_per_course_and_trainer(world, django_assert_max_num_queries):
    people = [world.alice, world.bob, world.carol, world.dave, world.mgr]
    first = _session(people[:3], trainer="王老师")
    second = _session(people[3:], trainer="李老师", course=first.course)
    ratings = {
        (first, world.alice): (5, 4, 4, "实用"),
        (first, world.bob): (4, 5, 4, ""),
        (first, world.carol): (4, 4, 5, "案例很好"),
        (second, world.dave): (3, 2, 4, "节奏太快"),
        (second, world.mgr): (5, 3, 4, ""),
    }
    for (session, staff), (c, t, u, comment) in ratings.items():
        services.evaluation_submit(
            actor=staff.user, session=session, content=c, trainer=t, usefulness=u, comment=comment
        )
    with django_assert_max_num_queries(3):
        by_course, by_trainer = selectors.evaluation_results()
    [course] = by_course
    # content 21/5 = 4.20, trainer 18/5 = 3.60, usefulness 21/5 = 4.20; overall 12/3 = 4.00
    assert (course.count, course.content, course.trainer, course.usefulness, course.overall) == (
        5,
        D("4.20"),
        D("3.60"),
        D("4.20"),
        D("4.00"),
    )
    assert course.comments == ["实用", "案例很好", "节奏太快"]  # alphabetical, not by rater
    wang, li = sorted(by_trainer, key=lambda r: r.key != "王老师")
    # 王老师: content 13/3 = 4.33, trainer 13/3 = 4.33, usefulness 13/3 = 4.33
    assert (wang.count, wang.content, wang.trainer, wang.usefulness) == (
        3,
        D("4.33"),
        D("4.33"),
        D("4.33"),
    )
    assert (li.count, li.shown, li.content) == (2, False, None)


def test_the_inbox_asks_to_rate_until_done(world, django_assert_max_num_queries):
    first = _session([world.alice])
    _session([world.alice], course=first.course, end=-10)
    api = client_for(world.alice.user)
    with django_assert_max_num_queries(4):
        items = [i for i in api.get("/api/v1/inbox/").json() if i["kind"] == "training.evaluate"]
    assert [(i["count"], i["due"], i["url"]) for i in items] == [
        (2, days(50).isoformat(), "/training/evaluations/")
    ]
    for enrolment in Enrolment.objects.filter(staff=world.alice):
        response = api.post(
            f"/api/v1/training/sessions/{enrolment.session_id}/evaluate/",
            {"content": 4, "trainer": 4, "usefulness": 5},
            format="json",
        )
        assert response.status_code == 201, response.json()
        assert response.json() == {"session": enrolment.session_id, "evaluated": True}
    items = [i for i in api.get("/api/v1/inbox/").json() if i["kind"] == "training.evaluate"]
    assert items == []
    again = api.post(
        f"/api/v1/training/sessions/{first.pk}/evaluate/",
        {"content": 4, "trainer": 4, "usefulness": 5},
        format="json",
    )
    assert (again.status_code, again.json()["code"]) == (409, "already_evaluated")
    bad = api.post(
        f"/api/v1/training/sessions/{first.pk}/evaluate/",
        {"content": 6, "trainer": 4, "usefulness": 5},
        format="json",
    )
    assert bad.status_code == 400


def test_pages_for_participants_and_hr(world, client, hr_user, django_assert_max_num_queries):
    people = [world.alice, world.bob, world.carol, world.dave]
    session = _session(people)
    client.force_login(world.alice.user)
    with django_assert_max_num_queries(15):
        html = client.get("/training/evaluations/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert html.count('data-testid="evaluation-form"') == 1
    response = client.post(
        f"/training/sessions/{session.pk}/evaluate/",
        {"content": "5", "trainer": "4", "usefulness": "4", "comment": ""},
    )
    assert response.status_code == 302
    html = client.get("/training/evaluations/").content.decode()
    assert 'data-testid="nothing-to-rate"' in html
    assert client.get("/training/evaluations/results/").status_code == 403

    hr_client = client
    hr_client.force_login(hr_user)
    page = hr_client.get("/training/evaluations/results/", HTTP_ACCEPT_LANGUAGE="en")
    assert "Not shown: fewer than 3 evaluations." in page.content.decode()
    for staff in (world.bob, world.carol):
        services.evaluation_submit(
            actor=staff.user, session=session, content=4, trainer=4, usefulness=4
        )
    with django_assert_max_num_queries(15):
        page = hr_client.get("/training/evaluations/results/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "4.33" in html  # content (5 + 4 + 4) / 3
    assert "Not shown" not in html


def test_the_results_api_is_for_hr(world, hr_api, alice_api):
    session = _session([world.alice, world.bob, world.carol])
    for staff, score in ((world.alice, 5), (world.bob, 4), (world.carol, 4)):
        services.evaluation_submit(
            actor=staff.user, session=session, content=score, trainer=3, usefulness=2
        )
    assert alice_api.get("/api/v1/training/evaluations/results/").status_code == 403
    body = hr_api.get("/api/v1/training/evaluations/results/").json()
    assert body["minimum"] == 3
    [course] = body["courses"]
    assert (course["count"], course["content"], course["trainer"], course["usefulness"]) == (
        3,
        "4.33",
        "3.00",
        "2.00",
    )
    assert course["overall"] == "3.11"  # (4.33 + 3.00 + 2.00) / 3 = 3.11
    assert body["trainers"][0]["label"] == "王老师"


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_by_one_participant_are_stored_once():
    import threading

    from django.db import connection, connections

    from core.roles import Role
    from tests.factories import StaffFactory, make_ladder, make_user_for

    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite; run on PostgreSQL")
    make_ladder()
    staff = StaffFactory()
    user = make_user_for(staff, Role.STAFF, username="rater")
    session = _session([staff])
    barrier = threading.Barrier(4)
    outcomes = []

    def attempt():
        try:
            barrier.wait()
            services.evaluation_submit(
                actor=user, session=session, content=4, trainer=4, usefulness=4
            )
            outcomes.append("ok")
        except InvalidTransition as exc:
            outcomes.append(exc.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_evaluated"] * 3 + ["ok"]
    assert CourseEvaluation.objects.count() == 1
