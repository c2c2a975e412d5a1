"""The leadership group's approval list, candidate by candidate: approve or return (with a
comment) each recommended candidate; the cycle's approval then appoints only the ones not
returned. Two-person rule: whoever published the results does not approve them."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.test import Client

from certification import services
from certification.models import Application
from core import audit
from core.errors import DomainError
from core.roles import Role
from org.models import Appointment
from tests.certification.factories import (
    COMMITTEE_ONLY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.clock import FROZEN_TODAY, days
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"
BEIJING = dt.timezone(dt.timedelta(hours=8))


def published(ladder, hr, n: int, *, quota: int, pass_line=D("60")):
    """A cycle in publicity (one working day: it ends today) with ``n`` candidates scored
    90, 85, 80, … by a panel of three; the first ``quota`` are recommended."""
    cycle = make_cycle(
        hr,
        ladder,
        dimensions=COMMITTEE_ONLY,
        status="open",
        publicity_days=1,
        offers=[{"level": ladder[2], "quota": quota, "pass_line": pass_line}],
    )
    apps = [apply_and_qualify(cycle, hr, applicant(ladder[1])[1]) for _ in range(n)]
    members = [committee_member(f"pm{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    for i, app in enumerate(apps):
        for m in members:
            sheet = services.sheet_save(actor=m, application=app, scores={"defence": 90 - 5 * i})
            services.sheet_submit(actor=m, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=cycle, today=FROZEN_TODAY)
    cycle.refresh_from_db()
    return cycle, apps


def _decide(user, cycle, app, decision, comment=""):
    return client_for(user).post(
        f"{BASE}/cycles/{cycle.pk}/decide/",
        {"application": app.pk, "decision": decision, "comment": comment},
        format="json",
    )


def test_per_candidate_decisions_then_the_approval_appoints_only_the_approved(
    ladder, hr, leader, fake, time_machine
):
    cycle, apps = published(ladder, hr, 4, quota=3)
    a, b, c, d = apps
    listed = client_for(leader).get(f"{BASE}/cycles/{cycle.pk}/approval-list/").json()
    # the three recommended candidates, best first, with their evidence
    assert [(r["application"], r["final_score"], r["rank"]) for r in listed] == [
        (a.pk, "90.00", 1),
        (b.pk, "85.00", 2),
        (c.pk, "80.00", 3),
    ]
    assert all(r["overridden"] and r["objections"] == 0 and r["decision"] == "" for r in listed)
    # still the publicity's last day: refused with the day it becomes possible
    res = _decide(leader, cycle, a, "approve")
    assert res.status_code == 409 and res.json()["code"] == "publicity_not_over"
    assert "2026-12-01" in res.json()["detail"]

    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING))
    assert _decide(hr, cycle, a, "approve").status_code == 403  # the office does not decide
    res = _decide(leader, cycle, b, "return")  # a return needs a comment
    assert res.status_code == 400 and res.json()["code"] == "reason_required"
    res = _decide(leader, cycle, d, "approve")  # not on the list (rank 4, quota 3)
    assert res.status_code == 409
    assert _decide(leader, cycle, a, "approve").json()["decision"] == "approved"
    res = _decide(leader, cycle, b, "return", "  客户投诉尚未核实  ")
    assert res.status_code == 200, res.json()
    assert (res.json()["decision"], res.json()["comment"]) == ("returned", "客户投诉尚未核实")
    # the office sees the decisions; each is audited
    office_view = client_for(hr).get(f"{BASE}/cycles/{cycle.pk}/approval-list/").json()
    assert [r["decision"] for r in office_view] == ["approved", "returned", ""]
    assert [e.action for e in audit.history(Application.objects.get(pk=b.pk))][:1] == [
        "leadership_return"
    ]
    # a staff member does not see the list
    _, someone = applicant(ladder[1])
    assert client_for(someone).get(f"{BASE}/cycles/{cycle.pk}/approval-list/").status_code == 404

    # approve-all: a (approved) and c (undecided) are appointed, b is returned, d was never on it
    res = client_for(leader).post(f"{BASE}/cycles/{cycle.pk}/approve/", {}, format="json")
    assert res.status_code == 200, res.json()
    status = dict(Application.objects.filter(cycle=cycle).values_list("pk", "status"))
    assert status == {
        a.pk: "promoted",
        b.pk: "not_promoted",
        c.pk: "promoted",
        d.pk: "not_promoted",
    }
    assert Appointment.objects.filter(reason="promotion").count() == 2
    b_app = Application.objects.get(pk=b.pk)
    assert b_app.appointment_id is None
    assert audit.history(b_app).filter(action="approve").get().reason == "客户投诉尚未核实"
    c_app = Application.objects.get(pk=c.pk)
    assert (c_app.leadership_decision, c_app.leadership_by) == ("approved", leader)
    cycle_event = audit.history(cycle).filter(action="approve").get()
    assert cycle_event.changes["not_appointed_returned"] == [b.pk]
    # once approved, no more decisions
    assert _decide(leader, cycle, c, "return", "太晚").status_code == 409


def test_two_person_rule_the_publisher_does_not_approve(ladder, fake):
    admin = UserFactory(username="cert-admin", roles=[Role.ADMIN])
    other = UserFactory(username="cert-leader-2", roles=[Role.LEADERSHIP])
    cycle, apps = published(ladder, admin, 2, quota=1)
    later = days(1)
    with pytest.raises(DomainError) as refused:  # DomainError
        services.application_leadership_decide(
            actor=admin, application=apps[0], approve=True, today=later
        )
    assert refused.value.code == "two_person_rule"
    with pytest.raises(DomainError) as refused:
        services.cycle_approve(actor=admin, cycle=cycle, today=later)
    assert refused.value.code == "two_person_rule"
    services.application_leadership_decide(
        actor=other, application=apps[0], approve=False, comment="再议", today=later
    )
    services.cycle_approve(actor=other, cycle=cycle, today=later)
    assert list(
        Application.objects.filter(cycle=cycle).order_by("pk").values_list("status", flat=True)
    ) == ["not_promoted", "not_promoted"]


def test_an_upheld_objection_clears_the_decisions(ladder, hr, leader, fake):
    cycle, apps = published(ladder, hr, 2, quota=2)
    later = days(1)
    services.application_leadership_decide(
        actor=leader, application=apps[0], approve=False, comment="待核实", today=later
    )
    Application.objects.filter(pk=apps[1].pk).update(leadership_decision="approved")
    _, objector = applicant(ladder[1])
    objection = services.objection_file(
        actor=objector, application=apps[0], reason="有疑问", today=FROZEN_TODAY
    )
    services.objection_resolve(
        actor=hr, objection=objection, upheld=True, outcome="review", reason="属实"
    )
    assert list(
        Application.objects.filter(cycle=cycle).values_list("leadership_decision", flat=True)
    ) == ["", ""]


def _page(user, cycle):
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("n", [2, 6])
def test_the_approval_page_in_constant_queries(
    ladder, hr, leader, fake, n, time_machine, django_assert_max_num_queries
):
    cycle, apps = published(ladder, hr, n, quota=n)
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING))
    client = _page(leader, cycle)
    res = client.post(
        f"/certification/cycles/{cycle.pk}/",
        {
            "action": "decide",
            "application": apps[0].pk,
            "decision": "return",
            "comment": "材料存疑",
        },
        follow=True,
    )
    page = res.content.decode()
    assert f"{apps[0].staff.name} returned: 材料存疑" in page
    with django_assert_max_num_queries(40):
        page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert page.count('data-testid="decide-form"') == n
    assert page.count('data-decision="returned"') == 1
    assert page.count('data-testid="dossier-link"') == n
    assert 'name="action" value="approve"' in page  # enabled now
    res = client.post(f"/certification/cycles/{cycle.pk}/", {"action": "approve"}, follow=True)
    assert (
        f"Approved: {n - 1} candidate(s) appointed from 2026-12-01, 1 not appointed."
        in res.content.decode()
    )


@pytest.mark.parametrize("n", [2, 12])
def test_the_approval_appoints_the_list_in_constant_queries(
    ladder, hr, leader, fake, n, time_machine, django_assert_max_num_queries
):
    """Approving 2 or 12 candidates (the first returned) costs the same 28 queries: the
    appointments, the applications' moves and their audit events are written set by set."""
    cycle, apps = published(ladder, hr, n, quota=n, pass_line=D("30"))  # 90 … 35: all pass
    time_machine.move_to(dt.datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING))
    assert _decide(leader, cycle, apps[0], "return", "材料存疑").status_code == 200
    client = client_for(leader)
    with django_assert_max_num_queries(28):
        res = client.post(f"{BASE}/cycles/{cycle.pk}/approve/", {}, format="json")
    assert res.status_code == 200, res.json()
    promoted = apps[1:]
    new = Appointment.objects.filter(reason="promotion").order_by("staff_id")
    assert [(a.staff_id, a.level_id, a.start, a.end, a.closed_on) for a in new] == [
        (app.staff_id, ladder[2].pk, dt.date(2026, 12, 1), dt.date(2029, 12, 1), None)
        for app in sorted(promoted, key=lambda a: a.staff_id)
    ]
    # the previous appointments are closed on the start; the level (and its date) follows
    closed = Appointment.objects.filter(staff__in=[a.staff_id for a in promoted]).exclude(
        reason="promotion"
    )
    assert {a.closed_on for a in closed} == {dt.date(2026, 12, 1)} and len(closed) == n - 1
    for app in promoted:
        app.staff.refresh_from_db()
        assert (app.staff.level_id, app.staff.level_since) == (ladder[2].pk, dt.date(2026, 12, 1))
        events = list(audit.history(app.staff).filter(action="appoint:promotion"))
        assert [(e.from_state, e.to_state, e.actor_id) for e in events] == [
            (ladder[1].code, ladder[2].code, leader.pk)
        ]
    returned = Application.objects.get(pk=apps[0].pk)
    assert (returned.status, returned.appointment_id) == ("not_promoted", None)
    assert audit.history(returned).filter(action="approve").get().reason == "材料存疑"
    statuses = Application.objects.filter(pk__in=[a.pk for a in promoted])
    assert [(a.status, a.appointment.staff_id) for a in statuses.order_by("pk")] == [
        ("promoted", a.staff_id) for a in promoted
    ]
    # the move stamps the rows as save() would (their last change is the approval)
    assert all(a.updated_at >= dt.datetime(2026, 12, 1, 9, 0, tzinfo=BEIJING) for a in statuses)
