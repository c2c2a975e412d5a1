"""The to-do inbox itself (``core.inbox``): ordering and kinds, the inbox page, the top of the
home page, the navigation entry, the API and its schema, and the office's KPI and letter
items. The items of each app are tested in that app's ``test_inbox.py``."""

import datetime as dt

import pytest
from django.utils import translation

from core import inbox
from core.inbox import InboxItem
from core.roles import Role
from jobs.models import Job
from kpi import services as kpi_services
from letters.services import JOB_KIND
from tests.clock import LAST_YEAR, THIS_YEAR, days
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.home import home_page
from tests.kpi.factories import make_period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """The items are read in English here (the default language is Chinese)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def _item(kind="test.thing", due=None, priority=50, title="Do it"):
    return InboxItem(kind=kind, title=title, why="because", due=due, url="/", priority=priority)


@pytest.fixture
def fake_provider():
    """A provider that returns whatever the test puts in ``fake_provider.items``."""

    def provider(user, today):
        return list(provider.items)

    provider.items = []
    inbox.register(provider, kinds={"test.thing": "Test things"})
    yield provider
    inbox.PROVIDERS.remove(provider)
    del inbox.KINDS["test.thing"]


def test_items_come_earliest_due_first_then_by_priority_undated_last(fake_provider, hr_user):
    late, soon = _item(due=days(9), title="late"), _item(due=days(1), title="soon")
    undated, urgent = _item(title="undated"), _item(due=days(1), priority=1, title="urgent")
    fake_provider.items = [late, undated, soon, urgent]
    titles = [i.title for i in inbox.items_for(hr_user) if i.kind == "test.thing"]
    assert titles == ["urgent", "soon", "late", "undated"]


def test_a_kind_without_a_heading_fails_loudly(fake_provider, hr_user):
    fake_provider.items = [_item(kind="test.unknown")]
    with pytest.raises(ValueError, match=r"test\.unknown"):
        inbox.items_for(hr_user)


def test_the_inbox_page_groups_items_and_the_home_page_shows_the_first_five(fake_provider, client):
    user = UserFactory(username="someone", roles=[Role.STAFF])
    client.force_login(user)
    empty = client.get("/inbox/").content.decode()
    assert 'data-testid="inbox-empty"' in empty
    assert 'data-testid="card-inbox"' not in home_page(client)

    fake_provider.items = [_item(title=f"Task {i}", due=days(i)) for i in range(7)]
    page = client.get("/inbox/").content.decode()
    assert page.count('data-testid="inbox-item"') == 7
    assert page.count('data-testid="inbox-group"') == 1 and "Test things" in page
    assert f'<time datetime="{days(0).isoformat()}">' in page
    home = home_page(client)
    assert home.count('data-testid="inbox-item"') == 5
    assert "Task 4" in home and "Task 5" not in home
    assert "See all 7 items" in home
    assert 'href="/inbox/" data-testid="inbox-see-all"' in home
    # the navigation entry, its count read by static/js/inbox-count.js (no inline script)
    assert 'data-inbox-count="/api/v1/inbox/"' in home
    assert "js/inbox-count.js" in home and "<script>" not in home


def test_the_page_renders_in_chinese_too(fake_provider, client):
    # the Chinese wording comes with the merged catalogues (tests/test_i18n.py checks them)
    user = UserFactory(username="zh-user", roles=[Role.STAFF])
    client.force_login(user)
    fake_provider.items = [_item()]
    with translation.override("zh-hans"):
        client.cookies["django_language"] = "zh-hans"
        page = client.get("/inbox/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<html lang="zh-CN">' in page and 'data-testid="inbox-item"' in page


def test_the_api_answers_the_callers_items_only(fake_provider, api):
    assert api.get("/api/v1/inbox/").status_code in (401, 403)
    fake_provider.items = [_item(due=dt.date(2026, 12, 24))]
    user = UserFactory(username="reader", roles=[Role.STAFF])
    assert client_for(user).get("/api/v1/inbox/").json() == [
        {
            "kind": "test.thing",
            "title": "Do it",
            "why": "because",
            "due": "2026-12-24",
            "url": "/",
            "count": 1,
        }
    ]


def test_the_schema_describes_the_inbox():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    answer = schema["paths"]["/api/v1/inbox/"]["get"]["responses"]["200"]
    ref = answer["content"]["application/json"]["schema"]["items"]["$ref"]
    fields = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(fields) == {"kind", "title", "why", "due", "url", "count"}


def _kinds(user, prefix):
    return [i for i in client_for(user).get("/api/v1/inbox/").json() if i["kind"] == prefix]


def test_office_locks_last_years_periods_and_the_item_goes(hr_user):
    old = [make_period(f"{LAST_YEAR}-{m:02d}") for m in (11, 12)]
    make_period(f"{THIS_YEAR}-11")  # this year's: not yet
    [item] = _kinds(hr_user, "kpi.lock")
    assert (item["count"], item["title"]) == (2, "Lock 2 KPI periods of past years")
    assert item["url"] == "/admin/kpi/period/?status__exact=open"
    assert _kinds(UserFactory(username="nobody", roles=[Role.STAFF]), "kpi.lock") == []
    for period in old:
        kpi_services.period_lock(actor=hr_user, period=period)
    assert _kinds(hr_user, "kpi.lock") == []


def test_office_sees_failed_letter_batches_until_resumed(hr_user):
    job = Job.objects.create(kind=JOB_KIND, status=Job.Status.FAILED, total=5, done=3, failed=2)
    Job.objects.create(kind=JOB_KIND, status=Job.Status.DONE, total=5, done=5)
    [item] = _kinds(hr_user, "letters.failed")
    assert (item["count"], item["url"]) == (2, f"/jobs/{job.pk}/")
    assert item["why"] == "2 letters of the batch failed to render."
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED)  # what a resume does
    assert _kinds(hr_user, "letters.failed") == []
