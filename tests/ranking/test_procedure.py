"""Re-certification as the certification procedure (DOMAIN.md, "Annual ranking",
re-certification procedure): the office proposes the outcome and publishes it for N working
days with objections; the leadership group approves (never the proposer, never the office
alone); the staff member may appeal within N working days; a demotion or elimination takes
effect only after approval and after the appeal window with no appeal open.

Dates: the frozen today is Monday 30 November 2026. Published 30 Nov – Fri 4 Dec (5 working
days); approved Mon 7 Dec; appeal window Tue 8 – Mon 14 Dec (5 working days after approval);
the effect from Tue 15 Dec."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent
from core.roles import Role
from org.models import Appointment
from ranking import services
from ranking.models import RecertificationAppeal, RecertificationCase
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory, make_user_for
from tests.files import PDF_BYTES
from tests.home import home_page
from tests.ranking.factories import (
    at,
    band_case,
    committee_members,
    leader,
    parts_for,
    preview,
    score_with,
    staff_with_scores,
)

CASES = "/api/v1/certification/recertifications/"
PUBLICITY_END = dt.date(2026, 12, 4)
APPROVED_ON = dt.date(2026, 12, 7)
APPEAL_UNTIL = dt.date(2026, 12, 14)
PDF = PDF_BYTES  # a real one-page PDF: uploads are checked by parsing


@pytest.fixture
def proposed(scores, ladder, hr_user):
    """A case at L3 scored 50/52/54 (52.00: demoted) and proposed today."""
    _run, case, staff = band_case(scores, ladder, hr_user, level_index=2)
    members = score_with(hr_user, case, [50, 52, 54])
    case = services.recertification_case_propose(actor=hr_user, case=case, reason="panel")
    return case, staff, members


def approved(case, frozen_clock):
    frozen_clock.move_to(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC))
    return services.recertification_case_approve(actor=leader(), case=case, reason="同意")


def test_the_proposal_is_published_for_five_working_days(proposed):
    case, staff, _members = proposed
    assert (case.status, case.outcome, case.committee_score) == ("published", "demoted", D("52.00"))
    assert (case.publicity_start, case.publicity_end) == (dt.date(2026, 11, 30), PUBLICITY_END)
    outsider = client_for(make_user_for(StaffFactory()))
    listing = outsider.get(f"{CASES}published/").json()
    assert [(row["id"], row["outcome"]) for row in listing] == [(case.pk, "demoted")]
    staff.refresh_from_db()
    assert staff.appointments.filter(closed_on__isnull=True).count() == 1  # nothing applied


def test_objections_only_against_a_published_case_in_its_window(proposed, ladder, hr_user):
    case, _staff, _members = proposed
    other_run_case = RecertificationCase.objects.create(
        staff=StaffFactory(level=ladder[1]), level=ladder[1]
    )
    someone = client_for(make_user_for(StaffFactory()))
    response = someone.post(f"{CASES}objections/", {"case": case.pk, "text": "评分不公"})
    assert response.status_code == 201, response.json()
    # an unpublished (open) case and a nonexistent id: 404, as anything out of scope
    assert (
        someone.post(f"{CASES}objections/", {"case": other_run_case.pk, "text": "x"}).status_code
        == 404
    )
    assert someone.post(f"{CASES}objections/", {"case": 999999, "text": "x"}).status_code == 404
    with at(PUBLICITY_END + dt.timedelta(days=1)):  # publicity over
        assert (
            someone.post(f"{CASES}objections/", {"case": case.pk, "text": "x"}).status_code == 404
        )
        # the leadership cannot approve while an objection is open
        refused = client_for(leader()).post(f"{CASES}{case.pk}/approve/", {})
        assert refused.status_code == 409 and refused.json()["code"] == "objections_open"
        objection = case.objections.get()
        hr = client_for(hr_user)
        assert (
            hr.post(
                f"{CASES}{case.pk}/resolve-objection/",
                {"objection": objection.pk, "upheld": False, "reason": ""},
            ).status_code
            == 400
        )
        done = hr.post(
            f"{CASES}{case.pk}/resolve-objection/",
            {"objection": objection.pk, "upheld": False, "reason": "评分有据"},
        )
        assert done.status_code == 200 and done.json()["status"] == "dismissed"
        assert client_for(leader()).post(f"{CASES}{case.pk}/approve/", {}).status_code == 200


def test_an_upheld_objection_sends_the_case_back_to_scoring(proposed, hr_user):
    case, _staff, _members = proposed
    objection = services.recertification_objection_file(
        actor=UserFactory(username="obj"), case_id=case.pk, text="材料遗漏"
    )
    services.recertification_objection_resolve(
        actor=hr_user, objection=objection, upheld=True, reason="补充材料后重评"
    )
    case.refresh_from_db()
    assert (case.status, case.outcome, case.publicity_end) == ("open", "", None)


def test_the_leadership_approves_after_publicity_never_the_proposer_or_the_office(
    proposed, hr_user, frozen_clock
):
    case, _staff, _members = proposed
    boss = leader()
    with at(PUBLICITY_END):  # the last day of publicity
        response = client_for(boss).post(f"{CASES}{case.pk}/approve/", {})
        assert response.status_code == 409 and response.json()["code"] == "publicity_not_over"
    frozen_clock.move_to(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC))
    assert client_for(hr_user).post(f"{CASES}{case.pk}/approve/", {}).status_code == 403
    # an office member who also sits in the leadership group proposed it: not theirs to approve
    both = UserFactory(username="hr-lead", roles=[Role.HR, Role.LEADERSHIP])
    RecertificationCase.objects.filter(pk=case.pk).update(proposed_by=both)
    response = client_for(both).post(f"{CASES}{case.pk}/approve/", {})
    assert response.status_code == 400 and response.json()["code"] == "two_person_rule"
    refused = client_for(boss).post(f"{CASES}{case.pk}/approve/", {"approve": False})
    assert refused.status_code == 400 and refused.json()["code"] == "reason_required"
    response = client_for(boss).post(f"{CASES}{case.pk}/approve/", {"reason": "同意"})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["approved_on"], body["appeal_until"]) == (
        "approved",
        "2026-12-07",
        "2026-12-14",
    )
    assert body["approved_by"] == boss.pk and body["new_level"] is None
    again = client_for(boss).post(f"{CASES}{case.pk}/approve/", {"reason": "同意"})
    assert again.status_code == 200 and again.json() == body  # a repeat changes nothing
    assert AuditEvent.objects.filter(action="approve", object_id=str(case.pk)).count() == 1


def test_the_leadership_may_refuse_with_a_reason(proposed, frozen_clock):
    case, _staff, _members = proposed
    frozen_clock.move_to(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC))
    response = client_for(leader()).post(
        f"{CASES}{case.pk}/approve/", {"approve": False, "reason": "分差过大，请复议"}
    )
    assert response.status_code == 200 and response.json()["status"] == "open"
    event = AuditEvent.objects.get(action="refuse", object_id=str(case.pk))
    assert event.reason == "分差过大，请复议"


def test_the_person_is_notified_on_the_home_page(proposed, frozen_clock):
    case, staff, _members = proposed
    person = Client()
    person.force_login(make_user_for(staff))
    home = home_page(person, HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="card-my-recertification"' in home and "demoted one level" in home
    approved(case, frozen_clock)
    person.force_login(make_user_for(staff))  # days later: a new session (idle timeout)
    home = home_page(person, HTTP_ACCEPT_LANGUAGE="en")
    assert "You may appeal until 2026-12-14" in home


def test_the_effect_waits_for_the_appeal_window(proposed, frozen_clock):
    case, staff, _members = proposed
    case = approved(case, frozen_clock)
    for day in (APPROVED_ON, APPEAL_UNTIL):  # approval day and the window's last day
        assert services.recertification_outcomes_apply(today=day) == 0
    case.refresh_from_db()
    assert case.status == "approved" and case.new_appointment_id is None
    after = APPEAL_UNTIL + dt.timedelta(days=1)
    frozen_clock.move_to(dt.datetime(2026, 12, 15, 2, 0, tzinfo=dt.UTC))
    out = io.StringIO()
    call_command("recertification_apply_outcomes", stdout=out)
    assert "1" in out.getvalue()
    case.refresh_from_db()
    assert (case.status, case.effective_on) == ("decided", after)
    staff.refresh_from_db()
    assert staff.level.order == 2 and staff.level_since == after
    assert case.new_appointment.reason == Appointment.Reason.DEMOTION
    assert services.recertification_outcomes_apply(today=after) == 0  # idempotent
    assert AuditEvent.objects.filter(action="apply", object_id=str(case.pk)).count() == 1


def test_an_appeal_within_the_window_holds_the_effect_until_resolved(
    proposed, hr_user, frozen_clock, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case, staff, _members = proposed
    case = approved(case, frozen_clock)
    person = client_for(make_user_for(staff))
    stranger = client_for(make_user_for(StaffFactory()))
    assert stranger.post(f"{CASES}{case.pk}/appeal/", {"reason": "x"}).status_code == 404
    bad = SimpleUploadedFile("evidence.pdf", b"not a pdf", content_type="application/pdf")
    refused = person.post(
        f"{CASES}{case.pk}/appeal/",
        {"reason": "客户案例未计入", "materials": [bad]},
        format="multipart",
    )
    assert refused.status_code == 400, refused.json()
    assert refused.json().get("code") == "file_type", refused.json()
    frozen_clock.move_to(dt.datetime(2026, 12, 14, 2, 0, tzinfo=dt.UTC))  # the last day
    good = SimpleUploadedFile("evidence.pdf", PDF, content_type="application/pdf")
    response = person.post(
        f"{CASES}{case.pk}/appeal/",
        {"reason": "客户案例未计入", "materials": [good]},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    appeal = response.json()
    assert appeal["status"] == "open" and appeal["materials"][0]["original_name"] == "evidence.pdf"
    material = appeal["materials"][0]
    assert (material["content_type"], material["size"]) == ("application/pdf", len(PDF))
    assert person.post(f"{CASES}{case.pk}/appeal/", {"reason": "again"}).status_code == 409
    later = dt.date(2026, 12, 20)
    assert services.recertification_outcomes_apply(today=later) == 0  # held by the appeal
    hr = client_for(hr_user)
    assert (
        hr.post(
            f"{CASES}{case.pk}/resolve-appeal/", {"appeal": appeal["id"], "decision": "dismissed"}
        ).status_code
        == 400
    )  # a reason is required
    done = hr.post(
        f"{CASES}{case.pk}/resolve-appeal/",
        {"appeal": appeal["id"], "decision": "dismissed", "reason": "案例已计入业绩分"},
    )
    assert done.status_code == 200 and done.json()["status"] == "dismissed"
    mine = person.get(f"{CASES}{case.pk}/").json()
    assert mine["appeals"][0]["resolution"] == "案例已计入业绩分"  # visible to the person
    assert services.recertification_outcomes_apply(today=later) == 1
    case.refresh_from_db()
    assert case.outcome == "demoted" and case.effective_on == later


def test_an_appeal_after_the_window_is_refused(proposed, frozen_clock):
    case, staff, _members = proposed
    approved(case, frozen_clock)
    frozen_clock.move_to(dt.datetime(2026, 12, 15, 2, 0, tzinfo=dt.UTC))
    response = client_for(make_user_for(staff)).post(
        f"{CASES}{case.pk}/appeal/", {"reason": "晚了"}
    )
    assert response.status_code == 409 and response.json()["code"] == "appeal_window_closed"


def test_an_upheld_appeal_is_rescored_by_a_new_panel(proposed, hr_user, frozen_clock):
    case, staff, members = proposed
    case = approved(case, frozen_clock)
    appeal = services.recertification_appeal_file(
        actor=make_user_for(staff), case=case, reason="评委与我有过节"
    )
    services.recertification_appeal_resolve(
        actor=hr_user, appeal=appeal, decision="rescore", reason="换评委重评"
    )
    case.refresh_from_db()
    assert (case.status, case.round, case.chair_id, case.outcome) == ("open", 2, None, "")
    assert not case.members.exists()
    hr = client_for(hr_user)
    response = hr.post(
        f"{CASES}{case.pk}/assign/",
        {"members": [members[0].pk] + [m.pk for m in committee_members(2, prefix="new")]},
    )
    assert response.status_code == 400 and response.json()["code"] == "former_panel_member"
    score_with(hr_user, case, [70, 72, 74], prefix="r2-")
    case.refresh_from_db()
    assert services.committee_score(case)[0] == D("72.00")  # the first round's sheets not counted
    assert RecertificationAppeal.objects.get().remedy == "rescore"


def test_an_upheld_appeal_may_keep_the_level(proposed, hr_user, frozen_clock):
    case, staff, _members = proposed
    case = approved(case, frozen_clock)
    appeal = services.recertification_appeal_file(
        actor=make_user_for(staff), case=case, reason="业绩数据有误"
    )
    services.recertification_appeal_resolve(
        actor=hr_user, appeal=appeal, decision="kept", reason="核实后保留级别"
    )
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("decided", "kept")
    assert services.recertification_outcomes_apply(today=dt.date(2026, 12, 31)) == 0
    staff.refresh_from_db()
    assert staff.level == case.level


def test_the_pages_ask_for_a_confirmation_stating_the_consequence(proposed, hr_user, frozen_clock):
    case, staff, _members = proposed
    url = reverse("ranking:case-detail", args=[case.pk])
    boss = Client()
    frozen_clock.move_to(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC))
    boss.force_login(leader())
    html = boss.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-confirm="Approve this re-certification outcome?' in html
    boss.post(url, {"action": "approve", "approve": "1", "reason": ""})
    boss.post(url, {"action": "approve", "approve": "1", "reason": ""})  # a double click
    assert AuditEvent.objects.filter(action="approve", object_id=str(case.pk)).count() == 1
    person = Client()
    person.force_login(make_user_for(staff))
    html = person.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="appeal-form"' in html and 'data-confirm="File this appeal?' in html
    person.post(url, {"action": "appeal", "reason": "申诉理由"})
    person.post(url, {"action": "appeal", "reason": "申诉理由"})
    assert RecertificationAppeal.objects.filter(case=case).count() == 1
    office = Client()
    office.force_login(hr_user)
    html = office.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        'data-testid="resolve-appeal-form"' in html and 'data-confirm="Resolve this appeal?' in html
    )


def test_the_case_page_stays_within_the_query_budget(
    proposed, hr_user, frozen_clock, django_assert_max_num_queries
):
    case, _staff, _members = proposed
    page = Client()
    page.force_login(hr_user)
    with django_assert_max_num_queries(40):
        assert page.get(reverse("ranking:case-detail", args=[case.pk])).status_code == 200


def test_the_published_list_is_on_every_staff_members_ranking_page(proposed):
    case, _staff, _members = proposed
    page = Client()
    reader = make_user_for(StaffFactory())
    page.force_login(reader)
    html = page.get(reverse("ranking:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-testid="published-results"' in html
    assert reverse("ranking:case-detail", args=[case.pk]) in html
    # and its page is open to them during publicity, with the objection form
    detail = page.get(reverse("ranking:case-detail", args=[case.pk])).content.decode()
    assert 'value="object"' in detail
    with at(PUBLICITY_END + dt.timedelta(days=1)):
        page.force_login(reader)  # a day later the session has expired (idle timeout)
        assert page.get(reverse("ranking:case-detail", args=[case.pk])).status_code == 404


def test_a_panel_below_the_minimum_cannot_score(scores, ladder, hr_user, settings):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    two = committee_members(2, prefix="two")
    response = client_for(hr_user).post(
        f"{CASES}{case.pk}/assign/", {"members": [m.pk for m in two]}
    )
    assert response.status_code == 200
    parts = {"performance": "70", "training": "70", "competency": "70"}
    refused = client_for(two[0]).post(f"{CASES}{case.pk}/score/", {"scores": parts}, format="json")
    assert refused.status_code == 400
    assert (refused.json()["code"], refused.json()["effective"], refused.json()["needed"]) == (
        "panel_too_small",
        2,
        3,
    )
    settings.COMMITTEE_MIN_PANEL = 2
    done = client_for(two[0]).post(f"{CASES}{case.pk}/score/", {"scores": parts}, format="json")
    assert done.status_code == 200 and done.json()["total"] == "70.0000"


def test_the_office_publishes_a_runs_result_list_at_once(scores, ladder, hr_user):
    staff_with_scores(scores, ladder[2], [40, 41] + [70 + i for i in range(38)])
    run = preview(hr_user, ladder[0].track)  # 40 staff, 5 %: band of 2
    services.run_commit(actor=hr_user, run=run)
    first, second = RecertificationCase.objects.filter(run=run).order_by("pk")
    score_with(hr_user, first, [50, 52, 54])
    short = committee_members(3, prefix="short")
    services.recertification_panel_assign(actor=hr_user, case=second, members=short)
    second.refresh_from_db()
    services.recertification_sheet_score(  # 1 of 3 sheets: under the quorum of 2
        actor=short[0], case=second, scores=parts_for(second, 70)
    )
    hr = client_for(hr_user)
    url = f"/api/v1/ranking/runs/{run.pk}/publish-results/"
    assert client_for(leader()).post(url, {}).status_code == 403
    response = hr.post(url, {"reason": "年度复核结果"})
    assert response.status_code == 200, response.json()
    assert [(c["id"], c["outcome"], c["publicity_end"]) for c in response.json()] == [
        (first.pk, "demoted", "2026-12-04")
    ]
    second.refresh_from_db()
    assert second.status == "open"
    assert hr.post(url, {}).json() == []  # a repeat publishes nothing again
    assert AuditEvent.objects.filter(action="propose").count() == 1


def test_the_run_page_publishes_the_result_list_after_a_confirmation(scores, ladder, hr_user):
    run, case, _staff = band_case(scores, ladder, hr_user)
    score_with(hr_user, case, [70, 72, 74])
    page = Client()
    page.force_login(hr_user)
    url = reverse("ranking:run-detail", args=[run.pk])
    html = page.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-confirm="Propose and publish the outcome of every case' in html
    page.post(url, {"action": "publish_results", "reason": ""})
    page.post(url, {"action": "publish_results", "reason": ""})  # a double click
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("published", "kept")
    assert AuditEvent.objects.filter(action="propose").count() == 1


def test_the_notice_issued_at_approval_is_revoked_when_the_appeal_keeps_the_level(
    proposed, hr_user, frozen_clock, django_capture_on_commit_callbacks, settings, tmp_path
):
    from letters.models import Letter

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case, staff, _members = proposed
    with django_capture_on_commit_callbacks(execute=True):
        case = approved(case, frozen_clock)
    case.refresh_from_db()
    notice = Letter.objects.get(pk=case.letter_id)
    assert notice.kind == "demotion"
    assert notice.facts["appeal_until"] == case.appeal_until.isoformat()
    appeal = services.recertification_appeal_file(
        actor=make_user_for(staff), case=case, reason="业绩数据有误"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.recertification_appeal_resolve(
            actor=hr_user, appeal=appeal, decision="kept", reason="核实后保留级别"
        )
    notice.refresh_from_db()
    assert notice.revoked and notice.revoke_reason == "核实后保留级别"
    case.refresh_from_db()
    kept = Letter.objects.get(pk=case.letter_id)
    assert kept.kind == "kept" and not kept.revoked


def test_a_double_submission_of_each_step_is_harmless(
    proposed, ladder, hr_user, frozen_clock, settings, tmp_path
):
    """Each step posted twice (a double click, a retried request) answers the same state the
    second time and records nothing twice; another decision on a resolved step is refused."""
    from core import audit

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    case, staff, _members = proposed
    hr, boss = client_for(hr_user), client_for(leader())
    again = hr.post(f"{CASES}{case.pk}/propose/", {"reason": "panel"})
    assert again.status_code == 200, again.json()
    assert (again.json()["status"], again.json()["publicity_end"]) == ("published", "2026-12-04")
    assert audit.history(case).filter(action="propose").count() == 1
    someone = client_for(make_user_for(StaffFactory()))
    filed = someone.post(f"{CASES}objections/", {"case": case.pk, "text": "评分不公"}).json()
    dismiss = {"objection": filed["id"], "upheld": False, "reason": "评分有据"}
    second = _twice(hr, f"{CASES}{case.pk}/resolve-objection/", dismiss)
    assert second["status"] == "dismissed"
    objection = case.objections.get()
    assert audit.history(objection).filter(action="resolve").count() == 1
    upheld = hr.post(f"{CASES}{case.pk}/resolve-objection/", {**dismiss, "upheld": True})
    assert upheld.status_code == 409  # already dismissed: not turned into an upheld one
    frozen_clock.move_to(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC))
    second = _twice(boss, f"{CASES}{case.pk}/approve/", {"reason": "同意"})
    assert (second["status"], second["appeal_until"]) == ("approved", "2026-12-14")
    assert audit.history(case).filter(action="approve").count() == 1
    refuse = boss.post(f"{CASES}{case.pk}/approve/", {"approve": False, "reason": "重议"})
    assert refuse.status_code == 409  # an approved outcome is not refused afterwards
    person = client_for(make_user_for(staff))
    appeal = person.post(f"{CASES}{case.pk}/appeal/", {"reason": "客户案例未计入"}).json()
    resolve = {"appeal": appeal["id"], "decision": "dismissed", "reason": "案例已计入业绩分"}
    second = _twice(hr, f"{CASES}{case.pk}/resolve-appeal/", resolve)
    assert second["status"] == "dismissed"
    appeal_row = RecertificationAppeal.objects.get()
    assert audit.history(appeal_row).filter(action="resolve").count() == 1
    kept = hr.post(f"{CASES}{case.pk}/resolve-appeal/", {**resolve, "decision": "kept"})
    assert kept.status_code == 409
    case.refresh_from_db()
    assert (case.status, case.outcome) == ("approved", "demoted")


def _twice(client, url: str, data: dict) -> dict:
    """POST ``data`` twice: both answers 200 and the same (the second changes nothing)."""
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 200, second.json()
    assert first.json() == second.json()
    return second.json()


def test_sheets_and_spread_are_blind_to_a_member_until_their_own_sheet(scores, ladder, hr_user):
    """A panel of four, three submitted (50, 70, 90; quorum 3): the fourth member sees no other
    sheet, no spread and no trimmed mean through the API or the page until their own sheet is
    submitted; the office and the leadership group, who oversee the procedure, see them."""
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members = committee_members(4)
    services.recertification_panel_assign(actor=hr_user, case=case, members=members)
    case.refresh_from_db()
    for member, total in zip(members[:3], [50, 70, 90], strict=True):
        services.recertification_sheet_score(actor=member, case=case, scores=parts_for(case, total))
    late = members[3]
    late_api = client_for(late)
    assert late_api.get(f"{CASES}{case.pk}/sheets/").json() == []
    body = late_api.get(f"{CASES}{case.pk}/").json()
    assert (body["spread"], body["spread_flag"], body["committee_score"]) == (None, None, None)
    page = Client(HTTP_ACCEPT_LANGUAGE="en")
    page.force_login(late)
    html = page.get(reverse("ranking:case-detail", args=[case.pk])).content.decode()
    assert "trimmed mean" not in html and 'data-testid="case-spread"' not in html
    for overseer in (hr_user, leader()):
        api = client_for(overseer)
        totals = sorted(x["total"] for x in api.get(f"{CASES}{case.pk}/sheets/").json())
        assert totals == ["50.0000", "70.0000", "90.0000"]
        assert api.get(f"{CASES}{case.pk}/").json()["spread"] == "16.33"
    # after the fourth sheet: all four, and the spread of 50, 70, 90, 60
    services.recertification_sheet_score(actor=late, case=case, scores=parts_for(case, 60))
    assert len(late_api.get(f"{CASES}{case.pk}/sheets/").json()) == 4
    assert late_api.get(f"{CASES}{case.pk}/").json()["spread"] == "14.79"
    html = page.get(reverse("ranking:case-detail", args=[case.pk])).content.decode()
    assert "trimmed mean 67.50" in html  # (50 + 60 + 70 + 90) / 4: under 5 sheets, none dropped


def test_the_offices_working_day_overrides_move_the_publicity_and_appeal_windows(
    scores, ladder, hr_user, frozen_clock
):
    """HR keeps the table of corrections to the statutory calendar (the admin, audited); the
    publicity and the appeal window count working days with it. Without overrides: published
    Mon 30 Nov – Fri 4 Dec, approved Mon 7 Dec → appeal until Mon 14 Dec (the first test)."""
    hr_user.is_staff = True  # the office signs in to the admin (as the demo's "hr")
    hr_user.save(update_fields=["is_staff"])
    admin = Client()
    admin.force_login(hr_user)
    added = admin.post(
        "/admin/core/workdayoverride/add/", {"day": "2026-12-02", "note": "台风停工"}
    )  # Wednesday 2 December: no work
    assert added.status_code == 302, added.content.decode()[:500]
    event = AuditEvent.objects.get(action="workday_override_added")
    assert event.actor == hr_user
    staff_only = Client()
    staff_only.force_login(make_user_for(StaffFactory()))
    refused = staff_only.post("/admin/core/workdayoverride/add/", {"day": "2026-12-03"})
    assert refused.status_code == 302 and "/login/" in refused.url
    _run, case, _staff = band_case(scores, ladder, hr_user, level_index=2)
    score_with(hr_user, case, [50, 52, 54])
    hr = client_for(hr_user)
    body = hr.post(f"{CASES}{case.pk}/propose/", {"reason": "panel"}).json()
    # 30 Nov, 1, 3, 4 and 7 Dec: the publicity ends on Monday 7 December
    assert (body["publicity_start"], body["publicity_end"]) == ("2026-11-30", "2026-12-07")
    # Saturday 12 December a make-up working day (调休)
    made_up = admin.post(
        "/admin/core/workdayoverride/add/",
        {"day": "2026-12-12", "is_workday": "on", "note": "调休上班"},
    )
    assert made_up.status_code == 302
    frozen_clock.move_to(dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC))  # Tuesday 8 December
    body = client_for(leader()).post(f"{CASES}{case.pk}/approve/", {"reason": "同意"}).json()
    # 9, 10, 11, 12 (Saturday, worked) and 14 December
    assert (body["approved_on"], body["appeal_until"]) == ("2026-12-08", "2026-12-14")
