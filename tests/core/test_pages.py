"""The web shell: sign in and out, the home dashboard and navigation per role, the language
switch, and the number of queries of the home page, which must not grow with the company."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import dashboard, inbox
from tests.factories import StaffFactory
from tests.home import FRAGMENT, home_page

pytestmark = pytest.mark.django_db

CARDS = {"card-me", "card-team", "card-company", "card-committee", "card-audit"}

EXPECTED_CARDS = {
    "staff_user": {"card-me"},
    "manager_user": {"card-me", "card-team"},
    "committee_user": {"card-me", "card-committee"},
    "hr": {"card-company", "card-audit"},
    "admin": {"card-company", "card-audit"},
    "leader": {"card-company"},
}


def cards(html: str) -> set[str]:
    return set(re.findall(r'data-testid="(card-[a-z]+)"', html)) & CARDS


def card_context(client, template: str) -> dict:
    """The context of one of the organisation's cards, from its home-page fragment."""
    response = client.get(reverse("home-cards", args=["org"]), headers={"X-Fragment": "1"})
    (card,) = [c for c in response.context["app_cards"] if c["template"] == template]
    return card["context"]


def nav_urls(response) -> set[str]:
    return {item["url"] for item in response.context["nav_items"]}


# --- sign in / out -----------------------------------------------------------------------


