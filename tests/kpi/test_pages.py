"""KPI pages: my KPI with the SVG trend, scoped staff page, team table, ratings, import."""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.roles import Role
from kpi import score_recompute
from kpi.models import Actual
from tests.factories import StaffFactory, UserFactory
from tests.home import home_page

from .factories import make_period, put_actual


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def year_of_scores(world):
    periods = [make_period(f"2026-{m:02d}") for m in (1, 2)] + [world.mar, world.apr]
    for staff in (world.alice, world.bob, world.carol):
        for i, period in enumerate(periods):
            put_actual(staff, world.rev, period, str(80 + 5 * i))
    score_recompute.recompute([p.pk for p in periods])
    return world


def test_my_kpi_page_shows_items_total_and_svg_trend(year_of_scores):
    w = year_of_scores
    response = _client(w.alice_user).get("/kpi/?period=2026-04")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-total">95.00<' in html
    assert "<svg" in html and 'data-chart="line"' in html
    assert html.count("<circle") == 4 and html.count('data-value="1"') == 4


def test_staff_page_is_scoped(year_of_scores):
    w = year_of_scores
    assert _client(w.manager_user).get(f"/kpi/staff/{w.alice.pk}/").status_code == 200
    assert _client(w.manager_user).get(f"/kpi/staff/{w.carol.pk}/").status_code == 404
    assert _client(w.alice_user).get(f"/kpi/staff/{w.bob.pk}/").status_code == 404


def test_team_table_for_manager_only_team(year_of_scores):
    w = year_of_scores
    html = _client(w.manager_user).get("/kpi/team/?period=2026-04").content.decode()
    assert "A001" in html and "B001" in html and "C001" not in html
    assert _client(w.alice_user).get("/kpi/team/").status_code == 403


def test_rating_page_saves_manager_ratings(year_of_scores):
    w = year_of_scores
    client = _client(w.manager_user)
    assert client.get("/kpi/team/rate/?period=2026-04").status_code == 200
    response = client.post("/kpi/team/rate/?period=2026-04", {f"g-{w.alice.pk}-{w.rat.pk}": "A"})
    assert response.status_code == 302
    assert Actual.objects.get(staff=w.alice, indicator=w.rat, period=w.apr).grade == "A"


def test_import_page_shows_error_table(world, hr_user):
    client = _client(hr_user)
    page = client.get("/kpi/import/").content.decode()
    # the column names are codes (shown as code, not as words of the sentence)
    help_line = page[page.index('data-testid="import-column-help"') :]
    help_line = help_line[: help_line.index("</li>")]
    assert [w for w in ("indicator", "period", "value") if f"<code>{w}</code>:" in help_line] == [
        "indicator",
        "period",
        "value",
    ]
    bad = SimpleUploadedFile("a.csv", b"employee_no,indicator,period,value\nA001,REV,2026-03,x\n")
    html = client.post("/kpi/import/", {"file": bad}).content.decode()
    assert 'data-testid="import-errors"' in html
    assert "<td>2</td>" in html and "<code>value</code>" in html
    assert "<td><code>x</code></td>" in html  # the offending value, as read from the file
    assert 'data-testid="import-indicators"' in html and "<td><code>REV</code></td>" in html
    assert 'class="form-control is-invalid" aria-describedby="file-error"' in html
    assert 'id="file-error"' in html
    ok = SimpleUploadedFile("a.csv", b"employee_no,indicator,period,value\nA001,REV,2026-03,9\n")
    assert client.post("/kpi/import/", {"file": ok}).status_code == 302
    assert Actual.objects.count() == 1

    # The same line again, and a new one: what the import did, in the reader's language.
    def imported(lines: str, language: str) -> str:
        upload = SimpleUploadedFile(
            "b.csv", f"employee_no,indicator,period,value\n{lines}".encode()
        )
        return client.post(
            "/kpi/import/", {"file": upload}, follow=True, HTTP_ACCEPT_LANGUAGE=language
        ).content.decode()

    page = imported("A001,REV,2026-03,9.00\nA001,REV,2026-04,7\n", "en")
    assert "Imported: 1 new actuals, 0 changed, 1 unchanged." in page
    assert (
        '<td class="text-end">1</td><td class="text-end">0</td><td class="text-end">1</td>' in page
    )
    page = imported("A001,REV,2026-04,8\n", "zh-hans")
    assert "已导入：新增 0 条实际值，变更 1 条，未变 0 条。" in page
    assert _client(world.manager_user).get("/kpi/import/").status_code == 403


