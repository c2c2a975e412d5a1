"""The account manager's pieces of the certification pages (issue 9, journey 1): "am I
eligible for the next level?" on the home page (each rule: required, actual, met), the apply
and objection forms with errors next to the field, my objections, and the application's
status timeline through every step."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from certification import eligibility, services, timeline
from certification.models import Application, Objection
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
from tests.home import home_page

pytestmark = pytest.mark.django_db
REF = dt.date(2026, 12, 31)  # the factories' reference date


def web(user):
    client = Client()
    client.force_login(user)
    return client


def eligible(fake, staff, credits="50"):
    fake.grades[staff.pk] = (D("90"), "A")
    fake.credits[staff.pk] = D(credits)
    fake.indexes[staff.pk] = D("80")


def steps(app) -> dict[str, str]:
    app.refresh_from_db()
    return {s.code: s.state for s in timeline.build(app)}


# -- eligibility rules: required vs actual --------------------------------------------------


def test_each_rule_says_what_is_required_and_what_the_staff_member_has(ladder, fake):
    staff, _user = applicant(ladder[1], since=dt.date(2022, 1, 1))
    eligible(fake, staff, credits="36")
    with translation.override("en"):
        rules = {
            r.code: (r.required, r.actual, r.passed)
            for r in eligibility.evaluate(staff, ladder[2], REF).rules
        }
        assert rules == {
            "level_below": (f"Directly below {ladder[2]}", str(ladder[1]), True),
            "years_at_level": ("2 years", "4 years (since 2022-01-01)", True),
            "annual_grade": ("B or better", "A (2025)", True),
            "training_credits": (
                f"Promotion to {ladder[2].code} requires 40 credits",
                "36 (4 short)",
                False,
            ),
            "required_courses": ("All required courses", "All required courses done", True),
            "competency_index": ("60", "80", True),
            "no_discipline": (
                "None in the period",
                "No disciplinary record since 2025-12-31",
                True,
            ),
            "not_recertification": ("No open case", "Not under re-certification", True),
        }
    with translation.override("zh-hans"):
        rule = eligibility.evaluate(staff, ladder[2], REF).rules[3]
        assert rule.actual == "36（差 4 分）"
        assert ladder[2].code in rule.required and "40" in rule.required


def test_a_rule_without_data_says_so(ladder, fake):
    staff, _user = applicant(ladder[1])  # no grade, no index in the fake sources
    with translation.override("en"):
        rules = {r.code: r for r in eligibility.evaluate(staff, ladder[2], REF).rules}
        assert rules["annual_grade"].actual == "No annual grade for 2025"
        assert rules["competency_index"].actual == "No competency index yet"
        assert not rules["annual_grade"].passed and not rules["competency_index"].passed


# -- the home page card ---------------------------------------------------------------------


def test_home_card_explains_every_rule_and_offers_to_apply(
    ladder, hr, fake, django_assert_max_num_queries
):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    eligible(fake, staff)
    client = web(user)
    # the card's fragment of the home page, within the page budget (15)
    with django_assert_max_num_queries(15):
        client.get(reverse("home-cards", args=["certification"]), headers={"X-Fragment": "1"})
    page = home_page(client)
    assert 'data-testid="card-certification"' in page
    assert page.count("<tr data-rule=") == len(eligibility.RULES)
    assert page.count('data-passed="1"') == len(eligibility.RULES)
    assert f'href="/certification/cycles/{cycle.pk}/#apply" data-testid="card-apply"' in page
    assert f"按 {cycle.name} 的基准日期 2026-12-31 计算" in page
    assert "符合条件" in page


def test_home_card_shows_the_failing_rule_and_then_my_application(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    eligible(fake, staff, credits="36")
    page = home_page(web(user))
    assert '<tr data-rule="training_credits" data-passed="0">' in page
    assert page.count('data-passed="1"') == len(eligibility.RULES) - 1
    assert "尚未满足全部条件" in page or "Not all conditions are met" in page
    app = services.application_create(actor=user, cycle=cycle, statement="申请")
    page = home_page(web(user))
    assert 'data-testid="card-apply"' not in page
    assert f'href="/certification/applications/{app.pk}/" data-testid="card-my-application"' in page


def test_home_card_without_an_open_cycle_evaluates_today(ladder, hr, fake):
    make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY)  # a draft: not open
    staff, user = applicant(ladder[1])
    eligible(fake, staff)
    page = home_page(web(user))
    assert "目前没有开放申请的批次设置该级别" in page
    assert 'data-testid="card-apply"' not in page
    _top, top_user = applicant(ladder[4])
    assert 'data-testid="card-certification"' not in home_page(web(top_user))


# -- apply and object: errors next to the field ----------------------------------------------


def test_an_empty_statement_is_refused_next_to_the_field(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    with translation.override("en"):
        r = web(user).post(
            f"/certification/cycles/{cycle.pk}/",
            {"action": "apply", "statement": "  "},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    html = r.content.decode()
    assert r.status_code == 200
    assert 'class="form-control is-invalid" id="statement"' in html
    assert '<div class="invalid-feedback" id="statement-error">' in html
    assert not Application.objects.filter(staff=staff).exists()
    r = web(user).post(f"/certification/cycles/{cycle.pk}/", {"action": "apply", "statement": "x"})
    assert r.status_code == 302 and Application.objects.filter(staff=staff).count() == 1


@pytest.fixture
def published(ladder, hr, leader, fake):
    """A cycle in publicity with one recommended candidate, scored 80 by three members."""
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    eligible(fake, staff)
    app = apply_and_qualify(cycle, hr, user)
    members = [committee_member(f"am{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    for m in members:
        sheet = services.sheet_save(actor=m, application=app, scores={"defence": 80})
        services.sheet_submit(actor=m, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=cycle)
    cycle.refresh_from_db()
    return {"cycle": cycle, "app": app, "user": user, "staff": staff}


def test_objection_form_errors_then_filed_and_listed(published, ladder):
    cycle, app = published["cycle"], published["app"]
    _colleague, colleague_user = applicant(ladder[1])
    client = web(colleague_user)
    page = client.get(f"/certification/cycles/{cycle.pk}/?object={app.pk}").content.decode()
    assert 'data-testid="objection-form"' in page
    assert f'<option value="{app.pk}" selected>' in page
    r = client.post(f"/certification/cycles/{cycle.pk}/", {"action": "object", "reason": ""})
    html = r.content.decode()
    assert r.status_code == 200
    assert "请选择您有异议的公示结果。" in html and "请填写异议理由。" in html
    assert 'id="objection-reason-error"' in html and 'id="objection-application-error"' in html
    assert not Objection.objects.exists()
    r = client.post(
        f"/certification/cycles/{cycle.pk}/",
        {"action": "object", "application": app.pk, "reason": "案例重复计算"},
    )
    assert r.status_code == 302 and r.url.endswith("#my-objections")
    objection = Objection.objects.get()
    assert (objection.application_id, objection.filed_by_id) == (app.pk, colleague_user.pk)
    page = client.get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert '<li class="mb-2" data-status="open">' in page and "案例重复计算" in page
    # Another staff member does not see it as theirs.
    assert (
        'data-testid="my-objections"'
        not in web(published["user"]).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    )


def test_no_objection_outside_publicity(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1])
    app = apply_and_qualify(cycle, hr, user)
    page = web(user).get(f"/certification/cycles/{cycle.pk}/").content.decode()
    assert 'data-testid="objection-form"' not in page
    r = web(user).post(
        f"/certification/cycles/{cycle.pk}/",
        {"action": "object", "application": app.pk, "reason": "理由"},
    )
    assert r.status_code == 404 and not Objection.objects.exists()  # not on a published list


# -- the status timeline ----------------------------------------------------------------------


def test_timeline_follows_the_application_through_every_step(ladder, hr, leader, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    staff, user = applicant(ladder[1])
    eligible(fake, staff)
    app = services.application_create(actor=user, cycle=cycle, statement="申请")
    first = dict.fromkeys(
        ["qualified", "review", "scored", "publicity", "approved", "letter"], "upcoming"
    )
    assert steps(app) == {"submitted": "current", **first}
    services.application_submit(actor=user, application=app)
    assert steps(app) == {"submitted": "done", **first, "qualified": "current"}
    services.application_qualify(
        actor=hr,
        application=app,
        eligibility_ok=True,
        materials_complete=True,
        facts_truthful=True,
        procedure_regular=True,
    )
    assert steps(app)["qualified"] == "done" and steps(app)["review"] == "current"
    members = [committee_member(f"tm{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=members[0], members=members)
    advance(cycle, hr, "review")
    assert steps(app)["review"] == "current" and steps(app)["scored"] == "upcoming"
    for m in members:
        sheet = services.sheet_save(actor=m, application=app, scores={"defence": 80})
        services.sheet_submit(actor=m, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=cycle)
    cycle.refresh_from_db()
    app.refresh_from_db()
    built = {s.code: s for s in timeline.build(app)}
    assert [built[c].state for c in ("review", "scored", "publicity", "approved")] == [
        "done",
        "done",
        "current",
        "upcoming",
    ]
    assert built["scored"].note == f"最终得分 {app.final_score}，排名 1"
    assert cycle.publicity_end.isoformat() in built["publicity"].note
    services.cycle_approve(
        actor=leader, cycle=cycle, today=cycle.publicity_end + dt.timedelta(days=1)
    )
    assert steps(app) == {
        **dict.fromkeys(["submitted", "qualified", "review", "scored", "publicity"], "done"),
        "approved": "done",
        "letter": "current",  # no letter issued yet
    }
    page = web(user).get(f"/certification/applications/{app.pk}/").content.decode()
    assert page.count("data-step=") == 7 and 'data-state="current" aria-current="step"' in page


def test_timeline_stops_where_the_application_was_rejected(ladder, hr, fake):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1])
    app = services.application_create(actor=user, cycle=cycle, statement="申请")
    services.application_submit(actor=user, application=app)
    services.application_reject(actor=hr, application=app, reason="上年度考核等级未达到要求")
    app.refresh_from_db()
    built = {s.code: s for s in timeline.build(app)}
    assert built["submitted"].state == "done"
    assert built["qualified"].state == "stopped"
    assert "上年度考核等级未达到要求" in built["qualified"].note
    assert {built[c].state for c in ("review", "scored", "publicity", "approved", "letter")} == {
        "skipped"
    }


def test_application_page_queries_stay_flat(ladder, hr, fake, django_assert_max_num_queries):
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1])
    app = services.application_create(actor=user, cycle=cycle, statement="申请")
    for i in range(15):
        services.application_update(actor=user, application=app, statement=f"申请 {i}")
    office = UserFactory(username="am-office", roles=[Role.HR])
    for client in (web(user), web(office)):
        with django_assert_max_num_queries(25):
            assert client.get(f"/certification/applications/{app.pk}/").status_code == 200


def test_a_wrong_file_and_a_missing_statement_are_refused_next_to_their_field(ladder, hr, fake):
    from django.core.files.uploadedfile import SimpleUploadedFile

    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1])
    app = services.application_create(actor=user, cycle=cycle, statement="")
    client = web(user)
    url = f"/certification/applications/{app.pk}/"
    upload = SimpleUploadedFile("notes.txt", b"client notes", content_type="text/plain")
    r = client.post(url, {"action": "upload", "kind": "case", "file": upload})
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="material-file-error">不支持该文件类型，请使用 PDF, JPEG, PNG, DOCX, XLSX。<' in html
    assert "is-invalid" in html and not app.materials.exists()
    r = client.post(url, {"action": "submit"})
    html = r.content.decode()
    assert r.status_code == 200
    assert 'id="app-statement-error">提交前请填写个人陈述。<' in html
    app.refresh_from_db()
    assert app.status == "draft"
    # Someone else's action on the page is not checked here (no leak of the form).
    _other, other_user = applicant(ladder[1])
    assert web(other_user).post(url, {"action": "submit"}).status_code == 404
