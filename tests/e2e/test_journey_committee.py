"""Journey 2 of issue 9 — the committee member, end to end in a real browser, in zh-hans and en.

The demo company is built (``full_demo``); the office then prepares, through the services, a
cycle in committee review offering L3 whose scoring sheet has TWO committee-scored dimensions
of different ranges and weights (so that the live total is a real weighted sum), three
candidates (one with a PDF and a PNG material), and a panel of four chaired by the demo
``committee`` login; two other members submit their sheets for the first candidate.

The member then: signs in → home card → queue (declares a conflict with the third candidate,
who disappears; every listed candidate is exactly the member's unconflicted ones) → dossier
of the first candidate (KPI history, training ledger, competency, eligibility, materials
previewed inline and downloaded) → types an out-of-range score (live total "—", the server's
error next to the field in the user's language) → corrects it (live total = scoring.sheet_total
rounded half-up) → submits (read-only) → sees the quorum progress and, as chair, the live
committee and final scores. Every figure asserted is computed here from the database.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import F
from django.utils import timezone, translation
from playwright.sync_api import expect

from certification import conflicts, services
from certification.models import Application, Dimension, DimensionValue, ScoringSheet
from certification.scoring import Dim, final_score, sheet_total
from certification.services.applications import application_allowed
from committee.arithmetic import quorum, trimmed_mean
from competency.selectors import competency_indexes
from core.errors import DomainError
from core.numbers import format_figure, round_score
from core.roles import Role
from kpi.models import PeriodScore
from org.models import Level, Staff, Track
from tests.files import PDF_BYTES
from training.models import Requirement
from training.selectors import credits_12m

DIMENSIONS = [
    {"code": "performance", "name": "工作业绩", "weight": D("40"), "source": "kpi"},
    {"code": "training", "name": "培训发展", "weight": D("20"), "source": "training"},
    {"code": "competency", "name": "素质评估", "weight": D("20"), "source": "competency"},
    {
        "code": "defence",
        "name": "述职答辩",
        "weight": D("15"),
        "source": "committee",
        "max_score": D("100"),
    },
    {
        "code": "cases",
        "name": "客户案例",
        "weight": D("5"),
        "source": "committee",
        "max_score": D("40"),
    },
]


def _png() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (160, 90), (13, 110, 253)).save(buf, format="PNG")
    return buf.getvalue()


def _free_to_apply(staff, level) -> bool:
    """No live application for ``level`` elsewhere, not under re-certification."""
    try:
        application_allowed(staff=staff, level=level)
    except DomainError:
        return False
    return True


def _prepare(today: dt.date) -> dict:
    """What the office and the other members do before the journey, through the services."""
    users = get_user_model().objects
    hr, me = users.get(username="hr"), users.get(username="committee")
    track = Track.objects.get(code="KAM")
    l3 = Level.objects.get(track=track, code="L3")
    others = list(
        users.filter(groups__name=Role.COMMITTEE, staff__isnull=False)
        .exclude(username="committee")
        .order_by("username")[:3]
    )
    panel_users = [me, *others]
    panel_staff = list(Staff.objects.filter(user__in=panel_users))
    ids = {s.pk for s in panel_staff}
    managers = {s.manager_id for s in panel_staff}
    candidates = [
        s
        for s in Staff.objects.filter(
            level__track=track,
            level__code="L2",
            status=Staff.Status.ACTIVE,
            user__isnull=False,
        )
        .select_related("user")
        .order_by("employee_no")
        if s.manager_id not in ids
        and s.pk not in managers
        and s.pk not in ids
        and _free_to_apply(s, l3)
    ][:3]
    cycle = services.cycle_create(
        actor=hr,
        name="E2E 评审演练",
        track=track,
        window_start=today - dt.timedelta(days=5),
        window_end=today + dt.timedelta(days=5),
        reference_date=today,
        same_unit_conflict=False,
        offers=[{"level": l3, "quota": 2, "pass_line": D("60")}],
        dimensions=DIMENSIONS,
    )
    services.cycle_open(actor=hr, cycle=cycle)
    apps = []
    for i, staff in enumerate(candidates):
        app = services.application_create(
            actor=staff.user,
            cycle=cycle,
            statement=f"本人负责重点客户{10 + i}家，申请晋升 L3。",
            today=today,
        )
        if i == 0:
            services.material_add(
                actor=staff.user,
                application=app,
                upload=SimpleUploadedFile("performance-2026.pdf", PDF_BYTES, "application/pdf"),
                kind="performance",
                title="年度业绩证明",
            )
            services.material_add(
                actor=staff.user,
                application=app,
                upload=SimpleUploadedFile("client-case.png", _png(), "image/png"),
                kind="case",
                title="客户案例截图",
            )
        services.application_submit(actor=staff.user, application=app, today=today)
        apps.append(app)
    services.cycle_qualification_start(actor=hr, cycle=cycle)
    for app in apps:
        app.refresh_from_db()
        services.application_qualify(
            actor=hr,
            application=app,
            eligibility_ok=True,
            materials_complete=True,
            facts_truthful=True,
            procedure_regular=True,
            reason="" if app.eligible else "E2E：经认证办核实，例外通过",
        )
    services.panel_save(actor=hr, cycle=cycle, level=l3, chair=me, members=panel_users)
    services.cycle_review_start(actor=hr, cycle=cycle)
    for value in DimensionValue.objects.filter(application__cycle=cycle, value__isnull=True):
        services.dimension_value_set(
            actor=hr,
            application=value.application,
            dimension=value.dimension,
            value=D("75"),
            reason="源系统暂无数据",
        )
    # two other members have already scored the first candidate
    given = [{"defence": "88", "cases": "31.5"}, {"defence": "72.25", "cases": "36"}]
    for member, scores in zip(others[:2], given, strict=True):
        sheet = services.sheet_save(actor=member, application=apps[0], scores=scores)
        services.sheet_submit(actor=member, sheet=sheet)
    return {"cycle": cycle, "me": me, "apps": apps, "candidates": candidates}


def _fmt(value) -> str:
    return f"{round_score(value):.2f}"


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_committee_member_journey(full_demo, journey, lang):
    today = timezone.localdate()
    prep = _prepare(today)
    me, cycle, apps = prep["me"], prep["cycle"], prep["apps"]
    first, third = apps[0], apps[2]
    j = journey(lang, "committee")
    page = j.page

    # -- home: the panel card counts the sheets still to submit in review ----------------------
    j.sign_in("committee")
    in_review = conflicts.committee_candidates(me).filter(cycle__status="review")
    done = ScoringSheet.objects.filter(member=me, status="submitted", application__in=in_review)
    card = page.get_by_test_id("card-panel")
    todo = in_review.count() - done.count()
    expect(card.locator(".stat")).to_have_text(str(todo))
    expect(card.get_by_test_id("card-panel-next").locator("li")).to_have_count(min(3, todo))
    j.check("home")

    # -- queue: exactly the member's unconflicted candidates; declaring a conflict removes one ---
    card.locator("a[href='/certification/committee/']").click()
    page.wait_for_url(re.compile(r"/certification/committee/$"))
    queue = page.get_by_test_id("queue")
    expect(queue.locator(f"tr[data-application='{third.pk}']")).to_have_count(1)
    form = page.get_by_test_id("declare")
    form.locator("input[name=employee_no]").fill(prep["candidates"][2].employee_no)
    form.locator("select[name=kind]").select_option("relative")
    form.locator("input[name=note]").fill("表亲 / cousin")
    form.get_by_role("button").click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_have_count(1)
    expect(queue.locator(f"tr[data-application='{third.pk}']")).to_have_count(0)
    listed = {
        int(x)
        for x in queue.locator("tr[data-application]").evaluate_all(
            "rows => rows.map(r => r.dataset.application)"
        )
    }
    expected = set(
        conflicts.committee_candidates(me)
        .filter(cycle__status__in=conflicts.COMMITTEE_STAGES)
        .values_list("pk", flat=True)
    )
    assert listed == expected and third.pk not in listed and first.pk in listed
    # every candidate of the member's panels that is conflicted (declared, same unit, …) is absent
    seated = Application.objects.filter(
        cycle__panels__members=me,
        cycle__panels__level=F("target_level"),
        status__in=conflicts.CANDIDATE_STATUSES,
        cycle__status__in=conflicts.COMMITTEE_STAGES,
    ).select_related("cycle")
    kinds = set()
    for app in seated:
        conflicted = conflicts.is_conflicted(me, app)
        kinds.update(conflicted)
        assert (app.pk in listed) == (not conflicted), app.pk
    # the declared one, and the demo cycle's colleagues of the same department, are all absent
    assert {"declared:relative", "same_unit"} <= kinds, kinds
    j.check("queue")

    # -- dossier of the first candidate --------------------------------------------------------
    queue.locator(f"tr[data-application='{first.pk}'] a").click()
    page.wait_for_url(re.compile(rf"/certification/committee/{first.pk}/$"))
    staff = Staff.objects.get(pk=first.staff_id)
    months = list(
        PeriodScore.objects.filter(
            staff=staff, period__period_type="month", period__start__lte=cycle.eval_date
        )
        .select_related("period")
        .order_by("-period__start")[:12]
    )[::-1]
    rows = page.get_by_test_id("kpi-months").locator("tbody tr")
    expect(rows).to_have_count(len(months))
    assert months, "the demo gives every staff member monthly KPI scores"
    assert rows.nth(0).inner_text().split() == [months[0].period.code, f"{months[0].total:.2f}"]
    assert rows.nth(len(months) - 1).inner_text().split() == [
        months[-1].period.code,
        f"{months[-1].total:.2f}",
    ]
    expect(page.get_by_test_id("dossier-kpi").locator("svg[role=img]")).to_have_count(1)
    credits = credits_12m(staff_ids=[staff.pk], on_date=cycle.eval_date)[staff.pk]
    summary = page.get_by_test_id("training-summary")
    expect(summary).to_contain_text(format_figure(credits, "credits"))
    requirement = Requirement.objects.filter(level=first.target_level).first()
    if requirement is not None:
        expect(summary).to_contain_text(format_figure(requirement.min_credits_12m, "credits"))
    index = competency_indexes(staff_ids=[staff.pk], on_date=cycle.eval_date).get(staff.pk)
    if index is not None:
        expect(page.get_by_test_id("competency-index")).to_contain_text(f"{index:.2f}")
        expect(page.get_by_test_id("radar")).to_have_count(1)
    first.refresh_from_db()
    rules = page.get_by_test_id("eligibility").locator("tbody tr")
    expect(rules).to_have_count(len(first.eligibility))
    # ranges and weights of the sheet
    for d in cycle.dimensions.all():
        row = page.get_by_test_id("sheet").locator(f"tr[data-dim='{d.code}']")
        expect(row.locator("[data-col=weight]")).to_have_text(f"{d.weight.normalize():f}")
        expect(row.locator("[data-col=range]")).to_have_text(f"0–{d.max_score.normalize():f}")
    j.check("dossier")

    # materials: preview the PDF and the image inline, download the PDF
    pdf, png = first.materials.order_by("id")
    viewer = page.get_by_test_id("viewer")
    page.locator(f"li[data-material='{pdf.pk}'] [data-preview]").click()
    frame = viewer.locator("iframe")
    expect(frame).to_be_visible()
    src = frame.get_attribute("src")
    answer = page.request.get(j.url(src))
    assert answer.ok and answer.headers["content-disposition"].startswith("inline")
    assert answer.headers["content-type"] == "application/pdf" and answer.body() == PDF_BYTES
    page.locator(f"li[data-material='{png.pk}'] [data-preview]").click()
    image = viewer.locator("img")
    expect(image).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('#material-viewer img').naturalWidth === 160"
    )
    viewer.locator(".btn-close").click()
    expect(viewer).to_be_hidden()
    with page.expect_download() as info:
        page.locator(f"li[data-material='{pdf.pk}'] a[download]").click()
    download = info.value
    assert download.suggested_filename == "performance-2026.pdf"
    assert Path(download.path()).read_bytes() == PDF_BYTES

    # -- scoring: an out-of-range score is refused next to its field ---------------------------
    dims = [
        Dim(d.code, d.weight, d.max_score, d.source == "committee") for d in cycle.dimensions.all()
    ]
    cases = Dimension.objects.get(cycle=cycle, code="cases")
    total = page.get_by_test_id("total")
    page.fill("#score-defence", "83.5")
    page.fill("#score-cases", "45")
    expect(total).to_have_text("—")
    page.get_by_role("button", name=j.t("提交评分表", "Submit sheet")).click()
    page.wait_for_load_state()
    with translation.override(lang):
        message = translation.gettext("Must be between 0 and %(max)s.") % {"max": cases.max_score}
    expect(page.locator("#score-cases")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page.locator("#score-cases-error")).to_have_text(message)
    expect(page.locator("#score-defence")).to_have_value("83.5")
    assert not ScoringSheet.objects.filter(application=first, member=me).exists()
    j.check("sheet-error")

    # the live total follows the typing: scoring.sheet_total, rounded half-up
    page.fill("#score-cases", "30")
    live = _fmt(sheet_total({"defence": D("83.5"), "cases": D("30")}, dims))
    expect(total).to_have_text(live)
    page.fill("#score-defence", "90.05")
    expect(total).to_have_text(_fmt(sheet_total({"defence": D("90.05"), "cases": D("30")}, dims)))
    page.fill("#score-defence", "83.5")
    expect(total).to_have_text(live)

    # -- submit: read-only afterwards ----------------------------------------------------------
    page.get_by_role("button", name=j.t("提交评分表", "Submit sheet")).click()
    page.wait_for_load_state()
    expect(page.locator(".alert-success")).to_have_count(1)
    sheet = ScoringSheet.objects.get(application=first, member=me)
    assert sheet.status == "submitted" and _fmt(sheet.total) == live
    expect(page.locator("#score-defence")).to_be_disabled()
    expect(page.locator("#score-cases")).to_be_disabled()
    expect(page.get_by_role("button", name=j.t("提交评分表", "Submit sheet"))).to_have_count(0)
    with translation.override(lang):
        expect(page.get_by_test_id("sheet-status")).to_have_text(
            str(ScoringSheet.Status.SUBMITTED.label)
        )
    expect(total).to_have_text(live)

    # quorum progress: submitted sheets of non-recused members / ⌈⅔ × non-recused⌉
    recused = conflicts.recusals(
        cycle, [Application.objects.select_related("staff").get(pk=first.pk)]
    )
    eligible = [m for m, kinds in recused[first.pk].items() if not kinds]
    totals = list(
        ScoringSheet.objects.filter(
            application=first, status="submitted", member_id__in=eligible
        ).values_list("total", flat=True)
    )
    need = quorum(len(eligible), cycle.quorum_numerator, cycle.quorum_denominator)
    progress = page.get_by_test_id("progress")
    expect(progress).to_have_attribute("data-submitted", str(len(totals)))
    expect(progress).to_have_attribute("data-quorum", str(need))
    assert len(totals) == 3 and need == 3  # 4 members, none recused: ⌈8/3⌉ = 3
    committee_raw = trimmed_mean(totals)
    prefilled = dict(
        DimensionValue.objects.filter(application=first).values_list("dimension__code", "value")
    )
    final_raw = final_score(committee_raw, prefilled, dims)
    expect(page.get_by_test_id("chair-result")).to_contain_text(_fmt(committee_raw))
    expect(page.get_by_test_id("chair-result")).to_contain_text(_fmt(final_raw))
    j.check("sheet-submitted")

    # -- back to the queue: the chair's live results of the panel ------------------------------
    page.locator(".breadcrumb a[href='/certification/committee/']").click()
    page.wait_for_url(re.compile(r"/certification/committee/$"))
    mine = page.get_by_test_id("queue").locator(f"tr[data-application='{first.pk}']")
    expect(mine.get_by_test_id("row-progress")).to_have_text(f"{len(totals)}/{need}")
    result = page.locator(
        f"[data-testid=chair-results][data-level='L3'] tr[data-application='{first.pk}']"
    )
    expect(result.locator("[data-col=committee]")).to_have_text(_fmt(committee_raw))
    expect(result.locator("[data-col=final]")).to_have_text(_fmt(final_raw))
    expect(
        page.locator(
            f"[data-testid=chair-results][data-level='L3'] tr[data-application='{third.pk}']"
        )
    ).to_have_count(0)
    j.check("queue-results")
