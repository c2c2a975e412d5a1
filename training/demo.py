"""Demo training data: a realistic catalogue, per-level requirements, two years of ledger
records for the demo staff (some short of credits), a completed and an open session, training
packages for recent promotions to L3+, and the links from courses to the competencies they
develop (when the competency demo exists).

Deterministic (fixed seed) and idempotent: each part is built only when it is missing.
Set-based where it is big: the ledger records go in with one ``COPY`` (``core.bulk``), the
ledger's indexes set aside meanwhile.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from competency.models import Competency
from core import bulk, clock
from kpi.models import Appraisal
from org.models import Appointment, Level, OrgUnit, Staff, Track

from . import rules, services
from .models import (
    Course,
    DevelopmentGoal,
    Enrolment,
    ExternalCertificate,
    Requirement,
    TrainingActivity,
    TrainingPlan,
    TrainingRecord,
    TrainingSession,
)

SEED = 20261129
RECORD_FIELDS = (
    "staff_id",
    "course_id",
    "title",
    "date",
    "hours",
    "credits",
    "result",
    "source",
    "created_at",
    "updated_at",
)
D = Decimal

# code, title, English title, category, form, hours, credits, competency keywords
CATALOGUE = [
    ("B01", "商务礼仪", "Business etiquette", "basic", "off_job", "8", "2", ["礼仪", "etiquette"]),
    (
        "B02",
        "普通话与粤语沟通",
        "Mandarin and Cantonese for client work",
        "basic",
        "self_study",
        "16",
        "3",
        ["普通话", "粤语", "语言", "mandarin", "cantonese", "language"],
    ),
    (
        "B03",
        "办公软件应用（Excel/PPT）",
        "Office software (Excel and PowerPoint)",
        "basic",
        "self_study",
        "12",
        "3",
        ["计算机", "办公", "电脑", "computer", "office"],
    ),
    ("B04", "安全驾驶", "Safe driving", "basic", "off_job", "6", "2", ["驾驶", "driving"]),
    (
        "B05",
        "信息安全与客户信息保密",
        "Information security and client confidentiality",
        "basic",
        "self_study",
        "4",
        "1",
        ["保密", "安全", "security"],
    ),
    (
        "B06",
        "企业文化与职业道德",
        "Corporate culture and professional ethics",
        "basic",
        "on_job",
        "4",
        "1",
        ["职业", "道德", "心态", "ethic", "attitude"],
    ),
    (
        "P01",
        "大客户拜访策划",
        "Key-account visit planning",
        "professional",
        "off_job",
        "16",
        "6",
        ["拜访", "走访", "visit"],
    ),
    (
        "P02",
        "方案编写与演示",
        "Solution writing and presentation",
        "professional",
        "off_job",
        "24",
        "8",
        ["方案编", "演示", "presentation"],
    ),
    (
        "P03",
        "商务谈判",
        "Business negotiation",
        "professional",
        "off_job",
        "16",
        "6",
        ["谈判", "negotiat"],
    ),
    (
        "P04",
        "通信行业知识",
        "Telecom industry knowledge",
        "professional",
        "self_study",
        "20",
        "5",
        ["行业", "产品", "industry", "product"],
    ),
    (
        "P05",
        "目标与计划管理",
        "Goal and plan management",
        "professional",
        "off_job",
        "12",
        "5",
        ["目标", "计划", "成就", "goal", "plan", "achievement"],
    ),
    (
        "P06",
        "客户关系管理",
        "Client relationship management",
        "professional",
        "on_job",
        "12",
        "4",
        ["客户关系", "关系", "relationship"],
    ),
    (
        "P07",
        "政企信息化解决方案",
        "ICT solutions for government and enterprise",
        "professional",
        "off_job",
        "24",
        "8",
        ["信息化", "解决方案", "ict"],
    ),
    (
        "P08",
        "市场分析与商机挖掘",
        "Market analysis and opportunity finding",
        "professional",
        "self_study",
        "10",
        "4",
        ["市场", "商机", "market", "analysis"],
    ),
    (
        "P09",
        "团队协作与辅导",
        "Teamwork and coaching",
        "professional",
        "on_job",
        "8",
        "3",
        ["团队", "协作", "辅导", "team", "coach"],
    ),
    (
        "P10",
        "网上大学：客户经理必修",
        "Online university: account manager essentials",
        "professional",
        "self_study",
        "30",
        "6",
        ["知识", "knowledge"],
    ),
]

# level code → (minimum credits in 12 months, required courses)
REQUIREMENTS = {
    "L1": ("20", ["B01", "B03"]),
    "L2": ("30", ["B01", "P01"]),
    "L3": ("40", ["P01", "P02"]),
    "L4": ("50", ["P02", "P03"]),
    "L5": ("60", ["P03", "P05"]),
}


def build(*, today: dt.date, stdout=None) -> str | None:
    rng = random.Random(SEED)  # noqa: S311 - deterministic demo data, not security
    track = Track.objects.filter(code="KAM").first()
    if track is None:
        return None
    courses = _catalogue()
    linked = _link_competencies(courses, track)
    _requirements(track, courses)
    staff = list(
        Staff.objects.filter(track=track)
        .exclude(status=Staff.Status.EXITED)
        .select_related("level", "unit")
        .order_by("employee_no")
    )
    records = _records(rng, staff, courses, today)
    sessions = _sessions(rng, staff, courses, today)
    packages = _packages(rng, track, today)
    certificates = _certificates(rng, staff, today)
    activities = _activities(rng, staff, today)
    plans = _plans(rng, track, courses, today)
    return (
        f"Training: {len(courses)} courses ({linked} competency links), "
        f"{Requirement.objects.count()} level requirements, {records} new ledger records, "
        f"{sessions} new sessions, {packages} training packages, "
        f"{certificates} external certificates, {activities} mentoring and rotation records, "
        f"{plans} training plans."
    )


def _catalogue() -> dict[str, Course]:
    existing = {c.code: c for c in Course.objects.filter(code__in=[row[0] for row in CATALOGUE])}
    for code, title, title_en, category, form, hours, credits, _keywords in CATALOGUE:
        if code not in existing:
            existing[code] = services.course_save(
                actor=None,
                code=code,
                title=title,
                title_en=title_en,
                category=category,
                form=form,
                hours=D(hours),
                credits=D(credits),
                description="",
            )
    return existing


def _link_competencies(courses: dict[str, Course], track: Track) -> int:
    """Link each course to the competencies of the track whose name or code matches one of its
    keywords. Courses already linked are left alone (an HR edit is never overwritten)."""
    competencies = list(Competency.objects.filter(model__track=track))
    if not competencies:
        return 0
    through = Course.competencies.through
    already = set(through.objects.values_list("course_id", flat=True))
    links = []
    for code, *_rest, keywords in CATALOGUE:
        course = courses[code]
        if course.pk in already:
            continue
        for comp in competencies:
            text = f"{comp.name} {comp.name_en}".lower()
            if any(k.lower() in text for k in keywords):
                links.append(through(course_id=course.pk, competency_id=comp.pk))
    through.objects.bulk_create(links, ignore_conflicts=True)
    return through.objects.count()


def _requirements(track: Track, courses: dict[str, Course]) -> None:
    levels = {lv.code: lv for lv in Level.objects.filter(track=track)}
    have = set(Requirement.objects.values_list("level_id", flat=True))
    for code, (minimum, required) in REQUIREMENTS.items():
        level = levels.get(code)
        if level is None or level.pk in have:
            continue
        services.requirement_save(
            actor=None,
            level=level,
            min_credits_12m=D(minimum),
            required_courses=[courses[c] for c in required],
        )


def _records(rng: random.Random, staff: list[Staff], courses, today: dt.date) -> int:
    """Two years of imported records. Each person has an 'engagement' factor: most earn
    around their level's minimum or more, about a fifth fall short."""
    if TrainingRecord.objects.filter(source=TrainingRecord.Source.IMPORT).exists():
        return 0
    minimum = {code: D(m) for code, (m, _r) in REQUIREMENTS.items()}
    Result = TrainingRecord.Result
    basic = [c for c in courses.values() if c.category == Course.Category.BASIC]
    professional = [c for c in courses.values() if c.category == Course.Category.PROFESSIONAL]
    rows = []
    for person in staff:
        level_code = person.level.code if person.level else "L1"
        target = minimum.get(level_code, D(20))
        engagement = rng.choice([0.45, 0.6, 0.75]) if rng.random() < 0.2 else rng.uniform(1.0, 1.6)
        seen: set[tuple[int, dt.date]] = set()
        for year_back in (0, 1):
            earned = D(0)
            goal = target * D(str(round(engagement, 2)))
            while earned < goal:
                pool = basic if rng.random() < 0.35 else professional
                course = rng.choice(pool)
                day = today - dt.timedelta(days=year_back * 365 + rng.randint(1, 364))
                if day < person.hire_date or (course.pk, day) in seen:
                    if day < person.hire_date:
                        break
                    continue
                seen.add((course.pk, day))
                failed = rng.random() < 0.05
                result = (
                    Result.FAILED
                    if failed
                    else (
                        Result.COMPLETED if course.form == Course.Form.SELF_STUDY else Result.PASSED
                    )
                )
                rows.append(
                    (person.pk, course.pk, "", day, course.hours, course.credits, result.value)
                )
                if not failed:
                    earned += course.credits
    now = clock.now()
    source = TrainingRecord.Source.IMPORT.value
    with bulk.loading(TrainingRecord):
        return bulk.copy_rows(
            TrainingRecord,
            RECORD_FIELDS,
            ((*row, source, now, now) for row in rows),
        )


