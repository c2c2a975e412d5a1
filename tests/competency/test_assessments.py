"""Assessment services: rounds, raters, ratings, finalize (DOMAIN.md "Competency model")."""

import datetime as dt
from decimal import Decimal as D

import pytest

from competency import assessments as svc
from competency import selectors
from competency.models import Assessment, AssessmentResult, Rater
from core.errors import DomainError, InvalidTransition, RoleRequired
from core.models import AuditEvent
from tests.competency.factories import make_model


def rate(assessment, user, rater_type, levels: dict):
    comps = {c.code: c for c in assessment.model.competencies.all()}
    return svc.ratings_save(
        actor=user,
        assessment=assessment,
        rater_type=rater_type,
        entries=[
            {"competency": comps[code], "level": lvl, "evidence": f"例：{code}"}
            for code, lvl in levels.items()
        ],
    )


@pytest.fixture
def model(ladder):
    # L2 requires C1 at 3 (weight 2), C2 at 4 (weight 1), C3 at 2 (weight 1)
    return make_model(
        ladder=ladder,
        profile={"L2": {"C1": (3, 2), "C2": (4, 1), "C3": (2, 1)}},
    )


@pytest.fixture
def assessment(model, team, hr_user):
    round_ = svc.round_create(actor=hr_user, model=model, name="2026", staff=[team["alice"]])
    return round_.assessments.get()


def test_round_invites_self_and_manager(assessment, team):
    raters = {(r.user_id, r.rater_type) for r in assessment.raters.all()}
    assert raters == {(team["alice_user"].pk, "self"), (team["boss_user"].pk, "manager")}
    assert assessment.level.code == "L2"


def test_finalize_renormalises_weights_when_a_type_is_missing(assessment, team, hr_user):
    svc.rater_invite(
        actor=team["boss_user"], assessment=assessment, user=team["bob_user"], rater_type="peer"
    )
    rate(assessment, team["boss_user"], "manager", {"C1": 4, "C2": 4, "C3": 2})
    rate(assessment, team["bob_user"], "peer", {"C1": 3, "C2": 3, "C3": 1})
    rate(assessment, team["alice_user"], "self", {"C1": 5, "C2": 4, "C3": 1})
    svc.assessment_finalize(actor=team["boss_user"], assessment=assessment, on=dt.date(2026, 6, 30))
    assessment.refresh_from_db()
    results = {r.competency.code: r for r in assessment.results.select_related("competency")}
    # C1: (50×4 + 20×3 + 10×5) / 80 = 3.875 → 3.88; capped at 1 against 3
    # C2: (50×4 + 20×3 + 10×4) / 80 = 300 / 80 = 3.75; 3.75 / 4 = 0.9375; gap 0.25
    # C3: (50×2 + 20×1 + 10×1) / 80 = 130 / 80 = 1.625 → 1.63; 1.625 / 2 = 0.8125; gap 0.375 → 0.38
    assert results["C1"].actual == D("3.88") and results["C1"].gap == D("0.00")
    assert results["C2"].actual == D("3.75") and results["C2"].gap == D("0.25")
    assert results["C3"].actual == D("1.63") and results["C3"].gap == D("0.38")
    # index = (2×1 + 1×0.9375 + 1×0.8125) / 4 × 100 = 3.75 / 4 × 100 = 93.75
    assert assessment.index == D("93.75")
    assert assessment.status == "finalized"
    assert assessment.finalized_on == dt.date(2026, 6, 30)
    assert results["C1"].by_type == {"manager": "4.00", "peer": "3.00", "self": "5.00"}
    event = AuditEvent.objects.get(object_id=str(assessment.pk), action="finalize")
    assert (event.from_state, event.to_state, event.actor) == (
        "open",
        "finalized",
        team["boss_user"],
    )


def test_index_uses_unrounded_actuals(assessment, team, hr_user):
    # manager only on C1 … all types absent except manager + self: C1 (50×3 + 10×4)/60 = 3.1666…
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3, "C3": 2})
    rate(assessment, team["alice_user"], "self", {"C1": 4, "C2": 4, "C3": 2})
    svc.assessment_finalize(actor=hr_user, assessment=assessment)
    assessment.refresh_from_db()
    # C2: (150 + 40) / 60 = 3.1666… ; 3.1666… / 4 = 0.791666…
    # index = (2×1 + 0.791666… + 1) / 4 × 100 = 94.7916… → 94.79
    # (rounding C2 first to 3.17 would give (2 + 0.7925 + 1)/4×100 = 94.8125 → 94.81)
    assert assessment.index == D("94.79")
    c2 = assessment.results.get(competency__code="C2")
    assert (c2.actual, c2.gap) == (D("3.17"), D("0.83"))


