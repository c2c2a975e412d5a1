"""Commit, supersede and the re-certification outcomes (DOMAIN.md, "Annual ranking and dynamic
management": pass → kept; fail → demoted; lowest level, elimination line or a second failure in
a row → eliminated)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from core.errors import ConflictOfInterest, DomainError, InvalidTransition, RoleRequired
from core.models import AuditEvent
from org.models import Appointment, Staff
from ranking import selectors, services
from ranking.models import RankingEntry, RankingRun, RecertificationCase
from tests.factories import make_user_for
from tests.ranking.factories import (
    at,
    band_case,
    committee_members,
    decide_with,
    parts_for,
    preview,
    staff_with_scores,
)

EFFECTIVE = dt.date(2026, 12, 12)  # the day after the appeal window of a case proposed today


def test_commit_opens_a_case_per_bottom_band_member_at_the_current_level(scores, ladder, hr_user):
    values = [50, 55, 55] + [70 + i for i in range(17)]  # band 1, but 55 is not tied with 50
    people = staff_with_scores(scores, ladder[2], values)
    run = preview(hr_user, ladder[0].track, bottom_pct=D("10"))  # band 2: 50 and both 55s
    assert not RecertificationCase.objects.exists()  # a preview opens nothing
    services.run_commit(actor=hr_user, run=run)
    run.refresh_from_db()
    assert run.status == RankingRun.Status.COMMITTED and run.committed_at is not None
    cases = RecertificationCase.objects.filter(run=run)
    assert sorted(c.staff_id for c in cases) == sorted(s.pk for s in people[:3])
    assert {c.level_id for c in cases} == {ladder[2].pk}
    assert selectors.under_recertification(staff_ids=[s.pk for s in people]) == {
        s.pk for s in people[:3]
    }
    assert AuditEvent.objects.filter(action="open").count() == 3
    assert AuditEvent.objects.filter(action="commit", object_id=str(run.pk)).exists()


def test_an_open_case_blocks_promotion_in_the_certification_eligibility_rule(
    scores, ladder, hr_user
):
    from certification import sources as certification_sources

    _run, case, staff = band_case(scores, ladder, hr_user)
    assert certification_sources.open_recertification(staff.pk)["level"] == ladder[1].code
    decide_with(hr_user, case, [70, 70, 70])
    assert certification_sources.open_recertification(staff.pk) is None


def test_a_committed_run_is_immutable(scores, ladder, hr_user):
    run, _case, _staff = band_case(scores, ladder, hr_user)
    with pytest.raises(InvalidTransition):
        services.run_commit(actor=hr_user, run=run)
    with pytest.raises(InvalidTransition):
        services.run_update(actor=hr_user, run=run, bottom_pct=D("10"))
    with pytest.raises(TypeError):
        run.delete()


def test_a_new_run_for_a_committed_year_needs_a_reason_and_supersedes(scores, ladder, hr_user):
    old, old_case, _staff = band_case(scores, ladder, hr_user)
    with pytest.raises(DomainError) as err:
        preview(hr_user, ladder[0].track)
    assert err.value.code == "reason_required"
    new = preview(hr_user, ladder[0].track, bottom_pct=D("10"), reason="KPI data corrected")
    services.run_commit(actor=hr_user, run=new)
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == RankingRun.Status.SUPERSEDED and new.supersedes_id == old.pk
    assert new.status == RankingRun.Status.COMMITTED
    assert RankingEntry.objects.filter(run=old).count() == 20  # both kept
    old_case.refresh_from_db()
    assert old_case.status == RecertificationCase.Status.WITHDRAWN
    assert RecertificationCase.objects.filter(run=new, status="open").count() == 2
    assert AuditEvent.objects.filter(action="supersede", object_id=str(old.pk)).exists()


def test_superseding_does_not_reopen_a_decided_case(scores, ladder, hr_user):
    _old, case, staff = band_case(scores, ladder, hr_user)
    decide_with(hr_user, case, [70, 70, 70])
    new = preview(hr_user, ladder[0].track, reason="re-run")
    services.run_commit(actor=hr_user, run=new)
    assert not RecertificationCase.objects.filter(run=new, staff=staff).exists()


def test_pass_keeps_the_level_and_the_appointment(scores, ladder, hr_user):
    _run, case, staff = band_case(scores, ladder, hr_user)
    before = Appointment.objects.get(staff=staff, closed_on__isnull=True)
    case = decide_with(hr_user, case, [70, 65, "67.5"])  # mean 67.50 ≥ 60
    assert (case.outcome, case.ground, case.committee_score) == ("kept", "passed", D("67.50"))
    assert case.status == "decided" and case.appeal_until is None  # final at approval
    assert Appointment.objects.get(staff=staff, closed_on__isnull=True) == before
    assert selectors.under_recertification(staff_ids=[staff.pk]) == set()
    event = AuditEvent.objects.get(action="approve", object_id=str(case.pk))
    assert (event.from_state, event.to_state) == ("published", "decided")


def test_fail_demotes_one_level_with_a_new_appointment(scores, ladder, hr_user):
    _run, case, staff = band_case(scores, ladder, hr_user, level_index=2)
    case = decide_with(hr_user, case, [50, "55.01", "52.505"])  # 52.505 → 52.51 < 60, ≥ 40
    assert (case.outcome, case.ground, case.committee_score) == ("demoted", "failed", D("52.51"))
    # proposed Mon 30 Nov, published to Fri 4 Dec, approved Sat 5 Dec; appeal window Mon 7 –
    # Fri 11 Dec; the effect on Sat 12 Dec
    assert case.appeal_until == dt.date(2026, 12, 11) and case.effective_on == EFFECTIVE
    staff.refresh_from_db()
    assert staff.level == ladder[1] and staff.level_since == EFFECTIVE
    new = Appointment.objects.get(staff=staff, closed_on__isnull=True)
    assert new == case.new_appointment
    assert (new.level, new.reason) == (ladder[1], Appointment.Reason.DEMOTION)
    assert Appointment.objects.filter(staff=staff).count() == 2  # history kept


def test_fail_at_the_lowest_level_eliminates(scores, ladder, hr_user):
    _run, case, staff = band_case(scores, ladder, hr_user, level_index=0)
    case = decide_with(hr_user, case, [50, 50, 50])
    assert (case.outcome, case.ground) == ("eliminated", "lowest_level")
    staff.refresh_from_db()
    assert staff.level is None and staff.status == Staff.Status.ACTIVE
    closed = Appointment.objects.get(staff=staff)
    assert closed.closed_on == EFFECTIVE and case.closed_appointment == closed
    assert AuditEvent.objects.filter(action="appoint:elimination", object_id=str(staff.pk)).exists()


def test_a_score_under_the_elimination_line_eliminates(scores, ladder, hr_user):
    _run, case, staff = band_case(scores, ladder, hr_user, level_index=3)
    case = decide_with(hr_user, case, ["39.99", "39.99", "39.99"])
    assert (case.outcome, case.ground) == ("eliminated", "under_elimination_line")
    staff.refresh_from_db()
    assert staff.level is None


def test_the_elimination_line_itself_is_not_under_it(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user, level_index=3)
    case = decide_with(hr_user, case, [40, 40, 40])
    assert case.outcome == "demoted"


def test_a_second_failure_in_a_row_eliminates(scores, ladder, hr_user):
    scores.kpi.year = 2024
    people = staff_with_scores(scores, ladder[2], [50] + [70 + i for i in range(19)])
    first = preview(hr_user, ladder[0].track, year=2024)
    services.run_commit(actor=hr_user, run=first)
    case = RecertificationCase.objects.get(run=first)
    decide_with(hr_user, case, [50, 50, 50], prefix="y24-")
    scores.kpi.year = 2025
    for i, staff in enumerate(people):
        scores.kpi[staff.pk] = D(50 if i == 0 else 70 + i)
    second = preview(hr_user, ladder[0].track, year=2025)
    services.run_commit(actor=hr_user, run=second)
    case = RecertificationCase.objects.get(run=second)
    assert case.level == ladder[1]  # re-certified at the level they were demoted to
    with at(dt.date(2027, 11, 30)):  # a year later
        case = decide_with(hr_user, case, [50, 50, 50], prefix="y25-")
    assert (case.outcome, case.ground) == ("eliminated", "second_failure")


def test_the_committee_score_is_the_trimmed_mean_once_the_quorum_submitted(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    members = committee_members(5)
    services.recertification_panel_assign(actor=hr_user, case=case, members=members)
    case.refresh_from_db()
    for member, total in zip(members[:3], [40, 62, 64], strict=True):
        services.recertification_sheet_score(actor=member, case=case, scores=parts_for(case, total))
    with pytest.raises(InvalidTransition) as err:  # quorum of 5 is ⌈10/3⌉ = 4
        services.recertification_case_propose(actor=hr_user, case=case)
    assert err.value.code == "quorum_not_reached"
    for member, total in zip(members[3:], [60, 90], strict=True):
        services.recertification_sheet_score(actor=member, case=case, scores=parts_for(case, total))
    # five sheets: drop 40 and 90 → (62 + 64 + 60) / 3 = 62.00
    case = services.recertification_case_propose(actor=hr_user, case=case)
    assert case.committee_score == D("62.00") and case.outcome == "kept"
    again = services.recertification_case_propose(actor=hr_user, case=case)  # a repeat
    assert (again.status, again.committee_score, again.publicity_end) == (
        "published",
        D("62.00"),
        case.publicity_end,
    )


def test_panel_members_may_not_have_a_conflict_of_interest(scores, ladder, hr_user):
    from core.roles import Role
    from tests.factories import StaffFactory

    _run, case, staff = band_case(scores, ladder, hr_user)
    boss = StaffFactory(level=ladder[4], level_since=dt.date(2020, 1, 1))
    Staff.objects.filter(pk=staff.pk).update(manager=boss)
    boss_user = make_user_for(boss, Role.COMMITTEE)
    with pytest.raises(ConflictOfInterest):
        services.recertification_panel_assign(actor=hr_user, case=case, members=[boss_user])


def test_only_panel_members_score_and_a_submitted_sheet_is_locked(scores, ladder, hr_user):
    _run, case, _staff = band_case(scores, ladder, hr_user)
    inside, second, third, outside = committee_members(4)
    services.recertification_panel_assign(actor=hr_user, case=case, members=[inside, second, third])
    case.refresh_from_db()
    with pytest.raises(RoleRequired):
        services.recertification_sheet_score(actor=outside, case=case, scores=parts_for(case, 70))
    services.recertification_sheet_score(actor=inside, case=case, scores=parts_for(case, 70))
    with pytest.raises(InvalidTransition):
        services.recertification_sheet_score(actor=inside, case=case, scores=parts_for(case, 80))
    with pytest.raises(InvalidTransition):
        services.recertification_panel_assign(
            actor=hr_user, case=case, members=[second, third, outside]
        )


def test_a_demotion_issues_the_demotion_notice(
    scores, ladder, hr_user, django_capture_on_commit_callbacks, settings, tmp_path
):
    pytest.importorskip("letters.services")
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    _run, case, _staff = band_case(scores, ladder, hr_user, level_index=2)
    with django_capture_on_commit_callbacks(execute=True):
        case = decide_with(hr_user, case, [50, 50, 50])
    case.refresh_from_db()
    from letters.models import Letter

    letter = Letter.objects.get(pk=case.letter_id)
    assert letter.kind == "demotion"
    # Issued at the approval, for the level held then, so that it can state the appeal
    # deadline and the day the demotion takes effect (the day after the window).
    assert (
        letter.appointment_id
        == case.new_appointment.__class__.objects.get(staff=case.staff, level=case.level).pk
    )
    facts = letter.facts
    assert facts["appeal_until"] == case.appeal_until.isoformat()
    assert facts["effective_on"] == case.new_appointment.start.isoformat()
    assert (facts["old_level_code"], facts["new_level_code"]) == (
        case.level.code,
        case.new_appointment.level.code,
    )
    assert facts["recert_score"] == str(case.committee_score)
    assert facts["pass_line"] == str(case.pass_line)
    assert facts["ranking_year"] == str(case.run.year) and facts["rank"] == str(case.entry.rank)
    assert "allowance" not in facts and "training_package" not in facts
