"""Conflicts of interest, sheet visibility, chair-only reopen, quorum with recusals, the
quota-tie flag, and concurrent submissions."""

import datetime as dt
import threading
from decimal import Decimal as D

import pytest
from django.db import connection

from certification import services
from certification.models import DeclaredConflict, ScoringSheet
from certification.results import compute_results
from core.errors import InvalidTransition, RoleRequired
from tests.certification.factories import (
    COMMITTEE_ONLY,
    TODAY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    external_member,
    make_cycle,
)
from tests.conftest import client_for
from tests.factories import StaffFactory, make_unit, make_user_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"


@pytest.fixture
def setup(ladder, hr, fake):
    """A cycle in review offering L3 (quota 2, pass line 60), committee-scored only."""
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    unit = make_unit("KA")
    boss = StaffFactory(level=ladder[3], level_since=dt.date(2015, 1, 1), unit=unit)
    cand, cand_user = applicant(ladder[1], unit=unit, manager=boss)
    app = apply_and_qualify(cycle, hr, cand_user)
    return {"cycle": cycle, "unit": unit, "boss": boss, "cand": cand, "app": app}


def _panel(setup, hr, ladder, members, chair=None):
    return services.panel_save(
        actor=hr,
        cycle=setup["cycle"],
        level=ladder[2],
        chair=chair or members[0],
        members=members,
    )


def _can_see(user, app):
    api = client_for(user)
    detail = api.get(f"{BASE}/applications/{app.pk}/").status_code
    listed = [r["id"] for r in api.get(f"{BASE}/applications/").json()["results"]]
    sheet = api.post(
        f"{BASE}/sheets/", {"application": app.pk, "scores": {"defence": 80}}, format="json"
    ).status_code
    return detail, app.pk in listed, sheet


def test_an_unconflicted_member_sees_and_scores_the_candidate(setup, hr, ladder):
    member, _ = committee_member("free", level=ladder[4])
    _panel(setup, hr, ladder, [member])
    advance(setup["cycle"], hr, "review")
    assert _can_see(member, setup["app"]) == (200, True, 201)


def test_member_is_never_shown_their_own_application(setup, hr, ladder, fake):
    # the candidate sits on the panel of their own target level
    cand_user = setup["cand"].user
    from core.roles import Role

    cand_user.groups.add(
        *__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.filter(
            name=Role.COMMITTEE
        )
    )
    other, _ = committee_member("other", level=ladder[4])
    _panel(setup, hr, ladder, [other, cand_user])
    advance(setup["cycle"], hr, "review")
    api = client_for(cand_user)
    # own application is visible as the applicant, but cannot be scored
    assert (
        api.post(
            f"{BASE}/sheets/",
            {"application": setup["app"].pk, "scores": {"defence": 99}},
            format="json",
        ).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["manager", "report", "same_unit", "declared"])
def test_a_conflicted_member_gets_404_on_the_candidate(setup, hr, ladder, kind):
    cycle = setup["cycle"]
    if kind == "manager":
        # the member is the candidate's own line manager
        member = make_user_for(setup["boss"], "committee_member", username="boss")
    elif kind == "report":
        # the candidate is the member's line manager
        staff = StaffFactory(
            level=ladder[0],
            level_since=dt.date(2020, 1, 1),
            manager=setup["cand"],
            unit=make_unit("OTHER"),
        )
        member = make_user_for(staff, "committee_member", username="report")
    elif kind == "same_unit":
        cycle.same_unit_conflict = True
        cycle.save(update_fields=["same_unit_conflict"])
        member, _ = committee_member("colleague", level=ladder[4], unit=setup["unit"])
    else:
        member = external_member("expert")
        services.conflict_declare(actor=member, member=member, staff=setup["cand"], kind="relative")
    free, _ = committee_member("free", level=ladder[4])
    _panel(setup, hr, ladder, [free, member])
    advance(cycle, hr, "review")
    if kind != "manager":
        assert _can_see(member, setup["app"]) == (404, False, 404)
    else:
        # a line manager on the panel loses the manager's view of the report's application
        assert _can_see(member, setup["app"]) == (404, False, 404)
    assert _can_see(free, setup["app"])[0] == 200
    # the recused member does not count for the quorum: 1 non-recused member → quorum 1
    row = compute_results(cycle)[0]
    assert (row.members, row.recused, row.quorum) == (2, 1, 1)


def test_same_unit_is_no_conflict_unless_the_cycle_says_so(setup, hr, ladder):
    member, _ = committee_member("colleague", level=ladder[4], unit=setup["unit"])
    _panel(setup, hr, ladder, [member])
    advance(setup["cycle"], hr, "review")
    assert _can_see(member, setup["app"])[0] == 200


