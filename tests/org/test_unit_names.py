"""Org units are told apart by their full name: "广州分公司 / 大客户部" (department names repeat
across branches). The names are kept on the unit by the services, through renames and moves."""

import pytest
from django.utils import translation

from org import services
from org.models import OrgUnit

pytestmark = pytest.mark.django_db


def unit(code, name, name_en="", parent=None):
    return services.unit_create(actor=None, code=code, name=name, name_en=name_en, parent=parent)


@pytest.fixture
def tree():
    company = unit("CO", "粤海通信", "Yuehai Telecom")
    gz = unit("GZ", "广州分公司", "Guangzhou Branch", company)
    sz = unit("SZ", "深圳分公司", "Shenzhen Branch", company)
    gz_kam = unit("GZ-KAM", "大客户部", "Key Accounts", gz)
    sz_kam = unit("SZ-KAM", "大客户部", "", sz)
    team = unit("GZ-KAM-1", "一组", "Team 1", gz_kam)
    return company, gz, sz, gz_kam, sz_kam, team


def names():
    return {u.code: (u.path_name, u.path_name_en) for u in OrgUnit.objects.all()}


def test_full_names_leave_out_the_company_and_fall_back_to_chinese(tree):
    assert names() == {
        "CO": ("粤海通信", "Yuehai Telecom"),
        "GZ": ("广州分公司", "Guangzhou Branch"),
        "SZ": ("深圳分公司", "Shenzhen Branch"),
        "GZ-KAM": ("广州分公司 / 大客户部", "Guangzhou Branch / Key Accounts"),
        "SZ-KAM": ("深圳分公司 / 大客户部", "Shenzhen Branch / 大客户部"),
        "GZ-KAM-1": ("广州分公司 / 大客户部 / 一组", "Guangzhou Branch / Key Accounts / Team 1"),
    }


def test_display_path_is_in_the_readers_language(tree):
    gz_kam = tree[3]
    with translation.override("zh-hans"):
        assert gz_kam.display_path == "广州分公司 / 大客户部"
    with translation.override("en"):
        assert gz_kam.display_path == "Guangzhou Branch / Key Accounts"


def test_renaming_a_branch_renames_everything_below_it(tree):
    _company, gz, *_ = tree
    services.unit_update(actor=None, unit=gz, name="广州市分公司", name_en="Guangzhou City")
    got = names()
    assert got["GZ"] == ("广州市分公司", "Guangzhou City")
    assert got["GZ-KAM"] == ("广州市分公司 / 大客户部", "Guangzhou City / Key Accounts")
    assert got["GZ-KAM-1"] == (
        "广州市分公司 / 大客户部 / 一组",
        "Guangzhou City / Key Accounts / Team 1",
    )
    assert got["SZ-KAM"] == ("深圳分公司 / 大客户部", "Shenzhen Branch / 大客户部")


def test_renaming_the_company_changes_no_other_name(tree):
    before = names()
    services.unit_update(actor=None, unit=tree[0], name="粤海集团")
    after = names()
    assert after.pop("CO")[0] == "粤海集团"
    before.pop("CO")
    assert after == before


def test_moving_a_department_carries_its_subtree_to_the_new_branch(tree):
    _, _, sz, gz_kam, *_ = tree
    services.unit_update(actor=None, unit=gz_kam, parent=sz)
    got = names()
    assert got["GZ-KAM"] == ("深圳分公司 / 大客户部", "Shenzhen Branch / Key Accounts")
    assert got["GZ-KAM-1"] == (
        "深圳分公司 / 大客户部 / 一组",
        "Shenzhen Branch / Key Accounts / Team 1",
    )


def test_moving_a_department_to_the_top_drops_the_branch(tree):
    company, _, _, gz_kam, *_ = tree
    services.unit_update(actor=None, unit=gz_kam, parent=company)
    assert names()["GZ-KAM-1"] == ("大客户部 / 一组", "Key Accounts / Team 1")
