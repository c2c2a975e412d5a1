"""Demo company built from the seed: the Key Account Manager ladder, a Guangdong operator's
org tree, ~300 staff with managers and appointment history, and one login per role.

Deterministic (fixed random seed) and idempotent: running it again changes nothing but the
demo logins' passwords, which are reset to :data:`DEMO_PASSWORD`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from core import audit, clock
from core.roles import Role

from . import services
from .models import Appointment, Level, OrgUnit, Staff, Track

DEMO_PASSWORD = "Demo@2026"  # noqa: S105 - documented demo credential
STAFF_COUNT = 300
# Demo mailboxes live under a reserved domain (RFC 2606): the demo's console e-mail backend prints
# what would be sent, and nothing can ever reach a real person.
DEMO_EMAIL_DOMAIN = "demo.ladder.example"

LEVELS = [
    # code, name, English, term, allowance, package, title, title_en, office
    (
        "L1",
        "助理客户经理",
        "Assistant Account Manager",
        2,
        "800",
        "0",
        "助理客户经理",
        "Assistant Account Manager",
        "",
    ),
    ("L2", "客户经理", "Account Manager", 3, "1500", "0", "客户经理", "Account Manager", ""),
    (
        "L3",
        "高级客户经理",
        "Senior Account Manager",
        3,
        "2500",
        "6000",
        "高级大客户经理",
        "Senior Key Account Manager",
        "",
    ),
    (
        "L4",
        "资深客户经理",
        "Principal Account Manager",
        3,
        "4000",
        "10000",
        "资深大客户经理",
        "Principal Key Account Manager",
        "独立办公室",
    ),
    (
        "L5",
        "首席客户经理",
        "Chief Account Manager",
        3,
        "6000",
        "15000",
        "首席大客户经理",
        "Chief Key Account Manager",
        "独立办公室",
    ),
]

BRANCHES = [
    ("GZ", "广州分公司", "Guangzhou Branch"),
    ("SZ", "深圳分公司", "Shenzhen Branch"),
    ("FS", "佛山分公司", "Foshan Branch"),
    ("DG", "东莞分公司", "Dongguan Branch"),
]
DEPARTMENTS = [
    ("GOV", "政企客户部", "Government & Enterprise Clients"),
    ("KA", "大客户部", "Key Accounts"),
    ("GRP", "集团客户部", "Group Clients"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余"
    "于杜叶程苏魏吕丁任沈姚卢钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江阎薛尹段雷"
    "黎史龙陶贺顾毛郝龚邵万钱严覃武"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉斌宇浩"
    "凯健俊帆帅旭宁龙林欣琳晶晨瑶婷雪嘉怡佳思梓子涵轩博文睿泽晓颖倩慧"
)
# Share of staff per level, L1..L5 (a pyramid).
RENEWAL_GRACE = dt.timedelta(days=20)
LEVEL_SHARE = [0.25, 0.35, 0.22, 0.13, 0.05]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    roles: tuple[str, ...]
    description: str


DEMO_LOGINS = [
    DemoLogin("staff", (Role.STAFF,), "客户经理 account manager (Guangzhou, Key Accounts)"),
    DemoLogin("manager", (Role.STAFF, Role.MANAGER), "直线经理 line manager of that department"),
    DemoLogin("hr", (Role.HR,), "认证办 certification office (HR)"),
    DemoLogin(
        "committee", (Role.STAFF, Role.COMMITTEE), "评审委员 committee member (Shenzhen, L5)"
    ),
    DemoLogin("leader", (Role.LEADERSHIP,), "认证领导小组 leadership group"),
    DemoLogin("admin", (Role.ADMIN,), "系统管理员 administrator (superuser)"),
]


# The people behind the logins that have no staff record (the office, the leadership group,
# the administrator): the name pages show for them.
ACCOUNT_NAMES = {"hr": "周敏", "leader": "陈国栋", "admin": "王磊"}


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        if name not in used:
            used.add(name)
            return name


def _ladder() -> tuple[Track, list[Level]]:
    track = Track.objects.filter(code="KAM").first()
    if track is None:
        track = services.track_save(
            actor=None, track=Track(code="KAM", name="大客户经理", name_en="Key Account Manager")
        )
    levels = []
    for order, (
        code,
        name,
        name_en,
        term,
        allowance,
        package,
        title,
        title_en,
        office,
    ) in enumerate(LEVELS, start=1):
        level = Level.objects.filter(track=track, code=code).first()
        if level is None:
            level = services.level_save(
                actor=None,
                level=Level(
                    track=track,
                    code=code,
                    name=name,
                    name_en=name_en,
                    order=order,
                    term_years=term,
                    allowance=Decimal(allowance),
                    training_package_value=Decimal(package),
                    honorary_title=title,
                    honorary_title_en=title_en,
                    office_entitlement=office,
                ),
            )
        levels.append(level)
    return track, levels


def _units() -> tuple[OrgUnit, list[OrgUnit], dict[str, list[OrgUnit]]]:
    def unit(code, name, name_en, parent):
        found = OrgUnit.objects.filter(code=code).first()
        return found or services.unit_create(
            actor=None, code=code, name=name, name_en=name_en, parent=parent
        )

    company = unit("YH", "粤海通信股份有限公司", "Yuehai Telecom Co., Ltd.", None)
    hq = unit("YH-HQ", "市场经营部", "Marketing Department", company)
    branches, departments = [], {}
    for code, name, name_en in BRANCHES:
        branch = unit(code, name, name_en, company)
        branches.append(branch)
        departments[code] = [
            unit(f"{code}-{dcode}", dname, f"{name_en.split()[0]} {dname_en}", branch)
            for dcode, dname, dname_en in DEPARTMENTS
        ]
    departments["HQ"] = [hq]
    return company, branches, departments


def _career(
    rng: random.Random, target: int, hire: dt.date, today: dt.date
) -> list[tuple[int, dt.date]]:
    """Appointment starts from hire up to ``target`` (0-based level), none in the future."""
    first = 0 if target < 2 or rng.random() < 0.8 else 1  # some experienced hires start at L2
    steps = list(range(first, target + 1))
    span = (today - hire).days
    starts = [hire]
    for _ in steps[1:]:
        starts.append(starts[-1] + dt.timedelta(days=int(rng.uniform(1.6, 3.2) * 365)))
    if starts[-1] >= today:  # squeeze the career into the time since hire
        gap = max(span // max(len(steps), 1), 30)
        starts = [hire + dt.timedelta(days=gap * i) for i in range(len(steps))]
    return list(zip(steps, starts, strict=True))


@transaction.atomic
def build(*, today: dt.date | None = None, staff_count: int = STAFF_COUNT) -> dict:
    """Build the demo company; returns counts and the demo logins."""
    today = today or clock.today()
    rng = random.Random(20261129)
    track, levels = _ladder()
    _company, _branches, departments = _units()
    user_model = get_user_model()

    created_staff = 0
    if not Staff.objects.filter(track=track).exists():
        created_staff = _build_staff(rng, track, levels, departments, today, staff_count)
    _demo_logins(track, levels, departments, user_model)
    return {
        "units": OrgUnit.objects.count(),
        "levels": len(levels),
        "staff": Staff.objects.count(),
        "created_staff": created_staff,
        "appointments": Appointment.objects.count(),
    }


@dataclass
class _Person:
    """One demo staff member as planned before anything is written."""

    employee_no: str
    name: str
    unit: OrgUnit
    hire: dt.date
    status: str
    head: bool
    # (level index, start, reason) of each appointment, oldest first
    career: list[tuple[int, dt.date, str]]


def _plan_staff(rng, levels, departments, today, staff_count) -> list[list[_Person]]:
    """Every demo person per department (the head first), drawn from ``rng`` in a fixed order:
    the same seed gives the same company at any size of the database."""
    used_names: set[str] = set()
    dept_list = [d for code, ds in departments.items() if code != "HQ" for d in ds]
    per_dept = staff_count // len(dept_list)
    seq = 10001
    plan = []
    for dept in dept_list:
        # The department head is a senior (L4/L5) line manager; the rest report to them.
        head_level = rng.choice((3, 4))
        targets = [head_level] + [
            rng.choices(range(5), weights=LEVEL_SHARE)[0] for _ in range(per_dept - 1)
        ]
        people = []
        for i, target in enumerate(targets):
            years = 2 + target * 2.5 + rng.uniform(0, 4)
            hire = today - dt.timedelta(days=int(years * 365))
            employee_no = f"K{seq}"
            seq += 1
            name = _name(rng, used_names)
            status = Staff.Status.ACTIVE if rng.random() > 0.03 else Staff.Status.ON_LEAVE
            career = [
                (
                    step,
                    start,
                    Appointment.Reason.INITIAL if start == hire else Appointment.Reason.PROMOTION,
                )
                for step, start in _career(rng, target, hire, today)
            ]
            # Terms that ended were renewed at the same level (续聘), except those that ended in
            # the last few weeks: they stay overdue so the re-appointment pages have cases.
            step, start, _reason = career[-1]
            end = services.add_years(start, levels[step].term_years)
            while end < today - RENEWAL_GRACE:
                career.append((step, end, Appointment.Reason.RENEWAL))
                end = services.add_years(end, levels[step].term_years)
            people.append(_Person(employee_no, name, dept, hire, status, i == 0, career))
        plan.append(people)
    return plan


def _build_staff(rng, track, levels, departments, today, staff_count) -> int:
    """Write the planned company set-based: one insert per table (accounts, staff, group
    memberships, appointments, audit events) and one update per department for the managers,
    whatever the number of people — 30,000 staff build in seconds, not hours."""
    user_model = get_user_model()
    shared_hash = make_password(DEMO_PASSWORD)
    plan = _plan_staff(rng, levels, departments, today, staff_count)
    people = [person for dept in plan for person in dept]
    users = user_model.objects.bulk_create(
        [
            user_model(
                username=p.employee_no.lower(),
                password=shared_hash,
                email=f"{p.employee_no.lower()}@{DEMO_EMAIL_DOMAIN}",
            )
            for p in people
        ]
    )
    staff_rows = []
    for person, user in zip(people, users, strict=True):
        last_step = person.career[-1][0]
        # the years at level count from the last change of level, not from a renewal
        since = next(start for step, start, _r in person.career if step == last_step)
        staff_rows.append(
            Staff(
                employee_no=person.employee_no,
                name=person.name,
                unit=person.unit,
                track=track,
                hire_date=person.hire,
                user=user,
                status=person.status,
                level=levels[last_step],
                level_since=since,
            )
        )
    staff_rows = Staff.objects.bulk_create(staff_rows)
    by_no = {s.employee_no: s for s in staff_rows}
    for dept in plan:  # one update per department: its head manages the others
        head = by_no[dept[0].employee_no]
        members = [by_no[person.employee_no] for person in dept[1:]]
        for member in members:
            member.manager = head
        Staff.objects.filter(pk__in=[m.pk for m in members]).update(manager=head)

    groups = {g.name: g.pk for g in Group.objects.filter(name__in=(Role.STAFF, Role.MANAGER))}
    memberships = user_model.groups.through
    memberships.objects.bulk_create(
        [memberships(user_id=u.pk, group_id=groups[Role.STAFF]) for u in users]
        + [
            memberships(user_id=u.pk, group_id=groups[Role.MANAGER])
            for p, u in zip(people, users, strict=True)
            if p.head
        ]
    )

    appointments = []
    for person in people:
        staff = by_no[person.employee_no]
        starts = [start for _s, start, _r in person.career]
        for k, (step, start, reason) in enumerate(person.career):
            level = levels[step]
            appointments.append(
                Appointment(
                    staff=staff,
                    level=level,
                    start=start,
                    end=services.add_years(start, level.term_years),
                    reason=reason,
                    decision="demo history",
                    closed_on=starts[k + 1] if k + 1 < len(starts) else None,
                )
            )
    appointments = Appointment.objects.bulk_create(appointments, batch_size=5000)

    # The trail each person's file shows: created, then every appointment in order.
    entries = [audit.Entry(s, "create", changes=audit.snapshot(s)) for s in staff_rows]
    previous: dict[int, str] = {}
    for appointment in appointments:
        entries.append(
            audit.Entry(
                appointment.staff,
                f"appoint:{appointment.reason}",
                from_state=previous.get(appointment.staff_id, ""),
                to_state=appointment.level.code,
                changes={
                    "appointment": appointment.pk,
                    "start": appointment.start,
                    "end": appointment.end,
                    "decision": appointment.decision,
                },
            )
        )
        previous[appointment.staff_id] = appointment.level.code
    audit.record_bulk(actor=None, entries=entries)
    return Staff.objects.count()


def _demo_logins(track, levels, departments, user_model) -> None:
    gz_ka = departments["GZ"][1]
    sz_gov = departments["SZ"][0]
    manager = Staff.objects.filter(unit=gz_ka, manager__isnull=True).order_by("employee_no").first()
    # An L2 account manager reporting to that manager; a small demo may have no L2 there,
    # and the "staff" login must still be somebody's record.
    reports = Staff.objects.filter(unit=gz_ka, manager=manager).order_by("employee_no")
    staff = reports.filter(level__code="L2").first() or reports.first()
    committee = (
        Staff.objects.filter(unit__in=[sz_gov], level__order__gte=4)
        .order_by("-level__order", "employee_no")
        .first()
    )
    linked = {"staff": staff, "manager": manager, "committee": committee}
    for login in DEMO_LOGINS:
        user, _ = user_model.objects.get_or_create(username=login.username)
        user.set_password(DEMO_PASSWORD)
        user.is_staff = login.username in ("hr", "admin")
        user.is_superuser = login.username == "admin"
        user.email = user.email or f"{login.username}@{DEMO_EMAIL_DOMAIN}"
        # Accounts without a staff record are shown by their account's name, never the login.
        user.first_name = ACCOUNT_NAMES.get(login.username, user.first_name)
        user.save()
        user.groups.set(Group.objects.filter(name__in=login.roles))
        target = linked.get(login.username)
        # Once linked, a login keeps its person: later demo steps (promotions, demotions) may
        # make another staff member the first match, and re-linking would break idempotence.
        if Staff.objects.filter(user=user).exists():
            continue
        if target is not None and target.user_id != user.pk:
            old_user = target.user
            services.staff_update(actor=None, staff=target, user=user)
            if old_user is not None and old_user.username != login.username:
                old_user.delete()


def seed(*, today: dt.date, stdout=None, staff_count: int | None = None) -> str:
    """The organisation's part of ``seed_demo`` (registered in ``OrgConfig.ready``)."""
    counts = build(staff_count=STAFF_COUNT if staff_count is None else staff_count, today=today)
    return (
        "Demo company: {units} org units, {levels} levels, {staff} staff "
        "({created_staff} new), {appointments} appointments.".format(**counts)
    )


def logins() -> str:
    """The demo logins, printed at the end of ``seed_demo``."""
    lines = [f"\nDemo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {login.username:<10} {login.description}" for login in DEMO_LOGINS]
    lines.append("  k10001…    every demo staff member: username = employee number")
    return "\n".join(lines)