def test_admin_import_page(world):
    admin = UserFactory(username="root", roles=[Role.ADMIN])
    admin.is_staff = True
    admin.save()
    client = _client(admin)
    assert client.get("/admin/kpi/actual/import/").status_code == 200
    assert client.get("/admin/kpi/actual/").status_code == 200


def test_home_shows_kpi_cards(year_of_scores, hr_user):
    html = home_page(_client(year_of_scores.alice_user))
    assert 'data-testid="card-kpi"' in html
    html = home_page(_client(hr_user))
    assert 'data-testid="card-kpi-team"' in html


def test_pages_have_constant_queries(year_of_scores, hr_user, django_assert_max_num_queries):
    w = year_of_scores
    for _ in range(25):
        staff = StaffFactory(unit=w.dep1, level=w.l2, manager=w.manager)
        put_actual(staff, w.rev, w.apr, "90")
    score_recompute.recompute([w.apr.pk])
    for user, url in (
        (w.alice_user, "/kpi/?period=2026-04"),
        (w.manager_user, "/kpi/team/?period=2026-04"),
        (w.manager_user, "/kpi/team/rate/?period=2026-04"),
        (hr_user, "/kpi/team/?period=2026-04"),
        (hr_user, "/kpi/import/"),
    ):
        client = _client(user)
        with django_assert_max_num_queries(20):
            assert client.get(url).status_code == 200, url


def test_import_templates_in_the_readers_language_with_the_indicator_codes(world, hr_user):
    from io import BytesIO

    from openpyxl import load_workbook

    client = _client(hr_user)
    csv_zh = client.get("/kpi/import/template.csv", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert csv_zh["Content-Disposition"] == 'attachment; filename="kpi-actuals-template.csv"'
    assert csv_zh.content.decode("utf-8-sig") == "工号,指标代码,考核期间,实际值\r\n"
    csv_en = client.get("/kpi/import/template.csv", HTTP_ACCEPT_LANGUAGE="en")
    assert csv_en.content.decode("utf-8-sig") == "employee_no,indicator,period,value\r\n"
    book = load_workbook(BytesIO(client.get("/kpi/import/template.xlsx").content))
    first, codes = book.worksheets
    assert [c.value for c in first[1]] == ["工号", "指标代码", "考核期间", "实际值"]
    listed = [row[0] for row in codes.iter_rows(min_row=2, values_only=True)]
    assert "REV" in listed and listed == sorted(listed)
    assert client.get("/kpi/import/template.pdf").status_code == 404
    assert _client(world.manager_user).get("/kpi/import/template.csv").status_code == 403


def test_a_file_with_the_chinese_header_of_the_template_imports(world, hr_user):
    body = "工号,指标代码,考核期间,实际值\nA001,REV,2026-03,9\n".encode()
    response = _client(hr_user).post("/kpi/import/", {"file": SimpleUploadedFile("a.csv", body)})
    assert response.status_code == 302
    assert Actual.objects.get().value == 9


def test_my_kpi_page_formats_actuals_and_targets_by_the_indicators_unit(world, english):
    w = world
    w.rev.unit, w.cpl.unit, w.vis.unit = "万元", "%", "次"
    for indicator in (w.rev, w.cpl, w.vis):
        indicator.save(update_fields=["unit"])
    put_actual(w.alice, w.rev, w.apr, "1234.5")
    put_actual(w.alice, w.cpl, w.apr, "3.50")
    put_actual(w.alice, w.vis, w.apr, "17.0000")
    put_actual(w.alice, w.rat, w.apr, grade="B")
    put_actual(w.alice, w.cmp, w.apr, "0")
    score_recompute.recompute([w.apr.pk])
    client = _client(w.alice_user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/kpi/?period=2026-04").content.decode()
    actual = re.findall(r'data-col="actual">([^<]*)<', html)
    target = re.findall(r'data-col="target">([^<]*)<', html)
    assert actual == ["1,234.50 万元", "3.5%", "17 次", "B", "0"]
    assert target == ["100.00 万元", "4%", "10 次", "—", "—"]
    assert "17.0000" not in html
    total = re.search(r'data-testid="kpi-total">([^<]*)<', html).group(1)
    assert re.fullmatch(r"\d+\.\d\d", total)
