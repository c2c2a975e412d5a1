"""The pages around multi-source ratings and assessment profiles (docs/kpi.md, "Pages"): the
line manager's raters page of a team member (assign raters, enter client ratings; refusals
at the field), refusing a profile choice (page and API), and the manager's inbox item for the
choices to approve — folded into the review query, so the inbox costs no extra query."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.errors import InvalidTransition
from kpi import scoring, services
from kpi.models import (
    Actual,
    AssessmentProfile,
    Indicator,
    Period,
    ProfileChoice,
    QualitativeRating,
    RaterAssignment,
    SchemeItem,
)
from tests.conftest import client_for
from tests.factories import StaffFactory, make_user_for

from .factories import make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    """World's L2 scheme with its rating item scored by multi-source ratings; five staff
    with logins to rate (P001–P005)."""
    world.q = make_indicator("Q360", scoring.SOURCES, kind=Indicator.Kind.QUALITATIVE)
    SchemeItem.objects.filter(scheme=world.scheme, indicator=world.rat).update(indicator=world.q)
    world.peers = []
    for n in range(1, 6):
        staff = StaffFactory(employee_no=f"P00{n}", unit=world.dep1, level=world.l2)
        world.peers.append(make_user_for(staff))
    return world


def _page(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def _url(w, staff=None) -> str:
    return f"/kpi/team/{(staff or w.alice).pk}/raters/?period=2026-03"


def _assign(page, w, employee_no, rater_type="peer"):
    return page.post(
        _url(w),
        {
            "action": "assign",
            "assign-indicator": w.q.pk,
            "assign-rater_type": rater_type,
            "assign-rater": employee_no,
        },
    )


def _client(page, w, score, comment=""):
    return page.post(
        _url(w),
        {
            "action": "client",
            "client-indicator": w.q.pk,
            "client-score": score,
            "client-comment": comment,
        },
    )


def _actual(w):
    return Actual.objects.get(staff=w.alice, indicator=w.q, period=w.mar).value


def test_the_manager_assigns_raters_and_enters_client_ratings(w):
    page = _page(w.manager_user)
    response = _assign(page, w, "P001")
    assert response.status_code == 302
    assert response["Location"] == _url(w)
    response = _assign(page, w, "M001", "manager")
    assert response.status_code == 302
    assert list(
        RaterAssignment.objects.filter(staff=w.alice, period=w.mar)
        .order_by("rater_type")
        .values_list("rater_type", "rater__staff__employee_no", "assigned_by")
    ) == [("manager", "M001", w.manager_user.pk), ("peer", "P001", w.manager_user.pk)]
    assert _client(page, w, "60", "响应及时").status_code == 302
    assert _actual(w) == D("60.00")  # the client alone
    manager_assignment = RaterAssignment.objects.get(staff=w.alice, rater_type="manager")
    services.rating_submit(actor=w.manager_user, assignment=manager_assignment, score="80")
    # manager 80 (50), client 60 (15): (4000 + 900) / 65 = 75.384… → 75.38
    assert _actual(w) == D("75.38")
    html = page.get(_url(w)).content.decode()
    assert "1 of 2 raters have rated." in html
    assert "60.00 — 响应及时" in html
    assert w.peers[0].staff.name in html  # the manager sees whom they asked …
    # … never who of them has rated: the one count per indicator is all there is.
    assert html.count(" rated.") == 1


def _field_error(html: str, form: str, field: str) -> str:
    marker = f'id="{form}-{field}-error">'
    assert marker in html, html
    return html.split(marker, 1)[1].split("</div>", 1)[0]


def test_refusals_are_shown_at_their_field(w):
    page = _page(w.manager_user)
    assert _assign(page, w, "P001").status_code == 302
    cases = [
        ("P001", "peer", "rater", "This rater is already assigned to this indicator."),
        ("A001", "peer", "rater", "Nobody rates themselves."),
        ("ZZ999", "peer", "rater", "No staff member with a login has this employee number."),
    ]
    for employee_no, rater_type, field, message in cases:
        response = _assign(page, w, employee_no, rater_type)
        assert response.status_code == 200
        html = response.content.decode()
        assert _field_error(html, "assign", field) == message
        assert 'class="form-control is-invalid"' in html
    # A client score out of range: refused at the score, nothing written.
    for bad in ("101", "-1", "80.123", "abc"):
        html = _client(page, w, bad).content.decode()
        assert _field_error(html, "client", "score") == (
            "A rating is a score from 0 to 100 (at most 2 decimals)."
            if bad in ("101", "-1", "80.123")
            else "A rating is a score from 0 to 100."
        )
    assert not QualitativeRating.objects.exists()
    # A locked period: the refusal above the form (it is about no one field).
    Period.objects.filter(pk=w.mar.pk).update(status=Period.Status.LOCKED)
    html = _client(page, w, "70").content.decode()
    assert "The period 2026-03 is locked: ratings can no longer change." in html
    assert 'class="alert alert-danger py-2" role="alert"' in html
    assert RaterAssignment.objects.count() == 1


def test_the_raters_page_is_scoped(w, hr_user):
    manager = _page(w.manager_user)
    assert manager.get(_url(w, w.carol)).status_code == 404  # outside the team
    assert manager.get(_url(w, w.manager)).status_code == 404  # not themselves
    assert _assign(_page(w.manager_user), w, "P001").status_code == 302
    assert _page(w.carol_user).get(_url(w)).status_code == 403  # not a manager
    response = _page(hr_user).get(_url(w, w.carol))
    assert response.status_code == 200
    # A post outside the manager's scope is 404 and writes nothing.
    response = manager.post(
        _url(w, w.carol),
        {"action": "assign", "assign-indicator": w.q.pk, "assign-rater_type": "peer"},
    )
    assert response.status_code == 404
    assert RaterAssignment.objects.count() == 1


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_raters_page_runs_the_same_queries_for_any_number_of_raters(
    w, django_assert_max_num_queries
):
    page = _page(w.manager_user)
    _assign(page, w, "P001")
    _client(page, w, "70")
    one = _count_queries(page, _url(w))
    for n in range(2, 6):
        assert _assign(page, w, f"P00{n}").status_code == 302
    for score in ("71", "72", "73"):
        assert _client(page, w, score).status_code == 302
    second = make_indicator("Q361", scoring.SOURCES, kind=Indicator.Kind.QUALITATIVE)
    services.rater_assign(
        actor=w.manager_user,
        period=w.mar,
        staff=w.alice,
        indicator=second,
        rater_type="peer",
        rater=w.peers[0],
    )
    with django_assert_max_num_queries(15):
        response = page.get(_url(w))
    html = response.content.decode()
    assert "0 of 5 raters have rated." in html
    assert "0 of 1 rater has rated." in html
    assert html.count("<li>7") == 4  # the four client ratings entered
    assert '<li>73.00 <span class="text-body-secondary">' in html  # a score, 2 places (#21)
    assert _count_queries(page, _url(w)) == one


def test_the_team_appraisal_page_links_to_the_raters_page(w, hr_user):
    services.period_targets_publish(actor=hr_user, period=w.mar)
    html = _page(w.manager_user).get("/kpi/appraisal/team/?period=2026-03").content.decode()
    assert f'href="/kpi/team/{w.alice.pk}/raters/?period=2026-03"' in html


# --- assessment profiles: refuse, and the manager's inbox item -------------------------------

SALES = {"rev": 60, "cpl": 10, "vis": 10, "rat": 10, "cmp": 10}


@pytest.fixture
def sales(world, hr_user):
    return services.profile_save(
        actor=hr_user,
        profile=AssessmentProfile(framework=world.scheme, name="销售导向"),
        items=[
            {"indicator": getattr(world, code), "weight": D(weight)}
            for code, weight in SALES.items()
        ],
    )


def test_the_manager_refuses_a_choice_with_a_reason_and_the_employee_chooses_again(
    world, sales, django_assert_max_num_queries
):
    w = world
    alice = _page(w.alice_user)
    assert alice.post("/kpi/profile/", {"year": "2026", "profile": sales.pk}).status_code == 302
    choice = ProfileChoice.objects.get(staff=w.alice, year=2026)
    manager = _page(w.manager_user)
    html = manager.get("/kpi/profile/?year=2026").content.decode()
    assert 'name="action" value="refuse"' in html
    refuse = {"year": "2026", "action": "refuse", "choice": choice.pk}
    response = manager.post("/kpi/profile/", {**refuse, "reason": "  "}, follow=True)
    assert "Give the reason for the refusal: the employee reads it." in response.content.decode()
    choice.refresh_from_db()
    assert choice.status == "pending"
    reason = "销售岗位请选择销售导向以外的方案"
    response = manager.post("/kpi/profile/", {**refuse, "reason": reason})
    assert response.status_code == 302
    choice.refresh_from_db()
    assert (choice.status, choice.refusal_reason) == ("refused", reason)
    with pytest.raises(InvalidTransition):
        services.profile_approve(actor=w.manager_user, choice=choice)
    with django_assert_max_num_queries(15):
        html = alice.get("/kpi/profile/?year=2026").content.decode()
    assert "Your line manager's reason: 销售岗位请选择销售导向以外的方案 Choose again." in html
    assert "Choose this profile" in html
    assert alice.post("/kpi/profile/", {"year": "2026", "profile": sales.pk}).status_code == 302
    choice.refresh_from_db()
    assert (choice.status, choice.refusal_reason) == ("pending", "")
    # Carol (outside the manager's team) cannot refuse: 404.
    response = _page(w.carol_user).post("/kpi/profile/", {**refuse, "reason": "x"})
    assert response.status_code == 404


def test_api_refuse(world, sales):
    w = world
    choice = services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    url = f"/api/v1/kpi/profile-choices/{choice.pk}/refuse/"
    assert client_for(w.carol_user).post(url, {"reason": "x"}, format="json").status_code == 404
    response = client_for(w.manager_user).post(url, {}, format="json")
    assert (response.status_code, response.json()["code"]) == (400, "reason_required")
    response = client_for(w.manager_user).post(url, {"reason": "请改选"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["refusal_reason"]) == ("refused", "请改选")
    response = client_for(w.manager_user).post(url, {"reason": "again"}, format="json")
    assert response.status_code == 409
    approve = client_for(w.manager_user).post(f"/api/v1/kpi/profile-choices/{choice.pk}/approve/")
    assert approve.status_code == 409


def _inbox(user):
    # the titles are read in English (the catalogues also carry them in Chinese)
    response = client_for(user).get("/api/v1/inbox/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.json()


def _profile_items(user):
    return [i for i in _inbox(user) if i["kind"] == "kpi.approve_profiles"]


def test_the_manager_is_asked_to_approve_until_each_choice_is_decided(world, sales, hr_user):
    w = world
    assert _profile_items(w.manager_user) == []
    alices = services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    bob_user = make_user_for(w.bob)
    bobs = services.profile_choose(actor=bob_user, profile=sales, year=2026)
    services.profile_choose(actor=w.carol_user, profile=sales, year=2026)  # not their team
    [item] = _profile_items(w.manager_user)
    assert (item["count"], item["due"], item["url"]) == (2, None, "/kpi/profile/?year=2026#pending")
    assert item["title"] == "Approve or refuse 2 assessment-profile choices for 2026"
    assert _profile_items(w.alice_user) == []  # not a manager
    services.profile_approve(actor=w.manager_user, choice=alices)
    assert _profile_items(w.manager_user)[0]["count"] == 1
    services.profile_refuse(actor=w.manager_user, choice=bobs, reason="请改选")
    assert _profile_items(w.manager_user) == []


def test_the_profile_item_costs_no_inbox_query(world, sales, hr_user):
    """The manager's inbox issues the same queries with no choice, one, or many pending —
    and with reviews to record beside them (the two share one query)."""
    w = world
    _inbox_queries(w.manager_user)  # the first request also warms caches (roles, navigation)
    base = _inbox_queries(w.manager_user)
    services.profile_choose(actor=w.alice_user, profile=sales, year=2026)
    assert _inbox_queries(w.manager_user) == base
    for n in range(6):
        staff = StaffFactory(employee_no=f"T{n:03d}", unit=w.dep1, level=w.l2, manager=w.manager)
        services.profile_choose(actor=make_user_for(staff), profile=sales, year=2026)
    services.profile_choose(actor=w.alice_user, profile=sales, year=2027)
    assert _inbox_queries(w.manager_user) == base
    counts = sorted((i["title"], i["count"]) for i in _profile_items(w.manager_user))
    assert counts == [
        ("Approve or refuse 1 assessment-profile choice for 2027", 1),
        ("Approve or refuse 7 assessment-profile choices for 2026", 7),
    ]
    # Reviews to record come from the same query as before.
    services.period_targets_publish(actor=hr_user, period=w.mar)
    Period.objects.filter(pk=w.mar.pk).update(stage="feedback", status=Period.Status.LOCKED)
    kinds = [i["kind"] for i in _inbox(w.manager_user) if i["kind"].startswith("kpi.")]
    assert kinds.count("kpi.review") == 1
    assert _inbox_queries(w.manager_user) == base


def _inbox_queries(user) -> int:
    client = client_for(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/v1/inbox/").status_code == 200
    return len(ctx.captured_queries)