def test_a_declared_conflict_is_data_with_a_type(setup, hr, ladder):
    member = external_member("expert")
    conflict = services.conflict_declare(
        actor=hr, member=member, staff=setup["cand"], kind="collaborator", note="同一项目组"
    )
    assert DeclaredConflict.objects.get(pk=conflict.pk).kind == "collaborator"
    with pytest.raises(InvalidTransition):
        services.conflict_declare(actor=hr, member=member, staff=setup["cand"], kind="other")
    stranger = external_member("stranger")
    with pytest.raises(RoleRequired):
        services.conflict_declare(actor=stranger, member=member, staff=setup["cand"], kind="other")


def test_quorum_of_seven_members_with_two_recused_is_four(setup, hr, ladder):
    members = [committee_member(f"m{i}", level=ladder[4])[0] for i in range(5)]
    recused = [external_member("x1"), external_member("x2")]
    for m in recused:
        services.conflict_declare(actor=m, member=m, staff=setup["cand"], kind="relative")
    _panel(setup, hr, ladder, members + recused)
    advance(setup["cycle"], hr, "review")
    app = setup["app"]
    for member, value in zip(members[:3], [80, 82, 84], strict=True):
        sheet = services.sheet_save(actor=member, application=app, scores={"defence": value})
        services.sheet_submit(actor=member, sheet=sheet)
    row = compute_results(setup["cycle"])[0]
    assert (row.members, row.recused, row.quorum, row.submitted) == (7, 2, 4, 3)
    assert row.committee_score is None
    assert row.flags == ["quorum_not_reached"]
    sheet = services.sheet_save(actor=members[3], application=app, scores={"defence": 86})
    services.sheet_submit(actor=members[3], sheet=sheet)
    row = compute_results(setup["cycle"])[0]
    assert row.committee_score == D("83.00")  # 4 sheets: plain mean of 80, 82, 84, 86
    assert row.flags == []


def test_spread_above_the_threshold_flags_for_discussion(setup, hr, ladder):
    members = [committee_member(f"m{i}", level=ladder[4])[0] for i in range(2)]
    _panel(setup, hr, ladder, members)
    cycle = setup["cycle"]
    cycle.spread_threshold = D("5")
    cycle.save(update_fields=["spread_threshold"])
    advance(cycle, hr, "review")
    for member, value in zip(members, [80, 90], strict=True):
        sheet = services.sheet_save(
            actor=member, application=setup["app"], scores={"defence": value}
        )
        services.sheet_submit(actor=member, sheet=sheet)
    row = compute_results(cycle)[0]
    assert row.spread == D(5)
    assert "spread" not in row.flags  # exactly at the threshold: not above
    cycle.spread_threshold = D("4.99")
    cycle.save(update_fields=["spread_threshold"])
    assert "spread" in compute_results(cycle)[0].flags


def test_other_members_scores_are_hidden_until_one_submits(setup, hr, ladder):
    m1, m2 = (committee_member(f"m{i}", level=ladder[4])[0] for i in range(2))
    _panel(setup, hr, ladder, [m1, m2])
    advance(setup["cycle"], hr, "review")
    app = setup["app"]
    s1 = services.sheet_save(actor=m1, application=app, scores={"defence": 80})
    services.sheet_submit(actor=m1, sheet=s1)
    s2 = services.sheet_save(actor=m2, application=app, scores={"defence": 70})
    api = client_for(m2)
    assert [s["id"] for s in api.get(f"{BASE}/sheets/").json()["results"]] == [s2.pk]
    assert api.get(f"{BASE}/sheets/{s1.pk}/").status_code == 404
    services.sheet_submit(actor=m2, sheet=s2)
    seen = sorted(s["id"] for s in api.get(f"{BASE}/sheets/").json()["results"])
    assert seen == sorted([s1.pk, s2.pk])
    assert api.get(f"{BASE}/sheets/{s1.pk}/").json()["total"] == "80.00"
    # m1 submitted first, so m1 sees m2's sheet only once m2 has submitted — and does now
    assert client_for(m1).get(f"{BASE}/sheets/").json()["count"] == 2


def test_a_submitted_sheet_is_locked_and_only_the_chair_reopens_it(setup, hr, ladder):
    chair, member = (committee_member(f"m{i}", level=ladder[4])[0] for i in range(2))
    _panel(setup, hr, ladder, [chair, member], chair=chair)
    advance(setup["cycle"], hr, "review")
    sheet = services.sheet_save(actor=member, application=setup["app"], scores={"defence": 80})
    services.sheet_submit(actor=member, sheet=sheet)
    with pytest.raises(InvalidTransition):
        services.sheet_save(actor=member, application=setup["app"], scores={"defence": 90})
    with pytest.raises(RoleRequired):
        services.sheet_reopen(actor=member, sheet=sheet, reason="想改分")
    with pytest.raises(RoleRequired):
        services.sheet_reopen(actor=hr, sheet=sheet, reason="想改分")
    services.sheet_reopen(actor=chair, sheet=sheet, reason="计分笔误")
    sheet.refresh_from_db()
    assert (sheet.status, sheet.total) == ("draft", None)
    with pytest.raises(InvalidTransition):
        services.sheet_reopen(actor=chair, sheet=sheet, reason="again")


