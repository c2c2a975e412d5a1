"""Issue 22's "Done when" in a real browser: an employee's year, from acknowledging the targets
to acknowledging the review, and their pay line — in zh-hans and en.

On the demo company (dated Monday 2026-11-30), with the demo logins:

1. **HR** (``hr``) opens the stages of the new period 2026-12 (/kpi/stages/): publishes the
   targets, then moves the period to mobilisation and to the assessment stage.
2. **The employee** (``staff``, 宋华思, L2, hired in 2021) acknowledges the targets and writes the
   self-appraisal (/kpi/appraisal/).
3. **HR** moves the period through analysis to feedback (which locks it).
4. **The line manager** (``manager``) finds the employee on /kpi/appraisal/team/ and records the
   review conversation.
5. **The employee** answers: in zh-hans disagrees with a comment, in en acknowledges; HR closes
   the cycle.
6. **HR** runs the pay of 2025 (the demo's run of 2025 is taken away first, so the year is open
   again): sets the L2 policy, the coefficients and the deferral rule of docs/pay.md's worked
   example on /pay/policies/, opens and computes the run; **the leadership** (``leader``)
   approves it.
7. **The employee** reads their pay line on /pay/mine/: the figures of 张三 in docs/pay.md's
   worked example (grade A, 12 months), computed by hand there, written as the page writes money.

Every page: screenshots at both widths, no sideways scroll, no serious axe violation, the
query cap (``tests/e2e/journey.py``); on zh-hans, no untranslated English on the pages of the
cycle and the pay.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

LANGS = ["zh-hans", "en"]
PERIOD = "2026-12"
PAY_YEAR = 2025

# docs/pay.md, "Worked example" (张三, grade A, 12 months): the policy and every figure.
MONTHLY_BASE, PERFORMANCE_BASE, ALLOWANCE = "8000.00", "10000.03", Decimal("1200.00")
COEFFICIENTS = {"A": "1.50", "B": "1.00", "C": "1.00", "D": "0.50", "E": "0.00"}
SHARE_PCT, YEARS = "35", "3"
# 8000.00 × 12; 1200.00 × 12; 10000.03 × 1.50 = 15000.045 → 15000.05 (half-up);
# × 35 % = 5250.0175 → 5250.02; now 15000.05 − 5250.02 = 9750.03;
# instalments 5250.02 ÷ 3 = 1750.0067 → 1750.01, 1750.01 and the remainder 1750.00;
# paid for the year 96000.00 + 14400.00 + 9750.03 = 120150.03.
PAY_LINE = [
    ("¥8,000.00 × 12", "¥96,000.00"),
    ("¥1,200.00 × 12", "¥14,400.00"),
    ("¥10,000.03 × 1.50", "¥15,000.05"),
    ("¥15,000.05 × 35 %", "¥5,250.02"),
    ("¥15,000.05 − ¥5,250.02", "¥9,750.03"),
    ("", "¥1,750.01"),
    ("", "¥1,750.01"),
    ("", "¥1,750.00"),
    ("¥96,000.00 + ¥14,400.00 + ¥9,750.03", "¥120,150.03"),
]


def _prepare():
    """The period 2026-12 just opened (preparation); the pay of 2025 not yet run; the
    employee's grade of 2025 is A and their level's allowance that of the worked example."""
    from kpi.models import AnnualScore
    from kpi.services import period_create
    from org.models import Level, Staff
    from pay.models import PayRun

    users = get_user_model().objects
    period_create(actor=users.get(username="hr"), code=PERIOD)
    PayRun.objects.filter(year=PAY_YEAR).delete()
    me = Staff.objects.select_related("level", "manager__user").get(user__username="staff")
    assert me.manager is not None and me.manager.user.username == "manager"
    assert me.hire_date.year < PAY_YEAR  # a full year: 12 months
    updated = AnnualScore.objects.filter(staff=me, year=PAY_YEAR).update(grade="A")
    assert updated == 1
    Level.objects.filter(pk=me.level_id).update(allowance=ALLOWANCE)
    return me


def _advance(j, to_stage: str) -> None:
    """HR moves the period to its next stage (the button names it) and the strip follows."""
    page = j.page
    form = page.locator("form").filter(has=page.locator(f"input[name=to][value='{to_stage}']"))
    form.get_by_role("button").click()
    page.wait_for_load_state()
    expect(page.locator("[data-testid=kpi-stages] li.active")).to_have_count(
        0 if to_stage == "closed" else 1
    )


def _sign_in(j, clock, username: str) -> None:
    """Sign in; for the logins with an authenticator (hr, leader), the clock first moves on past
    the 30-second window of the last code given, as a second sign-in would in real time (a code
    is accepted once)."""
    if username in ("hr", "leader"):
        clock.shift(dt.timedelta(seconds=31))
    j.sign_in(username)


def _no_english(j, where: str) -> None:
    if j.lang == "zh-hans":
        assert j.untranslated() == [], (where, j.untranslated())


@pytest.mark.parametrize("lang", LANGS)
def test_an_employee_year_from_targets_to_pay(full_demo, journey, lang, frozen_clock):
    me = _prepare()
    j = journey(lang, "employee-year")
    page = j.page

    # 1. HR opens the stages of the new period: publishes the targets, mobilises, assesses.
    _sign_in(j, frozen_clock, "hr")
    j.goto(f"/kpi/stages/?period={PERIOD}")
    expect(page.locator("[data-testid=kpi-stages] li.active")).to_contain_text(
        j.t("准备", "preparation")
    )
    j.check("stages-preparation")
    _no_english(j, "stages")
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_load_state()
    expect(page.locator("button[name=action][value=publish]")).to_have_count(0)
    _advance(j, "mobilisation")
    _advance(j, "assessment")
    counts = page.get_by_test_id("kpi-appraisal-counts")
    expect(counts).to_be_visible()

    # 2. The employee acknowledges the targets and writes the self-appraisal.
    _sign_in(j, frozen_clock, "staff")
    j.goto(f"/kpi/appraisal/?period={PERIOD}")
    expect(page.get_by_test_id("kpi-my-targets").locator("tbody tr").first).to_be_visible()
    j.check("appraisal-targets")
    _no_english(j, "my appraisal")
    page.locator("button[name=action][value=acknowledge]").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("kpi-targets-acknowledged")).to_be_visible()
    quantitative = j.t("新签合同额完成目标的 96%，回款率 92%。", "New contracts at 96% of target.")
    qualitative = j.t(
        "按时提交客户拜访记录，配合团队投标。", "Visit reports on time; bids with the team."
    )
    page.fill("#id_quantitative", quantitative)
    page.fill("#id_qualitative", qualitative)
    page.locator("button[name=action][value=self]").click()
    page.wait_for_load_state()
    expect(page.locator("#id_quantitative")).to_have_value(quantitative)
    j.check("appraisal-self")

    # 3. HR: analysis, then feedback (the period is locked).
    _sign_in(j, frozen_clock, "hr")
    j.goto(f"/kpi/stages/?period={PERIOD}")
    _advance(j, "analysis")
    _advance(j, "feedback")
    j.check("stages-feedback")

    # 4. The line manager records the review conversation.
    _sign_in(j, frozen_clock, "manager")
    j.goto(f"/kpi/appraisal/team/?period={PERIOD}")
    row = page.get_by_test_id("kpi-appraisal-team").locator("tr").filter(has_text=me.employee_no)
    expect(row).to_have_count(1)
    j.check("appraisal-team")
    _no_english(j, "team appraisals")
    row.get_by_role("link", name=j.t("记录绩效面谈", "Record the review")).click()
    page.wait_for_url(re.compile(rf"/kpi/appraisal/team/{me.pk}/"))
    expect(page.locator("main")).to_contain_text(quantitative)
    summary = j.t("新签合同额接近目标，回款需加快。", "New contracts near target; collect faster.")
    page.fill("#id_summary", summary)
    page.fill("#id_coaching", j.t("每两周检查回款计划。", "Check the collection plan fortnightly."))
    page.fill(
        "#id_goals", j.t("参加“客户信用与回款管理”课程。", "Take the credit management course.")
    )
    j.check("review-form")
    _no_english(j, "review form")
    page.get_by_role("button", name=j.t("记录绩效面谈", "Record the review")).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(summary)

    # 5. The employee answers the review; HR closes the cycle.
    _sign_in(j, frozen_clock, "staff")
    j.goto(f"/kpi/appraisal/?period={PERIOD}")
    review = page.get_by_test_id("kpi-review")
    expect(review).to_contain_text(summary)
    if lang == "zh-hans":
        comment = "回款数据包含了系统故障期间的延迟，请核实。"
        page.fill("#id_comment", comment)
        page.locator("button[name=action][value=disagree]").click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("kpi-response")).to_contain_text("有异议")
        expect(page.get_by_test_id("kpi-response")).to_contain_text(comment)
    else:
        page.locator("button[name=action][value=agree]").click()
        page.wait_for_load_state()
        expect(page.get_by_test_id("kpi-response")).to_contain_text("acknowledged")
    j.check("appraisal-answered")
    _no_english(j, "my appraisal answered")
    _sign_in(j, frozen_clock, "hr")
    j.goto(f"/kpi/stages/?period={PERIOD}")
    _advance(j, "closed")
    answered = (
        page.get_by_test_id("kpi-appraisal-counts")
        .locator("tr")
        .filter(
            has_text=j.t("有异议", "Disagreed")
            if lang == "zh-hans"
            else "Acknowledged by the employee"
        )
    )
    expect(answered.locator("td")).to_have_text("1")  # the one answer of the period
    j.check("stages-closed")

    # 6. HR sets the pay of 2025 and computes it; the leadership approves.
    j.goto(f"/pay/policies/?year={PAY_YEAR}")
    policy = page.locator("[data-testid=pay-policies] form").filter(
        has=page.locator(f"input[name=level][value='{me.level_id}']")
    )
    policy.locator("input[name=monthly_base]").fill(MONTHLY_BASE)
    policy.locator("input[name=performance_base]").fill(PERFORMANCE_BASE)
    policy.get_by_role("button").click()
    page.wait_for_load_state()
    coefficients = page.get_by_test_id("coefficients")
    for grade, value in COEFFICIENTS.items():
        coefficients.locator(f"input[name=grade_{grade}]").fill(value)
    coefficients.get_by_role("button").click()
    page.wait_for_load_state()
    deferral = page.get_by_test_id("deferral")
    deferral.locator("#id_share").fill(SHARE_PCT)
    deferral.locator("#id_years").fill(YEARS)
    deferral.get_by_role("button").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("deferral").locator("#id_share")).to_have_value(
        re.compile(r"^35(\.0+)?$")
    )
    j.check("pay-policies")
    _no_english(j, "pay policies")
    j.goto("/pay/")
    page.get_by_test_id("pay-run-form").locator("#id_year").fill(str(PAY_YEAR))
    page.get_by_test_id("pay-run-form").get_by_role("button").click()
    page.wait_for_url(re.compile(r"/pay/runs/\d+/$"))
    run_path = re.sub(r"^https?://[^/]+", "", page.url)
    page.get_by_test_id("compute").click()
    page.wait_for_load_state()
    line = page.get_by_test_id("pay-lines").locator("tr").filter(has_text=me.employee_no)
    expect(line).to_contain_text("¥96,000.00")
    expect(line).to_contain_text("¥15,000.05")
    j.check("pay-run-computed")
    _no_english(j, "pay run")
    _sign_in(j, frozen_clock, "leader")
    j.goto(run_path)
    page.get_by_test_id("approve").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("approve")).to_have_count(0)
    j.check("pay-run-approved")

    # 7. The employee reads their pay line, each figure as computed by hand in docs/pay.md.
    _sign_in(j, frozen_clock, "staff")
    j.goto("/pay/mine/")
    card = page.get_by_test_id(f"my-pay-{PAY_YEAR}")
    expect(card).to_contain_text(j.t("等级 A", "Grade A"))
    rows = card.locator("tbody tr")
    expect(rows).to_have_count(len(PAY_LINE))
    for index, (formula, amount) in enumerate(PAY_LINE):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(1)).to_have_text(amount)
        if formula:
            expect(cells.nth(0)).to_contain_text(formula)
    expect(rows.last.locator("th")).to_have_text(j.t("本年实发", "Paid for the year"))
    j.check("my-pay")
    _no_english(j, "my pay")
