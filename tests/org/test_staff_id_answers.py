"""A staff id that does not exist answers exactly like one outside the caller's scope (404),
so an API never tells which ids exist."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
NONEXISTENT = 987_654


def _body(field_shape: str, staff_id: int) -> dict:
    return {"staff": [staff_id] if field_shape == "list" else staff_id}


ENDPOINTS = [
    ("/api/v1/kpi/actuals/", "one"),
    ("/api/v1/competency/assessments/", "one"),
    ("/api/v1/competency/rounds/", "list"),
]


@pytest.mark.parametrize(("url", "shape"), ENDPOINTS[:2])
def test_a_nonexistent_staff_id_answers_like_an_out_of_scope_one(company, as_user, url, shape):
    client = as_user(company.manager_user)
    outside = client.post(url, _body(shape, company.sibling.pk), format="json")
    missing = client.post(url, _body(shape, NONEXISTENT), format="json")
    assert outside.status_code == missing.status_code == 404
    assert outside.json() == missing.json()


def test_an_office_round_with_a_nonexistent_staff_id_is_a_404(company, as_user):
    """The office sees everyone: only a nonexistent id can be refused, and it is a 404 too."""
    client = as_user(company.hr)
    response = client.post("/api/v1/competency/rounds/", _body("list", NONEXISTENT), format="json")
    assert response.status_code == 404


@pytest.mark.parametrize(("url", "shape"), ENDPOINTS)
def test_a_visible_staff_id_reaches_the_other_checks(company, as_user, url, shape):
    client = as_user(company.hr)
    response = client.post(url, _body(shape, company.peer.pk), format="json")
    assert response.status_code == 400  # the other fields are missing
    assert "staff" not in response.json()


@pytest.mark.parametrize(("url", "shape"), ENDPOINTS)
def test_a_malformed_staff_id_is_a_400(company, as_user, url, shape):
    response = as_user(company.hr).post(url, {"staff": ["abc"] if shape == "list" else "abc"})
    assert response.status_code == 400
    assert "staff" in response.json()


@pytest.mark.parametrize(
    "url",
    ["/api/v1/kpi/actuals/", "/api/v1/kpi/scores/", "/api/v1/training/records/"],
)
def test_list_filters_answer_the_same_for_nonexistent_and_out_of_scope_ids(company, as_user, url):
    client = as_user(company.manager_user)
    outside = client.get(url, {"staff": company.sibling.pk})
    missing = client.get(url, {"staff": NONEXISTENT})
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert list(outside.json()) == ["staff"]
