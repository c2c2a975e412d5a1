"""Issue 18, promotion certification: overrides with a reason, one live application per
level, blind until one's own sheet, objections only against the published list, the panel
minimum and idempotent transitions — each through the API (and the pages where they show)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client

from certification import services
from certification.models import Application, Cycle
from core import audit
from ranking.models import RecertificationCase
from tests.certification.factories import (
    COMMITTEE_ONLY,
    TODAY,
    D,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.concurrency import at_once
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"
CHECKLIST = {
    "eligibility": True,
    "materials_complete": True,
    "facts_truthful": True,
    "procedure_regular": True,
}


def web(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(user)
    return client


def _eligible(fake, staff):
    """Every sourced rule met (grade B, 40 of 40 credits, index 70)."""
    fake.grades[staff.pk] = (D("85"), "B")
    fake.credits[staff.pk] = D("40")
    fake.indexes[staff.pk] = D("70")


def _submitted(cycle, user):
    app = services.application_create(actor=user, cycle=cycle, statement="述职", today=TODAY)
    services.application_submit(actor=user, application=app, today=TODAY)
    return app


# -- 1. qualification with evidence and override ---------------------------------------------


def test_qualifying_an_ineligible_application_needs_a_reason_recorded_and_audited(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    _eligible(fake, staff)
    fake.credits[staff.pk] = D("31")  # 31 of 40
    app = _submitted(cycle, user)
    api = client_for(hr)
    res = api.post(f"{BASE}/applications/{app.pk}/qualify/", CHECKLIST, format="json")
    assert res.status_code == 400
    body = res.json()
    assert body["code"] == "eligibility_reason_required"
    assert body["failed_rules"] == [
        {
            "code": "training_credits",
            "label": "近12个月培训学分",
            "detail": "培训学分 31/40，差 9 分",
        }
    ]
    assert Application.objects.get(pk=app.pk).status == "submitted"
    res = api.post(
        f"{BASE}/applications/{app.pk}/qualify/",
        {**CHECKLIST, "reason": "年内完成专项培训，经认证办核实"},
        format="json",
    )
    assert res.status_code == 200
    override = res.json()["override"]
    assert override["reason"] == "年内完成专项培训，经认证办核实"
    assert [r["code"] for r in override["failed_rules"]] == ["training_credits"]
    assert override["by"] == hr.username
    app.refresh_from_db()
    assert (app.status, app.override_by, app.override_rules[0]["code"]) == (
        "qualified",
        hr,
        "training_credits",
    )
    event = audit.history(app).filter(action="qualify_override").get()
    assert event.reason == "年内完成专项培训，经认证办核实"
    assert event.changes["override"]["failed_rules"] == ["training_credits"]
    # a second request answers the application as it is (no second audit record)
    again = api.post(f"{BASE}/applications/{app.pk}/qualify/", CHECKLIST, format="json")
    assert again.status_code == 200 and again.json()["status"] == "qualified"
    assert audit.history(app).filter(action__startswith="qualify").count() == 1


def test_an_eligible_application_is_qualified_without_reason_and_without_override(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    _eligible(fake, staff)
    app = _submitted(cycle, user)
    res = client_for(hr).post(f"{BASE}/applications/{app.pk}/qualify/", CHECKLIST, format="json")
    assert res.status_code == 200 and res.json()["override"] is None


def test_a_strict_cycle_forbids_overrides_even_with_a_reason(ladder, hr, fake):
    api = client_for(hr)
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)
    res = api.patch(f"{BASE}/cycles/{cycle.pk}/", {"strict_eligibility": True}, format="json")
    assert res.status_code == 200 and res.json()["strict_eligibility"] is True
    advance(cycle, hr, "open")
    _staff, user = applicant(ladder[1])  # no grade, credits or index: three rules fail
    app = _submitted(cycle, user)
    res = api.post(
        f"{BASE}/applications/{app.pk}/qualify/", {**CHECKLIST, "reason": "特批"}, format="json"
    )
    assert res.status_code == 409
    assert res.json()["code"] == "eligibility_override_forbidden"
    assert len(res.json()["failed_rules"]) == 3
    page = web(hr).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'data-testid="strict"' in page
    assert 'data-testid="qualify-override"' not in page


def test_bulk_qualify_is_all_or_nothing_with_a_reason_per_ineligible_row(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    (ok, ok_user), (_short, short_user) = applicant(ladder[1]), applicant(ladder[1])
    _eligible(fake, ok)
    first, second = _submitted(cycle, ok_user), _submitted(cycle, short_user)
    api = client_for(hr)
    items = [{"application": first.pk}, {"application": second.pk}]
    res = api.post(f"{BASE}/applications/bulk-qualify/", {"items": items}, format="json")
    assert res.status_code == 400
    assert res.json()["code"] == "bulk_refused"
    assert list(res.json()["rows"]) == [str(second.pk)]
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}
    items[1]["reason"] = "重点客户项目贡献突出"
    res = api.post(f"{BASE}/applications/bulk-qualify/", {"items": items}, format="json")
    assert res.status_code == 200
    by_id = {a["id"]: a for a in res.json()}
    assert by_id[first.pk]["override"] is None
    assert by_id[second.pk]["override"]["reason"] == "重点客户项目贡献突出"


def test_the_override_is_shown_to_the_panel_and_to_the_leadership(ladder, hr, leader, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1])
    app = apply_and_qualify(cycle, hr, user)  # qualified as an override: "测试：例外通过"
    members = [committee_member(f"p{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    dossier = web(members[1]).get(f"/certification/committee/{app.pk}/").content.decode()
    assert 'data-testid="override"' in dossier and "测试：例外通过" in dossier
    assert "上年度考核等级" in dossier  # the failed rules as recorded
    board = web(leader).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'data-testid="override"' in board and "测试：例外通过" in board


# -- 2. one live application per person and level ---------------------------------------------


def test_a_second_live_application_for_the_same_level_is_refused(ladder, hr, fake):
    first = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", name="一批")
    second = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", name="二批")
    _staff, user = applicant(ladder[1])
    api = client_for(user)
    res = api.post(f"{BASE}/applications/", {"cycle": first.pk, "statement": "s"}, format="json")
    assert res.status_code == 201
    app_id = res.json()["id"]
    res = api.post(f"{BASE}/applications/", {"cycle": second.pk, "statement": "s"}, format="json")
    assert res.status_code == 409
    assert res.json()["code"] == "live_application_exists"
    assert "一批" in res.json()["detail"] and "L3" in res.json()["detail"]
    api.post(f"{BASE}/applications/{app_id}/withdraw/", {"reason": "改投二批"}, format="json")
    res = api.post(f"{BASE}/applications/", {"cycle": second.pk, "statement": "s"}, format="json")
    assert res.status_code == 201


def test_a_person_under_recertification_cannot_apply(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    RecertificationCase.objects.create(staff=staff, level=ladder[1])
    res = client_for(user).post(
        f"{BASE}/applications/", {"cycle": cycle.pk, "statement": "s"}, format="json"
    )
    assert res.status_code == 409
    assert res.json()["code"] == "application_blocked"
    assert "处于 L2 复核认证中" in res.json()["detail"]
    assert not Application.objects.exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_cycles_at_the_same_moment_give_one_live_application(ladder, hr, fake):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (select_for_update is a no-op on SQLite)")
    cycles = [
        make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", name=f"批次{i}")
        for i in range(2)
    ]
    _staff, user = applicant(ladder[1])
    queue = list(cycles)

    def apply():
        return services.application_create(
            actor=user, cycle=queue.pop(), statement="s", today=TODAY
        )

    results = at_once(apply, 2)
    assert sum(isinstance(r, Application) for r in results) == 1
    assert Application.objects.count() == 1


# -- 3. blind until one's own sheet, the chair included ---------------------------------------


@pytest.fixture
def published(ladder, hr, fake):
    """A cycle in publicity: two candidates (quota 1), three members; the chair and one
    member scored both, the third member none."""
    cycle = make_cycle(
        hr,
        ladder,
        dimensions=COMMITTEE_ONLY,
        status="open",
        offers=[{"level": ladder[2], "quota": 1, "pass_line": D("60")}],
    )
    apps = [apply_and_qualify(cycle, hr, applicant(ladder[1])[1]) for _ in range(2)]
    chair, m1, m2 = (committee_member(f"b{i}", level=ladder[4])[0] for i in range(3))
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=chair, members=[m1, m2])
    advance(cycle, hr, "review")
    return {"cycle": cycle, "apps": apps, "chair": chair, "m1": m1, "m2": m2}


def _score(member, app, value):
    sheet = services.sheet_save(actor=member, application=app, scores={"defence": value})
    services.sheet_submit(actor=member, sheet=sheet)


def test_nobody_sees_a_committee_figure_before_their_own_sheet(published, hr, leader):
    apps, chair, m1, m2 = (published[k] for k in ("apps", "chair", "m1", "m2"))
    _score(m1, apps[0], 90)
    _score(m2, apps[0], 70)
    # the chair has not scored: the sheet page, the queue and the API keep the figures back
    page = web(chair).get(f"/certification/committee/{apps[0].pk}/").content.decode()
    assert 'data-testid="blind"' in page and "80.00" not in page
    assert "data-submitted=" not in page
    queue = web(chair).get("/certification/committee/").content.decode()
    assert 'data-testid="chair-results"' not in queue and "80.00" not in queue
    sheets = client_for(chair).get(f"{BASE}/sheets/?application={apps[0].pk}").json()
    assert sheets["results"] == []
    # after the chair's own sheet: the live result (90 + 70 + 80) / 3 = 80.00
    _score(chair, apps[0], 80)
    page = web(chair).get(f"/certification/committee/{apps[0].pk}/").content.decode()
    assert 'data-testid="chair-result"' in page and "80.00" in page
    sheets = client_for(chair).get(f"{BASE}/sheets/?application={apps[0].pk}").json()
    assert len(sheets["results"]) == 3


def test_the_api_withholds_figures_from_a_member_without_a_sheet(published, hr, leader):
    cycle, apps, chair, m1, m2 = (published[k] for k in ("cycle", "apps", "chair", "m1", "m2"))
    for member in (chair, m1):
        _score(member, apps[0], 90)
        _score(member, apps[1], 70)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    # apps[0] recommended (90), apps[1] not (70, quota 1); m2 scored neither
    m2_api = client_for(m2)
    first = m2_api.get(f"{BASE}/applications/{apps[0].pk}/").json()
    second = m2_api.get(f"{BASE}/applications/{apps[1].pk}/").json()
    assert (first["final_score"], first["recommended"]) == ("90.00", True)  # published list
    assert second["final_score"] is None and second["committee_score"] is None
    assert second["rank"] is None and second["recommended"] is None and second["flags"] == []
    page = web(m2).get(f"/certification/applications/{apps[1].pk}/").content.decode()
    assert "70.00" not in page
    # the chair scored both; HR and the leadership oversee
    for user in (chair, hr, leader):
        row = client_for(user).get(f"{BASE}/applications/{apps[1].pk}/").json()
        assert (row["final_score"], row["rank"], row["recommended"]) == ("70.00", 2, False)
    # the public result list carries no working figures (sheets, quorum, spread)
    rows = client_for(m2).get(f"{BASE}/cycles/{cycle.pk}/results/").json()["results"]
    assert [(r["application"], r["quorum"], r["std_dev"]) for r in rows] == [
        (apps[0].pk, None, None)
    ]
    rows = client_for(hr).get(f"{BASE}/cycles/{cycle.pk}/results/").json()["results"]
    assert [(r["final_score"], r["rank"]) for r in rows] == [("90.00", 1), ("70.00", 2)]
    # nor do filters and orderings on the withheld figures: m2 cannot learn who failed
    listed = f"{BASE}/applications/?cycle={cycle.pk}"

    def ids(api, query=""):
        return [row["id"] for row in api.get(listed + query).json()["results"]]

    assert ids(m2_api, "&recommended=false") == []
    assert ids(m2_api, "&recommended=true") == [apps[0].pk]
    default = ids(m2_api)
    assert sorted(default) == sorted(a.pk for a in apps)
    assert ids(m2_api, "&ordering=final_score") == ids(m2_api, "&ordering=-rank") == default
    for user in (chair, hr):  # the chair scored both; HR oversees
        assert ids(client_for(user), "&recommended=false") == [apps[1].pk]
    assert ids(client_for(hr), "&ordering=final_score") == [apps[1].pk, apps[0].pk]
    assert ids(client_for(hr), "&ordering=rank") == [apps[0].pk, apps[1].pk]


# -- 4. objections only against the published list ---------------------------------------------


def test_objections_against_anything_but_the_published_list_are_404(published, hr, ladder):
    cycle, apps, chair, m1 = (published[k] for k in ("cycle", "apps", "chair", "m1"))
    for member in (chair, m1):
        _score(member, apps[0], 90)
        _score(member, apps[1], 70)
    services.cycle_publish(actor=hr, cycle=cycle, today=TODAY)
    _other, someone = applicant(ladder[1])
    api = client_for(someone)

    def post(app_id):
        return api.post(
            f"{BASE}/objections/", {"application": app_id, "reason": "有疑问"}, format="json"
        )

    missing = post(10**9)
    not_listed = post(apps[1].pk)  # qualified, scored, not recommended
    assert missing.status_code == not_listed.status_code == 404
    assert missing.json() == not_listed.json()
    assert post(apps[0].pk).status_code == 201
    # "my objections": only the published candidate
    mine = api.get(f"{BASE}/objections/").json()["results"]
    assert [o["application"] for o in mine] == [apps[0].pk]
    page = web(someone).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert apps[1].staff.name not in page
    # after the window (Friday 2026-12-04 is the last day) the listed candidate is 404 too
    with pytest.raises(services.NotInScope):
        services.objection_file(
            actor=someone, application=apps[0], reason="晚了", today=dt.date(2026, 12, 7)
        )


# -- 5. minimum panel size ---------------------------------------------------------------------


def test_a_panel_below_the_minimum_cannot_start_scoring(ladder, hr, fake, settings):
    settings.COMMITTEE_MIN_PANEL = 3
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    cand, user = applicant(ladder[1])
    apply_and_qualify(cycle, hr, user)
    members = [committee_member(f"s{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    services.conflict_declare(actor=members[2], member=members[2], staff=cand, kind="relative")
    advance(cycle, hr, "qualification")
    api = client_for(hr)
    page = web(hr).get(f"/certification/cycles/{cycle.pk}/panels/").content.decode()
    assert 'data-testid="panel-too-small"' in page
    res = api.post(f"{BASE}/cycles/{cycle.pk}/start_review/", {}, format="json")
    assert res.status_code == 409
    assert res.json()["code"] == "panel_too_small"
    assert (res.json()["effective"], res.json()["needed"]) == (2, 3)
    fourth = committee_member("s3", level=ladder[4])[0]
    services.panel_save(
        actor=hr,
        cycle=cycle,
        level=ladder[2],
        chair=members[0],
        members=[*members, fourth],
        panel=cycle.panels.get(),
    )
    res = api.post(f"{BASE}/cycles/{cycle.pk}/start_review/", {}, format="json")
    assert res.status_code == 200 and res.json()["status"] == "review"


# -- 6. double submission is harmless ----------------------------------------------------------


def test_publishing_twice_answers_the_same_state_with_one_audit_record(published, hr):
    cycle, apps, chair, m1 = (published[k] for k in ("cycle", "apps", "chair", "m1"))
    for member in (chair, m1):
        _score(member, apps[0], 90)
        _score(member, apps[1], 70)
    page = web(hr).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'value="publish" data-confirm="' in page  # states the consequence first
    api = client_for(hr)
    first = api.post(f"{BASE}/cycles/{cycle.pk}/publish/", {}, format="json")
    second = api.post(f"{BASE}/cycles/{cycle.pk}/publish/", {}, format="json")
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert second.json()["status"] == Cycle.Status.PUBLICITY
    assert audit.history(cycle).filter(action="publish").count() == 1


# -- 7. working days ---------------------------------------------------------------------------


def test_the_office_sees_the_working_day_calendar_and_its_overrides(
    ladder, hr, django_assert_max_num_queries
):
    from core.models import WorkdayOverride

    WorkdayOverride.objects.create(day=dt.date(2027, 2, 8), is_workday=False, note="春节")
    WorkdayOverride.objects.create(day=dt.date(2027, 2, 20), is_workday=True, note="春节调休")
    with django_assert_max_num_queries(25):  # the page's own: one query for the overrides
        res = web(hr).get("/certification/working-days/")
    page = res.content.decode()
    assert res.status_code == 200
    from core.workdays import year_known

    # a year the package does not know yet is announced (2027 at the time of writing)
    assert ('data-testid="unknown-years"' in page) is (not year_known(2027))
    assert 'data-day="2027-02-08" data-workday="0"' in page
    assert 'data-day="2027-02-20" data-workday="1"' in page
    assert page.count('data-testid="override"') == 2
    _staff, user = applicant(ladder[1])
    assert web(user).get("/certification/working-days/").status_code == 403


def test_each_step_of_the_cycle_asks_for_a_confirmation_stating_its_consequence(ladder, hr):
    """open, close the window, start the review: the button carries the consequence, which
    the page's script asks the office to confirm before posting (static/js/app.js)."""
    from certification.actions import CONFIRMS

    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(hr)
    for step, then in (("open", "open"), ("start_qualification", "qualification")):
        page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
        assert f'value="{step}" data-confirm="{CONFIRMS[step]}"' in page
        advance(cycle, hr, then)
