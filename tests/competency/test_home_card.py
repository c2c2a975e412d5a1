"""The home page's competency card for a staff member (issue 9, account manager journey): the
radar of required vs actual levels, the gaps largest first and the courses that close them."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from competency import assessments as svc
from competency.dashboard import cards
from tests.competency.factories import make_model
from tests.competency.test_assessments import rate
from tests.home import home_page

training_models = pytest.importorskip("training.models")
Course = training_models.Course

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 7, 1)


@pytest.fixture
def finalized(ladder, team, hr_user):
    # Required (level, weight) per competency at L2; Alice is rated 4, 2, 1 → gaps 0, 2, 1.
    model = make_model(ladder=ladder, profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}})
    round_ = svc.round_create(actor=hr_user, model=model, name="2026", staff=[team["alice"]])
    a = round_.assessments.get()
    rate(a, team["boss_user"], "manager", {"C1": 4, "C2": 2, "C3": 1})
    svc.assessment_finalize(actor=hr_user, assessment=a)
    return a


def _course(code, competency, **kw):
    course = Course.objects.create(
        code=code, title=f"课程{code}", category="professional", form="off_job", hours=8, credits=3
    )
    course.competencies.add(competency)
    return course


def test_card_draws_the_radar_and_lists_gaps_with_their_courses(finalized, team):
    comps = {c.code: c for c in finalized.model.competencies.all()}
    _course("P02", comps["C2"])
    _course("P01", comps["C2"])
    _course("P03", comps["C1"])  # develops a competency without a gap: not recommended
    (card,) = cards(team["alice_user"], DAY)
    ctx = card["context"]
    assert ctx["gaps"] == 2  # C2 and C3 below the requirement; C1 above it
    # Largest gap first; the courses that develop each, by code.
    assert [(g["competency"].code, g["gap"]) for g in ctx["gap_rows"]] == [
        ("C2", D("2.00")),
        ("C3", D("1.00")),
    ]
    assert [[c.code for c in g["courses"]] for g in ctx["gap_rows"]] == [["P01", "P02"], []]
    html = render_to_string(card["template"], {"card": ctx})
    assert 'data-testid="radar"' in html and 'role="img"' in html
    assert html.count('data-series="required"') == 1 and html.count('data-series="actual"') == 1
    assert html.count("data-gap=") == 2
    assert 'data-course="P01"' in html and 'data-course="P03"' not in html
    assert "暂无培养该素质的课程。" in html  # C3 has no course


def test_card_without_assessment_has_no_radar(team):
    (card,) = cards(team["bob_user"], DAY)
    assert "radar" not in card["context"] and card["context"]["index"] is None
    html = render_to_string(card["template"], {"card": card["context"]})
    assert 'data-testid="radar"' not in html


def test_home_page_queries_do_not_grow_with_gaps_and_courses(
    finalized, team, django_assert_max_num_queries
):
    from django.test import Client

    comps = list(finalized.model.competencies.all())
    for i in range(12):
        _course(f"Q{i:02d}", comps[i % len(comps)])
    client = Client()
    client.force_login(team["alice_user"])
    # the competency card's fragment of the home page, within the page budget (15)
    with django_assert_max_num_queries(15):
        client.get(reverse("home-cards", args=["competency"]), headers={"X-Fragment": "1"})
    assert 'data-testid="card-gaps"' in home_page(client)