def _sessions(rng: random.Random, staff: list[Staff], courses, today: dt.date) -> int:
    if TrainingSession.objects.exists():
        return 0
    active = [s for s in staff if s.status == Staff.Status.ACTIVE]
    # A completed session of 方案编写与演示 forty days ago, with scores.
    done = services.session_save(
        actor=None,
        course=courses["P02"],
        start=today - dt.timedelta(days=42),
        end=today - dt.timedelta(days=40),
        place="广州培训中心 3 楼 301",
        trainer="陈晓明（外聘讲师）",
        capacity=30,
        pass_mark=D("60"),
        self_enrolment=True,
    )
    participants = rng.sample(active, min(24, len(active)))
    Enrolment.objects.bulk_create(
        Enrolment(
            session=done,
            staff=p,
            attended=rng.random() > 0.08,
            score=D(rng.randint(48, 98)),
        )
        for p in participants
    )
    services.session_complete(actor=None, session=done)
    _evaluations(rng, done)
    # An open session of 商务谈判 in two weeks, half full, self-enrolment open.
    upcoming = services.session_save(
        actor=None,
        course=courses["P03"],
        start=today + dt.timedelta(days=14),
        end=today + dt.timedelta(days=15),
        place="深圳分公司培训室",
        trainer="林志强",
        capacity=30,
        pass_mark=D("60"),
        self_enrolment=True,
    )
    Enrolment.objects.bulk_create(
        Enrolment(session=upcoming, staff=p) for p in rng.sample(active, min(16, len(active)))
    )
    # A small online session without exam next month.
    services.session_save(
        actor=None,
        course=courses["B05"],
        start=today + dt.timedelta(days=30),
        end=today + dt.timedelta(days=30),
        place="网上大学（线上）",
        capacity=200,
        pass_mark=None,
        self_enrolment=True,
    )
    return 3


