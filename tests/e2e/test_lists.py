"""The big lists in a real browser at 1366 px: the Team KPI toolbar on one line with buttons of
a normal height (no label wrapping a character per line, no 90 px search box), sorting and the
unit tree filter kept in the URL, names leading to the employee file."""

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_team_kpi_toolbar_sorting_and_tree_filter(demo_company, journey, lang):
    j = journey(lang, "lists-team-kpi")
    j.sign_in("manager")
    j.goto("/kpi/team/")
    page = j.page
    toolbar = page.get_by_test_id("kpi-team-toolbar")
    controls = toolbar.locator("input[type=search], select, button").all()
    controls += page.get_by_test_id("kpi-team-actions").locator(".btn").all()
    assert len(controls) >= 6
    for control in controls:
        box = control.bounding_box()
        assert box is not None
        label = control.evaluate("e => e.name || e.textContent.trim()")
        # one line of text: a form control or button is about 38 px high at 1366 px
        assert box["height"] <= 44, (label, box)
        assert box["width"] >= 2 * box["height"] or control.evaluate(
            "e => e.tagName === 'BUTTON'"
        ), (label, box)
        overflow = control.evaluate("e => e.scrollWidth - e.clientWidth")
        assert overflow <= 1, (label, overflow)
    # the search box, the tree, the period and grade selects and "Show" share one row
    tops = {
        round(c.bounding_box()["y"])
        for c in toolbar.locator("input:not([type=hidden]), select, button").all()
    }
    assert len(tops) == 1, tops

    # sorting is a link that keeps the filters; the direction is announced
    page.locator("[data-testid=kpi-team] thead a[data-sort-link]").nth(1).click()
    expect(page).to_have_url(re.compile(r"sort=name"))
    expect(page.locator("th[aria-sort=ascending]")).to_have_count(1)
    # the tree filter: choose the manager's own unit, the sort stays
    tree = page.get_by_test_id("unit-tree")
    options = tree.locator("option").all()
    assert len(options) >= 2  # "all units" and at least the manager's unit
    tree.select_option(index=1)
    toolbar.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"unit=\d+"))
    expect(page).to_have_url(re.compile(r"sort=name"))
    first = page.locator("[data-testid=kpi-team] tbody a[data-staff-link]").first
    expect(first).to_have_attribute("href", re.compile(r"^/org/staff/\d+/#file-kpi$"))
    j.check("team-kpi")
    first.click()
    expect(page).to_have_url(re.compile(r"/org/staff/\d+/"))
