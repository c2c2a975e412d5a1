"""Journey (issue 18): a demoted person appeals and the office resolves the appeal.

On the demo, a re-certification case whose demotion the leadership group approved is still in
its appeal window. Its staff member signs in → the home page tells them the proposed outcome
and the appeal deadline → on the case page they appeal with a reason and a PDF (the page asks
for a confirmation first) → the office signs in, opens the case, sees the open appeal and
dismisses it with a reason (confirmed) → the staff member sees the resolution. Every page is
checked (screenshots, axe, no sideways scroll) and held to the journey's query cap.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ranking.models import RecertificationAppeal, RecertificationCase
from tests.files import PDF_BYTES

from .journey import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

PDF = PDF_BYTES  # a real one-page PDF: uploads are checked by parsing


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_demoted_person_appeals_and_the_office_resolves_it(
    full_demo, journey, lang, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    case = (
        RecertificationCase.objects.filter(status="approved", appeals__isnull=True)
        .select_related("staff__user")
        .first()
    )
    assert case is not None, "the demo has an approved demotion in its appeal window"
    person = case.staff.user
    person.set_password(PASSWORD)
    person.save(update_fields=["password"])
    case_url = f"/ranking/recertifications/{case.pk}/"

    j = journey(lang, "recertification")
    page = j.page

    j.sign_in(person.username)
    j.goto("/")
    card = page.get_by_test_id("card-my-recertification")
    expect(card).to_be_visible()
    expect(card).to_contain_text(case.appeal_until.strftime("%Y-%m-%d"))
    j.check("home-notified")

    card.get_by_role("link").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("case-appeal-until")).to_be_visible()
    form = page.get_by_test_id("appeal-form")
    expect(form).to_be_visible()
    j.check("case-before-appeal")
    pdf = tmp_path / "evidence.pdf"
    pdf.write_bytes(PDF)
    form.locator("textarea[name=reason]").fill("客户案例未计入业绩评分")
    form.locator("input[type=file]").set_input_files(str(pdf))
    form.locator("button").click()
    page.wait_for_load_state()
    appeal = RecertificationAppeal.objects.get(case=case)
    expect(page.get_by_test_id(f"appeal-{appeal.pk}")).to_contain_text("evidence.pdf")
    j.check("case-appealed")

    j.sign_in("hr")
    j.goto(case_url)
    resolve = page.get_by_test_id("resolve-appeal-form")
    expect(resolve).to_be_visible()
    j.check("office-case-with-appeal")
    resolve.locator("select[name=decision]").select_option("dismissed")
    resolve.locator("input[name=reason]").fill("案例已计入业绩分，维持原结果")
    resolve.locator("button").click()
    page.wait_for_load_state()
    expect(page.get_by_test_id("resolve-appeal-form")).to_have_count(0)
    appeal.refresh_from_db()
    assert appeal.status == "dismissed" and appeal.resolved_by.username == "hr"
    j.check("office-appeal-resolved")

    j.sign_in(person.username)
    j.goto(case_url)
    expect(page.get_by_test_id(f"appeal-{appeal.pk}")).to_contain_text("案例已计入业绩分")
    j.check("person-sees-resolution")
