"""The office's set-up pages: the new-cycle form (defaults, errors next to the fields), the
panels page (members, conflicts of interest, quorum), the eligibility evidence on the board,
and the letters of an approved cycle issued as one job."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from certification import services
from certification.models import Cycle, Panel
from core.roles import Role
from tests.certification.factories import (
    COMMITTEE_ONLY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
D = Decimal


def web(user, lang="en"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


def _post_data(ladder, **over):
    data = {
        "track": ladder[0].track_id,
        "name": "2027 认证",
        "window_start": "2027-01-04",
        "window_end": "2027-01-29",
        "reference_date": "",
        "publicity_days": "5",
        "same_unit_conflict": "on",
        "dim-TOTAL_FORMS": "2",
        "dim-INITIAL_FORMS": "0",
        "dim-0-name": "业绩",
        "dim-0-code": "kpi",
        "dim-0-source": "kpi",
        "dim-0-weight": "60",
        "dim-0-max_score": "100",
        "dim-1-name": "答辩",
        "dim-1-code": "defence",
        "dim-1-source": "committee",
        "dim-1-weight": "40",
        "dim-1-max_score": "100",
    }
    for lv in ladder[1:]:
        data[f"offer-{lv.pk}-quota"] = "2"
        data[f"offer-{lv.pk}-pass_line"] = "60"
    data[f"offer-{ladder[2].pk}-offered"] = "on"
    data.update(over)
    return data


def test_new_cycle_form_defaults_from_the_tracks_last_cycle(ladder, hr, fake):
    make_cycle(hr, ladder, offers=[{"level": ladder[3], "quota": 7, "pass_line": D("66.5")}])
    page = web(hr).get("/certification/cycles/new/").content.decode()
    assert 'value="工作业绩"' in page and 'value="答辩"' in page  # the last cycle's sheet
    assert 'name="dim-4-name"' in page  # one empty row to add a dimension
    assert f'name="offer-{ladder[3].pk}-offered"' in page
    assert 'value="7"' in page and 'value="66.50"' in page
    assert f'name="offer-{ladder[0].pk}-offered"' not in page  # nobody is promoted to L1


def test_new_cycle_form_standard_sheet_without_a_previous_cycle(ladder, hr):
    page = web(hr).get("/certification/cycles/new/").content.decode()
    for code in ("performance", "training", "competency", "defence"):
        assert f'value="{code}"' in page


def test_new_cycle_errors_next_to_the_fields_and_nothing_created(ladder, hr):
    data = _post_data(
        ladder,
        window_end="2026-12-01",
        **{"dim-1-weight": "30", f"offer-{ladder[2].pk}-quota": ""},
    )
    res = web(hr).post("/certification/cycles/new/", data)
    assert res.status_code == 200
    page = res.content.decode()
    assert Cycle.objects.count() == 0
    assert "The window must end on or after its start." in page
    assert 'id="id_window_end"' in page and "is-invalid" in page
    assert "The weights sum to 90; they must sum to exactly 100." in page
    assert "Required for an offered level." in page


def test_new_cycle_errors_in_chinese(ladder, hr):
    res = web(hr, "zh-hans").post(
        "/certification/cycles/new/", _post_data(ladder, window_end="2026-12-01")
    )
    assert "申请截止日期不得早于开始日期。" in res.content.decode()


def test_new_cycle_created_as_draft_with_offers_and_sheet(ladder, hr):
    res = web(hr).post("/certification/cycles/new/", _post_data(ladder))
    cycle = Cycle.objects.get()
    assert res.url == f"/certification/cycles/{cycle.pk}/"
    assert cycle.status == "draft" and cycle.same_unit_conflict
    assert [(o.level_id, o.quota, o.pass_line) for o in cycle.offers.all()] == [
        (ladder[2].pk, 2, D("60"))
    ]
    assert [(d.code, d.weight, d.order) for d in cycle.dimensions.all()] == [
        ("kpi", D("60"), 0),
        ("defence", D("40"), 1),
    ]


def test_new_cycle_needs_an_offer(ladder, hr):
    data = _post_data(ladder)
    del data[f"offer-{ladder[2].pk}-offered"]
    page = web(hr).post("/certification/cycles/new/", data).content.decode()
    assert "Offer at least one level." in page
    assert Cycle.objects.count() == 0


def test_office_pages_refused_to_others(ladder, hr, fake):
    cycle = make_cycle(hr, ladder)
    _, user = applicant(ladder[1])
    client = web(user)
    assert client.get("/certification/cycles/new/").status_code == 403
    assert client.get(f"/certification/cycles/{cycle.pk}/panels/").status_code == 403
    assert client.post(f"/certification/cycles/{cycle.pk}/letters/").status_code == 403
    assert web(hr).get("/certification/cycles/99999/panels/").status_code == 404


@pytest.fixture
def qualified(ladder, hr, fake):
    cycle = make_cycle(
        hr, ladder, dimensions=COMMITTEE_ONLY, status="open", same_unit_conflict=True
    )
    unit_member, unit_staff = committee_member("m-unit", level=ladder[4])
    people = [applicant(ladder[1]) for _ in range(3)] + [applicant(ladder[1], unit=unit_staff.unit)]
    apps = [apply_and_qualify(cycle, hr, user) for _, user in people]
    others = [committee_member(f"m{i}", level=ladder[4])[0] for i in range(3)]
    advance(cycle, hr, "qualification")
    return {"cycle": cycle, "apps": apps, "unit_member": unit_member, "others": others}


def test_panels_page_creates_a_panel_and_shows_conflicts_and_quorum(ladder, hr, qualified):
    cycle, apps = qualified["cycle"], qualified["apps"]
    members = [qualified["unit_member"], *qualified["others"]]
    services.conflict_declare(
        actor=qualified["others"][0],
        member=qualified["others"][0],
        staff=apps[0].staff,
        kind="relative",
    )
    client = web(hr)
    page = client.get(f"/certification/cycles/{cycle.pk}/panels/").content.decode()
    assert "m-unit" not in page or "no panel yet" in page
    res = client.post(
        f"/certification/cycles/{cycle.pk}/panels/",
        {
            "level": ladder[2].pk,
            f"panel-{ladder[2].pk}-chair": members[1].pk,
            f"panel-{ladder[2].pk}-members": [m.pk for m in members],
        },
    )
    assert res.status_code == 302
    panel = Panel.objects.get(cycle=cycle, level=ladder[2])
    assert panel.chair == members[1] and set(panel.members.all()) == set(members)
    page = client.get(f"/certification/cycles/{cycle.pk}/panels/").content.decode()
    assert page.count('data-testid="recused"') == 2
    assert "same org unit" in page and "declared: relative" in page
    # 4 members; one recused → 3 scorers, quorum ⌈3 × 2/3⌉ = 2; none recused → 4 / 3
    assert page.count('data-testid="quorum">3 / 2<') == 2
    assert page.count('data-testid="quorum">4 / 3<') == 2


def test_panels_page_errors_next_to_the_field(ladder, hr, qualified):
    cycle = qualified["cycle"]
    res = web(hr).post(
        f"/certification/cycles/{cycle.pk}/panels/",
        {"level": ladder[2].pk, f"panel-{ladder[2].pk}-chair": ""},
    )
    page = res.content.decode()
    assert res.status_code == 200 and "is-invalid" in page
    assert "This field is required." in page
    assert not Panel.objects.filter(cycle=cycle).exists()


def test_panels_page_queries_flat(ladder, hr, qualified, django_assert_max_num_queries):
    cycle = qualified["cycle"]
    members = [qualified["unit_member"], *qualified["others"]]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    for _ in range(15):
        applicant(ladder[1])
        UserFactory(roles=[Role.COMMITTEE])
    client = web(hr)
    with django_assert_max_num_queries(20):
        assert client.get(f"/certification/cycles/{cycle.pk}/panels/").status_code == 200


def test_board_shows_eligibility_evidence_per_application(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _, user = applicant(ladder[1])
    app = services.application_create(
        actor=user, cycle=cycle, statement="x", today=dt.date(2026, 11, 30)
    )
    services.application_submit(actor=user, application=app, today=dt.date(2026, 11, 30))
    page = web(hr).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert page.count('data-testid="evidence"') == 1
    assert '<tr data-rule="training_credits" data-passed="0">' in page
    assert '<td class="small" data-col="required">2 years</td>' in page


def test_board_queries_flat(ladder, hr, fake, django_assert_max_num_queries):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    for _ in range(12):
        _, user = applicant(ladder[1])
        app = services.application_create(
            actor=user, cycle=cycle, statement="x", today=dt.date(2026, 11, 30)
        )
        services.application_submit(actor=user, application=app, today=dt.date(2026, 11, 30))
    client = web(hr)
    # the board is paged (its count) and filters by the org-unit tree (the visible units)
    with django_assert_max_num_queries(17):
        assert client.get(f"/certification/cycles/{cycle.pk}/").status_code == 200


def test_board_decides_one_application_with_its_evidence(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _, user = applicant(ladder[1])
    app = services.application_create(
        actor=user, cycle=cycle, statement="x", today=dt.date(2026, 11, 30)
    )
    services.application_submit(actor=user, application=app, today=dt.date(2026, 11, 30))
    client = web(hr)
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert f'<form method="post" id="decide-{app.pk}">' in page
    assert f'form="decide-{app.pk}" name="op" value="qualify"' in page
    # Without the confirmation nothing happens; with it the application is qualified.
    client.post(
        f"/certification/cycles/{cycle.pk}/", {"action": "bulk", "ids": app.pk, "op": "qualify"}
    )
    app.refresh_from_db()
    assert app.status == "submitted"
    # The applicant meets no sourced rule (no grade, credits or index): qualifying is an
    # override, offered as such with a confirmation, and refused without a reason.
    assert 'data-testid="qualify-override"' in page and "data-confirm=" in page
    r = client.post(
        f"/certification/cycles/{cycle.pk}/",
        {"action": "bulk", "ids": app.pk, "op": "qualify", "confirm": "on"},
        follow=True,
    )
    app.refresh_from_db()
    assert app.status == "submitted"
    assert "needs a written reason" in r.content.decode()
    client.post(
        f"/certification/cycles/{cycle.pk}/",
        {"action": "bulk", "ids": app.pk, "op": "qualify", "confirm": "on", "reason": "特批"},
    )
    app.refresh_from_db()
    assert app.status == "qualified" and app.override_reason == "特批"
    assert app.override_by == hr
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert f'id="decide-{app.pk}"' not in page
    assert 'data-testid="override"' in page and "特批" in page


def test_cycle_letters_start_one_job_for_the_promotions(
    ladder, hr, leader, fake, django_capture_on_commit_callbacks
):
    from jobs.models import Job

    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open", publicity_days=1)
    people = [applicant(ladder[1]) for _ in range(3)]
    apps = [apply_and_qualify(cycle, hr, user) for _, user in people]
    members = [committee_member(f"lm{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    for i, app in enumerate(apps):
        for m in members:
            sheet = services.sheet_save(actor=m, application=app, scores={"defence": 90 - 5 * i})
            services.sheet_submit(actor=m, sheet=sheet)
    client = web(hr)
    assert client.post(f"/certification/cycles/{cycle.pk}/letters/").status_code == 302
    assert Job.objects.count() == 0  # not approved yet: refused with a message
    services.cycle_publish(actor=hr, cycle=cycle, today=dt.date(2026, 11, 30))
    cycle.refresh_from_db()
    # The leadership group approves; the office is told it waits for that.
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'data-testid="awaiting-approval"' in page and 'value="approve"' not in page
    page = web(leader).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    # the leadership group sees the list, the approve button disabled until the day after
    # the publicity, with the reason and the date written beside it
    assert 'data-testid="approval"' in page and 'name="action" value="approve"' not in page
    assert "approval is possible from 2026-12-01." in page
    assert 'data-testid="available-from">from 2026-12-01</span>' in page
    with django_capture_on_commit_callbacks(execute=True):
        services.cycle_approve(
            actor=leader, cycle=cycle, today=cycle.publicity_end + dt.timedelta(days=1)
        )
    # The approval itself started the letters job: the office follows it, no second job.
    approval_job = Job.objects.get()
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert "0 of 2 letters issued." in page
    assert f"Job #{approval_job.pk} is issuing the letters." in page
    assert f'href="/jobs/{approval_job.pk}/"' in page
    res = client.post(f"/certification/cycles/{cycle.pk}/letters/")
    assert res.url == approval_job.get_absolute_url() and Job.objects.count() == 1
    # Once that job has failed, the office starts a new one for every promotion.
    Job.objects.filter(pk=approval_job.pk).update(status="failed")
    before = Job.objects.count()
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert "Issue all letters" in page
    res = client.post(f"/certification/cycles/{cycle.pk}/letters/")
    job = Job.objects.latest("pk")
    assert Job.objects.count() == before + 1
    assert res.url == job.get_absolute_url()
    promoted = cycle.applications.filter(status="promoted")
    assert sorted(job.params["appointment_ids"]) == sorted(
        promoted.values_list("appointment_id", flat=True)
    )


@pytest.mark.parametrize(
    "over",
    [
        {"dim-TOTAL_FORMS": "x"},
        {"dim-0-weight": "abc", "publicity_days": "9999999999999999999"},
        {"track": "99999", "window_start": "2027-02-30"},
        {"dim-0-max_score": "1e400", "dim-1-code": "not a slug!"},
    ],
)
def test_new_cycle_garbage_is_refused_not_a_500(ladder, hr, over):
    res = web(hr).post("/certification/cycles/new/", _post_data(ladder, **over))
    assert res.status_code == 200
    assert Cycle.objects.count() == 0


def test_panels_garbage_is_refused_not_a_500(ladder, hr, qualified):
    cycle = qualified["cycle"]
    client = web(hr)
    for data in (
        {"level": "abc"},
        {"level": ladder[2].pk, f"panel-{ladder[2].pk}-chair": "x"},
        {"level": ladder[2].pk, f"panel-{ladder[2].pk}-members": ["1e9", "-1"]},
    ):
        res = client.post(f"/certification/cycles/{cycle.pk}/panels/", data)
        assert res.status_code in (200, 302)
    assert not Panel.objects.filter(cycle=cycle).exists()
