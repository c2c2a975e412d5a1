"""Pages: the report with filters and export, the review batch, the overdue list, the cards."""

import datetime as dt
from io import BytesIO

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation
from openpyxl import load_workbook

from core.roles import Role
from org.models import Appointment
from reappointment import services
from tests.factories import make_user_for

from .conftest import TODAY
from .factories import course, credits, requirement, term_ending

END = dt.date(2027, 1, 10)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def many(ladder, units, grades, freeze_today):
    requirement(ladder[1], "40", [course("C1")])
    people = []
    for i in range(25):
        unit = units["a"] if i % 2 else units["b"]
        staff = term_ending(
            ladder[1], END + dt.timedelta(days=i), unit=unit, employee_no=f"P{i:03d}"
        )
        credits(staff, 20 + i, dt.date(2026, 6, 1))
        people.append(staff)
    for i in range(5):  # overdue
        term_ending(
            ladder[2], TODAY - dt.timedelta(days=i + 1), unit=units["a"], employee_no=f"L{i}"
        )
    return people


def test_report_page_lists_readiness_with_bounded_queries(many, hr, django_assert_max_num_queries):
    client = login(hr)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with django_assert_max_num_queries(25):
        response = client.get("/reappointment/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="row-P000"' in html and "20 of 40 credits, 20 short" in html
    assert 'data-testid="row-L0"' not in html  # overdue, not expiring


def test_report_filters_and_bad_values(many, hr, units, ladder):
    client = login(hr)
    response = client.get(f"/reappointment/?unit={units['a'].pk}&ready=no")
    assert response.status_code == 200
    assert response.context["total"] == 12
    for query in ("months=abc", "unit=xyz", "level=999999", "ready=maybe", "page=x", "months=999"):
        assert client.get(f"/reappointment/?{query}").status_code == 200


def test_xlsx_export(many, hr):
    response = login(hr).get("/reappointment/expiring.xlsx?months=3")
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "员工编号"
    data = rows[2:]
    assert len(data) == 25
    first = data[0]
    assert first[0] == "P000" and str(first[6]) == "20" and str(first[8]) == "20"
    from core.models import DownloadRecord

    assert DownloadRecord.objects.get().object_repr.startswith("expiring-terms-")


def test_xlsx_export_writes_credits_as_credit_figures(many, hr):
    """Issue #21: the credit columns are numbers in the credits format (core.xlsx), so a
    spreadsheet shows 20 and 40, not text."""
    from core.xlsx import number_format

    response = login(hr).get("/reappointment/expiring.xlsx?months=3")
    ws = load_workbook(BytesIO(response.content)).active
    (row,) = [r for r in ws.iter_rows(min_row=3) if r[0].value == "P000"]
    credits_12m, required, shortfall = row[6], row[7], row[8]
    assert [c.value for c in (credits_12m, required, shortfall)] == [20, 40, 20]
    assert {c.data_type for c in (credits_12m, required, shortfall)} == {"n"}
    assert (
        {c.number_format for c in (credits_12m, required, shortfall)}
        == {number_format("credits")}
        == {"General"}
    )
    assert row[4].number_format == "yyyy-mm-dd"


def test_staff_member_may_not_open_the_report(many):
    user = make_user_for(many[0])
    assert login(user).get("/reappointment/").status_code == 403
    assert login(user).get("/reappointment/reviews/").status_code == 403


def test_review_page_and_outcome_buttons(many, hr, django_assert_max_num_queries):
    ids = list(Appointment.objects.filter(staff__in=many).values_list("pk", flat=True))
    review = services.review_open(actor=hr, appointment_ids=ids, today=TODAY)
    client = login(hr)
    with django_assert_max_num_queries(15):
        response = client.get(f"/reappointment/reviews/{review.pk}/")
    assert response.status_code == 200
    case = review.cases.get(staff=many[0])
    response = client.post(
        f"/reappointment/cases/{case.pk}/renew_with_conditions/", {"deadline": "2027-04-30"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "renewed_with_conditions"
    assert case.conditions.startswith("培训学分 20/40，差 20 分")
    # twice: refused with a message, nothing changes
    response = client.post(f"/reappointment/cases/{case.pk}/renew/", follow=True)
    assert "已有决定" in response.content.decode() or case.outcome == "renewed_with_conditions"
    assert Appointment.objects.filter(staff=many[0]).count() == 2
    with django_assert_max_num_queries(8):
        assert client.get("/reappointment/reviews/").status_code == 200


def test_open_review_from_the_report(many, hr):
    ids = list(Appointment.objects.filter(staff__in=many[:3]).values_list("pk", flat=True))
    response = login(hr).post(
        "/reappointment/reviews/open/", {"appointment": ids, "name": "一月批次"}
    )
    assert response.status_code == 302
    manager_like = make_user_for(many[5], Role.MANAGER)
    assert (
        login(manager_like).post("/reappointment/reviews/open/", {"appointment": ids}).status_code
        == 403
    )


def test_overdue_page(many, hr, django_assert_max_num_queries):
    client = login(hr)
    with django_assert_max_num_queries(20):
        response = client.get("/reappointment/overdue/")
    assert response.status_code == 200
    html = response.content.decode()
    assert all(f'data-testid="row-L{i}"' in html for i in range(5))
    assert 'data-testid="row-P000"' not in html


def test_dashboard_cards(many, hr, django_assert_max_num_queries):
    from reappointment.dashboard import cards

    office = cards(hr, TODAY)
    assert office[0]["context"]["expiring"] == 25 and office[0]["context"]["overdue"] == 5
    user = make_user_for(many[0])
    mine = cards(user, TODAY)
    assert mine[0]["template"] == "reappointment/cards/mine.html"
    assert not mine[0]["context"]["row"].evaluation.all_passed
    with translation.override("en"):
        html = render_to_string(mine[0]["template"], {"card": mine[0]["context"]})
    assert 'data-testid="card-my-term"' in html
    # the label once, then what was found
    assert (
        '<span class="text-body-secondary">Training credits in the last 12 months:</span> '
        "20 of 40 credits, 20 short</li>" in html
    )
    assert html.count("Training credits") == 1
    assert 'data-testid="my-term-title">My term ends soon<' in html
    assert f"Re-appointment depends on these conditions, as of {TODAY.isoformat()}:" in html
    html = render_to_string(office[0]["template"], {"card": office[0]["context"]})
    assert "5 个聘期已逾期未决" in html
    with django_assert_max_num_queries(4):
        cards(hr, TODAY)
    with django_assert_max_num_queries(12):
        cards(user, TODAY)


def test_the_export_writes_a_formula_like_name_as_text(many, hr):
    from org.models import Staff

    Staff.objects.filter(employee_no="P000").update(name='=HYPERLINK("http://x","y")')
    response = login(hr).get("/reappointment/expiring.xlsx?months=3")
    ws = load_workbook(BytesIO(response.content)).active
    (row,) = [r for r in ws.iter_rows(min_row=3) if r[0].value == "P000"]
    assert row[1].data_type == "s"
    assert row[1].value == '\'=HYPERLINK("http://x","y")'


def test_report_counts_by_unit_apart_units_of_the_same_name(
    ladder, units, grades, freeze_today, hr
):
    """Two branches each have a 大客户部: the "by unit" table counts them apart, each under
    its full name, instead of adding them into one row."""
    from tests.factories import make_unit

    requirement(ladder[1], "40", [course("C1")])
    kam_a = make_unit("A-KAM", parent=units["a"], name="大客户部")
    kam_b = make_unit("B-KAM", parent=units["b"], name="大客户部")
    for i, unit in enumerate([kam_a, kam_a, kam_b]):
        term_ending(ladder[1], END + dt.timedelta(days=i), unit=unit, employee_no=f"K{i}")
    response = login(hr).get("/reappointment/?months=3")
    assert response.status_code == 200
    assert response.context["by_unit"] == [
        ("广州分公司 / 大客户部", 2),
        ("深圳分公司 / 大客户部", 1),
    ]


def test_the_card_of_a_term_that_has_ended_says_so(many):
    from reappointment.dashboard import cards

    ended = Appointment.objects.get(staff__employee_no="L0")  # ended yesterday
    card = cards(make_user_for(ended.staff), TODAY)[0]
    assert card["template"] == "reappointment/cards/mine.html"
    with translation.override("en"):
        html = render_to_string(card["template"], {"card": card["context"]})
    assert 'data-testid="my-term-title">My term has ended<' in html
    assert "ends soon" not in html
    assert f"has ended. Re-appointment conditions as of {TODAY.isoformat()}:" in html
