"""The staff list on the shared list mechanism (core.listing): sort, unit tree filter and pages
in the URL, the XLSX export of what is filtered, the tree scoped to the reader, names linked to
the employee file only where the reader may open it — in constant queries."""

import io

import pytest
from django.conf import settings
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook

from core.listing import Listing, order_expressions, parse_sort
from org.models import Staff
from org.scope import staff_visibility
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def listed(response):
    assert response.status_code == 200
    return [s.employee_no for s in response.context["page"]]


def _login(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_parse_sort_takes_only_whitelisted_keys():
    sorts = {"name": ("name",), "no": ("employee_no",)}
    choice = parse_sort("-name", allowed=sorts, default="no")
    assert (choice.key, choice.descending) == ("name", True)
    fallback = parse_sort("user__password", allowed=sorts, default="-no")
    assert (fallback.key, fallback.descending) == ("no", True)
    with pytest.raises(ValueError):
        parse_sort("", allowed=sorts, default="nothing")


def test_descending_reverses_only_the_sorted_column():
    exprs = order_expressions(("level__order", "-level_since", "employee_no"), descending=True)
    shown = [(e.expression.name, e.descending, e.nulls_last) for e in exprs]
    assert shown == [
        ("level__order", True, True),
        ("level_since", True, True),
        ("employee_no", False, True),
        ("pk", False, True),
    ]


def test_listing_urls_keep_filters_and_reset_the_page(company):
    request = RequestFactory().get("/org/staff/", {"q": "S0", "sort": "name", "page": "2"})
    listing = Listing(request, Staff.objects.all(), sorts={"name": ("name",)}, default="name")
    assert listing.sort == "name"
    assert listing.sort_url("name") == "?q=S0&sort=-name"  # the other way, first page
    assert listing.page_url(3) == "?q=S0&sort=name&page=3"
    assert listing.export_query == "q=S0&sort=name"
    assert listing.direction("name") == "ascending" and listing.direction("unit") == "none"


def test_sorting_by_level_and_number(company, client):
    _login(client, company.hr)
    url = reverse("org:staff-list")
    assert listed(client.get(url, {"sort": "-employee_no"}))[:2] == ["S007", "S006"]
    # level descending: L5 boss; L4 manager; L3 sibling, outsider (ties by number); L2 …; L1
    assert listed(client.get(url, {"sort": "-level"})) == [
        "S001",
        "S002",
        "S006",
        "S007",
        "S003",
        "S005",
        "S004",
    ]


def test_the_unit_tree_filter_includes_the_subtree(company, client):
    _login(client, company.hr)
    url = reverse("org:staff-list")
    assert listed(client.get(url, {"unit": company.units.a.pk})) == [
        "S001",
        "S002",
        "S003",
        "S004",
        "S006",
    ]
    assert listed(client.get(url, {"unit": company.units.a1x.pk})) == ["S004"]
    html = client.get(url).content.decode()
    tree = html[html.index('data-testid="unit-tree"') :]
    tree = tree[: tree.index("</select>")]
    # every unit, parents before children, indented by depth, full path as the title
    assert tree.index("公司") < tree.index("甲分公司") < tree.index("甲一部") < tree.index("甲一组")
    assert 'title="甲分公司 / 甲一部 / 甲一组">\u3000\u3000└ 甲一组</option>' in tree


def test_the_manager_tree_holds_only_their_subtree(company, client):
    _login(client, company.manager_user)
    url = reverse("org:staff-list")
    html = client.get(url).content.decode()
    tree = html[html.index('data-testid="unit-tree"') :]
    tree = tree[: tree.index("</select>")]
    assert f'value="{company.units.a1.pk}"' in tree and f'value="{company.units.a1x.pk}"' in tree
    for outside in (company.units.co, company.units.a, company.units.a2, company.units.b1):
        assert f'value="{outside.pk}"' not in tree
    # his tree's top is his own unit: not indented
    assert 'title="甲分公司 / 甲一部">甲一部</option>' in tree
    assert listed(client.get(url, {"unit": company.units.a1.pk})) == ["S002", "S003", "S004"]
    # a unit outside his scope typed into the URL shows nobody (the remote report included)
    assert listed(client.get(url, {"unit": company.units.b1.pk})) == []
    assert listed(client.get(url, {"unit": company.units.a2.pk})) == []


def test_names_link_to_the_file_where_the_reader_may_see_it(company):
    request = RequestFactory().get("/")
    request.user = company.manager_user
    template = Template("{% load org_tags %}{% staff_link s %}|{% staff_link s tab='kpi' %}")
    render = lambda staff: template.render(Context({"request": request, "s": staff}))  # noqa: E731
    remote = render(company.remote)  # reports to him from another branch
    assert remote.split("|")[0] == (
        f'<a class="staff-name" href="/org/staff/{company.remote.pk}/" data-staff-link>远程</a>'
    )
    assert f'href="/org/staff/{company.remote.pk}/#file-kpi"' in remote
    assert render(company.sibling).split("|")[0] == '<span class="staff-name">隔壁</span>'
    assert render(None).split("|")[0] == "—"


def test_the_in_memory_scope_agrees_with_the_database_scope(company, django_assert_num_queries):
    from org.scope import visible_staff

    for user in (company.manager_user, company.staff_user, company.committee_user, company.hr):
        expected = set(visible_staff(user).values_list("pk", flat=True))
        test = staff_visibility(user)
        with django_assert_num_queries(0):
            assert {s.pk for s in company.all_staff if test(s)} == expected


def test_the_export_holds_every_filtered_row_in_the_page_order(company, client):
    _login(client, company.hr)
    response = client.get(
        reverse("org:staff-export"), {"unit": company.units.a.pk, "sort": "-employee_no"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "Employee number",
        "Name",
        "Org unit",
        "Level",
        "Line manager",
        "At level since",
        "Status",
    ]
    assert [r[0] for r in rows[1:]] == ["S006", "S004", "S003", "S002", "S001"]
    assert rows[3][1:3] == ["同事", "甲分公司 / 甲一部"]
    assert rows[3][4] == "经理"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G6"
    assert sheet.column_dimensions["C"].width == 28


def test_the_export_writes_names_as_text_and_records_the_download(company, client):
    """Every list export goes through core.xlsx.xlsx_response: text cells, a recorded download."""
    from core.models import DownloadRecord

    Staff.objects.filter(employee_no="S003").update(name="=1+2")
    Staff.objects.filter(employee_no="S002").update(name="-cmd|' /C calc'!A0")
    _login(client, company.hr)
    response = client.get(reverse("org:staff-export"), {"unit": company.units.a1.pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    cells = {row[0].value: (row[1].value, row[1].data_type, row[4].value) for row in sheet.rows}
    assert cells["S003"] == ("'=1+2", "s", "'-cmd|' /C calc'!A0")
    assert cells["S002"][:2] == ("'-cmd|' /C calc'!A0", "s")
    record = DownloadRecord.objects.get()
    assert (record.kind, record.user_id, record.object_repr) == (
        "export",
        company.hr.pk,
        response["Content-Disposition"].split('filename="')[1].rstrip('"'),
    )


def test_the_manager_exports_only_his_scope(company, client):
    _login(client, company.manager_user)
    response = client.get(reverse("org:staff-export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == [
        "S002",
        "S003",
        "S004",
        "S005",
    ]


@pytest.mark.parametrize("extra", [2, 60])
def test_list_and_export_run_constant_queries(
    company, client, django_assert_max_num_queries, extra
):
    for i in range(extra):
        StaffFactory(employee_no=f"X{i:03d}", unit=company.units.a1x, manager=company.manager)
    _login(client, company.manager_user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("org:staff-list"), {"sort": "manager"})
        assert response.status_code == 200
    assert "data-staff-link" in response.content.decode()
    with django_assert_max_num_queries(10):
        response = client.get(reverse("org:staff-export"), {"unit": company.units.a1.pk})
        b"".join(response.streaming_content)