def test_profile_gaps_largest_first_ties_in_model_order(assessment, team, hr_user):
    # manager only: C1 2 (gap 1), C2 3 (gap 1), C3 1 (gap 1) — a three-way tie
    rate(assessment, team["boss_user"], "manager", {"C1": 2, "C2": 3, "C3": 1})
    svc.assessment_finalize(actor=hr_user, assessment=assessment)
    profile = selectors.competency_profile(staff=team["alice"])
    gaps = selectors.gaps_with_courses(profile=profile)
    assert [(g["competency"].code, g["gap"]) for g in gaps] == [
        ("C1", D("1.00")),
        ("C2", D("1.00")),
        ("C3", D("1.00")),
    ]
    # index = (2×2/3 + 3/4 + 1/2) / 4 × 100 = (1.3333… + 1.25) / 4 × 100 = 64.5833… → 64.58
    assert profile["index"] == D("64.58")


def test_finalize_refuses_while_a_required_competency_has_no_rating(assessment, team, hr_user):
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3})
    with pytest.raises(InvalidTransition) as exc:
        svc.assessment_finalize(actor=hr_user, assessment=assessment)
    assert exc.value.code == "assessment_incomplete"
    assert Assessment.objects.get(pk=assessment.pk).status == "open"


def test_finalize_twice_is_an_invalid_transition(assessment, team, hr_user):
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3, "C3": 3})
    svc.assessment_finalize(actor=hr_user, assessment=assessment)
    with pytest.raises(InvalidTransition):
        svc.assessment_finalize(actor=hr_user, assessment=assessment)
    with pytest.raises(InvalidTransition):
        rate(assessment, team["boss_user"], "manager", {"C1": 4})
    with pytest.raises(InvalidTransition):
        svc.assessment_cancel(actor=hr_user, assessment=assessment)
    assert AssessmentResult.objects.filter(assessment=assessment).count() == 3


def test_staff_cannot_finalize_own_assessment(assessment, team):
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3, "C3": 3})
    with pytest.raises(RoleRequired):
        svc.assessment_finalize(actor=team["alice_user"], assessment=assessment)


def test_rating_needs_evidence_and_a_level_on_the_scale(assessment, team):
    c1 = assessment.model.competencies.get(code="C1")
    with pytest.raises(DomainError):
        svc.rating_save(
            actor=team["boss_user"],
            assessment=assessment,
            rater_type="manager",
            competency=c1,
            level=3,
            evidence="  ",
        )
    with pytest.raises(DomainError):
        svc.rating_save(
            actor=team["boss_user"],
            assessment=assessment,
            rater_type="manager",
            competency=c1,
            level=6,
            evidence="x",
        )


def test_uninvited_people_cannot_rate_and_types_are_fixed(assessment, team, hr_user):
    c1 = assessment.model.competencies.get(code="C1")
    with pytest.raises(RoleRequired):
        svc.rating_save(
            actor=team["outsider_user"],
            assessment=assessment,
            rater_type="peer",
            competency=c1,
            level=3,
            evidence="x",
        )
    with pytest.raises(DomainError):
        svc.rating_save(
            actor=team["alice_user"],
            assessment=assessment,
            rater_type="manager",
            competency=c1,
            level=5,
            evidence="x",
        )
    # HR may rate as an expert without an invitation
    svc.rating_save(
        actor=hr_user,
        assessment=assessment,
        rater_type="expert",
        competency=c1,
        level=3,
        evidence="x",
    )
    assert Rater.objects.get(assessment=assessment, user=hr_user).rater_type == "expert"


def test_rater_completes_when_every_competency_is_rated(assessment, team):
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3})
    assert Rater.objects.get(user=team["boss_user"]).completed_at is None
    assert selectors.pending_ratings(user=team["boss_user"]).count() == 1
    rate(assessment, team["boss_user"], "manager", {"C3": 3})
    assert Rater.objects.get(user=team["boss_user"]).completed_at is not None
    assert selectors.pending_ratings(user=team["boss_user"]).count() == 0


def test_round_uses_published_versions_only(ladder, team, hr_user):
    draft = make_model(ladder=ladder, publish=False)
    with pytest.raises(InvalidTransition):
        svc.round_create(actor=hr_user, model=draft, name="x", staff=[team["alice"]])


