"""Pages: my training (progress bar, records, recommendations), catalogue, sessions, ledger,
import with its error table — rendering, scope and constant query counts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.roles import Role
from tests.factories import StaffFactory, UserFactory
from training import dashboard, selectors, services
from training.models import Course, Enrolment, TrainingRecord

from .factories import CourseFactory, RecordFactory, SessionFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def hr_client(client, db):
    client.force_login(UserFactory(username="hr-page", roles=[Role.HR]))
    return client


def _login(client, staff):
    client.force_login(staff.user)
    return client


def test_my_training_shows_the_progress_bar_against_the_requirement(world, client):
    services.requirement_save(actor=None, level=world.level("L2"), min_credits_12m=D("30.00"))
    RecordFactory(staff=world.alice, date=timezone.localdate(), credits=D("12.00"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = _login(client, world.alice).get("/training/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-valuenow="40"' in html  # 12 / 30
    assert "width: 40%" in html
    assert 'data-testid="shortfall">18 credits short of the requirement.<' in html
    assert (
        'data-testid="credits-stat">12 <small class="fs-6 text-body-secondary">/ 30</small>' in html
    )
    assert (
        "Against the re-appointment requirement of the current level L2, as of 2026-11-30." in html
    )
    assert "12.00" not in html


def test_recommended_courses_follow_the_competency_gaps(world, client, monkeypatch):
    """The gaps come from competency's profile; each lists the courses that develop it."""
    from competency.models import Competency, CompetencyModel

    model = CompetencyModel.objects.create(track=world.alice.track, version=1, name="v1")
    visit = Competency.objects.create(
        model=model, code="VISIT", name="客户拜访", category="skill", kind="professional"
    )
    drive = Competency.objects.create(
        model=model, code="DRIVE", name="驾驶", category="skill", kind="basic"
    )
    plan = CourseFactory(code="P01", title="大客户拜访策划")
    plan.competencies.add(visit)
    done = CourseFactory(code="P02", title="拜访礼仪")
    done.competencies.add(visit)
    RecordFactory(staff=world.alice, course=done, date=dt.date(2025, 1, 1))
    CourseFactory(code="B04", title="安全驾驶").competencies.add(drive)

    profile = {
        "index": D("80"),
        "items": [
            {"competency": visit, "required": 4, "actual": D("2.5"), "gap": D("1.5")},
            {"competency": drive, "required": 3, "actual": D("3.2"), "gap": D("0")},
        ],
    }
    monkeypatch.setattr("competency.selectors.competency_profile", lambda staff, **kw: profile)

    recs = selectors.recommended_courses(staff=world.alice)
    # Only the gap (driving has none); courses not yet taken first, the one taken is marked.
    assert [
        (r["competency_id"], r["gap"], [(c.code, c.last_taken) for c in r["courses"]]) for r in recs
    ] == [(visit.pk, D("1.5"), [("P01", None), ("P02", dt.date(2025, 1, 1))])]
    html = _login(client, world.alice).get("/training/").content.decode()
    assert "大客户拜访策划" in html
    assert "2025-01-01" in html
    assert "安全驾驶" not in html


def test_a_failing_competency_profile_is_not_hidden_as_no_gaps(world, client, monkeypatch):
    """A broken read must fail loudly, never read as "no competency gaps"."""

    def boom(staff, **kw):
        raise RuntimeError("not ready")

    monkeypatch.setattr("competency.selectors.competency_profile", boom)
    with pytest.raises(RuntimeError, match="not ready"):
        _login(client, world.alice).get("/training/")


def test_courses_for_competencies_also_match_later_model_versions(world):
    from competency.models import Competency, CompetencyModel

    v1 = CompetencyModel.objects.create(track=world.alice.track, version=1, name="v1")
    v2 = CompetencyModel.objects.create(track=world.alice.track, version=2, name="v2")
    old = Competency.objects.create(
        model=v1, code="NEG", name="谈判", category="skill", kind="professional"
    )
    new = Competency.objects.create(
        model=v2, code="NEG", name="谈判", category="skill", kind="professional"
    )
    other = Competency.objects.create(
        model=v2, code="LANG", name="普通话", category="skill", kind="basic"
    )
    course = CourseFactory(code="P03")
    course.competencies.add(old)
    result = selectors.courses_for_competencies(competency_ids=[new.pk, other.pk])
    assert {k: [c.code for c in v] for k, v in result.items()} == {new.pk: ["P03"], other.pk: []}


def test_another_staff_members_training_page_is_404(world, client):
    assert _login(client, world.alice).get(f"/training/staff/{world.bob.pk}/").status_code == 404
    assert _login(client, world.mgr).get(f"/training/staff/{world.bob.pk}/").status_code == 200
    assert _login(client, world.mgr).get(f"/training/staff/{world.dave.pk}/").status_code == 404


def test_session_management_through_the_pages(world, hr_client):
    course = CourseFactory(code="P01", credits=D("6.00"))
    response = hr_client.post(
        "/training/sessions/new/",
        {
            "course": course.pk,
            "start": "2026-10-12",
            "end": "2026-10-13",
            "place": "广州",
            "capacity": "2",
            "pass_mark": "60",
            "self_enrolment": "on",
        },
    )
    assert response.status_code == 302
    session = course.sessions.get()
    url = f"/training/sessions/{session.pk}/"
    for no in ("K001", "K002", "K003"):
        hr_client.post(f"{url}enrol/", {"employee_no": no})
    assert sorted(session.enrolments.values_list("staff__employee_no", flat=True)) == [
        "K001",
        "K002",
    ]
    e1, e2 = session.enrolments.order_by("staff__employee_no")
    hr_client.post(
        f"{url}results/",
        {
            f"attended_{e1.pk}": "on",
            f"score_{e1.pk}": "75",
            f"attended_{e2.pk}": "on",
            f"score_{e2.pk}": "50",
        },
    )
    hr_client.post(f"{url}complete/")
    hr_client.post(f"{url}complete/")  # twice: refused with a message, nothing more
    assert list(TrainingRecord.objects.values_list("staff__employee_no", "credits")) == [
        ("K001", D("6.00"))
    ]
    page = hr_client.get(url).content.decode()
    assert 'data-testid="session-status"' in page


