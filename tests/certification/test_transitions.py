"""Every illegal transition answers 409 with the reason; the audit trail records each legal one."""

import datetime as dt

import pytest
from django.utils import timezone

from certification import services
from certification.models import Application, Cycle
from core import audit
from core.errors import InvalidTransition, NotInScope
from tests.certification.factories import (
    COMMITTEE_ONLY,
    TODAY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"
ACTIONS = ["open", "start_qualification", "start_review", "publish", "approve", "close"]
LEGAL = {
    "draft": "open",
    "open": "start_qualification",
    "qualification": "start_review",
    "review": "publish",
    "publicity": "approve",
    "approval": "close",
}


@pytest.mark.parametrize("state", ["draft", "open", "qualification", "review", "closed"])
def test_every_cycle_action_but_the_next_one_answers_409(ladder, hr, leader, state):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)
    Cycle.objects.filter(pk=cycle.pk).update(status=state)
    reached = {
        "open": "open",
        "start_qualification": "qualification",
        "start_review": "review",
        "publish": "publicity",
        "approve": "approval",
        "close": "closed",
    }
    for action in ACTIONS:
        if LEGAL.get(state) == action:
            continue
        actor = leader if action == "approve" else hr
        if reached.get(action) == state:  # asked again once made: answers the state as it is
            res = client_for(actor).post(f"{BASE}/cycles/{cycle.pk}/{action}/", {}, format="json")
            assert res.status_code == 200 and res.json()["status"] == state
            continue
        res = client_for(actor).post(f"{BASE}/cycles/{cycle.pk}/{action}/", {}, format="json")
        assert res.status_code == 409, (state, action, res.json())
        assert res.json()["code"] == "invalid_transition"
        assert res.json()["detail"]
    assert Cycle.objects.get(pk=cycle.pk).status == state


def test_the_409_says_why(ladder, hr):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)
    res = client_for(hr).post(f"{BASE}/cycles/{cycle.pk}/close/", {}, format="json")
    assert res.json()["detail"] == "无法结束批次：认证批次当前为“草稿”（允许的状态：已审批）。"


def test_a_cycle_with_weights_not_summing_to_100_cannot_open(ladder, hr):
    dims = [{**COMMITTEE_ONLY[0], "weight": 90}]
    cycle = make_cycle(hr, ladder, dimensions=dims)
    with pytest.raises(InvalidTransition, match="90"):
        services.cycle_open(actor=hr, cycle=cycle)


def test_a_cycle_is_edited_only_as_a_draft(ladder, hr):
    cycle = make_cycle(hr, ladder, status="open")
    res = client_for(hr).patch(f"{BASE}/cycles/{cycle.pk}/", {"name": "x"}, format="json")
    assert res.status_code == 409


def test_transitions_are_audited(ladder, hr):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)
    services.cycle_open(actor=hr, cycle=cycle, reason="党委会决定")
    event = audit.history(cycle).first()
    assert (event.action, event.from_state, event.to_state, event.reason) == (
        "open",
        "draft",
        "open",
        "党委会决定",
    )


