"""The defence calendar in a browser: the office's page of the demo cycle in review (slots,
unscheduled candidates, a refusal shown on the form), the candidate's defence on their
application page and the member's on their queue — at 1366 and 390 px, with axe-core."""

import pytest

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_the_defence_calendar_and_the_attendees_pages(full_demo, journey, lang):
    from certification.models import Application, Cycle, Defence

    cycle = Cycle.objects.get(status="review", name__endswith="年度大客户经理岗位晋升认证")
    j = journey(lang, "defences")
    j.sign_in("hr")
    j.goto(f"/certification/cycles/{cycle.pk}/")
    j.page.click("[data-testid=defences-link]")
    j.page.wait_for_url(f"**/certification/cycles/{cycle.pk}/defences/")
    assert (
        j.page.locator("[data-testid=slot]").count()
        == Defence.objects.filter(application__cycle=cycle, cancelled_at__isnull=True).count()
    )
    j.check("defence-calendar")
    # an unscheduled candidate (a panel member recused for the same unit): the refusal shows
    # on that candidate's form
    row = j.page.locator("[data-testid=unscheduled] .list-group-item[data-application]").first
    if row.count():
        form = row.locator("form")
        form.locator("input[name$=place]").fill("A101")
        form.locator("button[type=submit]").click()
        j.page.wait_for_load_state()
        assert j.page.locator("[data-testid=defence-error]").count() == 1
        j.check("defence-calendar-refused")
    booked = Defence.objects.filter(application__cycle=cycle, cancelled_at__isnull=True)
    staff_app = Application.objects.filter(cycle=cycle, staff__user__username="staff").first()
    if staff_app is not None and booked.filter(application=staff_app).exists():
        j.sign_in("staff")
        j.goto(f"/certification/applications/{staff_app.pk}/")
        assert j.page.locator("[data-testid=my-defence]").is_visible()
        j.check("my-defence")
    j.sign_in("committee")
    j.goto("/certification/committee/")
    card = j.page.locator("[data-testid=panel-defences]")
    assert card.is_visible()
    # the card itself (the whole page's header is checked by test_every_page)
    for width, height in ((1366, 900), (390, 844)):
        j.page.set_viewport_size({"width": width, "height": height})
        j.page.wait_for_timeout(50)
        box = card.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width, (width, box)