def _packages(rng: random.Random, track: Track, today: dt.date) -> int:
    """Packages for promotions to L3+ of the last three years; some with a programme."""
    since = today - dt.timedelta(days=3 * 365)
    appointments = Appointment.objects.filter(
        Q(level__track=track),
        reason=Appointment.Reason.PROMOTION,
        level__order__gte=rules.PACKAGE_MIN_LEVEL_ORDER,
        start__gte=since,
        training_package__isnull=True,
    ).order_by("start", "pk")
    granted = 0
    programmes = [
        "中山大学 EMBA 课程模块",
        "PMP 项目管理认证",
        "华为 ICT 解决方案认证",
        "商务英语进修",
    ]
    for appointment in appointments:
        package = services.package_grant(appointment=appointment)
        if package is None:
            continue
        granted += 1
        if rng.random() < 0.5:
            services.package_choose(actor=None, package=package, programme=rng.choice(programmes))
    return granted


def _demo_pdf() -> bytes:
    """A one-page blank PDF standing in for the scanned certificate."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# title, issuer, days since issue, days of validity from today (None = does not expire),
# submitted only (not verified yet)
CERTIFICATES = [
    ("华为 HCIA-Datacom", "华为技术有限公司", 600, 12, False),
    ("CCNA 思科认证网络工程师", "Cisco", 650, 45, False),
    ("PMP 项目管理专业人士", "PMI", 700, -20, False),
    ("信息安全意识认证", "中国信息安全测评中心", 200, 900, False),
    ("普通话水平测试二级甲等", "国家语言文字工作委员会", 400, None, False),
    ("ITIL 4 Foundation", "PeopleCert", 30, 1065, True),
]


def _certificates(rng: random.Random, staff: list[Staff], today: dt.date) -> int:
    """A few external certificates: some expiring soon (within the 60- and 14-day reminders),
    one expired, one without expiry, and one still waiting for verification."""
    if ExternalCertificate.objects.exists():
        return 0
    pdf = _demo_pdf()
    people = rng.sample([s for s in staff if s.status == Staff.Status.ACTIVE], len(CERTIFICATES))
    for person, (title, issuer, age, valid, submitted_only) in zip(
        people, CERTIFICATES, strict=True
    ):
        cert = services.certificate_submit(
            actor=None,
            staff=person,
            title=title,
            issuer=issuer,
            issued_on=today - dt.timedelta(days=age),
            expires_on=None if valid is None else today + dt.timedelta(days=valid),
            hours=D("24.0"),
            credits=D("3.00"),
            file=SimpleUploadedFile("certificate.pdf", pdf, content_type="application/pdf"),
        )
        if not submitted_only:
            services.certificate_verify(actor=None, certificate=cert)
    return len(CERTIFICATES)


MENTORING_GOALS = [
    "独立完成大客户拜访策划并撰写拜访纪要",
    "掌握政企信息化解决方案的编写与讲解",
    "熟悉商务谈判流程，独立主持一次价格谈判",
]


def _activities(rng: random.Random, staff: list[Staff], today: dt.date) -> int:
    """Mentoring of junior account managers by seniors (L3+), and job rotations into
    another unit, finished in the last year."""
    if TrainingActivity.objects.exists():
        return 0
    active = [s for s in staff if s.status == Staff.Status.ACTIVE and s.level is not None]
    seniors = [s for s in active if s.level.order >= rules.PACKAGE_MIN_LEVEL_ORDER]
    juniors = [s for s in active if s.level.order <= 2]
    if not seniors or not juniors:
        return 0
    count = 0
    for mentee in rng.sample(juniors, min(8, len(juniors))):
        end = today - dt.timedelta(days=rng.randint(5, 300))
        services.activity_record(
            actor=None,
            kind=TrainingActivity.Kind.MENTORING,
            staff=mentee,
            mentor=rng.choice([s for s in seniors if s.pk != mentee.pk]),
            start=end - dt.timedelta(days=rng.choice([60, 90, 120])),
            end=end,
            hours=D(rng.choice([16, 24, 32, 45])),
            goals=rng.choice(MENTORING_GOALS),
        )
        count += 1
    units = list({s.unit_id: s.unit for s in active if s.unit_id}.values())
    for person in rng.sample(active, min(5, len(active))):
        hosts = [u for u in units if u.pk != person.unit_id]
        if not hosts:
            continue
        end = today - dt.timedelta(days=rng.randint(10, 330))
        services.activity_record(
            actor=None,
            kind=TrainingActivity.Kind.ROTATION,
            staff=person,
            host_unit=rng.choice(hosts),
            start=end - dt.timedelta(days=rng.choice([30, 60, 90])),
            end=end,
            hours=D(rng.choice([40, 80, 120])),
            goals="熟悉兄弟单位的客户结构与业务流程",
        )
        count += 1
    return count


EVALUATION_COMMENTS = [
    "案例贴近政企客户，实用",
    "演示环节时间偏短",
    "希望增加方案评审的实操练习",
    "",
    "",
]


def _evaluations(rng: random.Random, session: TrainingSession) -> int:
    """About two thirds of the participants who attended rate the session (anonymously);
    the others still have it in their to-do list."""
    attended = list(
        session.enrolments.filter(attended=True, staff__user__isnull=False)
        .select_related("staff__user")
        .order_by("staff__employee_no")
    )
    raters = [e for e in attended if rng.random() < 0.67]
    for enrolment in raters:
        services.evaluation_submit(
            actor=enrolment.staff.user,
            session=session,
            content=rng.choice([3, 4, 4, 5, 5]),
            trainer=rng.choice([4, 4, 5, 5, 5]),
            usefulness=rng.choice([3, 4, 4, 4, 5]),
            comment=rng.choice(EVALUATION_COMMENTS),
        )
    return len(raters)


# topic or course code, competency keyword, participants, cost per participant
PLAN_LINES = [
    ("P03", ["谈判", "negotiat"], 12, "1200"),
    ("P07", ["方案", "solution"], 10, "1500"),
    ("政企客户沙盘演练", ["客户", "client"], 15, "800"),
    ("B02", ["沟通", "语言", "communicat"], 20, "300"),
]


def _plans(rng: random.Random, track: Track, courses, today: dt.date) -> int:
    """Next year's plans of the branches (the root's children): one approved within budget,
    the others drafts — one of them over budget, so approving it shows the refusal."""
    year = today.year + 1
    if TrainingPlan.objects.filter(year=year).exists():
        return 0
    root = OrgUnit.objects.filter(parent__isnull=True).order_by("path").first()
    if root is None:
        return 0
    branches = list(OrgUnit.objects.filter(parent=root).order_by("path")[:4])
    competencies = list(
        Competency.objects.filter(model__track=track, model__status="published").order_by(
            "order", "code"
        )
    )

    def competency_for(keywords: list[str]):
        for comp in competencies:
            text = f"{comp.code} {comp.name} {comp.name_en}".lower()
            if any(k.lower() in text for k in keywords):
                return comp
        return None

    for n, unit in enumerate(branches):
        budget = D(rng.choice([30000, 40000, 50000]))
        plan = services.plan_save(actor=None, year=year, unit=unit, budget=budget)
        for what, keywords, people, each in PLAN_LINES[: 2 + n % 3]:
            course = courses.get(what)
            participants = people + (6 if n == 1 else 0)
            services.plan_line_add(
                actor=None,
                plan=plan,
                course=course,
                topic="" if course else what,
                competency=competency_for(keywords),
                participants=participants,
                cost=D(each) * participants * (3 if n == 1 else 1),
            )
        if n == 0:
            services.plan_approve(actor=None, plan=plan)
    return len(branches)


GOALS = [
    ("独立完成一次大客户拜访策划，并形成拜访纪要", "P01", 60),
    ("完成一份政企信息化解决方案并在部门内演示", "P02", 90),
    ("主持一次价格谈判，复盘谈判要点", "P03", 120),
]


def build_goals(*, today: dt.date, stdout=None) -> str | None:
    """Development goals of the demo's recorded reviews (run after the kpi demo, which
    records them): for about half of the reviews, one goal linked to a course and to the
    competency that course develops. One ``bulk_create``; idempotent."""
    if DevelopmentGoal.objects.exists():
        return None
    reviewed = list(
        Appraisal.objects.filter(reviewed_at__isnull=False, responded_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "staff_id", "review_date", "reviewed_by_id")[:40]
    )
    courses = {c.code: c for c in Course.objects.filter(code__in=[g[1] for g in GOALS])}
    develops = dict(
        Course.competencies.through.objects.filter(course__code__in=list(courses))
        .order_by("course_id", "competency_id")
        .values_list("course_id", "competency_id")
    )
    rows = []
    for n, (pk, staff_id, review_date, reviewer_id) in enumerate(reviewed):
        if n % 2:
            continue
        text, code, days = GOALS[n % len(GOALS)]
        course = courses.get(code)
        rows.append(
            DevelopmentGoal(
                appraisal_id=pk,
                staff_id=staff_id,
                text=text,
                due_on=(review_date or today) + dt.timedelta(days=days),
                course=course,
                competency_id=develops.get(course.pk) if course else None,
                created_by_id=reviewer_id,
            )
        )
    DevelopmentGoal.objects.bulk_create(rows)
    return f"Training: {len(rows)} development goals agreed in appraisal reviews."
