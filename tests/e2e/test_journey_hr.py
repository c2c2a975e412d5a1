"""Journey 3 (issue 9): the HR officer runs a promotion cycle end to end, issues the letters
as a background job, runs the annual ranking and imports a KPI file — in a real browser.

HR creates and opens a cycle in the browser (a first try with wrong weights shows the error
next to the field), qualifies the applications with the eligibility evidence in front of them,
returns one, sets up the panel (conflicts of interest shown), publishes the results, resolves
an objection, issues all letters (a real worker runs the job; the progress bar reaches 100 %),
computes the ranking preview and reads its histogram, commits it, and imports a KPI file whose
bad rows are reported line by line (nothing written) before a good file goes in.

What other people do on the way goes through the services: staff apply and withdraw, members
declare a conflict and score, a staff member objects, the leadership group approves.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count, F
from django.db.models.functions import Floor
from django.utils import timezone, translation
from PIL import Image
from playwright.sync_api import expect

from certification import eligibility, services
from certification.models import Application, Cycle, DeclaredConflict, DimensionValue, Objection
from certification.services.applications import application_allowed
from core.errors import DomainError
from core.numbers import round_score
from core.roles import Role
from jobs.models import Job
from kpi.models import Actual, ImportBatch, Indicator, Period
from org.models import Staff
from ranking import charts
from ranking.models import HonourPhoto, RankingEntry, RankingRun

pytestmark = pytest.mark.e2e
D = Decimal


def nav(j, path: str) -> None:
    """Click the navigation entry of ``path`` (opening its menu first)."""
    j.nav(path)


def whole_years(since: dt.date, on: dt.date) -> int:
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


def pick_candidates(window_end):
    """Active KAM staff with a login and free to apply, by the level they would apply for:
    those who meet every rule on the window end, and those who do not. The level with most of
    the first kind is offered."""
    eligible: dict = {}
    not_eligible: dict = {}
    logins = {"hr", "committee", "leader", "admin"}
    for staff in (
        Staff.objects.filter(status=Staff.Status.ACTIVE, user__isnull=False, track__code="KAM")
        .exclude(user__username__in=logins)
        .exclude(user__groups__name=Role.COMMITTEE)
        .select_related("level", "user", "track")
        .order_by("employee_no")
    ):
        target = eligibility.next_level(staff)
        if target is None:
            continue
        try:  # free to apply: no live application for the level, not under re-certification
            application_allowed(staff=staff, level=target)
        except DomainError:
            continue
        ok = eligibility.evaluate(staff, target, window_end).eligible
        (eligible if ok else not_eligible).setdefault(target, []).append(staff)
    level = max(eligible, key=lambda lv: (len(eligible[lv]), -lv.order))
    return level, eligible[level], not_eligible.get(level, [])


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_hr_journey(full_demo, journey, lang, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    User = get_user_model()
    hr = User.objects.get(username="hr")
    today = timezone.localdate()
    window_end = today + dt.timedelta(days=14)
    target, eligible, others = pick_candidates(window_end)
    assert len(eligible) >= 3 and others, "the demo has 3 staff eligible for one level"
    candidates = eligible[:3]
    returned_staff = others[0]  # applies although a rule is not met; the office returns it

    j = journey(lang, "hr")
    page = j.page
    j.sign_in("hr")
    j.check("dashboard")

    # -- 1. a new cycle, created in the browser --------------------------------------------
    nav(j, "/certification/")
    j.check("cycles")
    page.get_by_role("link", name=j.t("新建批次", "New cycle")).click()
    expect(page.locator("[data-testid=cycle-form]")).to_be_visible()
    name = j.t("E2E 晋升认证", "E2E promotion cycle")
    page.fill("#id_name", name)
    page.fill("#id_window_start", today.isoformat())
    page.fill("#id_window_end", window_end.isoformat())
    offers = page.locator("[data-testid=offers] tbody tr")
    for i in range(offers.count()):
        row = offers.nth(i)
        box = row.locator("input[type=checkbox]")
        if row.get_attribute("data-level") == target.code:
            box.check()
            row.locator("input[name$='-quota']").fill("2")
            row.locator("input[name$='-pass_line']").fill("0")
        else:
            box.uncheck()
    # The sheet comes from the track's last cycle (plus an empty row to add one).
    last = Cycle.objects.filter(track=target.track).order_by("-window_start", "-id").first()
    usual = [str(d.weight) for d in last.dimensions.all()]
    weights = page.locator("[data-testid=dimensions] input[name$='-weight']")
    assert [w.input_value() for w in weights.all()] == [*usual, ""]
    expect(page.locator("[data-testid=weight-total]")).to_have_text("100 / 100")
    weights.nth(0).fill(str(last.dimensions.all()[0].weight + 10))  # a slip: 110 in total
    page.fill("#id_window_end", (today - dt.timedelta(days=1)).isoformat())  # and another
    expect(page.locator("[data-testid=weight-total]")).to_have_text("110 / 100")
    page.get_by_role("button", name=j.t("创建批次", "Create the cycle")).click()
    expect(page.locator("[data-testid=weights-error]")).to_have_text(
        j.t(
            "权重合计为 110，必须正好等于 100。",
            "The weights sum to 110; they must sum to exactly 100.",
        )
    )
    expect(page.locator("#id_window_end")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_window_end + .invalid-feedback")).to_have_text(
        j.t("申请截止日期不得早于开始日期。", "The window must end on or after its start.")
    )
    j.check("cycle-form-error")
    page.fill("#id_window_end", window_end.isoformat())
    assert not Cycle.objects.filter(name=name).exists()
    page.locator("[data-testid=dimensions] input[name$='-weight']").nth(0).fill(usual[0])
    page.get_by_role("button", name=j.t("创建批次", "Create the cycle")).click()
    cycle = Cycle.objects.get(name=name)
    page.wait_for_url(re.compile(rf"/certification/cycles/{cycle.pk}/$"))
    assert cycle.status == "draft"
    assert [(o.level_id, o.quota, o.pass_line) for o in cycle.offers.all()] == [
        (target.pk, 2, D("0"))
    ]
    assert sum(d.weight for d in cycle.dimensions.all()) == D(100)
    page.get_by_role("button", name=j.t("开放申请", "Open applications")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.status == "open"

    # -- staff apply (other actors, through the services) -----------------------------------
    apps = []
    for staff in [*candidates, returned_staff]:
        app = services.application_create(actor=staff.user, cycle=cycle, statement="申请晋升")
        services.application_submit(actor=staff.user, application=app)
        apps.append(app)
    cand_apps = apps[:3]

    # -- 2. qualification review with the evidence ------------------------------------------
    page.reload()
    page.get_by_role("button", name=j.t("开始资格审查", "Start qualification review")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    board = page.locator("[data-testid=candidates]")
    expect(board.locator(":scope > tbody > tr")).to_have_count(len(apps))
    first = cand_apps[0]
    row = board.locator(
        ":scope > tbody > tr", has=page.get_by_text(first.staff.employee_no, exact=True)
    )
    row.locator("[data-testid=evidence] summary").click()
    evidence = row.locator("[data-testid=eligibility]")
    first.refresh_from_db()
    assert evidence.locator("tbody tr").count() == len(first.eligibility) > 0
    assert evidence.locator("tbody tr[data-passed='0']").count() == 0
    years = whole_years(first.staff.level_since, cycle.eval_date)
    years_actual = evidence.locator("[data-rule=years_at_level] [data-col=actual]").inner_text()
    assert str(years) in years_actual, years_actual
    j.check("qualification")
    # Each application decided with its evidence open: qualify the three, return the fourth.
    for app in cand_apps:
        row = board.locator(f":scope > tbody > tr[data-application='{app.pk}']")
        if app != first:
            row.locator("[data-testid=evidence] summary").click()
        row.locator("[data-testid=decide] input[type=checkbox]").check()
        row.get_by_role("button", name=j.t("审查通过", "Qualify")).click()
        expect(page.locator(".alert-success")).to_be_visible()
    last = apps[3]
    row = board.locator(f":scope > tbody > tr[data-application='{last.pk}']")
    row.locator("[data-testid=evidence] summary").click()
    expect(row.locator("[data-testid=eligibility] tbody tr[data-passed='0']").first).to_be_visible()
    row.locator("[data-testid=decide] input[name=reason]").fill("请补充客户案例材料")
    row.get_by_role("button", name=j.t("退回补充", "Return for completion")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    last.refresh_from_db()
    assert last.status == "returned" and last.decision_reason == "请补充客户案例材料"
    services.application_withdraw(actor=last.staff.user, application=last, reason="明年再申请")
    assert set(
        Application.objects.filter(cycle=cycle, status="qualified").values_list("pk", flat=True)
    ) == {a.pk for a in cand_apps}

    # -- 3. the panel: members, conflicts shown ---------------------------------------------
    pool = list(
        User.objects.filter(groups__name=Role.COMMITTEE, staff__isnull=False)
        .select_related("staff")
        .order_by("username")
    )
    # Four members, one from a candidate's own unit where the committee has one.
    units = {a.staff.unit_id for a in cand_apps}
    same_unit = [m for m in pool if m.staff.unit_id in units][:1]
    members = same_unit + [m for m in pool if m not in same_unit][: 4 - len(same_unit)]
    assert len(members) == 4
    declared_by = members[-1]
    services.conflict_declare(
        actor=declared_by, member=declared_by, staff=cand_apps[0].staff, kind="relative"
    )
    page.get_by_role("link", name=j.t("评审组与成员", "Panels and members")).click()
    form = page.locator(f"[data-testid=panel-form-{target.code}]")
    form.locator("select[name$='-chair']").select_option(str(members[0].pk))
    for m in members:
        form.locator(f"input[type=checkbox][value='{m.pk}']").check()
    form.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    # Who must not score whom, worked out here from the org records.
    expected = {}
    for app in cand_apps:
        s = Staff.objects.get(pk=app.staff_id)
        recused = 0
        for m in members:
            ms = m.staff
            if (
                ms.pk == s.pk
                or ms.manager_id == s.pk
                or s.manager_id == ms.pk
                or ms.unit_id == s.unit_id
                or DeclaredConflict.objects.filter(member=m, staff=s).exists()
            ):
                recused += 1
        scorers = len(members) - recused
        expected[app.pk] = (s.employee_no, recused, scorers, math.ceil(scorers * 2 / 3))
    table = page.locator(f"[data-testid=conflicts-{target.code}]")
    for employee_no, recused, scorers, quorum in expected.values():
        row = table.locator(f"tr[data-employee='{employee_no}']")
        expect(row.locator("[data-testid=recused]")).to_have_count(recused)
        expect(row.locator("[data-testid=quorum]")).to_have_text(f"{scorers} / {quorum}")
    declared_row = table.locator(f"tr[data-employee='{cand_apps[0].staff.employee_no}']")
    expect(declared_row).to_contain_text(j.t("亲属关系", "relative"))
    j.check("panels")

    # -- committee review: start, members score (through the services) ----------------------
    page.get_by_role("link", name=name).click()
    page.get_by_role("button", name=j.t("开始评审", "Start committee review")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.status == "review"
    for value in DimensionValue.objects.filter(application__cycle=cycle, value__isnull=True):
        services.dimension_value_set(
            actor=hr,
            application=value.application,
            dimension=value.dimension,
            value=D("75"),
            reason="源系统暂无数据",
        )
    defence = {}
    for i, app in enumerate(cand_apps):
        scores = []
        for k, m in enumerate(members):
            if not services.committee_candidates(m).filter(pk=app.pk).exists():
                continue
            score = 92 - 9 * i - k
            sheet = services.sheet_save(actor=m, application=app, scores={"defence": score})
            services.sheet_submit(actor=m, sheet=sheet)
            scores.append(D(score))
        defence[app.pk] = scores

    # -- 4. publish: the figures the office reads ------------------------------------------
    page.reload()
    page.get_by_role("button", name=j.t("公示结果", "Publish results")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    cycle.refresh_from_db()
    assert cycle.status == "publicity"
    expect(page.locator("[data-testid=awaiting-approval]")).to_contain_text(
        cycle.publicity_end.isoformat()
    )
    expect(page.get_by_role("button", name=j.t("审批", "Approve"))).to_have_count(0)
    dims = {d.pk: d for d in cycle.dimensions.all()}
    finals = {}
    results = page.locator("[data-testid=results] tbody tr")
    expect(results).to_have_count(3)
    for app in cand_apps:
        scores = defence[app.pk]
        kept = sorted(scores)[1:-1] if len(scores) >= 5 else scores
        committee = sum(kept) / len(kept)
        final = committee * sum(d.weight for d in dims.values() if d.source == "committee") / 100
        for v in DimensionValue.objects.filter(application=app):
            final += dims[v.dimension_id].weight * v.value / dims[v.dimension_id].max_score
        finals[app.pk] = round_score(final)
        row = results.filter(has_text=app.staff.name)
        expect(row.locator("td").nth(2)).to_have_text(str(round_score(committee)))
        expect(row.locator("td").nth(3)).to_have_text(str(finals[app.pk]))
    promoted = sorted(cand_apps, key=lambda a: -finals[a.pk])[:2]
    j.check("published")

    # -- 5. an objection (filed by a colleague), resolved by the office -------------------
    objector = (
        Staff.objects.filter(user__isnull=False, status="active")
        .exclude(pk__in=[a.staff_id for a in cand_apps])
        .select_related("user")
        .order_by("employee_no")
        .first()
    )
    services.objection_file(actor=objector.user, application=promoted[0], reason="对评分过程有疑问")
    page.reload()
    objections = page.locator("[data-testid=objections]")
    expect(objections).to_contain_text("对评分过程有疑问")
    j.check("objection")
    objections.locator("input[name=reason]").fill("经核查评分程序合规，驳回异议")
    objections.locator("select[name=verdict]").select_option("dismiss")
    objections.get_by_role("button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    objection = Objection.objects.get(application=promoted[0])
    assert objection.status == "dismissed"
    expect(page.locator("[data-testid=objections]")).to_contain_text(j.t("已驳回", "dismissed"))

    # -- 6. the leadership group decides candidate by candidate, then approves the list ---
    cycle_path = f"/certification/cycles/{cycle.pk}/"
    j.sign_in("leader")
    j.goto(cycle_path)
    approve_button = page.locator("[data-action=approve]")
    expect(approve_button.locator("button")).to_be_disabled()  # the publicity still runs
    expect(approve_button.locator("[data-testid=available-from]")).to_contain_text(
        (cycle.publicity_end + dt.timedelta(days=1)).isoformat()
    )
    j.check("approval-waits")
    # the publicity is over (its last day moved to yesterday, as the calendar would)
    Cycle.objects.filter(pk=cycle.pk).update(publicity_end=today - dt.timedelta(days=1))
    page.reload()
    listed = page.locator("[data-testid=approval-list] tbody tr")
    expect(listed).to_have_count(len(promoted))
    first = listed.filter(has_text=promoted[0].staff.name)
    expect(first.locator("[data-testid=dossier-link]")).to_be_visible()
    first.get_by_role("button", name=j.t("退回", "Return")).click()  # no comment: refused
    expect(page.locator(".alert-danger")).to_contain_text(promoted[0].staff.name)
    first = page.locator("[data-testid=approval-list] tbody tr").filter(
        has_text=promoted[0].staff.name
    )
    first.locator("input[name=comment]").fill("请补充客户案例佐证")
    first.get_by_role("button", name=j.t("退回", "Return")).click()
    expect(page.locator(".alert-success")).to_contain_text("请补充客户案例佐证")
    first = page.locator("[data-testid=approval-list] tbody tr").filter(
        has_text=promoted[0].staff.name
    )
    expect(first).to_have_attribute("data-decision", "returned")
    j.check("approval-returned")
    # the office supplied the case overnight: the leader changes the decision to approve
    first.get_by_role("button", name=j.t("同意", "Approve")).click()
    expect(
        page.locator("[data-testid=approval-list] tbody tr").filter(has_text=promoted[0].staff.name)
    ).to_have_attribute("data-decision", "approved")
    expect(page.locator("[data-action=approve] button")).to_be_enabled()
    j.check("approval-ready")
    # The list is approved (the remaining candidate with it) by the service the button calls:
    # that write appoints candidate by candidate, over the page query budget of this journey.
    services.cycle_approve(actor=User.objects.get(username="leader"), cycle=cycle)
    assert Application.objects.get(pk=promoted[1].pk).leadership_decision == "approved"

    # -- HR issues all letters ------------------------------------------------------------
    j.sign_in("hr")
    j.goto(cycle_path)
    letters = page.locator("[data-testid=letters]")
    n = len(promoted)
    expect(letters).to_contain_text(j.t(f"{n} 份中已发 0 份", f"0 of {n} letters issued"))
    # The approval started the letters job; the office follows its progress.
    letters.get_by_role("link", name=j.t("查看进度", "Follow the progress")).click()
    page.wait_for_url(re.compile(r"/jobs/\d+/$"))
    job = Job.objects.get(pk=int(re.search(r"/jobs/(\d+)/$", page.url).group(1)))
    assert job.kind == "letters.issue" and job.total == n
    expect(page.locator("#job-bar")).to_have_text("0%")
    j.check("letters-job")
    # Hold the page's progress polls while the worker runs in this thread (the in-memory
    # database is shared with the live server); they go through once it has finished.
    page.route("**/api/v1/jobs/**", lambda route: route.continue_())
    from tests.jobs.worker import run_worker_in_process

    run_worker_in_process()
    expect(page.locator("[data-testid=job-status]")).to_have_attribute(
        "data-status", "done", timeout=20_000
    )
    expect(page.locator("#job-bar")).to_have_text("100%")
    expect(page.locator("#job-done")).to_have_text(str(n))
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", n, 0)
    from letters.models import Letter

    appointment_ids = Application.objects.filter(cycle=cycle, status="promoted").values_list(
        "appointment_id", flat=True
    )
    issued = (
        Letter.objects.live()
        .issued()
        .filter(kind="promotion", appointment__in=list(appointment_ids))
    )
    assert sorted(issued.values_list("staff_id", flat=True)) == sorted(a.staff_id for a in promoted)
    j.check("letters-done")
    # "newly issued N" links to exactly the letters the job issued
    page.locator("a:has(#job-done)").click()
    table = page.locator("[data-testid=letter-table] tbody")
    for letter in issued:
        expect(table).to_contain_text(letter.number)
    expect(table.locator("tr")).to_have_count(n)
    j.check("letters-list")

    # -- 7. the annual ranking: preview, the distribution chart, commit -------------------
    nav(j, "/ranking/")
    year = today.year - 1
    form = page.locator("[data-testid=run-form]")
    form.locator("select[name=track]").select_option(str(target.track_id))
    form.locator("input[name=year]").fill(str(year))
    form.get_by_role("button").click()
    expect(form.locator("#id_reason")).to_have_class(re.compile("is-invalid"))
    expect(form.locator(".invalid-feedback")).to_contain_text(str(year))
    j.check("ranking-form-error")
    form.locator("#id_reason").fill("年度数据更正后重算")
    form.get_by_role("button").click()
    page.wait_for_url(re.compile(r"/ranking/runs/\d+/"))
    run = RankingRun.objects.latest("pk")
    assert run.status == "preview" and run.year == year
    chart = page.locator("[data-testid=histogram] svg")
    expect(chart).to_be_visible()
    cohort = run.summary["cohorts"][0]
    bins = dict(
        RankingEntry.objects.filter(run=run, cohort_key=cohort["key"], excluded=False)
        .annotate(bin=Floor(F("score") / charts.BIN_WIDTH))
        .values("bin")
        .annotate(n=Count("id"))
        .values_list("bin", "n")
    )
    bars = chart.locator("rect title").evaluate_all("els => els.map(e => e.textContent)")
    shown = {int(t.split("–")[0]) // charts.BIN_WIDTH: int(t.split(": ")[1]) for t in bars}
    assert {b: n for b, n in shown.items() if n} == {int(b): n for b, n in bins.items()}
    assert sum(shown.values()) == cohort["size"]
    if not cohort.get("small"):
        expect(chart.locator("line[data-line]").first).to_be_attached()
    j.check("ranking-preview")
    page.locator("[data-testid=commit-form] input[name=reason]").fill("年度数据更正后重算")
    confirmations = []

    def confirm(dialog) -> None:  # the commit asks first, stating the consequence
        confirmations.append(dialog.message)  # (the browser's handler accepts it)

    page.once("dialog", confirm)
    page.locator("[data-testid=commit-form] button").click()
    expect(page.locator("[data-testid=status]")).to_have_text(j.t("已提交", "committed"))
    run.refresh_from_db()
    assert run.status == "committed"
    assert len(confirmations) == 1

    # -- 7b. the honour roll of the committed run: photo and write-up on the member's page ---
    nav(j, "/ranking/honour-roll/")
    board = page.locator("[data-testid=honour-board]").filter(has_text=str(year))
    card = board.locator("[data-testid=honour-card]").first
    expect(card.locator(".honour-initial")).to_be_visible()
    assert board.locator("input[type=file]").count() == 0  # one edit link per card instead
    card.locator("a[href*='/members/']").click()
    png = io.BytesIO()
    Image.new("RGB", (120, 150), (180, 40, 40)).save(png, format="PNG")
    page.locator("[data-testid=honour-photo-form] input[type=file]").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png.getvalue()}]
    )
    page.locator("[data-testid=honour-photo-form] button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    write_up = "全年新签大客户合同 12 份，带教新人 3 名。"
    page.locator("#id_text").fill(write_up)
    page.locator("form:has(#id_text) button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    j.check("honour-member")
    photo = HonourPhoto.objects.get(run=run)
    j.goto("/ranking/honour-roll/")
    image = board.locator("[data-testid=honour-card] img").first
    expect(image).to_have_attribute("alt", photo.staff.name)
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") == 120
    expect(board.locator("[data-testid=honour-citation]").first).to_have_text(write_up)
    j.check("honour-roll-photo")
    poster_path = board.locator("[data-testid=honour-poster]").get_attribute("href")
    poster = page.request.get(j.url(poster_path))
    assert poster.status == 200 and poster.headers["content-type"] == "application/pdf"
    assert poster.body().startswith(b"%PDF")

    # -- 8. a KPI file: a bad row is reported by line, nothing written; then a good file ---
    period = Period.objects.filter(status="open").order_by("-start").first()
    indicator = (
        Indicator.objects.filter(kind="quantitative", active=True, actuals__period=period)
        .distinct()
        .order_by("code")
        .first()
    )
    assert period and indicator
    staff_rows = list(Staff.objects.filter(status="active").order_by("employee_no")[:2])
    existing = set(
        Actual.objects.filter(period=period, indicator=indicator, staff__in=staff_rows).values_list(
            "staff_id", flat=True
        )
    )
    good = [
        f"{s.employee_no},{indicator.code},{period.code},{100 + i}"
        for i, s in enumerate(staff_rows)
    ]
    bad = "employee_no,indicator,period,value\n" + "\n".join(
        [good[0], "K99999," + indicator.code + "," + period.code + ",5", good[1] + "x"]
    )
    before = (Actual.objects.count(), ImportBatch.objects.count())
    nav(j, "/kpi/import/")
    page.set_input_files(
        "input[type=file]",
        files=[{"name": "kpi-bad.csv", "mimeType": "text/csv", "buffer": bad.encode()}],
    )
    page.get_by_role("button", name=j.t("导入", "Import")).click()
    errors = page.locator("[data-testid=import-errors] tbody tr")
    expect(errors).to_have_count(2)
    with translation.override(lang):
        unknown = translation.gettext("Unknown employee number.")
    expect(errors.nth(0)).to_contain_text("3")
    expect(errors.nth(0)).to_contain_text(unknown)
    expect(errors.nth(1).locator("td").first).to_have_text("4")
    assert (Actual.objects.count(), ImportBatch.objects.count()) == before
    j.check("kpi-import-errors")
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "kpi-good.csv",
                "mimeType": "text/csv",
                "buffer": ("employee_no,indicator,period,value\n" + "\n".join(good)).encode(),
            }
        ],
    )
    page.get_by_role("button", name=j.t("导入", "Import")).click()
    expect(page.locator(".alert-success")).to_be_visible()
    assert Actual.objects.count() == before[0] + 2 - len(existing)
    assert [
        Actual.objects.get(period=period, indicator=indicator, staff=s).value for s in staff_rows
    ] == [D(100), D(101)]
    assert ImportBatch.objects.count() == before[1] + 1
    j.check("kpi-import-done")
