"""Signing in as each demo role in a real browser (issue 2, "Checked by"): the role's
dashboard cards and navigation, a wrong password, the language switch, a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.journey import wait_for_home

PASSWORD = "Demo@2026"
CARDS = ["card-me", "card-team", "card-company", "card-committee", "card-audit"]

# username: (cards shown, navigation paths shown, navigation paths hidden)
ROLES = {
    "staff": (
        {"card-me"},
        ["/", "/org/staff/me/", "/org/ladder/"],
        ["/org/staff/", "/admin/", "/admin/core/auditevent/", "/api/v1/docs/"],
    ),
    "manager": (
        {"card-me", "card-team"},
        ["/", "/org/staff/me/", "/org/staff/", "/org/ladder/"],
        ["/admin/", "/admin/core/auditevent/", "/api/v1/docs/"],
    ),
    "hr": (
        {"card-company", "card-audit"},
        ["/", "/org/staff/", "/org/ladder/", "/admin/core/auditevent/", "/admin/", "/api/v1/docs/"],
        ["/org/staff/me/"],
    ),
    "committee": (
        {"card-me", "card-committee"},
        ["/", "/org/staff/me/", "/org/ladder/"],
        ["/org/staff/", "/admin/", "/admin/core/auditevent/"],
    ),
    "leader": (
        {"card-company"},
        ["/", "/org/staff/", "/org/ladder/"],
        ["/org/staff/me/", "/admin/", "/admin/core/auditevent/"],
    ),
    "admin": (
        {"card-company", "card-audit"},
        ["/", "/org/staff/", "/org/ladder/", "/admin/core/auditevent/", "/admin/", "/api/v1/docs/"],
        ["/org/staff/me/"],
    ),
}


def sign_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit]:not([name=language])")


def nav_paths(page) -> list[str]:
    """Every entry of the bar: top-level links and the links inside its menus."""
    return page.eval_on_selector_all(
        "#mainnav .navbar-nav a.nav-link, #mainnav .navbar-nav a.dropdown-item",
        "els => els.map(e => e.getAttribute('href'))",
    )


@pytest.mark.parametrize("username", list(ROLES))
def test_each_demo_role_signs_in_and_sees_its_dashboard_and_navigation(
    demo_company, live_server, page, shots, username
):
    cards, shown, hidden = ROLES[username]
    sign_in(page, live_server.url, username)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.locator("h1")).to_have_text("首页")
    wait_for_home(page)  # every slot filled (or gone)
    expect(page.locator("[data-home-fragment]")).to_have_count(0)
    expect(page.get_by_test_id("home-fragment-failed")).to_have_count(0)

    for card in CARDS:
        expect(page.get_by_test_id(card)).to_have_count(1 if card in cards else 0)
    paths = nav_paths(page)
    for path in shown:
        assert path in paths, (username, path, paths)
    for path in hidden:
        assert path not in paths, (username, path, paths)
    expect(page.get_by_test_id("whoami")).to_be_visible()
    # grouped into menus, the bar stays one row high at 1280 px for every role
    bar_height = page.locator("nav.navbar").evaluate("e => e.offsetHeight")
    assert bar_height < 70, (username, bar_height)

    page.screenshot(path=str(shots / f"home-{username}.png"), full_page=True)

    # every navigation entry opens (no error page) for this role
    for path in paths:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.ok, (username, path, response and response.status)

    # sign out through the navigation bar's button
    page.goto(f"{live_server.url}/")
    page.locator("#mainnav form[action='/accounts/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))


def test_wrong_password_shows_the_error_and_stays_on_the_login_page(
    demo_company, live_server, page
):
    sign_in(page, live_server.url, "staff", "not-the-password")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    alert = page.locator(".alert-danger")
    expect(alert).to_be_visible()
    expect(alert).to_contain_text("用户名")  # Django's "enter a correct username and password"
    expect(page.locator("#id_username")).to_have_value("staff")


def test_language_switch_to_english_and_back(demo_company, live_server, page):
    sign_in(page, live_server.url, "manager")
    expect(page.locator("h1")).to_have_text("首页")
    expect(page.get_by_test_id("card-team")).to_contain_text("我的团队")

    page.locator("[data-testid=language-switch] button[value=en]").first.click()
    expect(page.locator("h1")).to_have_text("Home")
    expect(page.get_by_test_id("card-team")).to_contain_text("My team")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # the choice sticks on the next page
    page.goto(f"{live_server.url}/org/staff/")
    expect(page.locator("h1")).to_contain_text("Staff")

    page.locator("[data-testid=language-switch] button[value=zh-hans]").first.click()
    expect(page.locator("h1")).to_contain_text("员工")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")


def test_login_page_offers_the_language_switch_before_signing_in(live_server, page, db):
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("h1")).to_have_text("登录")
    page.locator("[data-testid=language-switch] button[value=en]").click()
    expect(page.locator("h1")).to_have_text("Sign in")


def test_phone_width_collapses_the_navigation_and_keeps_the_staff_table_usable(
    demo_company, live_server, browser, shots
):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, live_server.url, "hr")
        expect(page).to_have_url(f"{live_server.url}/")
        toggler = page.locator(".navbar-toggler")
        expect(toggler).to_be_visible()
        expect(page.locator("#mainnav")).to_be_hidden()
        wait_for_home(page)
        page.screenshot(path=str(shots / "phone-home-hr.png"), full_page=True)

        toggler.click()
        expect(page.locator("#mainnav")).to_be_visible()
        staff_link = page.locator("#mainnav a.dropdown-item[href='/org/staff/']")
        expect(staff_link).to_be_hidden()  # inside the closed "People" menu
        page.locator("#mainnav [data-group=people] .dropdown-toggle").click()
        expect(staff_link).to_be_visible()
        page.screenshot(path=str(shots / "phone-nav-open-hr.png"))
        staff_link.click()

        table = page.get_by_test_id("staff-table")
        expect(table).to_be_visible()
        expect(table.locator("tbody tr")).to_have_count(36)
        # layout is measured once the stylesheets are in: the click waits only for the new
        # document, and a browser computes styles without a sheet still on its way
        page.wait_for_load_state("load")
        # the page itself does not scroll sideways: the table scrolls inside its wrapper
        wrapper = page.locator(".table-responsive").first
        expect(wrapper).to_have_css("overflow-x", "auto")
        page_width = page.evaluate("document.documentElement.scrollWidth")
        assert page_width <= 390, page_width
        # rows stay one line high (cells do not break a name into a column of characters)
        row_height = table.locator("tbody tr").first.evaluate("e => e.offsetHeight")
        assert row_height < 60, row_height
        # a staff member's record opens from the table
        table.locator("tbody tr a").first.click()
        expect(page).to_have_url(re.compile(r"/org/staff/\d+/$"))
        page.screenshot(path=str(shots / "phone-staff-detail-hr.png"), full_page=True)
        page.go_back()
        page.screenshot(path=str(shots / "phone-staff-list-hr.png"), full_page=True)
    finally:
        context.close()
