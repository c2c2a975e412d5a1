"""The certification part of the to-do inbox, read through ``GET /api/v1/inbox/`` and the
pages: each item appears when the state arises and disappears once it is done, and the
inbox costs the same number of queries for one item as for many."""

import pytest
from django.utils import translation

from certification import services
from certification.models import ScoringSheet
from tests.certification.factories import (
    COMMITTEE_ONLY,
    TODAY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.clock import days
from tests.conftest import client_for
from tests.home import home_page

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


INBOX = "/api/v1/inbox/"


def _inbox(user, kind=None):
    response = client_for(user).get(INBOX)
    assert response.status_code == 200
    return [item for item in response.json() if kind is None or item["kind"] == kind]


def _submitted(cycle, n, levels, prefix="cand"):
    apps = []
    for i in range(n):
        _staff, user = applicant(levels[1], username=f"{prefix}{i}")
        app = services.application_create(actor=user, cycle=cycle, statement="业绩", today=TODAY)
        services.application_submit(actor=user, application=app, today=TODAY)
        apps.append((app, user))
    return apps


def _qualify(hr, app):
    app.refresh_from_db()
    services.application_qualify(
        reason="" if app.eligible else "测试：例外通过",
        actor=hr,
        application=app,
        eligibility_ok=True,
        materials_complete=True,
        facts_truthful=True,
        procedure_regular=True,
    )


def test_office_qualifies_applications_and_the_item_goes(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, status="open")
    assert _inbox(hr, "certification.qualify") == []
    (first, _u1), (second, _u2) = _submitted(cycle, 2, ladder)
    [item] = _inbox(hr, "certification.qualify")
    assert item == {
        "kind": "certification.qualify",
        "title": f"Qualify 2 applications in {cycle.name}",
        "why": "Submitted applications wait for the office's qualification review.",
        "due": cycle.window_end.isoformat(),
        "url": f"/certification/cycles/{cycle.pk}/",
        "count": 2,
    }
    _qualify(hr, first)
    assert _inbox(hr, "certification.qualify")[0]["count"] == 1
    _qualify(hr, second)
    assert _inbox(hr, "certification.qualify") == []


def test_the_office_item_is_nobody_elses(ladder, hr, fake, leader):
    cycle = make_cycle(hr, ladder, status="open")
    [(_app, user)] = _submitted(cycle, 1, ladder)
    assert _inbox(user, "certification.qualify") == []
    assert _inbox(leader, "certification.qualify") == []


def test_a_returned_application_is_the_applicants_until_resubmitted(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, status="open")
    [(app, user)] = _submitted(cycle, 1, ladder)
    assert _inbox(user) == []
    services.application_return(actor=hr, application=app, reason="请补充业绩证明材料")
    [item] = _inbox(user)
    assert item["kind"] == "certification.returned"
    assert item["why"] == "请补充业绩证明材料"
    assert item["due"] == cycle.window_end.isoformat()
    assert item["url"] == f"/certification/applications/{app.pk}/"
    services.application_submit(actor=user, application=app, today=TODAY)
    assert _inbox(user) == []


@pytest.fixture
def in_review(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    member, _staff = committee_member("member", level=ladder[4])
    apps = [apply_and_qualify(cycle, hr, applicant(ladder[1])[1]) for _ in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    return {"cycle": cycle, "member": member, "apps": apps}


def test_member_submits_sheets_and_the_item_goes_then_a_reopened_sheet_comes_back(in_review):
    member, apps = in_review["member"], in_review["apps"]
    [item] = _inbox(member)
    assert (item["kind"], item["count"], item["url"]) == (
        "certification.sheets",
        3,
        "/certification/committee/",
    )
    assert item["title"] == f"Submit 3 scoring sheets in {in_review['cycle'].name}"
    sheets = []
    for app in apps:
        sheet = services.sheet_save(actor=member, application=app, scores={"defence": 80})
        sheets.append(services.sheet_submit(actor=member, sheet=sheet))
    assert _inbox(member) == []
    services.sheet_reopen(actor=member, sheet=sheets[0], reason="请复核答辩分")
    kinds = sorted(item["kind"] for item in _inbox(member))
    assert kinds == ["certification.reopened", "certification.sheets"]
    services.sheet_submit(actor=member, sheet=ScoringSheet.objects.get(pk=sheets[0].pk))
    assert _inbox(member) == []


def _score_all_and_publish(in_review, hr):
    member = in_review["member"]
    for score, app in zip((90, 80, 70), in_review["apps"], strict=True):
        sheet = services.sheet_save(actor=member, application=app, scores={"defence": score})
        services.sheet_submit(actor=member, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=in_review["cycle"])


def test_leadership_approves_once_publicity_has_ended(in_review, hr, leader, time_machine):
    cycle = in_review["cycle"]
    _score_all_and_publish(in_review, hr)
    cycle.refresh_from_db()
    staff_user = in_review["apps"][0].staff.user
    [item] = _inbox(staff_user)
    assert (item["kind"], item["due"]) == ("certification.publicity", str(cycle.publicity_end))
    assert _inbox(leader) == []  # publicity still runs
    time_machine.move_to(days((cycle.publicity_end - TODAY).days + 1))
    [item] = _inbox(leader)
    assert item["kind"] == "certification.approve"
    services.cycle_approve(actor=leader, cycle=cycle)
    assert _inbox(leader) == []
    assert _inbox(staff_user) == []


def test_objections_wait_for_the_office(in_review, hr):
    _score_all_and_publish(in_review, hr)
    objector = in_review["apps"][1].staff.user
    objection = services.objection_file(
        actor=objector, application=in_review["apps"][0], reason="材料不实"
    )
    [item] = _inbox(hr, "certification.objections")
    assert item["count"] == 1
    services.objection_resolve(actor=hr, objection=objection, upheld=False, reason="经核实无误")
    assert _inbox(hr, "certification.objections") == []


@pytest.mark.parametrize("n", [1, 6])
def test_the_inbox_costs_the_same_for_one_item_as_for_many(
    n, ladder, hr, fake, django_assert_max_num_queries
):
    cycles = [make_cycle(hr, ladder, status="open", name=f"C{i}") for i in range(n)]
    for i, cycle in enumerate(cycles):
        _submitted(cycle, n, ladder, prefix=f"c{i}-")
    api = client_for(hr)
    with django_assert_max_num_queries(4):
        items = api.get(INBOX).json()
    assert sum(item["count"] for item in items) == n * n


def test_panels_below_the_minimum_are_the_offices_until_completed(ladder, hr, fake, settings):
    settings.COMMITTEE_MIN_PANEL = 3
    cycle = make_cycle(hr, ladder, status="open")
    members = [committee_member(f"m{i}", level=ladder[4])[0] for i in range(3)]
    panel = services.panel_save(
        actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members[:2]
    )
    [item] = _inbox(hr, "certification.panels")
    assert item["title"] == f"Complete 1 panel of {cycle.name}"
    assert item["why"] == "A panel needs at least 3 members before scoring can start."
    assert item["url"] == f"/certification/cycles/{cycle.pk}/panels/"
    services.panel_save(
        actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members, panel=panel
    )
    assert _inbox(hr, "certification.panels") == []


@pytest.mark.parametrize("n", [1, 6])
def test_the_members_inbox_costs_the_same_for_one_candidate_as_for_many(
    n, ladder, hr, fake, django_assert_max_num_queries
):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    member, _staff = committee_member("member", level=ladder[4])
    apps = [apply_and_qualify(cycle, hr, applicant(ladder[1])[1]) for _ in range(n)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    sheet = services.sheet_save(actor=member, application=apps[0], scores={"defence": 80})
    services.sheet_reopen(
        actor=member, sheet=services.sheet_submit(actor=member, sheet=sheet), reason="复核"
    )
    api = client_for(member)
    # The whole inbox (training's sessions to rate included), and one more when the
    # content-type cache is cold (the first test of a process)
    with django_assert_max_num_queries(6):
        items = api.get(INBOX).json()
    counts = {item["kind"]: item["count"] for item in items}
    assert counts == {"certification.sheets": n, "certification.reopened": 1}


def test_the_office_sees_the_item_on_its_home_and_inbox_pages_until_done(ladder, hr, fake, client):
    cycle = make_cycle(hr, ladder, status="open")
    [(app, _user)] = _submitted(cycle, 1, ladder)
    client.force_login(hr)
    link = f'href="/certification/cycles/{cycle.pk}/"'
    for html in _home_and_inbox(client):
        assert f"Qualify 1 application in {cycle.name}" in html and link in html
    _qualify(hr, app)
    for html in _home_and_inbox(client):
        assert "Qualify 1 application" not in html


def _home_and_inbox(client) -> list[str]:
    """The home page with its fragments loaded, and the inbox page, in English."""
    home = home_page(client, HTTP_ACCEPT_LANGUAGE="en")
    return [home, client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="en").content.decode()]
