"""Test data for certification: cycles, candidates, panels, and fake data sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from certification import services
from certification.models import Application, Cycle
from core.roles import Role
from tests.clock import FROZEN_TODAY, THIS_YEAR, jan1, year_end
from tests.factories import StaffFactory, UserFactory, make_unit, make_user_for
from tests.files import PDF_BYTES  # noqa: F401 — re-exported for the tests

D = Decimal
TODAY = FROZEN_TODAY  # a Monday

DEFAULT_DIMENSIONS = [
    {"code": "kpi", "name": "工作业绩", "weight": D("40"), "source": "kpi", "max_score": D("100")},
    {
        "code": "training",
        "name": "培训发展",
        "weight": D("20"),
        "source": "training",
        "max_score": D("100"),
    },
    {
        "code": "competency",
        "name": "素质评估",
        "weight": D("20"),
        "source": "competency",
        "max_score": D("100"),
    },
    {
        "code": "defence",
        "name": "答辩",
        "weight": D("20"),
        "source": "committee",
        "max_score": D("100"),
    },
]

COMMITTEE_ONLY = [
    {
        "code": "defence",
        "name": "答辩",
        "weight": D("100"),
        "source": "committee",
        "max_score": D("100"),
    },
]


def make_cycle(
    hr,
    levels,
    *,
    offers=None,
    dimensions=None,
    window=None,
    status=None,
    **fields,
) -> Cycle:
    """A cycle of the ladder's track offering L3 (quota 2, pass line 60) by default.

    The window runs from the first of this month to the year's end, the reference date is the
    year's end (all relative to the frozen today)."""
    window = window or (TODAY.replace(day=1), year_end())
    offers = offers or [{"level": levels[2], "quota": 2, "pass_line": D("60")}]
    cycle = services.cycle_create(
        actor=hr,
        name=fields.pop("name", f"{THIS_YEAR} 晋升认证"),
        track=levels[0].track,
        window_start=window[0],
        window_end=window[1],
        reference_date=fields.pop("reference_date", year_end()),
        offers=offers,
        dimensions=dimensions if dimensions is not None else DEFAULT_DIMENSIONS,
        **fields,
    )
    if status:
        advance(cycle, hr, status)
    return cycle


ORDER = ["draft", "open", "qualification", "review", "publicity", "approval", "closed"]


def advance(cycle, hr, to: str):
    steps = {
        "open": services.cycle_open,
        "qualification": services.cycle_qualification_start,
        "review": services.cycle_review_start,
    }
    cycle.refresh_from_db()
    while ORDER.index(cycle.status) < ORDER.index(to):
        nxt = ORDER[ORDER.index(cycle.status) + 1]
        steps[nxt](actor=hr, cycle=cycle)
        cycle.refresh_from_db()
    return cycle


def applicant(level, *, since=None, unit=None, manager=None, username=None):
    """A staff member at ``level`` since 1 January four years ago, with a login."""
    kwargs = {"level": level, "level_since": since or jan1(4)}
    if unit is not None:
        kwargs["unit"] = unit
    if manager is not None:
        kwargs["manager"] = manager
    staff = StaffFactory(**kwargs)
    user = make_user_for(staff, username=username)
    return staff, user


def apply_and_qualify(cycle, hr, user, *, today=TODAY, statement="我的业绩") -> Application:
    """Apply, submit and qualify; an applicant who fails a rule is qualified as an override
    with a recorded reason (the rules under test are elsewhere)."""
    app = services.application_create(actor=user, cycle=cycle, statement=statement, today=today)
    services.application_submit(actor=user, application=app, today=today)
    app.refresh_from_db()
    services.application_qualify(
        reason="" if app.eligible else "测试：例外通过",
        actor=hr,
        application=app,
        eligibility_ok=True,
        materials_complete=True,
        facts_truthful=True,
        procedure_regular=True,
    )
    app.refresh_from_db()
    return app


def committee_member(username, *, level=None, unit=None):
    """A committee user with a staff record in their own unit (no accidental conflicts)."""
    unit = unit or make_unit(f"U-{username}")
    staff = (
        StaffFactory(level=level, level_since=jan1(11), unit=unit)
        if level
        else (StaffFactory(unit=unit))
    )
    return make_user_for(staff, Role.COMMITTEE, username=username), staff


def external_member(username):
    """A committee user without a staff record (an external expert)."""
    return UserFactory(username=username, roles=[Role.COMMITTEE])


@dataclass
class FakeSources:
    grades: dict = field(default_factory=dict)  # staff_id -> (score, grade)
    credits: dict = field(default_factory=dict)  # staff_id -> Decimal
    required: Decimal = field(default_factory=lambda: D("40"))
    missing: dict = field(default_factory=dict)  # staff_id -> [course]
    indexes: dict = field(default_factory=dict)  # staff_id -> Decimal


@dataclass
class Annual:
    score: Decimal
    grade: str


@dataclass
class Summary:
    credits_12m: Decimal
    required_credits: Decimal
    missing_courses: list
    met: bool
    shortfall: Decimal


def install_sources(monkeypatch, fake: FakeSources):
    from certification import sources

    monkeypatch.setattr(
        sources,
        "annual_scores",
        lambda ids, year: {i: Annual(*fake.grades[i]) for i in ids if i in fake.grades},
    )

    def summary(staff, on_date, level=None):
        credits = fake.credits.get(staff.pk, D("0"))
        missing = fake.missing.get(staff.pk, [])
        return Summary(
            credits,
            fake.required,
            missing,
            credits >= fake.required and not missing,
            max(fake.required - credits, D(0)),
        )

    monkeypatch.setattr(sources, "training_summary", summary)
    monkeypatch.setattr(
        sources, "credits_12m", lambda ids, on: {i: fake.credits.get(i, D("0")) for i in ids}
    )
    monkeypatch.setattr(
        sources,
        "competency_indexes",
        lambda ids, on_date=None: {i: fake.indexes[i] for i in ids if i in fake.indexes},
    )
    return fake