def test_sign_in_with_the_right_password_lands_on_home(company, client):
    response = client.post(reverse("login"), {"username": "peer", "password": "pw"})
    assert response.status_code == 302
    assert response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_wrong_password_shows_an_error_and_stays_signed_out(company, client):
    response = client.post(reverse("login"), {"username": "peer", "password": "wrong"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="alert alert-danger"' in html
    assert client.get(reverse("home")).status_code == 302


def test_sign_in_follows_next(company, client):
    url = reverse("org:ladder")
    response = client.post(
        f"{reverse('login')}?next={url}", {"username": "peer", "password": "pw", "next": url}
    )
    assert response.url == url


def test_sign_out_ends_the_session(company, client):
    client.force_login(company.staff_user)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response.url == reverse("login")
    assert client.get(reverse("home")).url.startswith(reverse("login"))


def test_login_page_renders_for_anonymous_users(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert 'name="username"' in response.content.decode()


# --- dashboard and navigation ------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), list(EXPECTED_CARDS.items()))
def test_home_shows_the_cards_of_the_role(company, client, who, expected):
    client.force_login(getattr(company, who))
    assert cards(home_page(client)) == expected


def test_manager_team_card_counts_the_subtree_and_reports(company, client):
    client.force_login(company.manager_user)
    team = card_context(client, "org/cards/team.html")["team"]
    # peer and deep (unit subtree) + remote (direct report in another branch)
    assert team == {"total": 3, "active": 3, "direct": 2}


def test_company_card_counts_everyone(company, client):
    client.force_login(company.hr)
    context = card_context(client, "org/cards/company.html")
    assert context["company"] == {"total": 7, "active": 7, "units": 7}
    assert [(level.code, n) for level, n in context["levels"]] == [
        ("L1", 1),
        ("L2", 2),
        ("L3", 2),
        ("L4", 1),
        ("L5", 1),
    ]


def test_account_without_staff_record_or_role_is_told_to_ask_the_office(company, client):
    client.force_login(company.no_role)
    html = home_page(client)
    assert cards(html) == set()
    assert 'class="alert alert-info"' in html


def test_the_notice_to_ask_the_office_is_only_for_the_unlinked(company, client):
    for who in ("staff_user", "committee_user", "leader", "hr"):
        client.force_login(getattr(company, who))
        assert 'class="alert alert-info"' not in client.get(reverse("home")).content.decode()


def test_each_slot_of_the_home_page_loads_its_fragment(company, client):
    client.force_login(company.manager_user)
    page = client.get(reverse("home")).content.decode()
    keys = [dashboard.fragment_key(group) for group in dashboard.groups()]
    assert FRAGMENT.findall(page) == [
        reverse("home-todo"),
        *(reverse("home-cards", args=[key]) for key in keys),
    ]
    assert keys[0].startswith("org+committee+")  # my position first
    assert 'data-testid="card-me"' not in page  # in its fragment
    fragment = client.get(reverse("home-cards", args=["org"]), headers={"X-Fragment": "1"})
    html = fragment.content.decode()
    assert "<html" not in html and html.index('"card-me"') < html.index('"card-team"')
    # a link followed without the script: the same cards in the site's layout
    page = client.get(reverse("home-cards", args=["org"])).content.decode()
    assert "<html" in page and 'data-testid="card-team"' in page
    assert client.get(reverse("home-cards", args=["nothing"])).status_code == 404
    assert client.get(reverse("home-cards", args=["org+nothing"])).status_code == 404
    assert client.get(reverse("home-cards", args=["org+org"])).status_code == 404
    assert client.post(reverse("home-todo")).status_code == 405


def test_the_fragments_ask_for_a_sign_in(client):
    response = client.get(reverse("home-cards", args=["org"]), headers={"X-Fragment": "1"})
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


ME = "/org/staff/me/"
STAFF = "/org/staff/"
LADDER = "/org/ladder/"
AUDIT = "/admin/core/auditevent/"
ADMIN = "/admin/"
API_DOCS = "/api/v1/docs/"


@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("staff_user", {"/", ME, LADDER}, {STAFF, AUDIT, ADMIN, API_DOCS}),
        ("committee_user", {"/", ME, LADDER}, {STAFF, AUDIT, ADMIN, API_DOCS}),
        ("manager_user", {"/", ME, STAFF, LADDER}, {AUDIT, ADMIN, API_DOCS}),
        ("leader", {"/", STAFF, LADDER}, {ME, AUDIT, ADMIN, API_DOCS}),
        ("hr", {"/", STAFF, LADDER, AUDIT, ADMIN, API_DOCS}, {ME}),
        ("admin", {"/", STAFF, LADDER, AUDIT, ADMIN, API_DOCS}, {ME}),
    ],
)
def test_navigation_is_role_aware(company, client, who, shown, hidden):
    client.force_login(getattr(company, who))
    response = client.get(reverse("home"))
    urls = nav_urls(response)
    assert shown <= urls
    assert not (hidden & urls)
    html = response.content.decode()
    for url in hidden - {"/"}:
        assert f'class="nav-link" href="{url}"' not in html


def test_every_navigation_entry_opens_for_its_role(company, client):
    for who in ("staff_user", "manager_user", "hr", "leader"):
        client.force_login(getattr(company, who))
        for url in nav_urls(client.get(reverse("home"))):
            response = client.get(url, follow=True)
            assert response.status_code == 200, (who, url)


# --- language ----------------------------------------------------------------------------


def test_chinese_is_the_default_language(company, client):
    client.force_login(company.staff_user)
    html = home_page(client)
    assert '<html lang="zh-CN">' in html
    assert "我的岗位" in html
    assert "My position" not in html


def test_language_switch_to_english_and_back(company, client):
    client.force_login(company.staff_user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = home_page(client)
    assert '<html lang="en">' in html
    assert "My position" in html
    assert "Log out" in html
    assert "我的岗位" not in html

    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    html = home_page(client)
    assert "我的岗位" in html
    assert "退出" in html


def test_english_shows_english_names_of_reference_data(company, client):
    level = company.levels[1]
    level.name_en = "Account Manager"
    level.save()
    client.force_login(company.staff_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Account Manager" in home_page(client)


# --- queries -----------------------------------------------------------------------------


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers).status_code == 200
    return len(ctx.captured_queries)


def home_queries(client) -> dict[str, int]:
    """The queries of the home page and of each fragment it loads."""
    page = client.get(reverse("home")).content.decode()
    counts = {"/": count_queries(client, reverse("home"))}
    for url in FRAGMENT.findall(page):
        counts[url] = count_queries(client, url, **{"X-Fragment": "1"})
    return counts


# The page itself, and the platform's and the organisation's cards; other apps' cards are
# measured by the "does not grow" half of the test and by tests/test_query_budgets.py.
HOME_MAX_QUERIES = 10


@pytest.mark.parametrize("who", list(EXPECTED_CARDS))
def test_home_page_queries_do_not_grow_with_the_company(
    company, client, django_assert_max_num_queries, monkeypatch, who
):
    user = getattr(company, who)
    client.force_login(user)
    home_queries(client)  # the content types, cached once per process
    small = home_queries(client)
    for i in range(60):
        StaffFactory(
            employee_no=f"C{i:03d}",
            unit=company.units.a1,
            manager=company.manager,
            level=company.levels[i % 5],
        )
    client.force_login(user)
    assert home_queries(client) == small

    providers = {key: dashboard.PROVIDERS[key] for key in ("org", "committee")}
    monkeypatch.setattr(dashboard, "PROVIDERS", providers)
    monkeypatch.setattr(inbox, "PROVIDERS", [])  # the inbox's budget: tests/*/test_inbox.py
    with django_assert_max_num_queries(HOME_MAX_QUERIES):
        client.get(reverse("home"))
    for key in providers:
        with django_assert_max_num_queries(HOME_MAX_QUERIES):
            client.get(reverse("home-cards", args=[key]), headers={"X-Fragment": "1"})
    assert cards(home_page(client)) == EXPECTED_CARDS[who]
