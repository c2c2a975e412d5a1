import datetime as dt
import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from core.roles import Role
from letters import services
from letters.models import Letter
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory

from .conftest import promote

pytestmark = pytest.mark.django_db

LIST = "/api/v1/certification/letters/"


def _issue_for(staff, level, office, **kwargs):
    return services.letter_issue(actor=office, appointment=promote(staff, level), **kwargs)


def test_list_has_the_contract_fields(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    body = client_for(office).get(LIST).json()
    assert body["count"] == 1
    row = body["results"][0]
    assert {k: row[k] for k in ("id", "number", "staff", "kind", "sha256", "revoked")} == {
        "id": letter.pk,
        "number": letter.number,
        "staff": promoted.staff_id,
        "kind": "promotion",
        "sha256": letter.sha256,
        "revoked": False,
    }
    assert row["issued_at"]
    assert row["pdf_url"] == f"{LIST}{letter.pk}/pdf/"


def test_every_download_returns_the_stored_bytes(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    api = client_for(office)
    first = api.get(f"{LIST}{letter.pk}/pdf/")
    second = api.get(f"{LIST}{letter.pk}/pdf/")
    assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
    assert first.content == second.content
    assert hashlib.sha256(first.content).hexdigest() == letter.sha256
    page = Client()
    page.force_login(office)
    assert page.get(reverse("letters:pdf", args=[letter.pk])).content == first.content
    from core.models import DownloadRecord

    records = DownloadRecord.objects.order_by("id").values_list("kind", "object_id", "user_id")
    assert list(records) == [("letter", str(letter.pk), office.pk)] * 3


def test_revoked_letter_is_still_downloadable_and_verifies_as_revoked(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    api = client_for(office)
    before = api.get(f"{LIST}{letter.pk}/pdf/").content

    response = api.post(f"{LIST}{letter.pk}/revoke/", {"reason": "任职文件有误"})
    assert response.status_code == 200 and response.json()["revoked"] is True
    assert api.post(f"{LIST}{letter.pk}/revoke/", {"reason": "again"}).status_code == 409
    assert api.post(f"{LIST}{letter.pk}/revoke/", {"reason": ""}).status_code == 400

    after = api.get(f"{LIST}{letter.pk}/pdf/")
    assert after.status_code == 200 and after.content == before

    anonymous = Client()
    page = anonymous.get(reverse("letters:verify", args=[letter.verification_code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="revoked"' in html and letter.number in html
    assert 'data-testid="masked-name">张*<' in html and "张伟" not in html
    public = anonymous.get(f"{LIST}verify/{letter.verification_code}/").json()
    assert (public["valid"], public["revoked"], public["staff_name"]) == (False, True, "张*")


def test_verification_of_a_valid_letter_is_public(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    anonymous = Client()
    html = anonymous.get(reverse("letters:verify", args=[letter.verification_code])).content
    html = html.decode()
    assert 'data-state="valid"' in html
    assert letter.number in html and letter.sha256 in html and "张*" in html
    for private in ("张伟", "高级大客户经理", "高级客户经理", "K10001"):
        assert private not in html
    body = anonymous.get(f"{LIST}verify/{letter.verification_code}/").json()
    assert body == {
        "number": letter.number,
        "valid": True,
        "revoked": False,
        "revoked_at": None,
        "issue_date": letter.issue_date.isoformat(),
        "issuer": letter.facts["company"],
        "staff_name": "张*",
        "term_start": "2026-01-01",
        "term_end": "2029-01-01",
        "term_last_day": "2028-12-31",
        "sha256": letter.sha256,
    }
    assert anonymous.get(reverse("letters:verify", args=["nope"])).status_code == 404
    assert anonymous.get(f"{LIST}verify/nope/").status_code == 404


def test_the_verification_of_a_demotion_does_not_say_it_is_one(ladder, office):
    from org import services as org_services

    staff = StaffFactory(name="刘强", level=ladder[2], level_since=dt.date(2023, 1, 1))
    appointment = org_services.appoint(
        actor=None, staff=staff, level=ladder[1], start=dt.date(2026, 3, 1), reason="demotion"
    )
    letter = services.letter_issue(actor=office, appointment=appointment, kind="demotion")
    anonymous = Client()
    page = anonymous.get(reverse("letters:verify", args=[letter.verification_code]))
    html = page.content.decode().lower()
    for word in ("demotion", "降级", "降职", "appointment letter", "kind", "类型"):
        assert word not in html
    body = anonymous.get(f"{LIST}verify/{letter.verification_code}/").json()
    assert "kind" not in body and body["staff_name"] == "刘*"
    assert "刘强" not in page.content.decode()
    assert "demotion" not in str(body).lower()


@pytest.mark.parametrize(
    ("name", "masked"), [("刘强", "刘*"), ("欧阳娜娜", "欧*"), ("Zhang Wei", "Z*"), ("", "")]
)
def test_names_are_masked_to_their_first_character(name, masked):
    from letters.selectors import masked_name

    assert masked_name(name=name) == masked


def test_scope_staff_own_manager_subtree_office_all(org_tree, ladder, office):
    t = org_tree
    mine = _issue_for(t["report"], ladder[2], office)
    boss = _issue_for(t["manager"], ladder[4], office)
    far = _issue_for(t["other"], ladder[2], office)

    def ids(user):
        return {r["id"] for r in client_for(user).get(LIST).json()["results"]}

    assert ids(t["report_user"]) == {mine.pk}
    assert ids(t["manager_user"]) == {mine.pk, boss.pk}
    assert ids(office) == {mine.pk, boss.pk, far.pk}
    for url in (f"{LIST}{far.pk}/", f"{LIST}{far.pk}/pdf/"):
        assert client_for(t["manager_user"]).get(url).status_code == 404
        assert client_for(t["report_user"]).get(url).status_code == 404
    page = Client()
    page.force_login(t["report_user"])
    assert page.get(reverse("letters:pdf", args=[far.pk])).status_code == 404
    assert page.get(reverse("letters:pdf", args=[mine.pk])).status_code == 200
    assert mine.number in page.get(reverse("letters:mine")).content.decode()
    # Filtering by a staff member out of scope is refused, not leaked.
    assert client_for(t["report_user"]).get(f"{LIST}?staff={far.staff_id}").status_code == 400


def test_issue_and_revoke_need_the_office(promoted, org_tree):
    manager = org_tree["manager_user"]
    api = client_for(manager)
    response = api.post(LIST, {"appointment": promoted.pk})
    assert response.status_code in (400, 403)
    assert not Letter.objects.exists()


def test_issue_over_the_api_then_409_on_a_second_issue(promoted, office):
    api = client_for(office)
    response = api.post(LIST, {"appointment": promoted.pk, "kind": "promotion"})
    assert response.status_code == 201, response.json()
    assert response.json()["number"].endswith("〔2026〕1号") or response.json()["seq"] == 1
    again = api.post(LIST, {"appointment": promoted.pk})
    assert again.status_code == 409 and again.json()["code"] == "invalid_transition"
    assert api.post(LIST, {"appointment": 999999}).status_code == 400
    assert api.post(LIST, {"appointment": promoted.pk, "kind": "x"}).status_code == 400
    assert api.post(LIST, {"appointment": promoted.pk, "kind": "demotion"}).status_code == 400


def test_batch_issue_over_the_api_returns_a_job(promoted, office):
    api = client_for(office)
    response = api.post(f"{LIST}issue-batch/", {"appointments": [promoted.pk]}, format="json")
    assert response.status_code == 202
    body = response.json()
    assert (body["status"], body["total"], body["done"]) == ("queued", 1, 0)
    assert api.get(f"/api/v1/jobs/{body['id']}/").status_code == 200
    bad = api.post(f"{LIST}issue-batch/", {"appointments": [promoted.pk, 987654]}, format="json")
    assert bad.status_code == 400
    clerk = client_for(UserFactory(username="clerk", roles=[Role.STAFF]))
    assert (
        clerk.post(f"{LIST}issue-batch/", {"appointments": [promoted.pk]}, format="json")
    ).status_code == 403


def test_appointments_show_their_letter(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    rows = client_for(office).get(f"/api/v1/org/appointments/?staff={promoted.staff_id}").json()
    by_id = {r["id"]: r["letter"] for r in rows["results"]}
    assert by_id[promoted.pk] == letter.pk
    assert list(by_id.values()).count(None) == 1  # the earlier L2 appointment has none
    services.letter_revoke(actor=office, letter=letter, reason="x")
    rows = client_for(office).get(f"/api/v1/org/appointments/?staff={promoted.staff_id}").json()
    assert {r["id"]: r["letter"] for r in rows["results"]}[promoted.pk] is None


@pytest.fixture
def many_letters(ladder, office):
    staff = [StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)) for _ in range(30)]
    appointments = [promote(s, ladder[2]) for s in staff]
    services.letters_issue_now(actor=office, appointments=appointments, kind="promotion")
    return appointments


def test_lists_do_not_query_per_row(many_letters, office, django_assert_max_num_queries):
    api = client_for(office)
    with django_assert_max_num_queries(6):
        body = api.get(f"{LIST}?page_size=100").json()
    assert body["count"] == 30
    with django_assert_max_num_queries(6):
        rows = api.get("/api/v1/org/appointments/?page_size=100").json()
    assert sum(1 for r in rows["results"] if r["letter"]) == 30
    page = Client()
    page.force_login(office)
    with django_assert_max_num_queries(14):
        assert page.get(reverse("letters:list")).status_code == 200
    staff_user = UserFactory(username="k-own", roles=[Role.STAFF])
    owner = many_letters[0].staff
    owner.user = staff_user
    owner.save(update_fields=["user"])
    page.force_login(staff_user)
    with django_assert_max_num_queries(14):
        assert page.get(reverse("letters:mine")).status_code == 200
    # the whole dashboard (every app's card and to-do items for a staff member), whatever the
    # number of letters
    with django_assert_max_num_queries(46):
        assert page.get(reverse("home")).status_code == 200


def test_hr_revokes_from_the_letters_page(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    page = Client()
    page.force_login(office)
    html = page.get(reverse("letters:list")).content.decode()
    assert letter.number in html and reverse("letters:revoke", args=[letter.pk]) in html
    page.post(reverse("letters:revoke", args=[letter.pk]), {"reason": "错发"})
    letter.refresh_from_db()
    assert letter.revoked and letter.revoke_reason == "错发"


def test_hr_starts_a_batch_from_the_issue_page(promoted, office):
    page = Client()
    page.force_login(office)
    response = page.post(
        reverse("letters:issue"),
        {
            "kind": "promotion",
            "reason": "promotion",
            "start_from": "2026-01-01",
            "only_open": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    staff_page = Client()
    staff_page.force_login(UserFactory(username="s1", roles=[Role.STAFF]))
    assert staff_page.get(reverse("letters:issue")).status_code == 403


def test_an_altered_or_missing_file_is_not_served(promoted, office):
    letter = services.letter_issue(actor=office, appointment=promoted)
    path = services.letter_path(letter)
    path.write_bytes(path.read_bytes() + b"%tampered")
    api = client_for(office)
    response = api.get(f"{LIST}{letter.pk}/pdf/")
    assert response.status_code == 409 and response.json()["code"] == "letter_file_changed"
    page = Client()
    page.force_login(office)
    assert page.get(reverse("letters:pdf", args=[letter.pk])).status_code == 409
    path.unlink()
    assert api.get(f"{LIST}{letter.pk}/pdf/").status_code == 404