def test_application_transitions(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    app = services.application_create(actor=user, cycle=cycle, statement="s", today=TODAY)
    api = client_for(user)
    hr_api = client_for(hr)
    checklist = {
        "eligibility": True,
        "materials_complete": True,
        "facts_truthful": True,
        "procedure_regular": True,
    }
    # a draft cannot be qualified, returned or rejected
    assert (
        hr_api.post(f"{BASE}/applications/{app.pk}/qualify/", checklist, format="json").status_code
        == 409
    )
    assert (
        hr_api.post(
            f"{BASE}/applications/{app.pk}/return/", {"reason": "r"}, format="json"
        ).status_code
        == 409
    )
    services.application_submit(actor=user, application=app, today=TODAY)
    # a repeated submission answers the application as it is (no second audit record)
    events = audit.history(app).count()
    res = api.post(f"{BASE}/applications/{app.pk}/submit/", {}, format="json")
    assert res.status_code == 200 and res.json()["status"] == "submitted"
    assert audit.history(app).count() == events
    services.application_withdraw(actor=user, application=app, reason="家庭原因")
    app.refresh_from_db()
    assert app.status == "withdrawn"
    assert api.post(f"{BASE}/applications/{app.pk}/withdraw/", {}, format="json").status_code == 409
    # withdrawn frees the one-live-application slot
    again = services.application_create(actor=user, cycle=cycle, statement="s2", today=TODAY)
    assert Application.objects.filter(cycle=cycle, staff=staff).count() == 2
    services.application_submit(actor=user, application=again, today=TODAY)


def test_one_live_application_per_cycle_is_a_database_constraint(ladder, hr, fake):
    from django.db import IntegrityError, transaction

    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    app = services.application_create(actor=user, cycle=cycle, today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.create(
            cycle=cycle, staff=staff, from_level=app.from_level, target_level=app.target_level
        )


def test_apply_only_to_the_next_level_while_the_window_is_open(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)
    _, user = applicant(ladder[1])
    with pytest.raises(InvalidTransition):  # still a draft
        services.application_create(actor=user, cycle=cycle, today=TODAY)
    advance(cycle, hr, "open")
    with pytest.raises(InvalidTransition):  # after the window
        services.application_create(actor=user, cycle=cycle, today=dt.date(2027, 1, 1))
    _, low = applicant(ladder[0])  # L1 → L2 is not offered
    with pytest.raises(InvalidTransition, match="L2"):
        services.application_create(actor=low, cycle=cycle, today=TODAY)


def test_withdrawing_is_closed_once_the_review_starts(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _, user = applicant(ladder[1])
    app = apply_and_qualify(cycle, hr, user)
    member, _ = committee_member("m", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    with pytest.raises(InvalidTransition):
        services.application_withdraw(actor=user, application=app)


def test_approval_waits_for_the_end_of_publicity_and_resolved_objections(ladder, hr, leader, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    cand, user = applicant(ladder[1])
    app = apply_and_qualify(cycle, hr, user)
    member, _ = committee_member("m", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    sheet = services.sheet_save(actor=member, application=app, scores={"defence": 88})
    services.sheet_submit(actor=member, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)  # Monday 2026-11-30
    cycle.refresh_from_db()
    assert (cycle.publicity_start, cycle.publicity_end) == (TODAY, dt.date(2026, 12, 4))
    _, objector = applicant(ladder[1])
    objection = services.objection_file(
        actor=objector, application=app, reason="有疑问", today=dt.date(2026, 12, 4)
    )
    with pytest.raises(NotInScope):  # the window is over on Saturday: out of scope
        services.objection_file(
            actor=objector, application=app, reason="晚了", today=dt.date(2026, 12, 5)
        )
    with pytest.raises(InvalidTransition):  # still the last publicity day
        services.cycle_approve(actor=leader, cycle=cycle, today=dt.date(2026, 12, 4))
    with pytest.raises(InvalidTransition):  # an open objection
        services.cycle_approve(actor=leader, cycle=cycle, today=dt.date(2026, 12, 7))
    services.objection_resolve(actor=hr, objection=objection, upheld=False, reason="查无实据")
    services.cycle_approve(actor=leader, cycle=cycle, today=dt.date(2026, 12, 7))
    cand.refresh_from_db()
    assert (cand.level.code, cand.level_since) == ("L3", dt.date(2026, 12, 7))
    app.refresh_from_db()
    assert app.status == "promoted"
    assert timezone.localdate()  # sanity: services took the given day, not the clock


def test_an_objection_upheld_with_rejection_takes_the_candidate_off_the_list(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _, user = applicant(ladder[1])
    app = apply_and_qualify(cycle, hr, user)
    member, _ = committee_member("m", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    sheet = services.sheet_save(actor=member, application=app, scores={"defence": 88})
    services.sheet_submit(actor=member, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    _, objector = applicant(ladder[1])
    objection = services.objection_file(actor=objector, application=app, reason="造假", today=TODAY)
    services.objection_resolve(
        actor=hr, objection=objection, upheld=True, outcome="reject", reason="经查属实"
    )
    app.refresh_from_db()
    cycle.refresh_from_db()
    assert (app.status, cycle.status) == ("rejected", "review")
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    assert client_for(hr).get(f"{BASE}/cycles/{cycle.pk}/results/").json()["count"] == 0


def test_prefilled_dimension_missing_data_blocks_publication_until_entered_by_hand(
    ladder, hr, fake
):
    cycle = make_cycle(hr, ladder, status="open")  # kpi/training/competency/defence
    cand, user = applicant(ladder[1])
    fake.credits = {cand.pk: __import__("decimal").Decimal("40")}
    fake.indexes = {cand.pk: __import__("decimal").Decimal("80")}
    app = apply_and_qualify(cycle, hr, user)  # no KPI grade: the kpi dimension has no data
    member, _ = committee_member("m", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    sheet = services.sheet_save(actor=member, application=app, scores={"defence": 90})
    services.sheet_submit(actor=member, sheet=sheet)
    with pytest.raises(InvalidTransition, match="数据缺失"):
        services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    res = client_for(hr).post(
        f"{BASE}/applications/{app.pk}/dimension-value/",
        {"dimension": "kpi", "value": "86.5", "reason": "按2025年度考核结果手工录入"},
        format="json",
    )
    assert res.status_code == 200, res.json()
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    app.refresh_from_db()
    # 0.4 × 86.5 + 0.2 × 100 + 0.2 × 80 + 0.2 × 90 = 34.6 + 20 + 16 + 18 = 88.60
    assert app.final_score == __import__("decimal").Decimal("88.60")
