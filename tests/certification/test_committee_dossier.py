"""The committee member's pages (issue 9, journey 2): the candidate dossier (KPI history,
training ledger, materials previewed inline), the scoring form's ranges, errors next to the
field in the user's language, quorum progress, the chair's live results, scope and queries."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from certification import services
from certification.models import ScoringSheet
from certification.scoring import Dim, sheet_total
from committee.arithmetic import quorum
from core.numbers import round_score
from kpi.models import AnnualScore, Period, PeriodScore
from tests.certification.factories import (
    PDF_BYTES,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)
from tests.files import docx_bytes
from tests.home import home_page
from training.models import TrainingRecord

pytestmark = pytest.mark.django_db

TWO_COMMITTEE_DIMS = [
    {"code": "kpi", "name": "工作业绩", "weight": D("60"), "source": "kpi", "max_score": D("100")},
    {
        "code": "defence",
        "name": "述职答辩",
        "weight": D("30"),
        "source": "committee",
        "max_score": D("100"),
    },
    {
        "code": "cases",
        "name": "客户案例",
        "weight": D("10"),
        "source": "committee",
        "max_score": D("40"),
    },
]


def web(user, lang="zh-hans"):
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = lang
    return client


@pytest.fixture
def panel(ladder, hr, fake):
    """A cycle in review (reference date 2026-12-31) offering L3 with two committee-scored
    dimensions; 4 candidates; a panel of 4 (chair: ``chair``); the first candidate has a PDF
    and a DOCX material, 14 monthly KPI scores, 2 annual ones and 3 training records."""
    cycle = make_cycle(hr, ladder, dimensions=TWO_COMMITTEE_DIMS, status="open")
    people = [applicant(ladder[1]) for _ in range(4)]
    apps = []
    for i, (_staff, user) in enumerate(people):
        if i == 0:
            app = services.application_create(
                actor=user, cycle=cycle, statement="业绩说明", today=dt.date(2026, 11, 30)
            )
            services.material_add(
                actor=user,
                application=app,
                upload=SimpleUploadedFile("proof.pdf", PDF_BYTES, "application/pdf"),
                kind="performance",
            )
            services.material_add(
                actor=user,
                application=app,
                upload=SimpleUploadedFile(
                    "notes.docx",
                    docx_bytes(),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                ),
                kind="other",
            )
            services.application_submit(actor=user, application=app, today=dt.date(2026, 11, 30))
            services.application_qualify(
                reason="测试：例外通过",
                actor=hr,
                application=app,
                eligibility_ok=True,
                materials_complete=True,
                facts_truthful=True,
                procedure_regular=True,
            )
            app.refresh_from_db()
        else:
            app = apply_and_qualify(cycle, hr, user)
        apps.append(app)
    chair, _ = committee_member("chair", level=ladder[4])
    members = [chair] + [committee_member(f"m{i}", level=ladder[4])[0] for i in range(3)]
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=chair, members=members)
    advance(cycle, hr, "review")
    staff = people[0][0]
    for month in range(1, 15):  # 2025-11 … 2026-12: the last 12 up to 2026-12-31 are shown
        year, m = (2025, 10 + month) if month <= 2 else (2026, month - 2)
        period = Period.objects.create(
            code=f"{year}-{m:02d}",
            period_type="month",
            year=year,
            start=dt.date(year, m, 1),
            end=dt.date(year, m, 28),
        )
        PeriodScore.objects.create(
            staff=staff, period=period, total=D(60 + month), total_raw=D(60 + month)
        )
    for year, score, grade in ((2024, "81.50", "B"), (2025, "90.25", "A")):
        AnnualScore.objects.create(
            staff=staff,
            year=year,
            score=D(score),
            score_raw=D(score),
            periods=12,
            grade=grade,
            threshold_grade=grade,
            unit_rank=1,
        )
    for day, hours, credits, result in (
        (dt.date(2026, 1, 1), "4", "2", "passed"),  # the first day of the 12-month window
        (dt.date(2026, 6, 1), "8", "4.5", "completed"),
        (dt.date(2025, 12, 31), "16", "8", "passed"),  # D minus 12 months: outside
    ):
        TrainingRecord.objects.create(
            staff=staff,
            title=f"课程 {day}",
            date=day,
            hours=D(hours),
            credits=D(credits),
            result=result,
            source="import",
        )
    return {"cycle": cycle, "apps": apps, "chair": chair, "members": members, "people": people}


def test_dossier_shows_kpi_history_training_ledger_materials_and_ranges(panel):
    app = panel["apps"][0]
    text = web(panel["members"][1]).get(f"/certification/committee/{app.pk}/").content.decode()
    # KPI: the 12 months up to the reference date, oldest first (2026-01 … 2026-12)
    months = text[text.index('data-testid="kpi-months"') :]
    months = months[: months.index("</table>")]
    assert months.count("<tr>") == 13  # the header + 12 months
    assert "2025-12" not in months and months.index("2026-01") < months.index("2026-12")
    assert '<td class="text-end">63.00</td>' in months  # 2026-01
    assert '<td class="text-end">74.00</td>' in months  # 2026-12
    assert 'data-testid="kpi-annual"' in text and "90.25" in text and "81.50" in text
    assert 'role="img"' in text
    # training: the window 2026-01-01 … 2026-12-31 holds 2 records, 6.5 credits, 12 hours
    assert "课程 2026-01-01" in text and "课程 2026-06-01" in text
    assert "课程 2025-12-31" not in text
    assert "<strong>6.5</strong>" in text and "12.0" in text
    # materials: the PDF is previewable inline, the DOCX only downloads
    pdf, docx = app.materials.order_by("id")
    assert f"/certification/applications/{app.pk}/materials/{pdf.pk}/?inline=1" in text
    assert f"/certification/applications/{app.pk}/materials/{docx.pk}/?inline=1" not in text
    assert f'href="/certification/applications/{app.pk}/materials/{docx.pk}/" download' in text
    # ranges and weights of the committee dimensions
    range_cell = '<td class="text-end text-nowrap d-none d-sm-table-cell" data-col="range">'
    assert f"{range_cell}0–40</td>" in text
    assert '<td class="text-end d-none d-sm-table-cell" data-col="weight">30</td>' in text
    assert 'data-testid="eligibility"' in text


def test_materials_preview_inline_only_for_pdf_and_images(panel):
    app = panel["apps"][0]
    pdf, docx = app.materials.order_by("id")
    client = web(panel["members"][1])
    base = f"/certification/applications/{app.pk}/materials/"
    res = client.get(f"{base}{pdf.pk}/?inline=1")
    assert res["Content-Disposition"].startswith("inline")
    assert res["X-Frame-Options"] == "SAMEORIGIN"
    assert b"".join(res.streaming_content) == PDF_BYTES
    assert client.get(f"{base}{pdf.pk}/")["Content-Disposition"].startswith("attachment")
    assert client.get(f"{base}{docx.pk}/?inline=1")["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize(
    ("lang", "message"),
    [("zh-hans", "须在 0 到 40.00 之间。"), ("en", "Must be between 0 and 40.00.")],
)
def test_an_out_of_range_score_is_refused_next_to_its_field(panel, lang, message):
    app, member = panel["apps"][1], panel["members"][1]
    res = web(member, lang).post(
        f"/certification/committee/{app.pk}/",
        {"action": "submit", "score_defence": "70", "score_cases": "41"},
    )
    assert res.status_code == 200
    text = res.content.decode()
    assert 'id="score-cases-error">' + message + "</div>" in text
    assert "score is-invalid" in text and 'aria-describedby="score-cases-error"' in text
    assert 'value="70"' in text  # what the member typed stays
    assert not ScoringSheet.objects.filter(application=app, member=member).exists()


def test_a_missing_score_on_submit_is_shown_next_to_its_field(panel):
    app, member = panel["apps"][1], panel["members"][1]
    res = web(member, "en").post(
        f"/certification/committee/{app.pk}/", {"action": "submit", "score_defence": "70"}
    )
    assert 'id="score-cases-error">Not scored yet.</div>' in res.content.decode()
    sheet = ScoringSheet.objects.get(application=app, member=member)
    assert sheet.status == "draft" and sheet.scores == {"defence": "70"}


def test_submit_locks_the_form_and_shows_progress_toward_quorum(panel):
    app, member = panel["apps"][1], panel["members"][1]
    client = web(member, "en")
    res = client.post(
        f"/certification/committee/{app.pk}/",
        {"action": "submit", "score_defence": "83.5", "score_cases": "30"},
    )
    assert res.status_code == 302
    sheet = ScoringSheet.objects.get(application=app, member=member)
    dims = [Dim("defence", D("30"), D("100"), True), Dim("cases", D("10"), D("40"), True)]
    # (30 × 83.5/100 + 10 × 30/40) / 40 × 100 = (25.05 + 7.5) / 40 × 100 = 81.375 → 81.38
    expected = sheet_total({"defence": D("83.5"), "cases": D("30")}, dims)
    assert expected == D("81.375") and round_score(sheet.total) == D("81.38")
    text = client.get(f"/certification/committee/{app.pk}/").content.decode()
    assert 'id="score-defence" type="number"' in text and "disabled" in text
    assert 'value="submit"' not in text
    assert "81.38" in text
    # 4 members, none recused: quorum ⌈8/3⌉ = 3; 1 submitted
    assert quorum(4) == 3
    assert 'data-submitted="1" data-quorum="3" data-members="4"' in text
    assert 'data-testid="chair-result"' not in text


def test_a_recused_member_lowers_the_quorum_and_the_chair_sees_live_results(panel):
    app = panel["apps"][2]
    chair, m0, m1, m2 = panel["members"]
    cand = panel["people"][2][0]
    services.conflict_declare(actor=m2, member=m2, staff=cand, kind="relative")
    for member, scores in ((m0, ("80", "20")), (m1, ("90", "40"))):
        sheet = services.sheet_save(
            actor=member, application=app, scores={"defence": scores[0], "cases": scores[1]}
        )
        services.sheet_submit(actor=member, sheet=sheet)
    # 3 non-recused members → quorum ⌈6/3⌉ = 2, reached; committee score = mean of
    # (30×0.8 + 10×0.5)/40×100 = 72.5 and (30×0.9 + 10×1)/40×100 = 92.5 → 82.50;
    # final = 60 × kpi/100 + 40/100 × 82.5 with the kpi value the fake source gave (none: —)
    # the chair has not scored yet: blind like every member (no progress, no score)
    text = web(chair, "en").get(f"/certification/committee/{app.pk}/").content.decode()
    assert 'data-testid="blind"' in text
    assert "data-submitted=" not in text and "quorum reached" not in text
    assert 'data-testid="chair-result"' not in text and "82.50" not in text
    queue = web(chair, "en").get("/certification/committee/").content.decode()
    assert f'<tr data-application="{app.pk}">' in queue
    assert "82.50" not in queue
    assert 'data-testid="chair-results"' not in queue
    # once the chair's own sheet is in: (72.5 + 92.5 + 72.5) / 3 = 79.1666… → 79.17
    sheet = services.sheet_save(
        actor=chair, application=app, scores={"defence": "80", "cases": "20"}
    )
    services.sheet_submit(actor=chair, sheet=sheet)
    text = web(chair, "en").get(f"/certification/committee/{app.pk}/").content.decode()
    assert 'data-submitted="3" data-quorum="2" data-members="3"' in text
    assert "quorum reached" in text
    assert 'data-testid="chair-result"' in text and "79.17" in text
    queue = web(chair, "en").get("/certification/committee/").content.decode()
    assert 'data-testid="chair-results" data-level="L3"' in queue
    row = queue[queue.index('data-testid="chair-results"') :]
    row = row[row.index(f'<tr data-application="{app.pk}">') :]
    assert '<td class="text-end" data-col="committee">79.17</td>' in row[:800]
    # a member who is not the chair sees progress, not the results
    queue = web(m0, "en").get("/certification/committee/").content.decode()
    assert 'data-testid="chair-results"' not in queue
    assert '<span class="small" data-testid="row-progress">3/2</span>' in queue
    # the recused member neither lists nor opens the candidate
    queue = web(m2, "en").get("/certification/committee/").content.decode()
    assert f'<tr data-application="{app.pk}">' not in queue
    assert web(m2).get(f"/certification/committee/{app.pk}/").status_code == 404
    pdf = panel["apps"][0].materials.first()
    assert (
        web(m2).get(f"/certification/applications/{panel['apps'][0].pk}/materials/{pdf.pk}/")
    ).status_code == 200  # not conflicted with the first candidate


def test_outsiders_get_404_on_the_dossier_and_its_materials(panel, ladder):
    app = panel["apps"][0]
    outsider, _ = committee_member("outsider", level=ladder[4])
    pdf = app.materials.first()
    client = web(outsider)
    assert client.get(f"/certification/committee/{app.pk}/").status_code == 404
    assert (
        client.get(f"/certification/applications/{app.pk}/materials/{pdf.pk}/?inline=1")
    ).status_code == 404


def test_queue_and_dossier_stay_flat(panel, django_assert_max_num_queries):
    chair = panel["chair"]
    for app in panel["apps"]:
        sheet = services.sheet_save(
            actor=chair, application=app, scores={"defence": "75", "cases": "25"}
        )
        services.sheet_submit(actor=chair, sheet=sheet)
    client = web(chair)
    with django_assert_max_num_queries(22):
        res = client.get("/certification/committee/")
    assert res.content.decode().count('data-testid="row-progress"') == 4
    with django_assert_max_num_queries(32):
        res = client.get(f"/certification/committee/{panel['apps'][0].pk}/")
    assert 'data-testid="others"' not in res.content.decode()  # nobody else submitted yet


def test_home_card_counts_and_links_the_next_candidates_to_score(panel):
    member = panel["members"][1]
    first = panel["apps"][0]
    sheet = services.sheet_save(
        actor=member, application=first, scores={"defence": "60", "cases": "20"}
    )
    services.sheet_submit(actor=member, sheet=sheet)
    home = home_page(web(member, "en"))
    card = home[home.index('data-testid="card-panel"') :]
    card = card[: card.index("Open my queue")]
    assert '<div class="stat">3</div>' in card  # 4 candidates, 1 submitted
    assert "(1 of 4 done)" in card
    nxt = card[card.index('data-testid="card-panel-next"') :]
    # the next three by employee number, the submitted one left out
    expected = sorted(panel["apps"][1:], key=lambda a: a.staff.employee_no)
    assert nxt.count("<li>") == 3
    for app in expected:
        assert f'href="/certification/committee/{app.pk}/"' in nxt
    assert f'href="/certification/committee/{first.pk}/"' not in nxt
