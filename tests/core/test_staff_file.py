"""The employee file (员工档案): one page per person with a tab per part of their record, each
within the viewer's scope, in a constant number of queries."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.test import Client

from core.roles import Role
from kpi.models import AnnualScore
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit, make_user_for
from tests.training.factories import CourseFactory, RecordFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    levels = make_ladder()
    root = make_unit("ROOT", name="粤海通信")
    gz = make_unit("GZ", root, name="广州分公司")
    staff = StaffFactory(name="张三丰", employee_no="K20001", unit=gz, level=levels[1])
    for year, score, grade in ((2024, "81.50", "B"), (2025, "90.25", "A")):
        AnnualScore.objects.create(
            staff=staff,
            year=year,
            score=D(score),
            score_raw=D(score),
            periods=12,
            grade=grade,
            threshold_grade=grade,
            unit_rank=1,
        )
    return staff


def file_page(user, staff, **extra):
    client = Client()
    client.force_login(user)
    return client.get(f"/org/staff/{staff.pk}/", HTTP_ACCEPT_LANGUAGE="en", **extra)


def sections(response):
    return [(s.key, s.count) for s, _html in response.context["sections"]]


def test_the_office_sees_every_tab_of_the_file(person):
    hr = UserFactory(username="file-hr", roles=[Role.HR])
    response = file_page(hr, person)
    assert response.status_code == 200
    assert sections(response) == [
        ("kpi", 2),
        ("competency", 0),
        ("training", None),
        ("certification", 0),
        ("ranking", 0),
        ("letters", 0),
    ]
    html = response.content.decode()
    assert 'data-testid="file-tabs"' in html
    kpi = html.split('data-key="kpi"')[1].split("tab-pane")[0]
    assert "2025" in kpi and "90.25" in kpi and "81.50" in kpi
    assert f'href="/kpi/staff/{person.pk}/"' in kpi


def test_a_colleague_out_of_scope_gets_404(person):
    other = StaffFactory(name="李四", employee_no="K30001")
    assert file_page(make_user_for(other), person).status_code == 404


def test_the_person_sees_their_own_file_but_not_the_audit_trail(person):
    response = file_page(make_user_for(person), person)
    assert response.status_code == 200
    assert ("kpi", 2) in sections(response)
    assert 'id="tab-audit"' not in response.content.decode()


def test_the_file_costs_the_same_queries_however_long_the_record(
    person, django_assert_max_num_queries
):
    hr = UserFactory(username="file-hr", roles=[Role.HR])
    with django_assert_max_num_queries(40) as few:
        file_page(hr, person)
    course = CourseFactory()
    for i in range(20):
        RecordFactory(staff=person, course=course, date=dt.date(2026, 1, 1) + dt.timedelta(days=i))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = file_page(hr, person)
    training = response.content.decode().split('data-key="training"')[1].split("tab-pane")[0]
    assert training.count("<tr>") == 1 + 8  # the header and the latest 8 records