def test_round_close_needs_every_assessment_done(assessment, team, hr_user):
    with pytest.raises(InvalidTransition):
        svc.round_close(actor=hr_user, round=assessment.round)
    rate(assessment, team["boss_user"], "manager", {"C1": 3, "C2": 3, "C3": 3})
    assert svc.round_finalize(actor=hr_user, round=assessment.round) == 1
    svc.round_close(actor=hr_user, round=assessment.round)
    with pytest.raises(InvalidTransition):
        svc.round_close(actor=hr_user, round=assessment.round)


def test_competency_indexes_latest_finalized_on_or_before_date(model, team, hr_user):
    first = svc.round_create(
        actor=hr_user, model=model, name="2025", staff=[team["alice"], team["bob"]]
    )
    for a in first.assessments.all():
        rate(a, team["boss_user"], "manager", {"C1": 3, "C2": 4, "C3": 2})
    svc.round_finalize(actor=hr_user, round=first, on=dt.date(2025, 6, 30))
    second = svc.round_create(actor=hr_user, model=model, name="2026", staff=[team["alice"]])
    a = second.assessments.get()
    rate(a, team["boss_user"], "manager", {"C1": 3, "C2": 2, "C3": 2})
    svc.round_finalize(actor=hr_user, round=second, on=dt.date(2026, 6, 30))
    alice, bob, olga = team["alice"].pk, team["bob"].pk, team["outsider"].pk
    # 2026: (2 + 0.5 + 1) / 4 × 100 = 87.5
    assert selectors.competency_indexes(staff_ids=[alice, bob, olga]) == {
        alice: D("87.50"),
        bob: D("100.00"),
    }
    assert selectors.competency_indexes(staff_ids=[alice], on_date=dt.date(2026, 1, 1)) == {
        alice: D("100.00")
    }
    assert selectors.competency_indexes(staff_ids=[alice], on_date=dt.date(2025, 1, 1)) == {}
    assert [x.index for x in selectors.history(staff=team["alice"])] == [D("100.00"), D("87.50")]


def test_competency_indexes_is_one_query(model, team, hr_user, django_assert_num_queries):
    with django_assert_num_queries(1):
        selectors.competency_indexes(staff_ids=[team["alice"].pk, team["bob"].pk])


def test_round_finalize_sets_each_assessment_its_own_index_and_leaves_the_incomplete_open(
    model, team, hr_user
):
    """The round is finalized set-based (one update per distinct index): different indexes in
    one round each reach their own assessment (equal ones, both 100.00: the competency-index
    test above), with their results and audit; an assessment missing ratings stays open."""
    round_ = svc.round_create(
        actor=hr_user, model=model, name="2026", staff=[team["alice"], team["bob"]]
    )
    alice, bob = (round_.assessments.get(staff=team[n]) for n in ("alice", "bob"))
    rate(alice, team["boss_user"], "manager", {"C1": 3, "C2": 4, "C3": 2})  # all met: 100
    rate(bob, team["boss_user"], "manager", {"C1": 3, "C2": 2, "C3": 2})  # (2+0.5+1)/4: 87.5
    assert svc.round_finalize(actor=hr_user, round=round_, on=dt.date(2026, 6, 30)) == 2
    alice.refresh_from_db()
    bob.refresh_from_db()
    assert (alice.status, alice.index, alice.finalized_on) == (
        "finalized",
        D("100.00"),
        dt.date(2026, 6, 30),
    )
    assert (bob.status, bob.index, bob.finalized_on) == (
        "finalized",
        D("87.50"),
        dt.date(2026, 6, 30),
    )
    gaps = dict(
        AssessmentResult.objects.filter(assessment=bob).values_list("competency__code", "gap")
    )
    assert gaps == {"C1": D("0.00"), "C2": D("2.00"), "C3": D("0.00")}
    changes = dict(AuditEvent.objects.filter(action="finalize").values_list("object_id", "changes"))
    assert changes == {str(alice.pk): {"index": "100.00"}, str(bob.pk): {"index": "87.50"}}

    second = svc.round_create(
        actor=hr_user, model=model, name="2027", staff=[team["alice"], team["bob"]]
    )
    tied = list(second.assessments.order_by("pk"))
    for a in tied:
        rate(a, team["boss_user"], "manager", {"C1": 3, "C2": 2, "C3": 2})
    alice_2027 = next(a for a in tied if a.staff_id == team["alice"].pk)
    rater = alice_2027.raters.get(rater_type="manager")
    rater.ratings.all().delete()  # alice's ratings withdrawn: hers stays open
    assert svc.round_finalize(actor=hr_user, round=second) == 1
    assert {(a.staff_id, a.status, a.index) for a in second.assessments.all()} == {
        (team["alice"].pk, "open", None),
        (team["bob"].pk, "finalized", D("87.50")),
    }
