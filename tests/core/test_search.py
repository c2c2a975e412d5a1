"""The header's search: people by name, employee number or pinyin initials, cycles, courses —
each within the caller's scope, one query per group whatever the size of the company."""

import pytest
from django.test import Client
from django.urls import reverse

from core import search
from core.roles import Role
from org.models import Staff
from tests.certification.factories import make_cycle
from tests.factories import StaffFactory, UserFactory, make_ladder, make_unit, make_user_for
from tests.training.factories import CourseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company():
    levels = make_ladder()
    root = make_unit("ROOT", name="粤海通信")
    gz = make_unit("GZ", root, name="广州分公司")
    sz = make_unit("SZ", root, name="深圳分公司")
    gz_kam, sz_kam = (
        make_unit("GZ-KAM", gz, name="大客户部"),
        make_unit("SZ-KAM", sz, name="大客户部"),
    )
    boss = StaffFactory(name="张三丰", employee_no="K20001", unit=gz_kam, level=levels[2])
    mate = StaffFactory(name="张无忌", employee_no="K20002", unit=gz_kam, manager=boss)
    far = StaffFactory(name="张翠山", employee_no="K30001", unit=sz_kam)
    return {
        "levels": levels,
        "boss": boss,
        "mate": mate,
        "far": far,
        "hr": UserFactory(username="search-hr", roles=[Role.HR]),
        "manager": make_user_for(boss, Role.MANAGER),
        "staff": make_user_for(far),
    }


def people(user, query):
    groups = {g.kind: g for g in search.search(user, query)}
    return [h.title for h in groups["people"].hits] if "people" in groups else []


def test_people_by_name_number_and_initials(company):
    hr = company["hr"]
    assert people(hr, "张") == ["张三丰 · K20001", "张无忌 · K20002", "张翠山 · K30001"]
    assert people(hr, "无忌") == ["张无忌 · K20002"]
    assert people(hr, "k3") == ["张翠山 · K30001"]
    assert people(hr, "ZSF") == ["张三丰 · K20001"]
    assert people(hr, "zs") == ["张三丰 · K20001"]
    assert people(hr, "  ") == []


def test_each_person_is_shown_with_the_full_name_of_their_unit(company):
    (group,) = search.search(company["hr"], "张翠山")
    (hit,) = group.hits
    assert hit.detail == "深圳分公司 / 大客户部"
    assert hit.url == reverse("org:staff-detail", args=[company["far"].pk])


def test_people_are_found_only_within_scope(company):
    assert people(company["manager"], "张") == ["张三丰 · K20001", "张无忌 · K20002"]
    assert people(company["staff"], "张") == ["张翠山 · K30001"]
    assert people(company["staff"], "zsf") == []


def test_initials_follow_a_change_of_name(company):
    far = company["far"]
    far.name = "李四"
    far.save(update_fields=["name"])
    assert Staff.objects.get(pk=far.pk).name_initials == "ls"
    assert people(company["hr"], "ls") == ["李四 · K30001"]


def test_cycles_in_draft_are_found_by_the_office_only(company):
    make_cycle(company["hr"], company["levels"], name="2026 年度晋升认证")
    kinds = [g.kind for g in search.search(company["hr"], "晋升认证")]
    assert kinds == ["cycles"]
    assert search.search(company["staff"], "晋升认证") == []


def test_courses_by_code_or_title(company):
    CourseFactory(code="KAM-101", title="大客户营销实务", title_en="Key account selling")
    CourseFactory(code="FIN-201", title="财务基础")
    hr = company["hr"]
    ((group,),) = [search.search(hr, "kam-1")]
    assert (group.kind, [h.title for h in group.hits]) == ("courses", ["大客户营销实务"])
    assert [g.hits[0].detail for g in search.search(hr, "selling")] == ["KAM-101"]


def test_page_and_api_answer_with_one_query_per_group(company, django_assert_max_num_queries):
    for i in range(30):
        StaffFactory(name=f"张{i:02d}", employee_no=f"K4{i:04d}")
    client = Client()
    client.force_login(company["hr"])
    with django_assert_max_num_queries(12):
        page = client.get("/search/", {"q": "张"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="search-hit"') == search.PER_GROUP
    with django_assert_max_num_queries(12):
        api = client.get("/api/v1/search/", {"q": "张"})
    (group,) = api.json()
    assert group["kind"] == "people" and len(group["hits"]) == search.PER_GROUP
    empty = client.get("/search/", {"q": "不存在的人"}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="search-empty"' in empty.content.decode()


def test_search_needs_a_login():
    assert Client().get("/search/", {"q": "张"}).status_code == 302
    assert Client().get("/api/v1/search/", {"q": "张"}).status_code in (401, 403)


def test_staff_added_in_bulk_get_their_initials_too(company):
    far = company["far"]
    same = {"unit": far.unit, "track": far.track, "hire_date": far.hire_date}
    Staff.objects.bulk_create(
        [
            Staff(employee_no="K90001", name="欧阳锋", **same),
            Staff(employee_no="K90002", name="黄药师", **same),
        ]
    )
    assert dict(
        Staff.objects.filter(employee_no__in=["K90001", "K90002"]).values_list(
            "employee_no", "name_initials"
        )
    ) == {"K90001": "oyf", "K90002": "hys"}
