"""core.labels: one translated mapping for audit verbs and states; people by name."""

import pytest
from django.utils import translation

from core import audit, labels
from core.models import AuditEvent
from org.models import Staff
from tests.factories import StaffFactory, UserFactory, make_user_for

pytestmark = pytest.mark.django_db


def test_verbs_and_states_are_translated_and_unknown_codes_pass_through():
    with translation.override("zh-hans"):
        assert labels.action_label("create") == "创建"
        assert labels.action_label("letter:issue") == "文书：签发"
        assert labels.action_label("reappointment:open") == "续聘：开启"
        assert labels.state_label("exited", Staff) == str(Staff.Status.EXITED.label)
        assert labels.action_label("no_such_verb") == "no_such_verb"
    with translation.override("en"):
        assert labels.action_label("create") == "created"


def test_audit_rows_name_people_in_one_query(ladder, django_assert_max_num_queries):
    people = [StaffFactory(level=ladder[1], name=f"李{i}") for i in range(3)]
    users = [make_user_for(s) for s in people]
    orphan = UserFactory(username="no-record")
    office = UserFactory(username="hr", first_name="周敏")  # an account without a staff record
    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    pairs = [*zip(users, people, strict=True), (orphan, people[0]), (office, people[1])]
    for user, staff in pairs:
        audit.record(actor=user, obj=staff, action="update")
    audit.record(actor=None, obj=people[0], action="exit", from_state="active", to_state="exited")
    events = AuditEvent.objects.filter(id__gt=start).select_related("content_type").order_by("id")
    # staff names, then the names of the accounts without a staff record: one query each
    with translation.override("zh-hans"), django_assert_max_num_queries(3):
        rows = labels.audit_rows(events)
    assert [r.actor for r in rows] == ["李0", "李1", "李2", "no-record", "周敏", "系统"]
    assert (rows[-1].action, rows[-1].from_state, rows[-1].to_state) == ("登记离职", "在岗", "离职")
