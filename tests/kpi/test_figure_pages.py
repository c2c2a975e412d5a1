"""Issue #21: the appraisal pages show each target's weight as the percentage it is."""

from django.conf import settings
from django.test import Client

from .factories import make_period

API = "/api/v1/kpi"


def _page(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_weights_read_as_percentages_on_the_appraisal_and_review_pages(
    world, hr_api, django_assert_max_num_queries
):
    period = make_period("2026-11")
    assert hr_api.post(f"{API}/periods/{period.pk}/publish-targets/").status_code == 200
    alice = _page(world.alice_user)
    with django_assert_max_num_queries(15):
        mine = alice.get("/kpi/appraisal/?period=2026-11").content.decode()
    # REV weighs 40 (stored 40.00): "40%", never "40.00".
    assert '<td>REV</td><td class="text-end">40%</td>' in mine
    assert '<td class="text-end">10%</td>' in mine and "40.00" not in mine
    review = (
        _page(world.manager_user)
        .get(f"/kpi/appraisal/team/{world.alice.pk}/?period=2026-11")
        .content.decode()
    )
    assert "<li>REV · 40% · " in review and "<li>RAT · 10%</li>" in review
