"""Pages for the three users, navigation and dashboard cards, and query counts (lists and
pages stay flat with many rows)."""

import pytest
from django.test import Client

from certification import services
from certification.models import Application
from tests.certification.factories import (
    COMMITTEE_ONLY,
    PDF_BYTES,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.conftest import client_for
from tests.home import home_page

pytestmark = pytest.mark.django_db
BASE = "/api/v1/certification"


def web(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def review(ladder, hr, fake):
    """A cycle in review with 12 candidates, 3 members who each scored every candidate."""
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    people = [applicant(ladder[1]) for _ in range(12)]
    apps = [apply_and_qualify(cycle, hr, user) for _, user in people]
    members = [committee_member(f"pm{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    for m in members:
        for app in apps:
            sheet = services.sheet_save(actor=m, application=app, scores={"defence": 80})
            services.sheet_submit(actor=m, sheet=sheet)
    return {"cycle": cycle, "apps": apps, "members": members, "people": people}


def test_staff_sees_open_cycles_and_live_eligibility_and_applies(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    client = web(user)
    page = client.get("/certification/").content.decode()
    assert cycle.name in page
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'data-testid="my-eligibility"' in page
    # The rule as a row: required 40 (for the promotion to L3), actual 0 (40 short), not met.
    assert '<tr data-rule="training_credits" data-passed="0">' in page
    assert '<td class="small" data-col="required">晋升 L3 要求 40 学分</td>' in page
    assert '<td class="small" data-col="actual">0（差 40 分）</td>' in page
    res = client.post(
        f"/certification/cycles/{cycle.pk}/", {"action": "apply", "statement": "申请"}
    )
    app = Application.objects.get(staff=staff)
    assert res.url == f"/certification/applications/{app.pk}/"
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.post(
        f"/certification/applications/{app.pk}/",
        {
            "action": "upload",
            "kind": "case",
            "file": SimpleUploadedFile("案例.pdf", PDF_BYTES, content_type="application/pdf"),
        },
    )
    client.post(f"/certification/applications/{app.pk}/", {"action": "submit"})
    app.refresh_from_db()
    assert app.status == "submitted"
    page = client.get(f"/certification/applications/{app.pk}/").content.decode()
    assert "案例.pdf" in page
    assert 'data-testid="timeline"' in page and "submit" in page
    material = app.materials.get()
    res = client.get(f"/certification/applications/{app.pk}/materials/{material.pk}/")
    assert b"".join(res.streaming_content) == PDF_BYTES
    _, other = applicant(ladder[1])
    assert web(other).get(f"/certification/applications/{app.pk}/").status_code == 404
    assert (
        web(other).get(f"/certification/applications/{app.pk}/materials/{material.pk}/").status_code
        == 404
    )


def test_materials_are_stored_outside_the_web_root(ladder, hr, fake, private_media, settings):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _, user = applicant(ladder[1])
    app = services.application_create(
        actor=user, cycle=cycle, today=__import__("datetime").date(2026, 11, 30)
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    material = services.material_add(
        actor=user,
        application=app,
        kind="certificate",
        upload=SimpleUploadedFile("证书.pdf", PDF_BYTES),
    )
    path = material.file.path
    assert path.startswith(str(private_media))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    assert not path.startswith(str(settings.STATIC_ROOT))


def test_hr_board_with_counts_checklist_and_results(review, hr, django_assert_max_num_queries):
    client = web(hr)
    with django_assert_max_num_queries(40):
        page = client.get(f"/certification/cycles/{review['cycle'].pk}/")
    text = page.content.decode()
    assert 'data-testid="candidates"' in text
    assert 'data-testid="results"' in text
    assert "80.00" in text


def test_committee_queue_and_sheet_pages(review, django_assert_max_num_queries):
    member = review["members"][1]
    client = web(member)
    with django_assert_max_num_queries(20):
        page = client.get("/certification/committee/")
    assert page.content.decode().count("/certification/committee/") >= 12
    app = review["apps"][0]
    with django_assert_max_num_queries(30):
        page = client.get(f"/certification/committee/{app.pk}/")
    text = page.content.decode()
    assert 'data-testid="others"' in text  # own sheet submitted → others visible


def test_a_conflicted_member_gets_404_on_the_sheet_page(review, hr):
    member = review["members"][2]
    cand = review["people"][0][0]
    services.conflict_declare(actor=member, member=member, staff=cand, kind="relative")
    assert web(member).get(f"/certification/committee/{review['apps'][0].pk}/").status_code == 404
    queue = web(member).get("/certification/committee/").content.decode()
    assert f'href="/certification/committee/{review["apps"][0].pk}/"' not in queue
    assert f'href="/certification/committee/{review["apps"][1].pk}/"' in queue


def test_navigation_and_dashboard_cards_per_role(review, hr):
    member = review["members"][0]
    home = home_page(web(member))
    assert 'data-testid="card-panel"' in home
    assert "/certification/committee/" in home
    assert 'data-testid="card-cycles"' in home_page(web(hr))
    staff_user = review["people"][0][1]
    home = home_page(web(staff_user))
    assert "/certification/" in home


def test_api_lists_stay_flat(review, hr, django_assert_max_num_queries):
    api = client_for(hr)
    for url in (
        "/applications/",
        "/sheets/",
        "/panels/",
        "/cycles/",
        "/objections/",
        f"/cycles/{review['cycle'].pk}/results/",
    ):
        with django_assert_max_num_queries(12):
            res = api.get(f"{BASE}{url}")
        assert res.status_code == 200, url
    member_api = client_for(review["members"][1])
    for url in ("/applications/", "/sheets/"):
        with django_assert_max_num_queries(14):
            res = member_api.get(f"{BASE}{url}")
        assert res.json()["count"] >= 12


def test_garbage_input_gets_400_not_500(review, hr):
    api = client_for(hr)
    app = review["apps"][0]
    for url, body in [
        ("/cycles/", {"name": "", "track": "x", "offers": "y"}),
        (f"/applications/{app.pk}/qualify/", {"eligibility": "maybe"}),
        (f"/applications/{app.pk}/dimension-value/", {"dimension": "x", "value": "NaN"}),
        ("/sheets/", {"application": "abc", "scores": []}),
        ("/sheets/", {"application": 10**20, "scores": {}}),
        ("/objections/", {"application": -1, "reason": ""}),
        ("/panels/", {"cycle": 999999, "level": None, "chair": "", "members": "x"}),
    ]:
        res = api.post(f"{BASE}{url}", body, format="json")
        assert res.status_code == 400, (url, res.status_code)
    member_api = client_for(review["members"][0])
    res = member_api.post(
        f"{BASE}/sheets/", {"application": app.pk, "scores": {"defence": "1e999"}}, format="json"
    )
    assert res.status_code in (400, 409)
    assert api.get(f"{BASE}/applications/?staff=abc").status_code == 400
    assert api.get(f"{BASE}/applications/?staff={10**30}").status_code == 400
    assert api.get(f"{BASE}/applications/?cycle=999999").status_code == 400


def test_hr_bulk_qualifies_the_selected_applications(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    apps = []
    for _ in range(3):
        _, user = applicant(ladder[1])
        app = services.application_create(
            actor=user, cycle=cycle, statement="s", today=__import__("datetime").date(2026, 11, 30)
        )
        services.application_submit(
            actor=user, application=app, today=__import__("datetime").date(2026, 11, 30)
        )
        apps.append(app)
    client = web(hr)
    ids = [str(apps[0].pk), str(apps[1].pk)]
    client.post(
        f"/certification/cycles/{cycle.pk}/", {"action": "bulk", "op": "qualify", "ids": ids}
    )
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}
    # none of them meets the sourced rules: each needs its own reason, all or nothing
    r = client.post(
        f"/certification/cycles/{cycle.pk}/",
        {
            "action": "bulk",
            "op": "qualify",
            "ids": ids,
            "confirm": "on",
            f"reason-{ids[0]}": "特批",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}
    text = r.content.decode()
    assert "Nothing was qualified: 1 application(s) were refused." in text
    assert f"{apps[1].staff.name}: " in text and f"{apps[0].staff.name}: " not in text
    client.post(
        f"/certification/cycles/{cycle.pk}/",
        {
            "action": "bulk",
            "op": "qualify",
            "ids": ids,
            "confirm": "on",
            f"reason-{ids[0]}": "特批",
            f"reason-{ids[1]}": "重点项目",
        },
    )
    assert dict(Application.objects.filter(pk__in=ids).values_list("pk", "override_reason")) == {
        apps[0].pk: "特批",
        apps[1].pk: "重点项目",
    }
    client.post(
        f"/certification/cycles/{cycle.pk}/",
        {"action": "bulk", "op": "reject", "ids": [str(apps[2].pk)], "reason": "不符合条件"},
    )
    statuses = dict(Application.objects.values_list("pk", "status"))
    assert statuses == {apps[0].pk: "qualified", apps[1].pk: "qualified", apps[2].pk: "rejected"}


def test_a_member_declares_a_conflict_on_the_queue_page(review):
    member = review["members"][1]
    cand = review["people"][0][0]
    client = web(member)
    assert (
        f"/certification/committee/{review['apps'][0].pk}/"
        in client.get("/certification/committee/").content.decode()
    )
    client.post(
        "/certification/committee/",
        {"employee_no": cand.employee_no, "kind": "relative", "note": "表亲"},
    )
    page = client.get("/certification/committee/").content.decode()
    assert f"/certification/committee/{review['apps'][0].pk}/" not in page
    assert "表亲" in page


def test_list_and_application_pages_stay_flat(review, hr, django_assert_max_num_queries):
    client = web(hr)
    with django_assert_max_num_queries(12):
        assert client.get("/certification/").status_code == 200
    app = review["apps"][0]
    with django_assert_max_num_queries(30):
        assert client.get(f"/certification/applications/{app.pk}/").status_code == 200
    owner = web(review["people"][0][1])
    with django_assert_max_num_queries(30):
        assert owner.get(f"/certification/applications/{app.pk}/").status_code == 200
