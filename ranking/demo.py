"""Demo data: last year's committed ranking of the KAM track (per level, bottom 5 %), its
re-certification cases in every state of the procedure — decided (kept, demoted, eliminated),
approved within the appeal window with an appeal pending, approved with the window still
open (its staff member can sign in — as ``recert`` when they had no login — and appeal),
proposed and in publicity, being scored — the rest open, and so the honour roll. Idempotent:
nothing is added when last year already has a committed run. The demo back-dates the
publicity and appeal windows that a real procedure would wait for.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core.errors import DomainError
from core.roles import Role
from org.models import Staff, Track

from . import services
from .models import RankingRun, RecertificationCase

PANEL = ("committee", "panel1", "panel2")
# (state, committee totals): decided kept, demoted, eliminated (under 40); approved demotions
# in the appeal window (one appealed, one for the visitor to appeal); one in publicity; one
# being scored (one sheet of three).
PLAN = [
    ("approved", (53, 57, 51)),
    ("appealed", (54, 50, 56)),
    ("published", (58, 55, 50)),
    ("scoring", (61,)),
    ("decided", (72, 70, 75)),
    ("decided", (55, 52, 58)),
    ("decided", (35, 38, 30)),
]
# the states whose totals mean a demotion: not for a case at the track's lowest level
DEMOTING = {0, 1, 2, 5}
APPEAL_LOGIN = "recert"


def _user(username: str, role: str | None = None):
    from org.demo import DEMO_PASSWORD

    user, created = get_user_model().objects.get_or_create(username=username)
    if created:
        user.password = make_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


def _panel():
    return [_user(username, Role.COMMITTEE) for username in PANEL]


def _score(case, members, totals) -> None:
    case.refresh_from_db()
    for member, total in zip(members, totals, strict=False):
        parts = {d["code"]: Decimal(total) * Decimal(d["max"]) / 100 for d in case.sheet_definition}
        services.recertification_sheet_score(actor=member, case=case, scores=parts)


def _advance(case, state: str, *, hr, leader, today: dt.date) -> None:
    """Take a scored case through the procedure to ``state``, back-dating the windows."""
    if state == "scoring":
        return
    case = services.recertification_case_propose(actor=hr, case=case, reason="演示：评审小组建议")
    if state == "published":
        return
    RecertificationCase.objects.filter(pk=case.pk).update(
        publicity_start=today - dt.timedelta(days=14), publicity_end=today - dt.timedelta(days=8)
    )
    case = services.recertification_case_approve(actor=leader, case=case, reason="演示：同意")
    if state == "appealed":
        if case.staff.user_id is not None:
            services.recertification_appeal_file(
                actor=case.staff.user, case=case, reason="演示：客户案例未计入业绩"
            )
    elif state == "decided" and case.status == RecertificationCase.Status.APPROVED:
        RecertificationCase.objects.filter(pk=case.pk).update(
            appeal_until=today - dt.timedelta(days=1)
        )


def build(*, today: dt.date, stdout) -> str | None:
    track = Track.objects.filter(code="KAM").first()
    hr = get_user_model().objects.filter(username="hr").first()
    if track is None or hr is None:
        return None
    year = today.year - 1
    if RankingRun.objects.filter(track=track, year=year, status="committed").exists():
        return None
    run = services.run_create(
        actor=hr, track=track, year=year, cohort=RankingRun.Cohort.LEVEL, bottom_pct=Decimal(5)
    )
    not_closed = services.year_not_closed(run)
    reason = "演示：年度KPI考核期尚未全部锁定，先行排名" if not_closed else ""
    services.run_commit(actor=hr, run=run, reason=reason)
    panel = _panel()
    leader = _user("leader", Role.LEADERSHIP)
    done = 0
    remaining = list(range(len(PLAN)))
    lowest = min(track.levels.values_list("order", flat=True), default=0)
    cases = RecertificationCase.objects.filter(run=run).select_related(
        "staff", "staff__user", "level"
    )
    for case in cases.order_by("staff__employee_no"):
        members = [m for m in panel if not services.conflicts_with(m, case.staff)]
        fits = [i for i in remaining if case.level.order > lowest or i not in DEMOTING]
        if len(members) < 3 or not fits:
            continue
        index = fits[0]
        state, totals = PLAN[index]
        if state in ("appealed", "approved") and case.staff.user_id is None:
            login = _user(APPEAL_LOGIN if state == "approved" else f"recert{case.staff_id}")
            if Staff.objects.filter(user=login).exists():
                continue
            case.staff.user = login
            case.staff.save(update_fields=["user"])
        try:
            services.recertification_panel_assign(actor=hr, case=case, members=members)
            _score(case, members, totals)
            _advance(case, state, hr=hr, leader=leader, today=today)
        except DomainError:
            continue
        remaining.remove(index)
        done += 1
    services.recertification_outcomes_apply(today=today)
    summary = run.summary
    return (
        f"Ranking {year}: {summary['population']} ranked, {summary['excluded_total']} excluded, "
        f"{summary['bottom_band']} re-certification cases ({done} taken through the procedure), "
        f"{summary['top_band']} on the honour roll."
    )
