"""A cycle's audit trail reads in Chinese: verbs and states through core.labels, people by name."""

import re

import pytest
from django.test import Client

from certification.models import Cycle
from core import audit
from org.models import Appointment
from tests.certification.factories import COMMITTEE_ONLY, make_cycle
from tests.factories import StaffFactory, make_user_for

pytestmark = pytest.mark.django_db


def _trail(html: str) -> str:
    start = html.index(">审计日志</h2>")
    return html[start : html.index("</ul>", start)]


def test_cycle_history_in_chinese_shows_no_raw_code_and_names_not_usernames(ladder, hr):
    hr_staff = StaffFactory(level=ladder[3], name="王芳")
    hr_staff.user = hr
    hr_staff.save(update_fields=["user"])
    cycle = make_cycle(hr, ladder, dimensions=COMMITTEE_ONLY, status="review")
    assert list(
        audit.history(cycle).order_by("at", "id").values_list("action", "from_state", "to_state")
    ) == [
        ("create", "", "draft"),
        ("open", "draft", "open"),
        ("start_qualification", "open", "qualification"),
        ("start_review", "qualification", "review"),
    ]
    client = Client()
    client.force_login(hr)
    html = client.get(f"/certification/cycles/{cycle.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    trail = _trail(html.content.decode())
    assert "开始评审" in trail and "开始资格审查" in trail
    assert trail.count("王芳") == 4
    assert hr.username not in trail
    codes = {c for s in Cycle.Status for c in (s.value,)} | {
        "create",
        "open",
        "start_qualification",
        "start_review",
    }
    words = set(re.findall(r"[a-z_]{3,}", re.sub(r"<[^>]+>", " ", trail)))
    assert not words & codes, words & codes


def test_composite_codes_read_as_words(ladder, hr):
    from django.utils import translation

    from core.labels import action_label

    staff = StaffFactory(level=ladder[1])
    make_user_for(staff)
    with translation.override("zh-hans"):
        assert action_label("appoint:demotion", Appointment) == "聘任：" + str(
            Appointment.Reason("demotion").label
        )
        assert action_label("job:start") == "后台任务：启动"
        assert action_label("kpi.indicator.create") == "KPI 指标：创建"
        assert action_label("start_review") == "开始评审"
