"""A panel's scoring deadline: set with the panel, shown as the due date of the members' to-do
item, and reminded beforehand to each member with sheets still to submit — never to a member
conflicted with the remaining candidates, nor to one who has submitted everything."""

import datetime as dt

import pytest
from django.test import Client

from certification import events, services
from certification.models import DeclaredConflict
from core import inbox
from notifications.reminders import collect
from tests.certification.factories import (
    COMMITTEE_ONLY,
    TODAY,
    advance,
    applicant,
    apply_and_qualify,
    committee_member,
    make_cycle,
)

pytestmark = pytest.mark.django_db

DEADLINE = TODAY + dt.timedelta(days=7)


@pytest.fixture
def review(ladder, hr):
    """A cycle in review: two candidates for L3, a panel of three with a deadline."""
    cycle = make_cycle(hr, ladder, name="C1", dimensions=COMMITTEE_ONLY, status="open")
    candidates = []
    for i in range(2):
        staff, user = applicant(ladder[1], username=f"cand{i}")
        candidates.append((staff, apply_and_qualify(cycle, hr, user)))
    members = [committee_member(f"m{i}", level=ladder[4])[0] for i in range(3)]
    panel = services.panel_save(
        actor=hr,
        cycle=cycle,
        level=ladder[2],
        chair=members[0],
        members=members,
        deadline=DEADLINE,
    )
    advance(cycle, hr, "review")
    return cycle, panel, members, candidates


def submit(member, application):
    sheet = services.sheet_save(actor=member, application=application, scores={"defence": 80})
    services.sheet_submit(actor=member, sheet=sheet)


def test_the_deadline_is_kept_with_the_panel_and_audited(review, hr):
    _cycle, panel, _members, _candidates = review
    panel.refresh_from_db()
    assert panel.deadline == DEADLINE
    from core import audit

    (event,) = [e for e in audit.history(panel) if e.action == "create"]
    assert event.changes["deadline"] == DEADLINE.isoformat()


def test_the_members_to_do_item_is_due_on_the_deadline(review):
    _cycle, _panel, members, _candidates = review
    (item,) = [i for i in inbox.items_for(members[1], today=TODAY) if i.kind.endswith("sheets")]
    assert (item.count, item.due) == (2, DEADLINE)


def test_members_with_sheets_outstanding_are_reminded_with_how_many(
    review, hr, django_assert_max_num_queries
):
    _cycle, panel, (m0, m1, m2), ((staff0, app0), (_staff1, app1)) = review
    submit(m0, app0)
    submit(m0, app1)  # m0 is done
    submit(m1, app0)  # m1 has one left
    DeclaredConflict.objects.create(member=m2, staff=staff0, kind="relative")  # m2: one left
    with django_assert_max_num_queries(6):
        reminders = events.sheets_due_reminders(TODAY)
    assert [(r.user_id, r.event, r.due, r.key, r.context["n"]) for r in reminders] == [
        (m1.pk, events.SHEETS_DUE, DEADLINE, f"panel:{panel.pk}", 1),
        (m2.pk, events.SHEETS_DUE, DEADLINE, f"panel:{panel.pk}", 1),
    ]
    assert reminders[0].url == "/certification/committee/"
    assert any(r.event == events.SHEETS_DUE for r in collect(today=TODAY))
    assert events.sheets_due_reminders(DEADLINE + dt.timedelta(days=1)) == []


def test_a_panel_without_a_deadline_is_not_reminded(ladder, hr):
    cycle = make_cycle(hr, ladder, name="C2", dimensions=COMMITTEE_ONLY, status="open")
    _staff, user = applicant(ladder[1], username="cand")
    apply_and_qualify(cycle, hr, user)
    member, _ = committee_member("solo", level=ladder[4])
    services.panel_save(actor=hr, cycle=cycle, level=ladder[2], chair=member, members=[member])
    advance(cycle, hr, "review")
    assert events.sheets_due_reminders(TODAY) == []


def test_the_office_sets_the_deadline_on_the_panels_page(ladder, hr):
    cycle = make_cycle(hr, ladder, name="C3", status="open")
    chair, _ = committee_member("chair", level=ladder[4])
    level = ladder[2]
    client = Client()
    client.force_login(hr)
    prefix = f"panel-{level.pk}"
    response = client.post(
        f"/certification/cycles/{cycle.pk}/panels/",
        {
            "level": level.pk,
            f"{prefix}-chair": chair.pk,
            f"{prefix}-members": [chair.pk],
            f"{prefix}-deadline": DEADLINE.isoformat(),
        },
    )
    assert response.status_code == 302
    panel = cycle.panels.get()
    assert panel.deadline == DEADLINE
    page = client.get(f"/certification/cycles/{cycle.pk}/panels/").content.decode()
    assert f'value="{DEADLINE.isoformat()}"' in page