def test_staff_cannot_manage_sessions(world, client):
    session = SessionFactory()
    c = _login(client, world.alice)
    assert c.get("/training/sessions/new/").status_code == 403
    assert c.post(f"/training/sessions/{session.pk}/complete/").status_code == 403
    c.post(f"/training/sessions/{session.pk}/enrol/")
    assert list(Enrolment.objects.values_list("staff_id", flat=True)) == [world.alice.pk]


def test_the_import_page_shows_the_error_table_and_writes_nothing(world, hr_client):
    CourseFactory(code="B01")
    content = (
        b"employee_no,course,date,hours,credits,result\n"
        b"K001,B01,2026-03-01,4,2,passed\n"
        b"K999,B01,2026-03-01,4,x,passed\n"
    )
    response = hr_client.post(
        "/training/records/import/", {"file": SimpleUploadedFile("a.csv", content)}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "K999" in html
    assert "<td>3</td><td><code>employee_no</code>" in html
    assert "<td>3</td><td><code>credits</code>" in html
    assert TrainingRecord.objects.count() == 0


def test_pages_take_a_constant_number_of_queries(
    world, client, hr_client, django_assert_max_num_queries
):
    services.requirement_save(
        actor=None,
        level=world.level("L2"),
        min_credits_12m=D("30.00"),
        required_courses=[CourseFactory(code="B01"), CourseFactory(code="B02")],
    )
    courses = [CourseFactory() for _ in range(25)]
    people = [StaffFactory(unit=world.gz_ka) for _ in range(25)]
    TrainingRecord.objects.bulk_create(
        TrainingRecord(
            staff=s,
            course=c,
            date=dt.date(2026, 5, 1) + dt.timedelta(days=i),
            hours=D(1),
            credits=D(1),
            result="passed",
            source="import",
        )
        for s in [*people, world.alice]
        for i, c in enumerate(courses[:4])
    )
    for c in courses[:15]:
        session = SessionFactory(course=c)
        Enrolment.objects.bulk_create(Enrolment(session=session, staff=s) for s in people[:10])
    pages = [
        "/training/records/",
        f"/training/records/?unit={world.gz.pk}&date_from=2026-01-01",
        "/training/courses/",
        "/training/sessions/",
        f"/training/sessions/{session.pk}/",
        f"/training/courses/{courses[0].pk}/",
        "/training/certificates/",
        "/training/records/import/",
        f"/training/staff/{world.alice.pk}/",
    ]
    for url in pages:
        with django_assert_max_num_queries(30):
            assert hr_client.get(url).status_code == 200, url
    alice = client.__class__()
    alice.force_login(world.alice.user)
    for url in ("/training/", "/training/courses/", "/training/sessions/"):
        with django_assert_max_num_queries(30):
            assert alice.get(url).status_code == 200, url


def test_navigation_and_dashboard_cards(world, client, django_assert_max_num_queries):
    """The home page renders each app's cards; ours are checked through the same hook."""
    html = _login(client, world.alice).get("/training/courses/").content.decode()
    for link in ("/training/", "/training/courses/", "/training/sessions/"):
        assert f'href="{link}"' in html
    assert 'href="/training/records/"' not in html  # the ledger is for managers and HR
    services.requirement_save(actor=None, level=world.level("L2"), min_credits_12m=D("30.00"))
    RecordFactory(staff=world.alice, date=timezone.localdate(), credits=D("7.50"))
    today = timezone.localdate()
    with django_assert_max_num_queries(6):
        cards = dashboard.cards(world.alice.user, today)
    assert [c["template"] for c in cards] == ["training/cards/my_training.html"]
    with translation.override("en"):
        html = render_to_string(cards[0]["template"], {"card": cards[0]["context"]})
    assert 'data-testid="card-training-credits">7.5 <small' in html and "/ 30</small>" in html
    assert "22.5 credits short." in html and "7.50" not in html
    start = (today - dt.timedelta(days=364)).isoformat()  # the 12 months up to today
    assert (
        "Against the re-appointment requirement of your current level L2. "
        f"Credits from {start}, as of {today.isoformat()}." in html
    )
    hr = UserFactory(username="hr-cards", roles=[Role.HR])
    with django_assert_max_num_queries(8):
        cards = dashboard.cards(hr, today)
    office = cards[0]["context"]
    # Five staff with a level, one of whom (alice, L2) has a requirement and is short.
    assert (office["short"], office["counted"], office["to_verify"]) == (2, 2, 0)
    render_to_string(cards[0]["template"], {"card": office})


def test_the_catalogue_lists_active_courses_for_staff(world, client):
    CourseFactory(code="B01", title="商务礼仪", credits=Decimal("2.50"))
    CourseFactory(code="X99", title="旧课程", active=False)
    html = (
        _login(client, world.alice).get("/training/courses/?category=professional").content.decode()
    )
    assert "商务礼仪" in html
    assert '<td class="text-end">2.5</td>' in html  # credits without trailing zeros (#21)
    assert "旧课程" not in html
    assert Course.objects.count() == 2


def test_pages_are_in_chinese_by_default_and_english_on_request(world, client):
    c = _login(client, world.alice)
    assert "近 12 个月学分" in c.get("/training/").content.decode()
    html = c.get("/training/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Credits in the last 12 months" in html
