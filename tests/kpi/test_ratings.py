"""Multi-source ratings of a qualitative KPI indicator (docs/kpi.md, "Multi-source ratings"):
weights renormalised over the rater types present, the actual fed into the scores, anonymity
of peers and subordinates, refusals, the rater's inbox, the pages and the API."""

from decimal import Decimal as D

import pytest
from django.test import Client

from core.errors import DomainError, InvalidTransition, NotInScope, RoleRequired
from kpi import scoring, services
from kpi.models import Actual, Indicator, PeriodScore, QualitativeRating, SchemeItem
from kpi.rating_selectors import groups_shown
from tests.conftest import client_for
from tests.factories import StaffFactory, make_user_for

from .factories import make_indicator

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world):
    """World's L2 scheme with its rating item (weight 10) scored by multi-source ratings
    instead; two peers of Alice with logins."""
    world.q = make_indicator("Q360", scoring.SOURCES, kind=Indicator.Kind.QUALITATIVE)
    SchemeItem.objects.filter(scheme=world.scheme, indicator=world.rat).update(indicator=world.q)
    world.peers = []
    for n in range(1, 6):
        staff = StaffFactory(employee_no=f"P00{n}", unit=world.dep1, level=world.l2)
        world.peers.append(make_user_for(staff))
    return world


def _assign(w, rater, rater_type, staff=None):
    return services.rater_assign(
        actor=w.manager_user,
        period=w.mar,
        staff=staff or w.alice,
        indicator=w.q,
        rater_type=rater_type,
        rater=rater,
    )


def _rate(w, rater, rater_type, score, staff=None):
    assignment = _assign(w, rater, rater_type, staff)
    return services.rating_submit(actor=rater, assignment=assignment, score=score)


def _client_rating(w, score, staff=None):
    return services.rating_client_enter(
        actor=w.manager_user, period=w.mar, staff=staff or w.alice, indicator=w.q, score=score
    )


def _actual(w, staff=None):
    return Actual.objects.get(staff=staff or w.alice, indicator=w.q, period=w.mar)


def test_weights_renormalise_over_the_types_present_and_feed_the_score(w):
    # manager 80, peers 70 and 90 (mean 80), no subordinate, client 60; weights 50/20/15/15:
    # (50×80 + 20×80 + 15×60) / (50 + 20 + 15) = 6500 / 85 = 76.470588… → 76.47
    _rate(w, w.manager_user, "manager", "80")
    _rate(w, w.peers[0], "peer", "70")
    _rate(w, w.peers[1], "peer", "90")
    _client_rating(w, "60")
    actual = _actual(w)
    assert (actual.value, actual.source) == (D("76.47"), Actual.Source.RATINGS)
    # Q360 is Alice's only item with an actual: the period total is its score.
    score = PeriodScore.objects.get(staff=w.alice, period=w.mar)
    assert score.total == D("76.47")
    assert score.items[0]["score"] == "76.47"


def test_one_rating_alone_is_the_actual_and_a_changed_rating_rewrites_it(w):
    assignment = _assign(w, w.peers[0], "peer")
    services.rating_submit(actor=w.peers[0], assignment=assignment, score="70")
    assert _actual(w).value == D("70.00")
    services.rating_submit(actor=w.peers[0], assignment=assignment, score="75.5")
    assert _actual(w).value == D("75.50")
    assert QualitativeRating.objects.filter(staff=w.alice).count() == 1


def test_scheme_weights_apply_and_rounding_is_half_up(w, hr_user):
    # manager 50, peer 50: (50×80.01 + 50×80) / 100 = 80.005 → 80.01 (half-even: 80.00)
    w.scheme.rater_weights = {"manager": "50", "peer": "50", "subordinate": "0", "client": "0"}
    items = [
        {"indicator": i.indicator, "weight": i.weight, "target": i.target}
        for i in w.scheme.items.select_related("indicator")
    ]
    services.scheme_save(actor=hr_user, scheme=w.scheme, items=items)
    _rate(w, w.manager_user, "manager", "80.01")
    _rate(w, w.peers[0], "peer", "80")
    _client_rating(w, "0")  # weight 0: counts as absent
    assert _actual(w).value == D("80.01")
    # Changing the weights re-derives the actual: manager 100 alone → 80.01; peers only
    # would be 80.00.
    w.scheme.rater_weights = {"peer": "1"}
    services.scheme_save(actor=hr_user, scheme=w.scheme, items=items)
    assert _actual(w).value == D("80.00")


