"""Assessment profiles (docs/kpi.md, "Assessment profiles"): a named weight set on the
framework, chosen by the employee in the preparation stage, approved by the line manager, and
then scoring the year's periods."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import DomainError, InvalidTransition, NotInScope
from kpi import score_recompute, services
from kpi.models import AssessmentProfile, PeriodScore, ProfileChoice, Stage
from notifications.models import Notification
from tests.conftest import client_for

from .factories import put_actual

pytestmark = pytest.mark.django_db


def _items(w, weights):
    codes = {"REV": w.rev, "CPL": w.cpl, "VIS": w.vis, "RAT": w.rat, "CMP": w.cmp}
    return [{"indicator": codes[c], "weight": D(str(x))} for c, x in weights.items()]


SALES = {"REV": 60, "CPL": 10, "VIS": 10, "RAT": 10, "CMP": 10}


@pytest.fixture
def sales(world, hr_user):
    return services.profile_save(
        actor=hr_user,
        profile=AssessmentProfile(framework=world.scheme, name="销售导向"),
        items=_items(world, SALES),
    )


def _total(w):
    return PeriodScore.objects.get(staff=w.alice, period=w.mar).total


def test_the_approved_profile_weights_score_the_year(world, sales):
    w = world
    put_actual(w.alice, w.rev, w.mar, "100")  # → 100
    put_actual(w.alice, w.cpl, w.mar, "8")  # inverse 4 / 8 → 50
    score_recompute.recompute([w.mar.pk])
    # Framework: (40×100 + 20×50) / 60 = 83.333… → 83.33
    assert _total(w) == D("83.33")
    choice = services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    score_recompute.recompute([w.mar.pk])
    assert (choice.status, _total(w)) == ("pending", D("83.33"))  # not yet approved
    services.profile_approve(actor=w.manager_user, choice=choice)
    # Profile: (60×100 + 10×50) / 70 = 92.857… → 92.86
    assert _total(w) == D("92.86")
    choice.refresh_from_db()
    assert choice.status == ProfileChoice.Status.APPROVED
    with pytest.raises(InvalidTransition):  # approved: no second choice this year
        services.profile_choose(actor=w.alice_user, profile=sales, year=2026)


def test_a_choice_after_the_preparation_stage_is_refused_with_the_reason(world, sales):
    w = world
    w.apr.stage = Stage.MOBILISATION
    w.apr.save()
    with pytest.raises(InvalidTransition) as exc:
        services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    assert "The preparation stage of 2026-04 is over" in str(exc.value)
    # Another year whose periods are all still in preparation (or not opened yet): accepted.
    assert services.profile_choose(actor=w.alice_user, profile=sales, year=2027).year == 2027


def test_approval_is_the_line_managers_and_profiles_keep_the_framework(world, sales, hr_user):
    w = world
    carols = services.profile_choose(actor=w.carol_user, profile=sales, year=2026)
    with pytest.raises(NotInScope):  # Carol is outside the manager's unit
        services.profile_approve(actor=w.manager_user, choice=carols)
    assert services.profile_approve(actor=hr_user, choice=carols).status == "approved"
    with pytest.raises(DomainError) as exc:
        services.profile_save(
            actor=hr_user,
            profile=AssessmentProfile(framework=w.scheme, name="缺项"),
            items=_items(w, {"REV": 70, "CPL": 10, "VIS": 10, "RAT": 10}),
        )
    assert exc.value.code == "variant_mismatch"
    with pytest.raises(ValidationError):
        services.profile_save(
            actor=hr_user,
            profile=AssessmentProfile(framework=w.scheme, name="服务导向"),
            items=_items(w, {**SALES, "REV": 59}),
        )


def test_api_choose_approve_and_scope(world, sales):
    w = world
    response = client_for(w.alice_user).post(
        "/api/v1/kpi/profile-choices/", {"profile": sales.pk, "year": 2026}, format="json"
    )
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert client_for(w.carol_user).get("/api/v1/kpi/profile-choices/").json()["count"] == 0
    assert (
        client_for(w.carol_user).post(f"/api/v1/kpi/profile-choices/{pk}/approve/").status_code
        == 404
    )
    response = client_for(w.manager_user).post(f"/api/v1/kpi/profile-choices/{pk}/approve/")
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    listed = client_for(w.alice_user).get("/api/v1/kpi/profiles/").json()
    assert listed["results"][0]["items"][0] == {"indicator": w.rev.pk, "weight": "60.00"}


def _page(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_profile_page_chooses_and_approves(world, sales, django_assert_max_num_queries):
    w = world
    alice = _page(w.alice_user)
    with django_assert_max_num_queries(15):
        response = alice.get("/kpi/profile/?year=2026")
    assert response.status_code == 200
    assert "销售导向" in response.content.decode()
    assert "<td>REV</td><td>60%</td>" in response.content.decode()  # weights as % (#21)
    response = alice.post("/kpi/profile/", {"year": "2026", "profile": sales.pk})
    assert response.status_code == 302
    manager = _page(w.manager_user)
    with django_assert_max_num_queries(15):
        response = manager.get("/kpi/profile/?year=2026")
    assert 'data-testid="kpi-profile-pending"' in response.content.decode()
    choice = ProfileChoice.objects.get(staff=w.alice, year=2026)
    response = manager.post(
        "/kpi/profile/", {"year": "2026", "action": "approve", "choice": choice.pk}
    )
    assert response.status_code == 302
    choice.refresh_from_db()
    assert choice.status == "approved"
    # Out of scope: Carol cannot approve (404).
    assert (
        _page(w.carol_user)
        .post("/kpi/profile/", {"year": "2026", "action": "approve", "choice": choice.pk})
        .status_code
        == 404
    )


def test_the_employee_is_told_the_decision_and_the_reason_of_a_refusal(world, sales):
    w = world
    choice = services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    services.profile_refuse(actor=w.manager_user, choice=choice, reason="销售指标偏低，请改选")
    told = Notification.objects.get(recipient=w.alice_user, event="kpi.profile_refused")
    assert "销售导向" in told.body and "销售指标偏低，请改选" in told.body
    assert told.url == reverse("kpi:profiles")
    # She chooses again; the approval is announced to her too, and to nobody else.
    again = services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    services.profile_approve(actor=w.manager_user, choice=again)
    assert list(
        Notification.objects.filter(event__startswith="kpi.profile_")
        .order_by("pk")
        .values_list("recipient", "event")
    ) == [(w.alice_user.pk, "kpi.profile_refused"), (w.alice_user.pk, "kpi.profile_approved")]
