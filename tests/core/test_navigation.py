"""The navigation bar's menus: entries grouped per GROUPS, a group of one shown as a link, the
current page and its menu marked, and no entry lost on the way from the registry to the bar."""

import re

import pytest
from django.urls import reverse

from core.navigation import GROUPS, NavItem, items_for, menu_for


def _entries(menu):
    for entry in menu:
        yield from entry.get("children", [entry])


@pytest.mark.parametrize("who", ["staff_user", "manager_user", "hr", "leader", "committee_user"])
def test_the_bar_holds_every_entry_the_role_may_see_exactly_once(company, client, who):
    user = getattr(company, who)
    client.force_login(user)
    response = client.get(reverse("home"))
    items = response.context["nav_items"]
    menu = response.context["nav_menu"]
    assert sorted(e["url"] for e in _entries(menu)) == sorted(i["url"] for i in items)
    html = response.content.decode()
    for item in items:
        assert html.count(f'href="{item["url"]}"') >= 1


def test_office_entries_sit_in_menus_and_a_menu_of_one_is_a_plain_link(company, client):
    client.force_login(company.hr)
    response = client.get(reverse("home"))
    menu = response.context["nav_menu"]
    assert menu[0]["url"] == "/" and "children" not in menu[0]  # Home stays a link
    groups = [e["group"] for e in menu if "children" in e]
    assert groups == [g for g in GROUPS if g in groups]  # in GROUPS order
    office = next(e for e in menu if e.get("group") == "office")
    urls = [c["url"] for c in office["children"]]
    assert reverse("admin:index") in urls and reverse("api-docs") in urls
    # HR has no staff record: no "Me" menu at all
    assert "me" not in groups
    html = response.content.decode()
    assert len(re.findall(r'class="nav-link dropdown-toggle', html)) == len(groups)

    # the staff member of the small company sees one "People" entry (the ladder): a link
    client.force_login(company.staff_user)
    menu = client.get(reverse("home")).context["nav_menu"]
    ladder = [e for e in menu if e.get("url") == reverse("org:ladder")]
    assert ladder and "children" not in ladder[0]


def test_the_current_page_and_its_menu_are_marked_active(company, client):
    client.force_login(company.hr)
    html = client.get(reverse("org:staff-list")).content.decode()
    assert f'class="dropdown-item active" href="{reverse("org:staff-list")}"' in html
    assert 'aria-current="page"' in html
    menu = menu_for(items_for(company.hr, has_staff=False), reverse("org:staff-list"))
    people = next(e for e in menu if e.get("group") == "people")
    assert people["active"] is True
    assert all(not e["active"] for e in menu if e is not people)


def test_an_unknown_group_is_refused_when_an_app_registers_it():
    with pytest.raises(ValueError, match="group"):
        NavItem("x", "home", group="nope")
