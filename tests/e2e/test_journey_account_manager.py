"""Journey 1 (issue 9): the account manager, end to end in a real browser.

A demo staff member eligible for the next level signs in with their own login (employee
number) → the dashboard shows level and term end, the KPI trend, the competency radar with
gaps and the courses that close them, training credits against the requirement, and "am I
eligible?" rule by rule → applies (statement, a PDF material), submits → follows the status
timeline while the office, the committee and the leadership group move the cycle on (through
``certification.services``, as they would on their own pages) → files an objection during
publicity (an empty reason is refused next to the field) → downloads their own appointment
letter (the PDF's SHA-256 equals the stored one).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef
from django.utils import timezone, translation
from playwright.sync_api import expect

from core.numbers import format_figure
from core.terms import last_day

pytestmark = pytest.mark.django_db(transaction=True)

from tests.files import PDF_BYTES as PDF  # noqa: E402 — a real PDF: the upload parses it

STATEMENT = "本人负责的重点客户年度收入增长23%，新增战略客户4家。"
OBJECTION = "该候选人的客户案例与本人团队的项目重复计算。"
RESOLUTION = "经核查，案例归属清晰，不存在重复计算"
DEMO_LOGINS = ("staff", "manager", "hr", "committee", "leader", "admin")


def _setup_cycle(today):
    """The office creates and opens a cycle offering every level above L1 (reference date
    today, appointments from today)."""
    from certification import services
    from certification.demo import DIMENSIONS
    from org.models import Level, Track

    hr = get_user_model().objects.get(username="hr")
    track = Track.objects.get(code="KAM")
    offers = [
        {"level": level, "quota": 3, "pass_line": 50}
        for level in Level.objects.filter(track=track, order__gte=2).order_by("order")
    ]
    cycle = services.cycle_create(
        actor=hr,
        name=f"{today.year}年度大客户经理岗位晋升认证（第二批）",
        track=track,
        window_start=today - dt.timedelta(days=2),
        window_end=today + dt.timedelta(days=12),
        reference_date=today,
        appointment_start=today,
        offers=offers,
        dimensions=DIMENSIONS,
    )
    services.cycle_open(actor=hr, cycle=cycle, reason="认证领导小组批准启动第二批")
    return cycle


def _eligible_staff(cycle, today, *, free=True, exclude=()):
    """The first staff member (by employee number) with their own login who meets every rule
    for the next level on the cycle's reference date and could be appointed from today (no
    term starting today or later); ``free``: with no application in progress elsewhere."""
    from certification import eligibility
    from certification.models import Application
    from org.models import Appointment, Staff

    qs = (
        Staff.objects.filter(status=Staff.Status.ACTIVE, track=cycle.track, user__isnull=False)
        .exclude(pk__in=exclude)
        .exclude(user__username__in=DEMO_LOGINS)
        .exclude(user__groups__name="committee_member")
        .exclude(
            Exists(
                Appointment.objects.filter(
                    staff=OuterRef("pk"), closed_on__isnull=True, start__gte=today
                )
            )
        )
        .select_related("level", "user")
        .order_by("employee_no")
    )
    if free:
        qs = qs.exclude(
            Exists(
                Application.objects.filter(staff=OuterRef("pk")).exclude(
                    status__in=["withdrawn", "rejected", "promoted", "not_promoted"]
                )
            )
        )
    for staff in qs:
        target = eligibility.next_level(staff)
        if target is not None and eligibility.evaluate(staff, target, cycle.eval_date).eligible:
            return staff, target
    raise AssertionError("the demo has no eligible staff member")


def _review_and_publish(cycle, apps, scores):
    """Office: qualification, a panel per level, committee review; members score; publish."""
    from certification import services
    from certification.models import DimensionValue
    from org.models import Staff

    users = get_user_model().objects
    hr = users.get(username="hr")
    services.cycle_qualification_start(actor=hr, cycle=cycle)
    for app in apps:
        services.application_qualify(
            actor=hr,
            application=app,
            eligibility_ok=True,
            materials_complete=True,
            facts_truthful=True,
            procedure_regular=True,
            reason="材料齐全，符合条件",
        )
    candidates = {a.staff_id for a in apps} | {
        s.manager_id for s in Staff.objects.filter(pk__in=[a.staff_id for a in apps])
    }
    members = list(
        users.filter(groups__name="committee_member", staff__isnull=False)
        .exclude(staff__pk__in=candidates)
        .exclude(staff__manager_id__in=[a.staff_id for a in apps])
        .order_by("username")[:3]
    )
    assert len(members) == 3
    for level_id in sorted({a.target_level_id for a in apps}):
        level = next(a.target_level for a in apps if a.target_level_id == level_id)
        services.panel_save(actor=hr, cycle=cycle, level=level, chair=members[0], members=members)
    services.cycle_review_start(actor=hr, cycle=cycle)
    for value in DimensionValue.objects.filter(
        application__cycle=cycle, value__isnull=True
    ).select_related("application", "dimension"):
        services.dimension_value_set(
            actor=hr,
            application=value.application,
            dimension=value.dimension,
            value=80,
            reason="源系统暂无数据，按纸质档案手工录入",
        )
    for app, score in zip(apps, scores, strict=True):
        for member in members:
            if services.committee_candidates(member).filter(pk=app.pk).exists():
                sheet = services.sheet_save(
                    actor=member, application=app, scores={"defence": score}
                )
                services.sheet_submit(actor=member, sheet=sheet)
    services.cycle_publish(actor=hr, cycle=cycle)
    cycle.refresh_from_db()
    return cycle


def _steps(page) -> dict[str, str]:
    return dict(
        page.eval_on_selector_all(
            "[data-testid=steps] li",
            "els => els.map(e => [e.dataset.step, e.dataset.state])",
        )
    )


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_account_manager_journey(full_demo, journey, lang):
    from certification import services
    from certification.eligibility import RULES, fmt
    from certification.models import Application, Objection
    from competency import selectors as competency_selectors
    from kpi.models import PeriodScore
    from letters import services as letter_services
    from letters.models import Letter
    from org.models import Appointment
    from training import selectors as training_selectors

    today = timezone.localdate()
    cycle = _setup_cycle(today)
    me, target = _eligible_staff(cycle, today)
    # Another candidate of the cycle (may have an application in another cycle too).
    other, _other_target = _eligible_staff(cycle, today, free=False, exclude=[me.pk])
    j = journey(lang, "account-manager")
    page = j.page

    # -- 1. the dashboard -----------------------------------------------------------------
    j.sign_in(me.user.username)
    page.wait_for_url(re.compile(r"/$"))
    term = Appointment.objects.get(staff=me, closed_on__isnull=True)
    card_me = page.locator("[data-testid=card-me]")
    with translation.override(lang):
        level_name, target_name = me.level.display_name, str(target)
    expect(card_me).to_contain_text(level_name)
    expect(card_me).to_contain_text(last_day(term.end).isoformat())  # the term's last day

    months = PeriodScore.objects.filter(staff=me, period__period_type="month").count()
    trend = page.locator("[data-testid=card-kpi-trend]")
    assert trend.get_attribute("data-points") == str(min(months, 12))
    assert trend.locator("svg[role=img] circle").count() == min(months, 12)

    profile = competency_selectors.competency_profile(staff=me)
    gaps = competency_selectors.gaps_with_courses(profile=profile)
    card = page.locator("[data-testid=card-competency]")
    expect(card.locator("svg[data-testid=radar]")).to_be_visible()
    assert card.locator("[data-gap]").count() == min(len(gaps), 3)
    for gap in gaps[:3]:
        row = card.locator(f"[data-gap='{gap['competency'].code}']")
        shown = row.locator("[data-course]").evaluate_all("els => els.map(e => e.dataset.course)")
        assert shown == [c.code for c in gap["courses"]]

    summary = training_selectors.training_summary(staff=me, on_date=today)
    training = page.locator("[data-testid=card-training]")
    expect(training.locator(".stat")).to_contain_text(format_figure(summary.credits_12m, "credits"))
    if summary.required_credits is not None:
        expect(training.locator(".stat")).to_contain_text(
            "/ " + format_figure(summary.required_credits, "credits")
        )
        bar = training.locator("[role=progressbar]")
        assert bar.get_attribute("aria-valuenow") == str(summary.percent)

    promo = page.locator("[data-testid=card-certification]")
    expect(promo.locator("h2")).to_contain_text(target_name)
    expect(promo.locator("[data-testid=card-eligible]")).to_contain_text(
        j.t("符合条件", "Eligible")
    )
    rows = promo.locator("[data-testid=eligibility] tbody tr")
    assert rows.count() == len(RULES)
    assert promo.locator("[data-passed='1']").count() == len(RULES)
    credits = promo.locator("[data-rule=training_credits]")
    expect(credits.locator("[data-col=actual]")).to_have_text(fmt(summary.credits_12m))
    j.check("home")

    # -- 2. apply: an empty statement is refused next to the field --------------------------
    promo.locator("[data-testid=card-apply]").click()
    page.wait_for_url(re.compile(rf"/certification/cycles/{cycle.pk}/"))
    page.locator("#apply button[type=submit]").click()
    expect(page.locator("#statement.is-invalid")).to_be_visible()
    expect(page.locator("#statement-error")).to_have_text(
        j.t(
            "请填写申请陈述：说明您为何已具备晋升条件。",
            "Write a statement: why you are ready for the next level.",
        )
    )
    j.check("apply")
    assert not Application.objects.filter(cycle=cycle, staff=me).exists()
    page.fill("#statement", STATEMENT)
    page.locator("#apply button[type=submit]").click()
    page.wait_for_url(re.compile(r"/certification/applications/\d+/"))
    app = Application.objects.get(cycle=cycle, staff=me)
    assert app.status == "draft" and app.target_level_id == target.pk

    # -- 3. a material (a wrong type is refused next to the field), then submit; the timeline --
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"client notes"}],
    )
    page.get_by_role("button", name=j.t("上传", "Upload")).click()
    expect(page.locator("#material-file.is-invalid")).to_be_visible()
    expect(page.locator("#material-file-error")).to_have_text(
        j.t(
            "不支持该文件类型，请使用 PDF, JPEG, PNG, DOCX, XLSX。",
            "The file is not an accepted type (PDF, JPEG, PNG, DOCX, XLSX).",
        )
    )
    assert not app.materials.exists()
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "client-cases.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    page.select_option("select[name=kind]", "case")
    page.fill("input[name=title]", "重点客户案例")
    page.get_by_role("button", name=j.t("上传", "Upload")).click()
    expect(page.locator("[data-testid=materials] li a")).to_have_text("重点客户案例")
    material = app.materials.get()
    assert material.sha256 == hashlib.sha256(PDF).hexdigest() and material.size == len(PDF)
    page.get_by_role("button", name=j.t("提交", "Submit"), exact=True).click()
    expect(page.locator("[data-testid=status]")).to_have_text(j.t("已提交", "submitted"))
    app.refresh_from_db()
    assert app.status == "submitted"
    steps = _steps(page)
    assert steps == {
        "submitted": "done",
        "qualified": "current",
        "review": "upcoming",
        "scored": "upcoming",
        "publicity": "upcoming",
        "approved": "upcoming",
        "letter": "upcoming",
    }
    submitted_at = timezone.localtime(app.submitted_at).strftime("%Y-%m-%d %H:%M")
    expect(page.locator("[data-step=submitted] [data-col=when]")).to_have_text(submitted_at)
    j.check("application-submitted")

    # -- 4. the office, the committee: qualification, review, scores, publication ------------
    other_app = services.application_create(actor=other.user, cycle=cycle, statement=STATEMENT)
    services.application_submit(actor=other.user, application=other_app)
    cycle = _review_and_publish(cycle, [app, other_app], [92, 75])
    app.refresh_from_db()
    other_app.refresh_from_db()
    assert app.recommended and other_app.recommended  # both at or above the pass line
    page.reload()
    assert _steps(page) == {
        "submitted": "done",
        "qualified": "done",
        "review": "done",
        "scored": "done",
        "publicity": "current",
        "approved": "upcoming",
        "letter": "upcoming",
    }
    expect(page.locator("[data-step=publicity] [data-col=note]")).to_contain_text(
        cycle.publicity_end.isoformat()
    )
    expect(page.locator("[data-step=scored] [data-col=note]")).to_contain_text(str(app.final_score))
    j.check("application-publicity")

    # -- 5. an objection during publicity -------------------------------------------------------
    page.locator("[data-step=publicity] a").click()
    page.wait_for_url(re.compile(rf"/certification/cycles/{cycle.pk}/"))
    page.locator(f"[data-testid=results] [data-object='{other_app.pk}']").click()
    expect(page.locator("#objection-application")).to_have_value(str(other_app.pk))
    page.locator("[data-testid=objection-form] button[type=submit]").click()
    expect(page.locator("#objection-reason.is-invalid")).to_be_visible()
    expect(page.locator("#objection-reason-error")).to_have_text(
        j.t("请填写异议理由。", "Give the reason for your objection.")
    )
    j.check("objection-error")
    assert not Objection.objects.filter(application__cycle=cycle).exists()
    page.fill("#objection-reason", OBJECTION)
    page.locator("[data-testid=objection-form] button[type=submit]").click()
    mine = page.locator("[data-testid=my-objections] li")
    expect(mine).to_have_count(1)
    expect(mine.first).to_have_attribute("data-status", "open")
    objection = Objection.objects.get(application=other_app)
    assert objection.filed_by_id == me.user.pk and objection.reason == OBJECTION
    j.check("objection-filed")

    # -- 6. the office dismisses it; the leadership group approves; the letter is issued ----
    users = get_user_model().objects
    hr, leader = users.get(username="hr"), users.get(username="leader")
    services.objection_resolve(actor=hr, objection=objection, upheld=False, reason=RESOLUTION)
    services.cycle_approve(
        actor=leader, cycle=cycle, today=cycle.publicity_end + dt.timedelta(days=1)
    )
    app.refresh_from_db()
    assert app.status == "promoted" and app.appointment is not None
    letter = letter_services.letter_issue(actor=hr, appointment=app.appointment)
    letter = Letter.objects.get(pk=letter.pk)

    page.reload()
    mine = page.locator("[data-testid=my-objections] li")
    expect(mine.first).to_have_attribute("data-status", "dismissed")
    expect(mine.first).to_contain_text(RESOLUTION)

    # -- 7. home: the new level and term; the application fully done; my letter ---------------
    page.locator("a.navbar-brand").click()
    page.wait_for_url(re.compile(r"/$"))
    appointment = Appointment.objects.get(staff=me, closed_on__isnull=True)
    assert appointment.pk == app.appointment_id and appointment.level_id == target.pk
    with translation.override(lang):
        new_level_name = target.display_name
    expect(card_me).to_contain_text(new_level_name)
    expect(card_me).to_contain_text(last_day(appointment.end).isoformat())
    page.locator("[data-testid=card-my-application]").click()
    page.wait_for_url(re.compile(rf"/certification/applications/{app.pk}/"))
    assert set(_steps(page).values()) == {"done"}
    expect(page.locator("[data-step=letter] [data-col=note]")).to_have_text(letter.number)
    expect(page.locator("[data-testid=status]")).to_have_text(j.t("已晋升", "promoted"))
    j.check("application-approved")
    page.locator("[data-testid=steps-letter]").click()
    page.wait_for_url(re.compile(r"/letters/$"))
    expect(page.locator("[data-testid=my-letters] tbody tr").first).to_contain_text(letter.number)
    j.check("my-letters")
    with page.expect_download() as info:
        page.locator("[data-testid=letter-download]").first.click()
    data = open(info.value.path(), "rb").read()  # noqa: SIM115
    assert data[:5] == b"%PDF-"
    assert hashlib.sha256(data).hexdigest() == letter.sha256
