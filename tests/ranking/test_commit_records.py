"""What a commit writes for the cases it opens, compared row by row with the one-at-a-time
mechanisms: each case's ``open`` audit record is the event ``core.audit.record`` writes for it,
and each notification (with its deliveries) the one ``notifications.services.notify`` writes
for its staff member — whatever set-based statements the commit uses to write them.

Two level cohorts of 20 at 10 %: band size 2, with a tie on the cut line in L3 (3 in the
band); one member of the L2 band already has an active (referred) case, which is carried;
four members of the bands have logins, one of them reading English."""

from decimal import Decimal as D

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from core import audit, clock
from core.models import AuditEvent
from notifications.models import Delivery, Notification, NotificationSettings
from notifications.services import notify
from ranking import events, services
from ranking.models import RankingEntry, RecertificationCase
from tests.audit import audit_row
from tests.factories import make_user_for
from tests.ranking.factories import preview, staff_with_scores

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(scores, ladder, hr_user):
    scores.kpi.year = clock.today().year - 1  # last year's ranking, under the test clock
    l3 = staff_with_scores(scores, ladder[2], [50, 55, 55] + [70 + i for i in range(17)])
    l2 = staff_with_scores(scores, ladder[1], [40, 45] + [80 + i for i in range(18)])
    users = [make_user_for(l3[0]), make_user_for(l3[2]), make_user_for(l2[0])]
    NotificationSettings.objects.create(user=users[1], language="en", email_enabled=False)
    carried = services.recertification_case_open(actor=hr_user, staff=l2[1], reason="续聘评审转入")
    make_user_for(l2[1])  # told when referred; not told again by the commit
    run = preview(hr_user, ladder[0].track, cohort="level", bottom_pct=D("10"))
    services.run_commit(actor=hr_user, run=run)
    run.refresh_from_db()
    return run, l3, l2, carried


def _opened(run):
    return list(
        RecertificationCase.objects.filter(run=run)
        .select_related("staff", "level", "run")
        .order_by("pk")
    )


def test_the_commit_opens_the_band_and_carries_the_active_case(committed):
    run, l3, l2, carried = committed
    cases = _opened(run)
    assert sorted(c.staff_id for c in cases) == sorted([l3[0].pk, l3[1].pk, l3[2].pk, l2[0].pk])
    assert all(c.status == "open" and c.level_id == c.staff.level_id for c in cases)
    entries = {e.staff_id: e for e in RankingEntry.objects.filter(run=run)}
    assert all(c.entry_id == entries[c.staff_id].pk for c in cases)
    assert entries[l2[1].pk].carried_case_id == carried.pk
    assert [e.staff_id for e in entries.values() if e.carried_case_id] == [l2[1].pk]
    # Keys in the order the band is listed (cohort, rank, staff member), as before.
    band = sorted(cases, key=lambda c: (c.entry.cohort_key, c.entry.rank, c.staff_id))
    assert [c.pk for c in band] == sorted(c.pk for c in cases)
    commit = AuditEvent.objects.get(action="commit", object_id=str(run.pk))
    assert (commit.changes["cases_opened"], commit.changes["cases_carried"]) == (4, 1)


def test_each_case_has_the_audit_record_a_single_record_would_write(committed, hr_user):
    run, *_ = committed
    cases = _opened(run)
    case_type = ContentType.objects.get_for_model(RecertificationCase)
    written = AuditEvent.objects.filter(
        content_type=case_type, object_id__in=[str(c.pk) for c in cases]
    ).order_by("object_id")
    expected = []
    with transaction.atomic():
        for case in cases:
            expected.append(
                audit.record(
                    actor=hr_user,
                    obj=case,
                    action="open",
                    to_state=RecertificationCase.Status.OPEN,
                    changes={"run": run.pk, "staff": case.staff_id, "level": case.level_id},
                )
            )
        transaction.set_rollback(True)
    assert sorted(audit_row(e) for e in written) == sorted(audit_row(e) for e in expected)
    assert len(written) == 4
    # Written in the cases' order (by employee number), as one record() per case would be.
    by_employee_no = sorted(cases, key=lambda c: c.staff.employee_no)
    assert [e.object_id for e in written.order_by("pk")] == [str(c.pk) for c in by_employee_no]
    # The object's name as people read it in the audit trail, e.g. "张三 (E0001) L3 2025".
    names = {e.object_id: e.object_repr for e in written}
    assert all(
        names[str(c.pk)] == f"{c.staff.name} ({c.staff.employee_no}) {c.level.code} {run.year}"
        for c in cases
    )
    assert all(e.at >= run.committed_at for e in written)  # stamped at the commit


def _notification_row(n: Notification) -> tuple:
    deliveries = sorted((d.channel, d.status) for d in Delivery.objects.filter(notification=n))
    return (n.recipient_id, n.event, n.subject, n.body, n.url, n.language, tuple(deliveries))


def test_each_case_has_the_notification_a_single_notify_would_write(committed):
    run, l3, l2, _carried = committed
    cases = [c for c in _opened(run) if c.staff.user_id is not None]
    written = Notification.objects.filter(event=events.CASE_OPENED, url__contains="/ranking/")
    written = [n for n in written if n.recipient_id != l2[1].user_id]  # the referral's
    expected = []
    with transaction.atomic():
        cause = events.lazy_format(events.BOTTOM_BAND, year=run.year)
        for case in cases:
            context = {
                **events._opening_context(case.level.code, cause),
                "pass_line": run.pass_line,
                "elimination_line": run.elimination_line,
            }
            sent = notify(
                event=events.CASE_OPENED,
                recipients=[case.staff.user_id],
                context=context,
                url=events._url(case.pk),
            )
            expected += [_notification_row(n) for n in sent]
        transaction.set_rollback(True)
    assert sorted(_notification_row(n) for n in written) == sorted(expected)
    assert {row[0] for row in expected} == {l3[0].user_id, l3[2].user_id, l2[0].user_id}
    english = next(row for row in expected if row[0] == l3[2].user_id)
    assert (english[2], english[5]) == ("A re-certification at L3 has been opened for you", "en")


def test_superseding_withdraws_the_open_cases_with_the_records_a_single_record_writes(
    committed, hr_user, ladder
):
    run, *_ = committed
    scored = _opened(run)[0]
    RecertificationCase.objects.filter(pk=scored.pk).update(status="published")
    new = preview(hr_user, ladder[0].track, cohort="level", bottom_pct=D("10"), reason="更正")
    services.run_commit(actor=hr_user, run=new)
    old_cases = _opened(run)
    withdrawn = [c for c in old_cases if c.status == "withdrawn"]
    assert [c.pk for c in old_cases if c not in withdrawn] == [scored.pk]  # not in scoring
    assert len(withdrawn) == 3 and {c.decision_reason for c in withdrawn} == {"更正"}
    written = AuditEvent.objects.filter(action="withdraw").order_by("pk")
    expected = []
    with transaction.atomic():
        for case in withdrawn:
            expected.append(
                audit.record(
                    actor=hr_user,
                    obj=case,
                    action="withdraw",
                    from_state="open",
                    to_state="withdrawn",
                    reason="更正",
                )
            )
        transaction.set_rollback(True)
    assert [audit_row(e) for e in written] == [audit_row(e) for e in expected]  # pk order
