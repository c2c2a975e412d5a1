"""Demo certification data, driven through the same services as the pages and the API:

- last year's cycle, closed: applications, qualification, a panel, all sheets, results
  published, approved (the recommended candidates promoted) and closed;
- this year's cycle in committee review: qualified candidates for L2, L3 and L4, panels with
  the demo ``committee`` login as a member (chair of L4), most sheets submitted — the
  ``committee`` login still has some to score, and the demo ``staff`` login is a candidate;
  their defences (述职答辩) are booked from the next working day on;
- this year's cycle for the top level (L5) in publicity since today: scored by its panel,
  the result list published, the objection window running;
- this year's cycle for L2 open for applications (its window runs from three days ago to in
  three weeks), with a few applications submitted.

Every date is relative to the day the demo is built, so a demo built on any day has a cycle
open, one in committee review and one in publicity.

Deterministic (fixed seed) and idempotent: a cycle is built only when no cycle of that name
exists. Prefilled dimensions come from the KPI, training and competency apps when they have
data; otherwise the office's hand-entered value (with its reason) stands in, as in real use.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.errors import DomainError
from core.roles import Role
from org.models import Appointment, Level, Staff, Track

from . import eligibility, services
from .models import Application, Cycle, Defence, DimensionValue, EligibilityPolicy

SEED = 20261129
D = Decimal

DIMENSIONS = [
    {"code": "performance", "name": "工作业绩", "weight": D("40"), "source": "kpi"},
    {"code": "training", "name": "培训发展", "weight": D("20"), "source": "training"},
    {"code": "competency", "name": "素质评估", "weight": D("20"), "source": "competency"},
    {"code": "defence", "name": "述职答辩", "weight": D("20"), "source": "committee"},
]
POLICIES = {"L2": (1, "C", "50"), "L3": (2, "B", "60"), "L4": (3, "B", "70"), "L5": (3, "A", "80")}


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _policies(levels):
    for code, (years, grade, index) in POLICIES.items():
        level = levels.get(code)
        if level is not None:
            EligibilityPolicy.objects.get_or_create(
                level=level,
                defaults={
                    "min_years_at_level": years,
                    "min_grade": grade,
                    "min_competency_index": D(index),
                },
            )


def _members(rng, exclude_ids, count):
    """Senior staff (L4/L5) given the committee role — deterministic choice."""
    pool = list(
        Staff.objects.filter(level__order__gte=4, user__isnull=False)
        .exclude(pk__in=exclude_ids)
        .select_related("user")
        .order_by("employee_no")
    )
    chosen = rng.sample(pool, min(count, len(pool)))
    group = Group.objects.get(name=Role.COMMITTEE)
    for staff in chosen:
        staff.user.groups.add(group)
    return [s.user for s in chosen]


def _candidates(
    rng,
    level,
    since_before,
    count,
    exclude_ids,
    exclude_units=(),
    appointed_on=None,
    on=None,
):
    """``appointed_on``: the cycle's appointment date — whose current term (e.g. a renewal)
    starts on or after it cannot be promoted from that date, so they are left out.
    ``on``: the cycle's reference date — staff who meet every eligibility rule for the next
    level on it come first; others only fill up (and are qualified as recorded overrides)."""
    staff = Staff.objects.all()
    if appointed_on is not None:
        staff = staff.exclude(
            Exists(
                Appointment.objects.filter(
                    staff=OuterRef("pk"), closed_on__isnull=True, start__gte=appointed_on
                )
            )
        )
    pool = list(
        staff.exclude(unit_id__in=exclude_units)
        .filter(
            level=level,
            status=Staff.Status.ACTIVE,
            level_since__lt=since_before,
            user__isnull=False,
        )
        .exclude(pk__in=exclude_ids)
        .select_related("user", "level")
        .order_by("employee_no")
    )
    picked = rng.sample(pool, len(pool))
    if on is None:
        return picked[:count]
    eligible, others = [], []
    for staff, evaluation in _evaluated(picked, on):
        ok = evaluation is not None and evaluation.eligible
        (eligible if ok else others).append(staff)
        if len(eligible) >= count:
            break
    return (eligible + others)[:count]


def _evaluated(people: list[Staff], on: dt.date, chunk: int = 500):
    """``(staff, evaluation for the next level or None)`` in the order given, evaluated
    set-based a chunk at a time (``eligibility.evaluate_many``): a company of 30,000 is not
    evaluated one person at a time, and a caller that stops early evaluates little more than
    it reads."""
    for start in range(0, len(people), chunk):
        part = people[start : start + chunk]
        evaluations = eligibility.evaluate_many(staff_list=part, on_date=on)
        for staff in part:
            yield staff, evaluations.get(staff.pk)


RESERVE_PER_LEVEL = 4


def _reserve_eligible(on, exclude_ids) -> set[int]:
    """A few staff per level (with a login, not on the committee) who meet every rule for the
    next level on ``on``, kept out of the demo's cycles: a new cycle opened on the demo (a
    demonstration, the office's browser journey) has eligible applicants free to apply — one
    live application per level rules out those already in a cycle."""
    kept: dict[int, list[int]] = {}
    people = list(
        Staff.objects.filter(status=Staff.Status.ACTIVE, user__isnull=False)
        .exclude(pk__in=exclude_ids)
        .exclude(user__groups__name=Role.COMMITTEE)
        .exclude(user__username__in=["hr", "leader", "admin", "committee", "staff", "manager"])
        .select_related("level")
        .order_by("employee_no")
    )
    for staff, evaluation in _evaluated(people, on):
        if len(kept.get(staff.level_id or 0, [])) >= RESERVE_PER_LEVEL:
            continue
        if evaluation is not None and evaluation.eligible:
            kept.setdefault(staff.level_id or 0, []).append(staff.pk)
    return {pk for pks in kept.values() for pk in pks}


def _override_reason(app) -> str:
    failed = "、".join(
        r.label for r in eligibility.Evaluation.from_snapshot(app.eligibility).rules if not r.passed
    )
    return (
        f"例外通过：{failed}未达标。该员工承担重点客户项目，"
        "经认证办核实材料并报认证领导小组同意破格申报。"
    )


def _apply(cycle, hr, staff_list, day, rng, qualify_share=0.85):
    apps = []
    for staff in staff_list:
        app = services.application_create(
            actor=staff.user,
            cycle=cycle,
            statement=f"本人自任现职以来，累计维护重点客户{rng.randint(8, 30)}家，"
            f"完成年度业绩目标的{rng.randint(95, 135)}%，申请晋升{cycle.name[:4]}年度上一级别。",
            today=day,
        )
        services.application_submit(actor=staff.user, application=app, today=day)
        app.refresh_from_db()
        if rng.random() < qualify_share:
            # an application failing a rule is qualified only as a recorded override
            services.application_qualify(
                actor=hr,
                application=app,
                eligibility_ok=True,
                materials_complete=True,
                facts_truthful=True,
                procedure_regular=True,
                reason="材料齐全，符合条件" if app.eligible else _override_reason(app),
            )
        else:
            services.application_reject(
                actor=hr, application=app, reason="上年度考核等级未达到要求"
            )
        app.refresh_from_db()
        apps.append(app)
    return apps


def _fill_missing(cycle, hr, rng):
    """Hand-enter prefilled values the source apps could not give (demo without their data)."""
    for value in DimensionValue.objects.filter(
        application__cycle=cycle, value__isnull=True
    ).select_related("application", "dimension"):
        services.dimension_value_set(
            actor=hr,
            application=value.application,
            dimension=value.dimension,
            value=D(rng.randint(650, 980)) / 10,
            reason="源系统暂无数据，按纸质档案手工录入",
        )


def _score(cycle, apps, panels, rng, skip_user=None, skip_share=0.0):
    for app in apps:
        if app.status != "qualified":
            continue
        panel = panels[app.target_level_id]
        base = rng.randint(68, 92)
        for member in panel.members.order_by("username"):
            if services.committee_candidates(member).filter(pk=app.pk).exists() is False:
                continue
            if member == skip_user and rng.random() < skip_share:
                continue
            value = max(0, min(100, base + rng.randint(-6, 6)))
            sheet = services.sheet_save(actor=member, application=app, scores={"defence": value})
            services.sheet_submit(actor=member, sheet=sheet)


def _settle_ties(cycle, hr):
    from .results import compute_results

    for row in compute_results(cycle):
        if "quota_tie" in row.flags and row.recommended is None:
            services.tie_decide(
                actor=hr,
                application=row.application,
                recommended=row.application.staff.employee_no < "K1",
                reason="评审组合议决定",
            )


def _panels(cycle, hr, levels_offered, members, committee_user, chair_levels):
    panels = {}
    for i, level in enumerate(levels_offered):
        panel_members = members[i * 3 : i * 3 + 4] or members[:4]
        if committee_user is not None and level.code in ("L3", "L4"):
            panel_members = [committee_user, *panel_members]
        chair = (
            committee_user
            if committee_user is not None and level.code in chair_levels
            else panel_members[0]
        )
        panels[level.pk] = services.panel_save(
            actor=hr, cycle=cycle, level=level, chair=chair, members=panel_members
        )
    return panels


def _top_up_panels(cycle, hr, panels, spares) -> None:
    """Add spare committee members to a panel until each of its candidates has at least the
    minimum of members who are not recused (COMMITTEE_MIN_PANEL), before scoring starts."""
    from committee.panels import min_panel_size

    from .models import Application
    from .services.cycles import effective_members

    needed = min_panel_size()
    apps = list(Application.objects.filter(cycle=cycle, status="qualified").select_related("staff"))
    spare = list(spares)
    for _round in range(len(spare) + 1):
        sizes = effective_members(cycle, apps)
        short = {a.target_level_id for a in apps if sizes.get(a.pk, 0) < needed}
        if not short or not spare:
            return
        for level_id in short:
            panel = panels[level_id]
            members = list(panel.members.all())
            extra = next((u for u in spare if u not in members), None)
            if extra is None:
                continue
            spare.remove(extra)
            panels[level_id] = services.panel_save(
                actor=hr,
                cycle=cycle,
                level=panel.level,
                chair=panel.chair,
                members=[*members, extra],
                panel=panel,
            )


def _publicity_cycle(today, track, levels, hr, members, exclude, rng) -> list[str]:
    """The L5 cycle, scored and published today (its publicity runs from today)."""
    name = f"{today.year}年度首席客户经理岗位晋升认证"
    if "L5" not in levels or Cycle.objects.filter(name=name).exists():
        return []
    start = today - dt.timedelta(days=40)
    cycle = services.cycle_create(
        actor=hr,
        name=name,
        track=track,
        window_start=start,
        window_end=start + dt.timedelta(days=14),
        offers=[{"level": levels["L5"], "quota": 1, "pass_line": D("60")}],
        dimensions=DIMENSIONS,
    )
    services.cycle_open(actor=hr, cycle=cycle, reason="认证领导小组批准启动")
    window_end = start + dt.timedelta(days=14)
    picked = _candidates(
        rng, levels["L4"], start - dt.timedelta(days=400), 3, exclude, on=window_end
    )
    exclude |= {s.pk for s in picked}
    apps = _apply(cycle, hr, picked, start + dt.timedelta(days=2), rng, qualify_share=1.0)
    services.cycle_qualification_start(actor=hr, cycle=cycle)
    panels = _panels(cycle, hr, [levels["L5"]], members, None, ())
    _top_up_panels(cycle, hr, panels, members)
    services.cycle_review_start(actor=hr, cycle=cycle)
    _fill_missing(cycle, hr, rng)
    _score(cycle, apps, panels, rng)
    _settle_ties(cycle, hr)
    services.cycle_publish(actor=hr, cycle=cycle, today=today)
    return [name]


def _open_cycle(today, track, levels, hr, exclude, rng) -> list[str]:
    """The L2 cycle open for applications today, with a few submitted ones."""
    name = f"{today.year}年度客户经理岗位晋升认证（第二批）"
    if Cycle.objects.filter(name=name).exists():
        return []
    cycle = services.cycle_create(
        actor=hr,
        name=name,
        track=track,
        window_start=today - dt.timedelta(days=3),
        window_end=today + dt.timedelta(days=21),
        offers=[{"level": levels["L2"], "quota": 3, "pass_line": D("55")}],
        dimensions=DIMENSIONS,
    )
    services.cycle_open(actor=hr, cycle=cycle, reason="认证领导小组批准启动第二批")
    picked = _candidates(rng, levels["L1"], today - dt.timedelta(days=400), 3, exclude)
    exclude |= {s.pk for s in picked}
    for staff in picked:
        app = services.application_create(
            actor=staff.user, cycle=cycle, statement="申请晋升客户经理。", today=today
        )
        services.application_submit(actor=staff.user, application=app, today=today)
    return [name]


DEFENCE_TIMES = [(9, 0), (9, 45), (10, 30), (11, 15), (14, 0), (14, 45), (15, 30), (16, 15)]


def _defences(cycle, hr, today: dt.date) -> list[str]:
    """Book the defences of the cycle in review, one after another from the next working
    day (eight a day, every third by video), once: a candidate one of whose panel members is
    conflicted (the cycle recuses the same org unit) stays unscheduled, as it would for the
    office."""
    if Defence.objects.filter(application__cycle=cycle).exists():
        return []
    apps = list(
        Application.objects.filter(cycle=cycle, status=Application.Status.QUALIFIED)
        .select_related("staff", "target_level")
        .order_by("target_level__order", "staff__employee_no")
    )
    day, slot = today, len(DEFENCE_TIMES)
    for i, app in enumerate(apps):
        if slot >= len(DEFENCE_TIMES):
            day, slot = day + dt.timedelta(days=1), 0
            while day.weekday() >= 5:
                day += dt.timedelta(days=1)
        hour, minute = DEFENCE_TIMES[slot]
        starts_at = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
        try:
            services.defence_schedule(
                actor=hr,
                application=app,
                starts_at=starts_at,
                ends_at=starts_at + dt.timedelta(minutes=40),
                place="" if i % 3 == 2 else "总部 3 楼第一会议室",
                video_url=f"https://meeting.example.com/defence-{app.pk}" if i % 3 else "",
                note="请提前 10 分钟到场，准备 10 分钟述职、20 分钟答辩。",
            )
        except DomainError:
            continue  # a conflicted panel member: left to the office, as in real use
        slot += 1
    return [f"{cycle.name} (defences)"]


def build(*, today: dt.date, stdout=None) -> str | None:
    track = Track.objects.filter(code="KAM").first()
    hr, leader = _user("hr"), _user("leader")
    if track is None or hr is None or leader is None:
        return None
    levels = {lv.code: lv for lv in Level.objects.filter(track=track)}
    if not {"L2", "L3", "L4"} <= levels.keys():
        return None
    _policies(levels)
    committee_user = _user("committee")
    staff_login = Staff.objects.filter(user__username="staff").first()
    made = []
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data
    exclude = {s.pk for s in Staff.objects.filter(user__username__in=["committee", "manager"])}
    members = _members(rng, exclude, 9)
    exclude |= {s.pk for s in Staff.objects.filter(user__in=members)}
    if not Cycle.objects.filter(track=track).exists():  # first build only (idempotent)
        exclude |= _reserve_eligible(today + dt.timedelta(days=14), exclude)

    last_year = today.year - 1
    promoted_on = dt.date(last_year, 12, 1)
    closed_name = f"{last_year}年度大客户经理岗位晋升认证"
    if not Cycle.objects.filter(name=closed_name).exists():
        cycle = services.cycle_create(
            actor=hr,
            name=closed_name,
            track=track,
            window_start=dt.date(last_year, 9, 1),
            window_end=dt.date(last_year, 9, 30),
            reference_date=dt.date(last_year, 9, 30),
            appointment_start=promoted_on,
            offers=[
                {"level": levels["L3"], "quota": 3, "pass_line": D("60")},
                {"level": levels["L4"], "quota": 2, "pass_line": D("60")},
            ],
            dimensions=DIMENSIONS,
        )
        services.cycle_open(actor=hr, cycle=cycle, reason="认证领导小组批准启动")
        day = dt.date(last_year, 9, 10)
        since = dt.date(last_year - 2, 6, 1)
        # Promotions stay out of the demo logins' departments, so that the org demo picks the
        # same staff records for those logins when it runs again (idempotency).
        login_units = set(
            Staff.objects.filter(user__username__in=["staff", "manager", "committee"]).values_list(
                "unit_id", flat=True
            )
        )
        on = dt.date(last_year, 9, 30)
        picked = _candidates(
            rng, levels["L2"], since, 7, exclude, login_units, promoted_on, on=on
        ) + _candidates(rng, levels["L3"], since, 4, exclude, login_units, promoted_on, on=on)
        exclude |= {s.pk for s in picked}
        if staff_login is not None:
            exclude.add(staff_login.pk)
        apps = _apply(cycle, hr, picked, day, rng)
        services.cycle_qualification_start(actor=hr, cycle=cycle)
        panels = _panels(cycle, hr, [levels["L3"], levels["L4"]], members, None, ())
        _top_up_panels(cycle, hr, panels, members)
        services.cycle_review_start(actor=hr, cycle=cycle)
        _fill_missing(cycle, hr, rng)
        _score(cycle, apps, panels, rng)
        _settle_ties(cycle, hr)
        services.cycle_publish(actor=hr, cycle=cycle, today=dt.date(last_year, 11, 2))
        services.cycle_approve(
            actor=leader, cycle=cycle, today=dt.date(last_year, 11, 16), reason="领导小组会议审批"
        )
        services.cycle_close(actor=hr, cycle=cycle, reason="聘任完成，批次归档")
        made.append(closed_name)

    review_name = f"{today.year}年度大客户经理岗位晋升认证"
    if not Cycle.objects.filter(name=review_name).exists():
        start = today - dt.timedelta(days=45)
        cycle = services.cycle_create(
            actor=hr,
            name=review_name,
            track=track,
            window_start=start,
            window_end=start + dt.timedelta(days=21),
            same_unit_conflict=True,
            offers=[
                {"level": levels["L2"], "quota": 4, "pass_line": D("55")},
                {"level": levels["L3"], "quota": 3, "pass_line": D("60")},
                {"level": levels["L4"], "quota": 2, "pass_line": D("65")},
            ],
            dimensions=DIMENSIONS,
        )
        services.cycle_open(actor=hr, cycle=cycle, reason="认证领导小组批准启动")
        day = start + dt.timedelta(days=3)
        since = start - dt.timedelta(days=400)
        on = start + dt.timedelta(days=21)
        picked = (
            _candidates(rng, levels["L1"], since, 5, exclude, on=on)
            + _candidates(rng, levels["L2"], since, 8, exclude, on=on)
            + _candidates(rng, levels["L3"], since, 5, exclude, on=on)
        )
        if staff_login is not None and staff_login.level and staff_login.level.order <= 3:
            picked = [s for s in picked if s.pk != staff_login.pk] + [staff_login]
        # one live application per person and level: the other cycles pick someone else
        exclude |= {s.pk for s in picked}
        apps = _apply(cycle, hr, picked, day, rng)
        services.cycle_qualification_start(actor=hr, cycle=cycle)
        panels = _panels(
            cycle,
            hr,
            [levels["L2"], levels["L3"], levels["L4"]],
            members,
            committee_user,
            ("L4",),
        )
        _top_up_panels(cycle, hr, panels, members)
        services.cycle_review_start(actor=hr, cycle=cycle)
        _fill_missing(cycle, hr, rng)
        _score(cycle, apps, panels, rng, skip_user=committee_user, skip_share=0.6)
        made.append(review_name)

    review_cycle = Cycle.objects.filter(name=review_name, status=Cycle.Status.REVIEW).first()
    if review_cycle is not None:
        made += _defences(review_cycle, hr, today)
    made += _publicity_cycle(today, track, levels, hr, members, exclude, rng)
    made += _open_cycle(today, track, levels, hr, exclude, rng)
    if not made:
        return None
    return "Certification: built " + ", ".join(made) + "."
