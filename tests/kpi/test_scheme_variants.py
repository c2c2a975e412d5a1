"""Company frameworks and their unit variants (docs/kpi.md, "Scheme variants"): a variant
keeps exactly the framework's indicators, each weight within the framework's bounds, and
scores the staff of its unit and sub-units (the nearest unit with a variant wins)."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError
from kpi import score_recompute, services
from kpi.models import PeriodScore, Scheme
from tests.conftest import client_for
from tests.factories import StaffFactory, make_unit

from .factories import make_indicator, put_actual

pytestmark = pytest.mark.django_db

FRAMEWORK = {"REV": 40, "CPL": 20, "VIS": 20, "RAT": 10, "CMP": 10}


def _items(w, weights):
    codes = {"REV": w.rev, "CPL": w.cpl, "VIS": w.vis, "RAT": w.rat, "CMP": w.cmp}
    defaults = {i.indicator_id: i.target for i in w.scheme.items.all()}
    return [
        {"indicator": codes[c], "weight": D(str(wt)), "target": defaults.get(codes[c].pk)}
        for c, wt in weights.items()
    ]


def _variant(w, hr_user, unit, weights):
    return services.scheme_save(
        actor=hr_user, scheme=Scheme(parent=w.scheme, unit=unit), items=_items(w, weights)
    )


def _total(staff, period):
    return PeriodScore.objects.get(staff=staff, period=period).total


def test_the_variant_of_the_nearest_unit_scores_its_staff(world, hr_user):
    w = world
    # dep1: REV 50, CPL 10 (each within ±10 of 40 and 20); root: REV 45, CPL 15.
    dep1 = _variant(w, hr_user, w.dep1, {**FRAMEWORK, "REV": 50, "CPL": 10})
    root = _variant(w, hr_user, w.root, {**FRAMEWORK, "REV": 45, "CPL": 15})
    assert (dep1.level_id, dep1.period_type, dep1.track_id) == (
        w.l2.pk,
        "month",
        w.l2.track_id,
    )
    sub = make_unit("DEP1A", w.dep1)
    dora = StaffFactory(employee_no="D001", unit=sub, level=w.l2)
    elsewhere = make_unit("OTHER")
    olga = StaffFactory(employee_no="O001", unit=elsewhere, level=w.l2)
    people = (w.alice, dora, w.carol, olga)
    for staff in people:
        put_actual(staff, w.rev, w.mar, "100")  # 100 / 100 → 100
        put_actual(staff, w.cpl, w.mar, "8")  # inverse 4 / 8 → 50
    score_recompute.recompute([w.mar.pk])
    resolved = score_recompute.resolve_schemes([s.pk for s in people], [w.mar])
    assert [resolved[(s.pk, w.mar.pk)] for s in people] == [dep1.pk, dep1.pk, root.pk, w.scheme.pk]
    # dep1 variant: (50×100 + 10×50) / 60 = 91.666… → 91.67 (Alice, and Dora in a sub-unit)
    assert _total(w.alice, w.mar) == D("91.67")
    assert _total(dora, w.mar) == D("91.67")
    # root variant (Carol in DEP2): (45×100 + 15×50) / 60 = 87.5
    assert _total(w.carol, w.mar) == D("87.50")
    # the framework (a unit outside ROOT): (40×100 + 20×50) / 60 = 83.333… → 83.33
    assert _total(olga, w.mar) == D("83.33")


def test_a_variant_out_of_line_with_the_framework_is_refused(world, hr_user):
    w = world
    cases = [
        {**FRAMEWORK, "REV": 51, "CPL": 9},  # REV 11 points from 40 (bounds 10)
        {"REV": 50, "CPL": 20, "VIS": 20, "RAT": 10},  # CMP left out
    ]
    for weights in cases:
        with pytest.raises(DomainError) as exc:
            _variant(w, hr_user, w.dep1, weights)
        assert exc.value.code == "variant_mismatch"
    extra = make_indicator("NEW", "ratio")
    items = [
        *_items(w, {**FRAMEWORK, "REV": 30}),
        {"indicator": extra, "weight": D(10), "target": D(1)},
    ]
    with pytest.raises(DomainError) as exc:
        services.scheme_save(
            actor=hr_user, scheme=Scheme(parent=w.scheme, unit=w.dep1), items=items
        )
    assert "NEW is not in the framework" in str(exc.value)
    with pytest.raises(ValidationError):  # weights still sum to exactly 100
        _variant(w, hr_user, w.dep1, {**FRAMEWORK, "REV": 45})
    # Exactly at the bound is accepted (40 → 50, 20 → 10).
    variant = _variant(w, hr_user, w.dep1, {**FRAMEWORK, "REV": 50, "CPL": 10})
    with pytest.raises(DomainError) as exc:  # no variant of a variant
        services.scheme_save(
            actor=hr_user,
            scheme=Scheme(parent=variant, unit=w.dep2),
            items=_items(w, {**FRAMEWORK, "REV": 50, "CPL": 10}),
        )
    assert exc.value.code == "variant_mismatch"
    # A framework change that would put the variant out of bounds is refused too
    # (REV 40 → 30: the variant's 50 is then 20 away).
    with pytest.raises(DomainError) as exc:
        services.scheme_save(
            actor=hr_user, scheme=w.scheme, items=_items(w, {**FRAMEWORK, "REV": 30, "CPL": 30})
        )
    assert exc.value.code == "variant_mismatch"


def test_api_creates_a_variant_and_refuses_a_bad_one(world, hr_user):
    w = world
    api = client_for(hr_user)
    body = {
        "parent": w.scheme.pk,
        "unit": w.dep1.pk,
        "items": [
            {"indicator": i["indicator"].pk, "weight": str(i["weight"]), "target": i["target"]}
            for i in _items(w, {**FRAMEWORK, "REV": 45, "VIS": 15})
        ],
    }
    response = api.post("/api/v1/kpi/schemes/", body, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["parent"], data["unit"], data["level"], data["period_type"]) == (
        w.scheme.pk,
        w.dep1.pk,
        w.l2.pk,
        "month",
    )
    body["unit"] = w.dep2.pk
    body["items"][0]["weight"] = "55"
    body["items"][2]["weight"] = "5"
    response = api.post("/api/v1/kpi/schemes/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "variant_mismatch"