def test_a_tie_across_the_quota_boundary_is_flagged_over_the_api(ladder, hr, fake):
    cycle = make_cycle(
        hr,
        ladder,
        dimensions=COMMITTEE_ONLY,
        status="open",
        offers=[{"level": ladder[2], "quota": 2, "pass_line": D("60")}],
    )
    apps = [apply_and_qualify(cycle, hr, applicant(ladder[1])[1]) for _ in range(4)]
    member, _ = committee_member("solo", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    for app, value in zip(apps, [95, 90, 90, 85], strict=True):
        sheet = services.sheet_save(actor=member, application=app, scores={"defence": value})
        services.sheet_submit(actor=member, sheet=sheet)
    results = client_for(hr).get(f"{BASE}/cycles/{cycle.pk}/results/").json()["results"]
    got = [(r["rank"], r["recommended"], r["flags"]) for r in results]
    assert sorted(got, key=lambda g: g[0]) == [
        (1, True, []),
        (2, None, ["quota_tie"]),
        (2, None, ["quota_tie"]),
        (4, False, []),
    ]
    with pytest.raises(InvalidTransition, match="名额边界并列"):
        services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    services.tie_decide(actor=member, application=apps[1], recommended=True, reason="答辩更优")
    services.tie_decide(actor=member, application=apps[2], recommended=False, reason="答辩更优")
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    for app in apps:
        app.refresh_from_db()
    assert [(a.rank, a.recommended) for a in apps] == [(1, True), (2, True), (2, False), (4, False)]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_members_submitting_at_the_same_moment_are_both_recorded(ladder, hr, fake):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (select_for_update is a no-op on SQLite)")
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    app = apply_and_qualify(cycle, hr, applicant(ladder[1])[1])
    members = [committee_member(f"c{i}", level=ladder[4])[0] for i in range(4)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    sheets = [
        services.sheet_save(actor=m, application=app, scores={"defence": 80 + i})
        for i, m in enumerate(members)
    ]
    barrier = threading.Barrier(len(members))
    errors = []

    def run(member, sheet):
        try:
            barrier.wait()
            services.sheet_submit(actor=member, sheet=sheet)
        except Exception as exc:  # noqa: BLE001 — reported below  # pragma: no cover
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=pair) for pair in zip(members, sheets, strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ScoringSheet.objects.filter(application=app, status="submitted").count() == 4
    row = compute_results(cycle)[0]
    assert row.committee_score == D("81.50")  # mean of 80, 81, 82, 83


def test_conflicts_are_declared_only_by_the_member_for_themselves_or_by_hr(setup, hr, ladder):
    """A declaration names a staff member: nobody else may file one (no employee-number to
    name look-ups for anyone holding an account)."""
    cand = setup["cand"]
    member = external_member("expert")
    other_member = external_member("expert2")
    plain = make_user_for(StaffFactory(level=ladder[0]), "staff", username="plain")
    url = "/api/v1/certification/conflicts/"
    body = {"staff": cand.pk, "kind": "relative"}
    # a plain staff member: not even for themselves
    response = client_for(plain).post(url, {**body, "member": plain.pk}, format="json")
    assert response.status_code == 403
    # a member for another member
    response = client_for(member).post(url, {**body, "member": other_member.pk}, format="json")
    assert response.status_code == 403
    assert not DeclaredConflict.objects.exists()
    # the member for themselves, and HR for a member
    response = client_for(member).post(url, {**body, "member": member.pk}, format="json")
    assert response.status_code == 201
    response = client_for(hr).post(url, {**body, "member": other_member.pk}, format="json")
    assert response.status_code == 201
    assert set(DeclaredConflict.objects.values_list("member_id", flat=True)) == {
        member.pk,
        other_member.pk,
    }
    # a member sees only their own declarations; another's is 404
    mine = client_for(member).get(url).json()
    assert [c["member"] for c in mine["results"]] == [member.pk]
    theirs = DeclaredConflict.objects.get(member=other_member)
    assert client_for(member).get(f"{url}{theirs.pk}/").status_code == 404
    assert client_for(plain).get(f"{url}{theirs.pk}/").status_code == 404


def test_the_queue_page_refuses_a_declaration_from_someone_not_on_the_committee(setup, ladder):
    from django.test import Client

    plain = make_user_for(StaffFactory(level=ladder[0]), "staff", username="plain")
    client = Client()
    client.force_login(plain)
    response = client.post(
        "/certification/committee/", {"employee_no": setup["cand"].employee_no, "kind": "other"}
    )
    assert response.status_code == 403
    assert not DeclaredConflict.objects.exists()
