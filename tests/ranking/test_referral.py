"""A term-end review that refers a staff member opens a re-certification case at their current
level (DOMAIN.md, "Annual ranking": "A term-end review may refer a person to re-certification,
which opens a case in the same way") — the bug fixed: the referral used to look the ranking
service up by a name that did not exist and only wrote a log line."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from core import audit
from core.errors import InvalidTransition
from core.roles import Role
from ranking import services
from ranking.models import RecertificationCase
from reappointment import services as reappointment_services
from tests.conftest import client_for
from tests.factories import UserFactory, make_user_for
from tests.home import home_page
from tests.ranking.factories import decide_with
from tests.reappointment.factories import term_ending

REFER = "/api/v1/certification/reappointments/{}/refer/"
CASES = "/api/v1/certification/recertifications/"
REVIEWED_ON = dt.date(2026, 11, 16)


@pytest.fixture
def hr(db):
    return UserFactory(username="hr-referral", roles=[Role.HR])


@pytest.fixture
def referral(ladder, hr):
    staff = term_ending(ladder[2], dt.date(2027, 1, 10), employee_no="F1")
    review = reappointment_services.review_open(
        actor=hr, appointment_ids=[staff.appointments.get().pk], today=REVIEWED_ON
    )
    return staff, review.cases.get()


def test_a_referral_opens_a_case_at_the_current_level_visible_in_the_cases_api(referral, hr):
    staff, term = referral
    api = client_for(hr)
    response = api.post(REFER.format(term.pk), {"reason": "年度考核基本合格，转复核认证"})
    assert response.status_code == 200, response.data
    assert response.data["outcome"] == "referred"
    listing = api.get(CASES, {"staff": staff.pk}).json()["results"]
    assert len(listing) == 1
    case = listing[0]
    assert case["status"] == "open" and case["level"] == staff.level_id
    assert case["ranking_run"] is None and case["year"] == 2026
    # linked both ways
    assert case["reappointment_case"] == term.pk
    assert response.data["recertification_case_id"] == case["id"]
    opened = next(iter(audit.history(RecertificationCase.objects.get(pk=case["id"]))))
    assert (opened.action, opened.to_state, opened.actor_id) == ("open", "open", hr.pk)
    assert opened.reason == "年度考核基本合格，转复核认证"
    # visible to the person: the API, the case page (with the link back) and the home page
    person = make_user_for(staff)
    mine = client_for(person).get(CASES).json()["results"]
    assert [(c["id"], c["reappointment_case"]) for c in mine] == [(case["id"], term.pk)]
    page = Client()
    page.force_login(person)
    html = page.get(
        reverse("ranking:case-detail", args=[case["id"]]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert 'data-testid="case-referral"' in html
    assert f"Re-appointment review #{term.review_id}" in html
    home = home_page(page, HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="card-my-recertification"' in home
    # and the review page links to the case
    office = Client()
    office.force_login(hr)
    review = office.get(reverse("reappointment:review-detail", args=[term.review_id]))
    assert reverse("ranking:case-detail", args=[case["id"]]) in review.content.decode()
    case_page = office.get(reverse("ranking:case-detail", args=[case["id"]])).content.decode()
    assert reverse("reappointment:review-detail", args=[term.review_id]) in case_page


def test_a_referred_case_is_scored_and_decided_like_a_ranked_one(referral, hr):
    staff, term = referral
    reappointment_services.review_refer(actor=hr, case=term, reason="复核", today=REVIEWED_ON)
    case = RecertificationCase.objects.get(staff=staff)
    # mean 59 < the default pass line 60, ≥ the default elimination line 40: demoted one level
    case = decide_with(hr, case, ["55", "58", "64"], prefix="ref")
    assert (case.committee_score, case.outcome) == (D("59.00"), "demoted")
    assert case.effective_on == dt.date(2026, 12, 12)
    staff.refresh_from_db()
    assert staff.level == ladder_level_below(case.level)


def ladder_level_below(level):
    return (
        type(level)
        .objects.filter(track=level.track, order__lt=level.order)
        .order_by("-order")
        .first()
    )


def test_a_person_never_has_two_open_cases(referral, hr):
    staff, _term = referral
    services.recertification_case_open(actor=hr, staff=staff, reason="first")
    with pytest.raises(InvalidTransition):
        services.recertification_case_open(actor=hr, staff=staff, reason="second")
    assert RecertificationCase.objects.filter(staff=staff, status="open").count() == 1


def test_leaving_the_company_withdraws_the_open_case(referral, hr):
    """org's exit hook: the case of a person who leaves is withdrawn with the exit's reason,
    audited; their decided cases are kept as they were."""
    from org import services as org_services

    staff, _term = referral
    case = services.recertification_case_open(actor=hr, staff=staff, reason="转入再认证")
    org_services.staff_exit(actor=hr, staff=staff, exit_date=REVIEWED_ON, reason="主动离职")
    case.refresh_from_db()
    assert (case.status, case.decision_reason) == (
        RecertificationCase.Status.WITHDRAWN,
        "主动离职",
    )
    (event,) = [e for e in audit.history(case) if e.action == "withdraw"]
    assert (event.from_state, event.to_state, event.changes) == (
        "open",
        "withdrawn",
        {"on_exit": True},
    )
