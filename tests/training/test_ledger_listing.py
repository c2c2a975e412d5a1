"""The training ledger on the shared list: sorting and the unit tree filter in the URL, the
export of every filtered row in the page's order with a frozen header and an autofilter, names
linked to the employee file, constant queries."""

import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.clock import days

from .factories import CourseFactory, RecordFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ledger(world):
    """alice 2.00 (day -30) and 6.50 (day -20), bob 6.50 (day -10), carol 3.00 (day -40),
    dave 1.00 (day -5, in SZ)."""
    b01 = CourseFactory(code="B01", title="商务礼仪")
    p01 = CourseFactory(code="P01", title="大客户拜访策划")
    RecordFactory(staff=world.alice, course=b01, date=days(-30), credits=D("2.00"))
    RecordFactory(staff=world.alice, course=p01, date=days(-20), credits=D("6.50"))
    RecordFactory(staff=world.bob, course=p01, date=days(-10), credits=D("6.50"))
    RecordFactory(staff=world.carol, course=b01, date=days(-40), credits=D("3.00"))
    RecordFactory(staff=world.dave, course=b01, date=days(-5), credits=D("1.00"))
    return world


def _rows(html: str) -> list[tuple[str, str]]:
    table = html[html.index('data-testid="record-table"') :]
    return re.findall(r"<tr><td>(\d{4}-\d\d-\d\d)</td><td>(K\d+)</td>", table)


def test_sorting_by_credits_ties_newest_first(ledger, client):
    client.force_login(ledger.mgr.user)
    html = client.get("/training/records/", {"sort": "-credits"}).content.decode()
    # the manager sees GZ's subtree: dave (SZ) is not listed; 6.50 twice: the newer first
    assert [no for _day, no in _rows(html)] == ["K002", "K001", "K003", "K001"]
    html = client.get("/training/records/").content.decode()  # default: newest first
    assert [no for _day, no in _rows(html)] == ["K002", "K001", "K001", "K003"]


def test_the_tree_filter_takes_the_subtree_and_stays_in_scope(ledger, client):
    w = ledger
    client.force_login(w.mgr.user)
    html = client.get("/training/records/", {"unit": w.gz_ka.pk, "sort": "date"}).content.decode()
    assert [no for _day, no in _rows(html)] == ["K001", "K001", "K002"]
    assert f'href="/org/staff/{w.alice.pk}/#file-training" data-staff-link>爱丽</a>' in html
    assert 'name="sort" value="date"' in html  # the filter form keeps the sort
    tree = html[html.index('data-testid="unit-tree"') :]
    tree = tree[: tree.index("</select>")]
    assert f'value="{w.gz_gov.pk}"' in tree and f'value="{w.sz.pk}"' not in tree
    # SZ typed into the URL: outside the scope, nothing is listed
    html = client.get("/training/records/", {"unit": w.sz.pk}).content.decode()
    assert _rows(html) == []


def test_the_export_follows_the_filters_and_the_sort(ledger, client):
    w = ledger
    client.force_login(w.mgr.user)
    response = client.get(
        "/training/records/export.xlsx", {"unit": w.gz.pk, "sort": "-credits", "page": "2"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0][:3] == ["employee_no", "name", "unit"]  # the import's columns
    assert [(r[0], r[7]) for r in rows[1:]] == [
        ("K002", 6.5),
        ("K001", 6.5),
        ("K003", 3),
        ("K001", 2),
    ]
    assert rows[1][5].date() == days(-10)
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:J5"
    assert sheet.column_dimensions["E"].width == 36


@pytest.mark.parametrize("extra", [2, 70])
def test_the_ledger_and_its_export_run_constant_queries(
    ledger, client, django_assert_max_num_queries, extra
):
    course = CourseFactory(code="X01", title="拓展")
    for i in range(extra):
        RecordFactory(staff=ledger.bob, course=course, date=days(-100 - i))
    client.force_login(ledger.mgr.user)
    with django_assert_max_num_queries(16):
        assert client.get("/training/records/", {"sort": "name"}).status_code == 200
    with django_assert_max_num_queries(10):
        response = client.get("/training/records/export.xlsx", {"unit": ledger.gz.pk})
        b"".join(response.streaming_content)
