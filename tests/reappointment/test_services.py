"""Outcomes of a term: renew, renew with conditions (shortfall stated), refer; each audited,
each decided once."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.audit import history
from core.errors import DomainError, InvalidTransition, NotEligible, RoleRequired
from core.roles import Role
from org.models import Appointment
from reappointment import services
from reappointment.models import ReappointmentCase
from tests.factories import UserFactory

from .conftest import TODAY
from .factories import course, credits, requirement, term_ending

END = dt.date(2027, 1, 10)


@pytest.fixture
def setup(ladder, grades):
    l2 = ladder[1]
    required = course("C-REQ", credits="4")
    requirement(l2, "40", [required])
    return {"level": l2, "course": required, "grades": grades}


def _case(hr, staff):
    appointment = Appointment.objects.get(staff=staff, closed_on__isnull=True)
    review = services.review_open(actor=hr, appointment_ids=[appointment.pk], today=TODAY)
    return review.cases.get()


def _ready(setup, staff, amount=40):
    credits(staff, 4, dt.date(2026, 5, 1), setup["course"])
    credits(staff, amount - 4, dt.date(2026, 6, 1))


def test_evidence_states_credits_courses_and_grades(setup, hr):
    staff = term_ending(setup["level"], END)
    credits(staff, 4, dt.date(2026, 5, 1), setup["course"])
    credits(staff, 32, dt.date(2026, 6, 1))
    credits(staff, 10, dt.date(2025, 11, 16))  # 12 months + 1 day ago: does not count
    credits(staff, 99, dt.date(2026, 6, 2), result="failed")  # failed: does not count
    setup["grades"][staff.pk] = {2024: "B", 2025: "C"}

    case = _case(hr, staff)

    by_code = {e["code"]: e for e in case.evaluation}
    assert by_code["training_credits"]["passed"] is False
    assert by_code["training_credits"]["params"] == {
        "credits": "36",
        "required": "40",
        "short": "4",
    }
    assert by_code["required_courses"]["passed"] is True
    assert by_code["term_grades"]["passed"] is True
    assert by_code["term_grades"]["params"]["grades"] == "2024 B, 2025 C"
    assert case.suggested_outcome == "renewed_with_conditions"


def test_short_of_credits_gets_the_condition_outcome_with_the_shortfall_stated(setup, hr):
    staff = term_ending(setup["level"], END)
    credits(staff, 4, dt.date(2026, 5, 1), setup["course"])
    credits(staff, 32, dt.date(2026, 6, 1))
    case = _case(hr, staff)

    with pytest.raises(NotEligible):
        services.review_renew(actor=hr, case=case, today=TODAY)

    case = services.review_renew_with_conditions(actor=hr, case=case, today=TODAY)

    assert case.outcome == "renewed_with_conditions"
    assert case.shortfall == Decimal("4")
    assert case.condition_deadline == dt.date(2027, 5, 16)  # six months after the decision
    assert case.conditions == "培训学分 36/40，差 4 分；须于 2027-05-16 前补足"
    assert case.new_appointment.start == END
    events = [e.action for e in history(case)]
    assert "reappointment:renewed_with_conditions" in events


def test_missing_required_course_is_a_condition_too(setup, hr):
    staff = term_ending(setup["level"], END)
    credits(staff, 45, dt.date(2026, 6, 1))
    case = _case(hr, staff)
    case = services.review_renew_with_conditions(
        actor=hr, case=case, deadline=dt.date(2027, 3, 31), note="参加补考", today=TODAY
    )
    assert case.shortfall == Decimal("0")
    assert "C-REQ" in case.conditions and "2027-03-31" in case.conditions
    assert case.conditions.endswith("参加补考")


def test_conditions_need_something_to_condition(setup, hr):
    staff = term_ending(setup["level"], END)
    _ready(setup, staff)
    case = _case(hr, staff)
    with pytest.raises(DomainError) as exc:
        services.review_renew_with_conditions(actor=hr, case=case, today=TODAY)
    assert exc.value.code == "no_conditions"
    with pytest.raises(DomainError):
        services.review_renew_with_conditions(
            actor=hr, case=case, deadline=TODAY, note="x", today=TODAY
        )


def test_renewal_writes_one_new_appointment_and_is_refused_twice(setup, hr):
    staff = term_ending(setup["level"], END)
    _ready(setup, staff)
    old = Appointment.objects.get(staff=staff)
    case = _case(hr, staff)

    case = services.review_renew(actor=hr, case=case, reason="考核合格", today=TODAY)

    new = Appointment.objects.get(staff=staff, closed_on__isnull=True)
    old.refresh_from_db()
    assert case.new_appointment == new
    assert (new.level, new.start, new.end, new.reason) == (
        setup["level"],
        END,
        dt.date(2030, 1, 10),
        "renewal",
    )
    assert old.closed_on == END
    assert Appointment.objects.filter(staff=staff).count() == 2
    staff.refresh_from_db()
    assert staff.level == setup["level"]

    with pytest.raises(InvalidTransition):
        services.review_renew(actor=hr, case=case, today=TODAY)
    with pytest.raises(InvalidTransition):
        services.review_renew_with_conditions(actor=hr, case=case, note="x", today=TODAY)
    with pytest.raises(InvalidTransition):
        services.review_refer(actor=hr, case=case, today=TODAY)
    assert Appointment.objects.filter(staff=staff).count() == 2
    actions = [e.action for e in history(case)]
    assert actions.count("reappointment:renewed") == 1


def test_the_database_refuses_a_second_case_for_the_same_term(setup, hr):
    staff = term_ending(setup["level"], END)
    case = _case(hr, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReappointmentCase.objects.create(
            appointment=case.appointment, staff=staff, level=case.level, term_end=END
        )


def test_the_database_refuses_a_decided_case_without_outcome(setup, hr):
    staff = term_ending(setup["level"], END)
    case = _case(hr, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReappointmentCase.objects.filter(pk=case.pk).update(status="decided")


def test_a_term_in_a_review_cannot_join_another(setup, hr):
    staff = term_ending(setup["level"], END)
    case = _case(hr, staff)
    with pytest.raises(InvalidTransition):
        services.review_open(actor=hr, appointment_ids=[case.appointment_id], today=TODAY)
    with pytest.raises(DomainError):
        services.review_open(actor=hr, appointment_ids=[], today=TODAY)
    with pytest.raises(DomainError):
        services.review_open(actor=hr, appointment_ids=[987654], today=TODAY)


def test_refer_opens_no_new_term_and_keeps_the_appointment_open(setup, hr):
    staff = term_ending(setup["level"], END)
    _ready(setup, staff)
    setup["grades"][staff.pk] = {2024: "B", 2025: "D"}
    case = _case(hr, staff)
    assert case.suggested_outcome == "referred"
    with pytest.raises(NotEligible):
        services.review_renew(actor=hr, case=case, today=TODAY)

    case = services.review_refer(actor=hr, case=case, reason="年度考核基本合格", today=TODAY)

    assert case.outcome == "referred" and case.new_appointment is None
    assert Appointment.objects.filter(staff=staff, closed_on__isnull=True).count() == 1
    assert next(e.action for e in history(case)) == "reappointment:referred"


def test_grades_before_and_after_the_term_do_not_count(setup, hr):
    staff = term_ending(setup["level"], END)  # term 2024-01-10 … 2027-01-10
    _ready(setup, staff)
    setup["grades"][staff.pk] = {2023: "E", 2024: "A", 2025: "B", 2026: "E"}
    case = _case(hr, staff)  # on 2026-11-16 the completed years are 2024 and 2025
    grades = next(e for e in case.evaluation if e["code"] == "term_grades")
    assert grades["passed"] is True
    assert grades["params"]["grades"] == "2024 A, 2025 B"


def test_only_the_office_decides(setup, hr):
    staff = term_ending(setup["level"], END)
    case = _case(hr, staff)
    manager = UserFactory(username="mgr", roles=[Role.MANAGER])
    with pytest.raises(RoleRequired):
        services.review_refer(actor=manager, case=case, today=TODAY)
    with pytest.raises(RoleRequired):
        services.review_open(actor=manager, appointment_ids=[case.appointment_id], today=TODAY)


def test_a_closed_appointment_cannot_be_renewed(setup, hr, ladder):
    from org.services import appoint

    staff = term_ending(setup["level"], END)
    case = _case(hr, staff)
    appoint(
        actor=None, staff=staff, level=ladder[2], start=dt.date(2026, 12, 1), reason="promotion"
    )
    with pytest.raises(InvalidTransition):
        services.review_renew(actor=hr, case=case, today=TODAY)


def test_a_failing_letter_never_undoes_the_renewal(
    setup, hr, monkeypatch, django_capture_on_commit_callbacks
):
    """The letter is asked for after the renewal commits; if rendering fails, the renewal
    stands (the office issues the letter again from the letters pages)."""
    from letters import services as letters_services

    def broken(**kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(letters_services.batch, "letter_issue", broken)
    staff = term_ending(setup["level"], END)
    _ready(setup, staff)
    with django_capture_on_commit_callbacks(execute=True):
        case = services.review_renew(actor=hr, case=_case(hr, staff), today=TODAY)
    case.refresh_from_db()
    assert case.outcome == "renewed" and case.new_appointment_id is not None
    assert case.letter_id is None and case.letter_number == ""


def test_renewal_issues_one_real_letter_and_never_a_second(
    setup, hr, settings, tmp_path, django_capture_on_commit_callbacks
):
    from letters.models import Letter

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    staff = term_ending(setup["level"], END)
    _ready(setup, staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        case = services.review_renew(actor=hr, case=_case(hr, staff), today=TODAY)
        assert not Letter.objects.filter(staff=staff).exists()  # nothing before the commit
    assert len(callbacks) == 1
    case.refresh_from_db()

    letter = Letter.objects.get(staff=staff)
    assert letter.appointment_id == case.new_appointment_id
    assert (case.letter_id, case.letter_number) == (letter.pk, letter.number)
    assert letter.kind == "renewal" and letter.sha256
    with pytest.raises(InvalidTransition):
        services.review_renew(actor=hr, case=case, today=TODAY)
    assert Letter.objects.filter(staff=staff).count() == 1


def test_renewal_keeps_the_date_at_the_level(setup, hr):
    """Years at the current level (promotion eligibility) do not restart with a renewal."""
    staff = term_ending(setup["level"], END)
    since = staff.level_since
    _ready(setup, staff)
    services.review_renew(actor=hr, case=_case(hr, staff), today=TODAY)
    staff.refresh_from_db()
    assert staff.level_since == since == dt.date(2024, 1, 10)
