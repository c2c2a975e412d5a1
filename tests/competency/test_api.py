"""``/api/v1/competency/…`` and ``org/staff/{id}/competency-profile/`` (API.md)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from competency import assessments as svc
from competency.models import Competency, CompetencyModel, ProficiencyLevel, Requirement
from tests.competency.factories import levels_for, make_model
from tests.competency.test_assessments import rate
from tests.conftest import client_for
from tests.factories import StaffFactory, make_user_for


@pytest.fixture
def model(ladder):
    return make_model(ladder=ladder, profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}})


@pytest.fixture
def finalized(model, team, hr_user):
    round_ = svc.round_create(actor=hr_user, model=model, name="2026", staff=[team["alice"]])
    a = round_.assessments.get()
    svc.rater_invite(actor=hr_user, assessment=a, user=team["bob_user"], rater_type="peer")
    rate(a, team["boss_user"], "manager", {"C1": 4, "C2": 4, "C3": 2})
    rate(a, team["bob_user"], "peer", {"C1": 3, "C2": 3, "C3": 1})
    rate(a, team["alice_user"], "self", {"C1": 5, "C2": 4, "C3": 1})
    svc.assessment_finalize(actor=hr_user, assessment=a, on=dt.date(2026, 6, 30))
    return a


# --- models, competencies, requirements ------------------------------------------------------


def test_hr_builds_publishes_and_copies_a_model(hr_api, ladder):
    r = hr_api.post("/api/v1/competency/models/", {"track": ladder[0].track_id, "name": "素质模型"})
    assert r.status_code == 201, r.data
    model_id = r.data["id"]
    assert (r.data["version"], r.data["status"]) == (1, "draft")
    r = hr_api.post(
        "/api/v1/competency/competencies/",
        {
            "model": model_id,
            "code": "DRV",
            "name": "驾驶",
            "category": "skill",
            "kind": "basic",
            "levels": [{"level": n, "description": f"d{n}"} for n in range(1, 6)],
        },
    )
    assert r.status_code == 201, r.data
    assert [lv["level"] for lv in r.data["levels"]] == [1, 2, 3, 4, 5]
    comp_id = r.data["id"]
    r = hr_api.post(
        "/api/v1/competency/requirements/",
        {
            "model": model_id,
            "level": ladder[0].pk,
            "competency": comp_id,
            "required_level": 2,
            "weight": "1.50",
        },
    )
    assert r.status_code == 201, r.data
    assert r.data["weight"] == "1.50"
    r = hr_api.post(f"/api/v1/competency/models/{model_id}/publish/", {"reason": "ok"})
    assert r.status_code == 200 and r.data["status"] == "published"
    # published is immutable: every edit answers 409
    assert hr_api.patch(f"/api/v1/competency/models/{model_id}/", {"name": "x"}).status_code == 409
    assert (
        hr_api.patch(f"/api/v1/competency/competencies/{comp_id}/", {"name": "x"}).status_code
        == 409
    )
    assert hr_api.delete(f"/api/v1/competency/competencies/{comp_id}/").status_code == 409
    req_id = Requirement.objects.get().pk
    assert (
        hr_api.patch(
            f"/api/v1/competency/requirements/{req_id}/", {"required_level": 3}
        ).status_code
        == 409
    )
    assert hr_api.post(f"/api/v1/competency/models/{model_id}/publish/").status_code == 409
    assert Competency.objects.get().name == "驾驶"
    # a new draft copies competencies, level descriptions and requirements
    r = hr_api.post(f"/api/v1/competency/models/{model_id}/new-draft/")
    assert r.status_code == 201 and (r.data["version"], r.data["status"], r.data["based_on"]) == (
        2,
        "draft",
        model_id,
    )
    draft = CompetencyModel.objects.get(pk=r.data["id"])
    assert draft.competencies.get().code == "DRV"
    assert ProficiencyLevel.objects.filter(competency__model=draft).count() == 5
    req = Requirement.objects.get(model=draft)
    assert (req.required_level, req.weight, req.level_id) == (2, D("1.50"), ladder[0].pk)
    assert hr_api.post(f"/api/v1/competency/models/{model_id}/new-draft/").status_code == 409
    # publishing v2 retires v1; retiring twice is refused
    assert hr_api.post(f"/api/v1/competency/models/{draft.pk}/publish/").status_code == 200
    assert CompetencyModel.objects.get(pk=model_id).status == "retired"
    assert (
        hr_api.post(f"/api/v1/competency/models/{model_id}/retire/").json()["code"]
        == "invalid_transition"
    )


def test_publish_refuses_a_competency_without_every_level_described(hr_api, ladder):
    model = make_model(ladder=ladder, publish=False)
    Competency.objects.filter(model=model, code="C1").first().levels.filter(level=4).delete()
    r = hr_api.post(f"/api/v1/competency/models/{model.pk}/publish/")
    assert r.status_code == 409 and r.data["code"] == "model_incomplete"


def test_staff_reads_models_but_cannot_write(team, model):
    api = client_for(team["alice_user"])
    assert api.get("/api/v1/competency/models/").data["count"] == 1
    assert (
        api.post("/api/v1/competency/models/", {"track": model.track_id, "name": "x"}).status_code
        == 403
    )


def test_garbage_input_is_400(hr_api, model):
    assert (
        hr_api.post(
            "/api/v1/competency/requirements/",
            {"model": model.pk, "level": 999999, "competency": "x", "required_level": 0},
        ).status_code
        == 400
    )
    assert (
        hr_api.post(
            "/api/v1/competency/competencies/",
            {"model": model.pk, "code": "Z", "name": "z", "category": "nope", "kind": "basic"},
        ).status_code
        == 400
    )
    assert hr_api.get("/api/v1/competency/competencies/?model=abc").status_code == 400


def test_lists_have_constant_queries(hr_api, ladder, django_assert_max_num_queries):
    make_model(ladder=ladder, codes=[f"C{i}" for i in range(12)])
    with django_assert_max_num_queries(6):
        r = hr_api.get("/api/v1/competency/competencies/")
    assert r.data["count"] == 12 and len(r.data["results"][0]["levels"]) == 5
    with django_assert_max_num_queries(6):
        assert hr_api.get("/api/v1/competency/requirements/").data["count"] == 60
    with django_assert_max_num_queries(6):
        assert hr_api.get("/api/v1/competency/models/").data["results"][0]["competency_count"] == 12


# --- assessments --------------------------------------------------------------------------------


def test_assessment_detail_has_results_and_index(finalized, hr_api):
    r = hr_api.get(f"/api/v1/competency/assessments/{finalized.pk}/")
    assert r.status_code == 200
    assert r.data["index"] == "93.75" and r.data["status"] == "finalized"
    c1 = next(x for x in r.data["results"] if x["code"] == "C1")
    assert (c1["actual"], c1["required"], c1["gap"]) == ("3.88", 3, "0.00")


def test_peers_are_anonymous_to_the_rated_person(finalized, team, hr_api):
    me = client_for(team["alice_user"])
    detail = me.get(f"/api/v1/competency/assessments/{finalized.pk}/").data
    peer = next(r for r in detail["raters"] if r["rater_type"] == "peer")
    assert peer == {"id": None, "rater_type": "peer", "user": None, "name": None, "completed": True}
    ratings = me.get(f"/api/v1/competency/assessments/{finalized.pk}/ratings/").data
    peers = [r for r in ratings if r["rater_type"] == "peer"]
    assert len(peers) == 3 and all(r["rater"] is None and r["rater_name"] is None for r in peers)
    body = str(detail) + str(ratings)
    assert "Bob" not in body and str(team["bob_user"].pk) not in {str(r["rater"]) for r in ratings}
    # HR and the manager see who the peer is
    hr_ratings = hr_api.get(f"/api/v1/competency/assessments/{finalized.pk}/ratings/").data
    assert {r["rater_name"] for r in hr_ratings if r["rater_type"] == "peer"} == {"Bob"}
    boss = client_for(team["boss_user"]).get(f"/api/v1/competency/assessments/{finalized.pk}/").data
    assert next(r for r in boss["raters"] if r["rater_type"] == "peer")["name"] == "Bob"


def test_rated_person_sees_only_own_ratings_while_open(model, team, hr_user):
    round_ = svc.round_create(actor=hr_user, model=model, name="open", staff=[team["alice"]])
    a = round_.assessments.get()
    rate(a, team["boss_user"], "manager", {"C1": 4})
    rate(a, team["alice_user"], "self", {"C1": 5})
    ratings = (
        client_for(team["alice_user"]).get(f"/api/v1/competency/assessments/{a.pk}/ratings/").data
    )
    assert [r["rater_type"] for r in ratings] == ["self"]


def test_out_of_scope_is_404(finalized, team):
    olga = client_for(team["outsider_user"])
    assert olga.get(f"/api/v1/competency/assessments/{finalized.pk}/").status_code == 404
    assert olga.get(f"/api/v1/competency/assessments/{finalized.pk}/ratings/").status_code == 404
    assert olga.post(f"/api/v1/competency/assessments/{finalized.pk}/finalize/").status_code == 404
    assert olga.get(f"/api/v1/org/staff/{team['alice'].pk}/competency-profile/").status_code == 404
    assert olga.get("/api/v1/competency/assessments/").data["count"] == 0
    bob = client_for(team["bob_user"])  # a colleague, not the manager
    assert bob.get(f"/api/v1/org/staff/{team['alice'].pk}/competency-profile/").status_code == 404


def test_rating_over_the_api_and_finalize_409(model, team, hr_user):
    round_ = svc.round_create(actor=hr_user, model=model, name="api", staff=[team["alice"]])
    a = round_.assessments.get()
    svc.rater_invite(actor=hr_user, assessment=a, user=team["outsider_user"], rater_type="peer")
    c = {x.code: x.pk for x in model.competencies.all()}
    olga = client_for(team["outsider_user"])  # invited from another unit: may rate, not read
    url = f"/api/v1/competency/assessments/{a.pk}/ratings/"
    r = olga.post(
        url, {"rater_type": "peer", "competency": c["C1"], "level": 4, "evidence": "案例"}
    )
    assert r.status_code == 201 and r.data["level"] == 4
    assert olga.get(f"/api/v1/competency/assessments/{a.pk}/").status_code == 404
    assert (
        olga.post(url, {"rater_type": "peer", "competency": c["C1"], "level": 4}).status_code == 400
    )
    assert (
        olga.post(
            url, {"rater_type": "peer", "competency": 999999, "level": 4, "evidence": "x"}
        ).status_code
        == 400
    )
    assert (
        olga.post(
            url, {"rater_type": "manager", "competency": c["C1"], "level": 4, "evidence": "x"}
        ).status_code
        == 400
    )
    boss = client_for(team["boss_user"])
    for code in ("C1", "C2", "C3"):
        assert (
            boss.post(
                url, {"rater_type": "manager", "competency": c[code], "level": 3, "evidence": "e"}
            ).status_code
            == 201
        )
    # outsiders and the rated person may not finalize
    assert (
        client_for(team["alice_user"])
        .post(f"/api/v1/competency/assessments/{a.pk}/finalize/")
        .status_code
        == 403
    )
    r = boss.post(f"/api/v1/competency/assessments/{a.pk}/finalize/", {"reason": "done"})
    assert r.status_code == 200 and r.data["status"] == "finalized"
    # C1: (50×3 + 20×4)/70 = 3.2857… ≥ 3; C2 3/4; C3 ≥ 2 → (2 + 0.75 + 1)/4 × 100 = 93.75
    assert r.data["index"] == "93.75"
    r = boss.post(f"/api/v1/competency/assessments/{a.pk}/finalize/")
    assert r.status_code == 409 and r.data["code"] == "invalid_transition"
    r = boss.post(
        url, {"rater_type": "manager", "competency": c["C1"], "level": 3, "evidence": "e"}
    )
    assert r.status_code == 409


def test_profile_endpoint(finalized, team):
    r = client_for(team["alice_user"]).get(
        f"/api/v1/org/staff/{team['alice'].pk}/competency-profile/"
    )
    assert r.status_code == 200
    assert r.data["index"] == "93.75" and r.data["assessment"] == finalized.pk
    items = {i["code"]: i for i in r.data["items"]}
    assert (items["C2"]["required"], items["C2"]["actual"], items["C2"]["gap"]) == (
        4,
        "3.75",
        "0.25",
    )
    assert items["C1"]["gap"] == "0.00"


def test_profile_without_assessment_lists_requirements(model, team, hr_api):
    r = hr_api.get(f"/api/v1/org/staff/{team['bob'].pk}/competency-profile/")
    assert r.data["index"] is None
    assert [(i["code"], i["required"], i["actual"]) for i in r.data["items"]] == [
        ("C1", 3, None),
        ("C2", 4, None),
        ("C3", 2, None),
    ]


def test_assessment_list_constant_queries(
    model, team, hr_user, hr_api, django_assert_max_num_queries
):
    people = [
        StaffFactory(level=team["alice"].level, unit=team["alice"].unit, manager=team["boss"])
        for _ in range(15)
    ]
    for p in people:
        make_user_for(p)
    round_ = svc.round_create(actor=hr_user, model=model, name="big", staff=people)
    for a in round_.assessments.all():
        rate(a, team["boss_user"], "manager", {"C1": 3, "C2": 3, "C3": 3})
    svc.round_finalize(actor=hr_user, round=round_)
    with django_assert_max_num_queries(8):
        r = hr_api.get("/api/v1/competency/assessments/")
    assert r.data["count"] == 15 and len(r.data["results"][0]["results"]) == 3
    with django_assert_max_num_queries(8):
        assert hr_api.get("/api/v1/competency/rounds/").data["results"][0]["finalized_count"] == 15
    with django_assert_max_num_queries(10):
        assert (
            hr_api.get(f"/api/v1/org/staff/{people[0].pk}/competency-profile/").status_code == 200
        )


def test_create_assessment_and_invite(model, team, hr_api):
    r = hr_api.post("/api/v1/competency/assessments/", {"staff": team["bob"].pk, "model": model.pk})
    assert r.status_code == 201 and r.data["status"] == "open"
    r2 = hr_api.post(
        f"/api/v1/competency/assessments/{r.data['id']}/raters/",
        {"user": team["expert_user"].pk, "rater_type": "expert"},
    )
    assert r2.status_code == 201 and r2.data["rater_type"] == "expert"
    r3 = hr_api.post(
        f"/api/v1/competency/assessments/{r.data['id']}/raters/",
        {"user": team["expert_user"].pk, "rater_type": "expert"},
    )
    assert r3.status_code == 400
    assert (
        hr_api.post(f"/api/v1/competency/assessments/{r.data['id']}/cancel/").data["status"]
        == "cancelled"
    )
    assert hr_api.post(f"/api/v1/competency/assessments/{r.data['id']}/cancel/").status_code == 409


def test_levels_are_validated(hr_api, ladder):
    model = make_model(ladder=ladder, publish=False)
    r = hr_api.post(
        "/api/v1/competency/competencies/",
        {
            "model": model.pk,
            "code": "N",
            "name": "n",
            "category": "skill",
            "kind": "basic",
            "levels": [*levels_for(), {"level": 1, "description": "dup"}],
        },
    )
    assert r.status_code == 400


def test_round_api_with_custom_weights(model, team, hr_api, hr_user):
    r = hr_api.post(
        "/api/v1/competency/rounds/",
        {
            "name": "自评不计",
            "model": model.pk,
            "staff": [team["alice"].pk],
            "weight_self": "0",
        },
    )
    assert r.status_code == 201, r.data
    assert (r.data["weight_manager"], r.data["weight_self"], r.data["assessment_count"]) == (
        "50.00",
        "0.00",
        1,
    )
    from competency.models import AssessmentRound

    assessment = AssessmentRound.objects.get(pk=r.data["id"]).assessments.get()
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3, "C3": 2})
    rate(assessment, team["alice_user"], "self", {"C1": 5, "C2": 5, "C3": 5})
    assert hr_api.post(f"/api/v1/competency/rounds/{r.data['id']}/finalize/").data == {
        "finalized": 1
    }
    assessment.refresh_from_db()
    # self weighs 0 → manager only: (2×1 + 3/4 + 1) / 4 × 100 = 93.75
    assert assessment.index == D("93.75")
    assert hr_api.post(f"/api/v1/competency/rounds/{r.data['id']}/close/").status_code == 200
    assert hr_api.post(f"/api/v1/competency/rounds/{r.data['id']}/close/").status_code == 409


def test_round_api_refuses_a_draft_model_and_other_tracks(ladder, team, hr_api):
    draft = make_model(ladder=ladder, publish=False)
    r = hr_api.post(
        "/api/v1/competency/rounds/", {"name": "x", "model": draft.pk, "staff": [team["alice"].pk]}
    )
    assert r.status_code == 409
    r = hr_api.post("/api/v1/competency/rounds/", {"name": "x", "model": draft.pk, "staff": []})
    assert r.status_code == 400
    r = hr_api.post(
        "/api/v1/competency/rounds/",
        {"name": "x", "model": draft.pk, "staff": [team["alice"].pk], "weight_peer": "-1"},
    )
    assert r.status_code == 400


def test_patch_with_a_level_entry_missing_its_level_is_400(hr_api, model):
    """Found by the API fuzz: a partial update validated nested entries without "level"."""
    competency = model.competencies.first()
    response = hr_api.patch(
        f"/api/v1/competency/competencies/{competency.pk}/",
        {"levels": [{"description": "only a description"}]},
    )
    assert response.status_code == 400
    assert "levels" in response.json()
