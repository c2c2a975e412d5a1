"""Demo data: last year's committed ranking of the KAM track (per level, bottom 5 %), its
re-certification cases — three decided (kept, demoted, eliminated), the rest open — and so the
honour roll. Idempotent: nothing is added when last year already has a committed run.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from core.errors import DomainError
from core.roles import Role
from org.models import Track

from . import services
from .models import RankingRun, RecertificationCase

PANEL = ("committee", "panel1", "panel2")
# committee totals of the decided demo cases: kept, demoted, eliminated (under 40)
DECISIONS = [(72, 70, 75), (55, 52, 58), (35, 38, 30)]


def _panel():
    from org.demo import DEMO_PASSWORD

    users = []
    group = Group.objects.get(name=Role.COMMITTEE)
    for username in PANEL:
        user, created = get_user_model().objects.get_or_create(username=username)
        if created:
            user.password = make_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(group)
        users.append(user)
    return users


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
    services.run_commit(actor=hr, run=run)
    panel = _panel()
    decided = 0
    cases = RecertificationCase.objects.filter(run=run).select_related("staff")
    for case in cases.order_by("staff__employee_no"):
        if decided == len(DECISIONS):
            break
        members = [m for m in panel if not services.conflicts_with(m, case.staff)]
        if len(members) < 2:
            continue
        try:
            services.recertification_panel_assign(actor=hr, case=case, members=members)
            for member, total in zip(members, DECISIONS[decided], strict=False):
                services.recertification_sheet_score(actor=member, case=case, total=Decimal(total))
            services.recertification_case_decide(
                actor=hr, case=case, reason="演示：评审小组决定", on=today
            )
        except DomainError:
            continue
        decided += 1
    summary = run.summary
    return (
        f"Ranking {year}: {summary['population']} ranked, {summary['excluded_total']} excluded, "
        f"{summary['bottom_band']} re-certification cases ({decided} decided), "
        f"{summary['top_band']} on the honour roll."
    )