def test_invalid_scheme_weights_are_refused(w, hr_user):
    from django.core.exceptions import ValidationError

    items = [
        {"indicator": i.indicator, "weight": i.weight, "target": i.target}
        for i in w.scheme.items.select_related("indicator")
    ]
    for bad in ({"boss": "10"}, {"peer": "-1"}, {"peer": "0"}, ["peer"]):
        w.scheme.rater_weights = bad
        with pytest.raises(ValidationError):
            services.scheme_save(actor=hr_user, scheme=w.scheme, items=items)


def test_anonymous_types_show_separately_only_from_three_raters():
    two_peers = {"manager": [D(80)], "peer": [D(70), D(90)], "subordinate": [D(60)] * 3}
    groups = groups_shown(two_peers)
    assert [(g.types, g.count, g.mean) for g in groups] == [
        (("manager",), 1, D(80)),
        (("peer", "subordinate"), 5, D(340) / 5),  # merged: (70 + 90 + 60×3) / 5 = 68
    ]
    three_each = {"peer": [D(70), D(80), D(90)], "subordinate": [D(60), D(60), D(63)]}
    groups = groups_shown(three_each)
    assert [(g.types, g.count, g.mean) for g in groups] == [
        (("peer",), 3, D(80)),
        (("subordinate",), 3, D(61)),
    ]
    assert groups_shown({"client": [D(50), D(70)]})[0].mean == D(60)


def test_refusals(w, hr_user):
    with pytest.raises(DomainError) as exc:
        _assign(w, w.peers[0], "client")
    assert exc.value.code == "invalid_rater_type"
    with pytest.raises(DomainError) as exc:
        _assign(w, w.alice_user, "peer")
    assert exc.value.code == "invalid_rater"
    _assign(w, w.peers[0], "peer")
    with pytest.raises(DomainError) as exc:
        _assign(w, w.peers[0], "subordinate")
    assert exc.value.code == "duplicate_rater"
    with pytest.raises(NotInScope):  # Carol is outside the manager's unit
        _assign(w, w.peers[1], "peer", staff=w.carol)
    with pytest.raises(RoleRequired):
        services.rater_assign(
            actor=w.alice_user,
            period=w.mar,
            staff=w.bob,
            indicator=w.q,
            rater_type="peer",
            rater=w.peers[1],
        )
    with pytest.raises(DomainError) as exc:
        services.rater_assign(
            actor=w.manager_user,
            period=w.mar,
            staff=w.alice,
            indicator=w.rev,
            rater_type="peer",
            rater=w.peers[1],
        )
    assert exc.value.code == "kind_mismatch"
    assignment = _assign(w, w.peers[1], "peer")
    for bad in ("101", "-1", "80.001", "abc"):
        with pytest.raises(DomainError) as exc:
            services.rating_submit(actor=w.peers[1], assignment=assignment, score=bad)
        assert exc.value.code == "invalid_score"
    with pytest.raises(NotInScope):  # not their assignment
        services.rating_submit(actor=w.peers[0], assignment=assignment, score="80")
    with pytest.raises(InvalidTransition):  # the actual comes from the ratings
        services.actual_enter(actor=hr_user, staff=w.alice, indicator=w.q, period=w.mar, value="80")
    w.mar.status = w.mar.Status.LOCKED
    w.mar.save()
    with pytest.raises(InvalidTransition):
        services.rating_submit(actor=w.peers[1], assignment=assignment, score="80")


def _inbox(user):
    response = client_for(user).get("/api/v1/inbox/")
    assert response.status_code == 200
    return [i for i in response.json() if i["kind"] == "kpi.give_ratings"]


def test_the_rater_gets_an_inbox_item_until_they_rate(w, django_assert_max_num_queries):
    assignments = [_assign(w, w.peers[0], "peer", staff=s) for s in (w.alice, w.bob)]
    [item] = _inbox(w.peers[0])
    assert (item["count"], item["due"], item["url"]) == (2, "2026-03-31", "/kpi/ratings/")
    services.rating_submit(actor=w.peers[0], assignment=assignments[0], score="90")
    assert _inbox(w.peers[0])[0]["count"] == 1
    services.rating_submit(actor=w.peers[0], assignment=assignments[1], score="90")
    assert _inbox(w.peers[0]) == []
    assert _inbox(w.peers[1]) == []


