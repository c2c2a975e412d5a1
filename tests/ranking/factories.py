"""Test data of the ranking app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from org.models import Staff
from ranking import services, sources
from tests.factories import StaffFactory


def kpi_model():
    """The KPI app's annual score model."""
    from kpi.models import AnnualScore

    return AnnualScore


class YearScores(dict):
    """``{staff_id: score}`` of one year (``year``) for the selector seam."""

    year = 2025


class KpiRows(YearScores):
    """``{staff_id: score}`` that writes each score as a row of the KPI app's annual score
    table (year 2025 unless ``year`` is set), which the ranking joins in SQL."""

    def __setitem__(self, staff_id, score):
        super().__setitem__(staff_id, score)
        model = kpi_model()
        model.objects.update_or_create(
            staff_id=staff_id,
            year=self.year,
            defaults={
                "score": Decimal(score),
                "score_raw": Decimal(score),
                "periods": 12,
                "grade": "B",
                "threshold_grade": "B",
                "unit_rank": 1,
            },
        )


def set_scores_backend(store, monkeypatch, *, use_kpi_table: bool = True) -> None:
    """Feed KPI scores from ``store.kpi`` ({staff_id: Decimal}): into the KPI app's table, or
    (``use_kpi_table=False``) through the ``kpi.selectors`` seam, staged by the run."""
    if use_kpi_table:
        store.kpi = KpiRows()
        return
    store.kpi = YearScores()
    monkeypatch.setattr(sources, "kpi_annual_table", lambda: None)
    monkeypatch.setattr(
        sources,
        "annual_scores",
        lambda ids, year: {i: _Score(store.kpi[i]) for i in ids if i in store.kpi},
    )


class _Score:
    def __init__(self, score):
        self.score = Decimal(score)
        self.grade = "B"


def staff_with_scores(scores, level, values, *, unit=None, hire=dt.date(2020, 1, 1), **kw):
    """One staff member per KPI score in ``values`` (``None``: no score); returns them."""
    made = []
    for value in values:
        extra = {"unit": unit} if unit is not None else {}
        staff = StaffFactory(level=level, level_since=hire, hire_date=hire, **extra, **kw)
        if value is not None:
            scores.kpi[staff.pk] = Decimal(str(value))
        made.append(staff)
    return made


def preview(actor, track, year=2025, **params):
    return services.run_create(actor=actor, track=track, year=year, **params)


def exit_staff(staff: Staff) -> None:
    Staff.objects.filter(pk=staff.pk).update(status=Staff.Status.EXITED)


def committee_members(n: int, prefix: str = "cm"):
    from core.roles import Role
    from tests.factories import UserFactory

    return [UserFactory(username=f"{prefix}{i}", roles=[Role.COMMITTEE]) for i in range(n)]


def band_case(scores, ladder, hr_user, *, level_index=1, year=2025, n=20, low=50):
    """A committed run of ``n`` staff at one level where the lowest (score ``low``) is alone in
    the 5 % band; returns (run, case, staff)."""
    from ranking.models import RecertificationCase

    scores.kpi.year = year
    people = staff_with_scores(scores, ladder[level_index], [low] + [70 + i for i in range(n - 1)])
    run = preview(hr_user, ladder[0].track, year=year)
    services.run_commit(actor=hr_user, run=run)
    case = RecertificationCase.objects.get(run=run, staff=people[0])
    return run, case, people[0]


def at(day: dt.date):
    """Move the frozen clock to 10:00 (Beijing) on ``day`` inside a ``with`` block."""
    from zoneinfo import ZoneInfo

    import time_machine

    return time_machine.travel(
        dt.datetime.combine(day, dt.time(10), tzinfo=ZoneInfo("Asia/Shanghai")), tick=True
    )


def parts_for(case, total) -> dict:
    """Scores of every part of the case's sheet that make the sheet total ``total`` (each part
    at ``total`` % of its maximum)."""
    return {d["code"]: Decimal(str(total)) * Decimal(d["max"]) / 100 for d in case.sheet_definition}


def leader(username: str = "leader"):
    from django.contrib.auth import get_user_model

    from core.roles import Role
    from tests.factories import UserFactory

    existing = get_user_model().objects.filter(username=username).first()
    return existing or UserFactory(username=username, roles=[Role.LEADERSHIP])


def score_with(hr_user, case, totals, *, prefix="cm"):
    """A panel of ``len(totals)`` members (at least the minimum panel) each submitting a
    sheet whose total is the given figure."""
    members = committee_members(len(totals), prefix=prefix)
    services.recertification_panel_assign(actor=hr_user, case=case, members=members)
    case.refresh_from_db()
    for member, total in zip(members, totals, strict=True):
        services.recertification_sheet_score(actor=member, case=case, scores=parts_for(case, total))
    return members


def approve(hr_user, case, *, approver=None):
    """Propose (today) and approve (the day after the publicity) a scored case."""
    case = services.recertification_case_propose(actor=hr_user, case=case, reason="panel decision")
    with at(case.publicity_end + dt.timedelta(days=1)):
        return services.recertification_case_approve(actor=approver or leader(), case=case)


def decide_with(hr_user, case, totals, *, prefix="cm"):
    """The whole procedure with no objection and no appeal: scored, proposed, published,
    approved, and (a demotion or elimination) applied the day after the appeal window."""
    score_with(hr_user, case, totals, prefix=prefix)
    case = approve(hr_user, case)
    if case.status == "approved":
        day = case.appeal_until + dt.timedelta(days=1)
        with at(day):
            services.recertification_outcomes_apply(today=day)
    case.refresh_from_db()
    return case