def test_api_assign_rate_client_and_result_without_rater_names(w):
    manager = client_for(w.manager_user)
    peer_ids = [p.staff.pk for p in w.peers]
    made = []
    for i, staff_id in enumerate(peer_ids[:2]):
        response = manager.post(
            "/api/v1/kpi/ratings/assignments/",
            {
                "period": "2026-03",
                "staff": w.alice.pk,
                "indicator": w.q.pk,
                "rater_type": "peer",
                "rater": staff_id,
            },
            format="json",
        )
        assert response.status_code == 201, response.json()
        made.append(response.json()["id"])
        rated = client_for(w.peers[i]).post(
            "/api/v1/kpi/ratings/",
            {"assignment": made[-1], "score": "70" if i == 0 else "90"},
            format="json",
        )
        assert rated.status_code == 201, rated.json()
    # Someone else cannot use the assignment: 404.
    assert (
        client_for(w.peers[2])
        .post("/api/v1/kpi/ratings/", {"assignment": made[0], "score": "1"}, format="json")
        .status_code
        == 404
    )
    response = manager.post(
        "/api/v1/kpi/ratings/client/",
        {"period": "2026-03", "staff": w.alice.pk, "indicator": w.q.pk, "score": "60"},
        format="json",
    )
    assert response.status_code == 201
    # peers 80 (20), client 60 (15): (1600 + 900) / 35 = 71.428… → 71.43
    for user in (w.alice_user, w.manager_user):
        result = client_for(user).get(
            "/api/v1/kpi/ratings/result/", {"staff": w.alice.pk, "period": "2026-03"}
        )
        assert result.status_code == 200
        [row] = result.json()
        assert row["value"] == "71.43"
        assert [(g["types"], g["count"], g["mean"]) for g in row["groups"]] == [
            (["client"], 1, "60.00"),
            (["peer"], 2, "80.00"),
        ]
        assert "rater" not in str(row)
    # The rated person sees no individual ratings; a peer sees only their own.
    assert client_for(w.alice_user).get("/api/v1/kpi/ratings/").json()["count"] == 0
    own = client_for(w.peers[0]).get("/api/v1/kpi/ratings/").json()
    assert [r["score"] for r in own["results"]] == ["70.00"]
    # Out of scope: 404.
    assert (
        client_for(w.carol_user)
        .get("/api/v1/kpi/ratings/result/", {"staff": w.alice.pk, "period": "2026-03"})
        .status_code
        == 404
    )
    assert client_for(w.carol_user).get("/api/v1/kpi/ratings/assignments/").json()["count"] == 0
    assert client_for(w.peers[0]).get("/api/v1/kpi/ratings/assignments/").json()["count"] == 1


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_rate_and_result_with_constant_queries(w, django_assert_max_num_queries):
    staff = [StaffFactory(employee_no=f"T{n:03d}", unit=w.dep1, level=w.l2) for n in range(12)]
    for s in staff:
        _assign(w, w.peers[0], "peer", staff=s)
    page = _page(w.peers[0])
    with django_assert_max_num_queries(15):
        response = page.get("/kpi/ratings/")
    assert response.status_code == 200
    assert response.content.decode().count('name="assignment"') == 12
    assignment = _assign(w, w.peers[0], "peer")
    response = page.post("/kpi/ratings/", {"assignment": assignment.pk, "score": "88"})
    assert response.status_code == 302
    assert _actual(w).value == D("88.00")
    for rater in w.peers[1:4]:
        _rate(w, rater, "subordinate", "70")
    manager = _page(w.manager_user)
    with django_assert_max_num_queries(15):
        response = manager.get(f"/kpi/staff/{w.alice.pk}/ratings/?period=2026-03")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-rating-result"' in html
    assert w.peers[0].staff.name not in html  # raters are never named
    # one peer and three subordinates rate together: (88 + 3 × 70) / 4 = 74.5 → "74.50" (#21)
    assert "<td>4</td><td>74.50</td>" in html
    assert _page(w.carol_user).get(f"/kpi/staff/{w.alice.pk}/ratings/").status_code == 404
