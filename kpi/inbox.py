"""To-do items of KPI (``core.inbox``): the office locks the periods that have ended and are
still open, once their year is over (so late actuals go through corrections); a line manager
gives the qualitative ratings (综合评价) of their team for the current open month — the
same grid as the rating page; records the team's review conversations and approves (or
refuses) their assessment-profile choices. A few counting queries, whatever the team's size."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Subquery,
    Value,
)
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.inbox import InboxItem
from core.roles import Role, has_role, is_office
from org.scope import staff_of, visible_staff

from . import rules, scoring
from .models import (
    Actual,
    Appraisal,
    Indicator,
    Period,
    ProfileChoice,
    QualitativeRating,
    RaterAssignment,
)
from .selectors import current_period

KINDS = {
    "kpi.lock": gettext_lazy("KPI periods to lock"),
    "kpi.rate": gettext_lazy("Qualitative KPI ratings to give"),
    "kpi.give_ratings": gettext_lazy("Colleagues to rate (multi-source KPI)"),
    "kpi.acknowledge_targets": gettext_lazy("KPI targets to acknowledge"),
    "kpi.self_appraisal": gettext_lazy("Self-appraisal to write"),
    "kpi.answer_review": gettext_lazy("Review conversation to acknowledge"),
    "kpi.review": gettext_lazy("Review conversations to record"),
    "kpi.approve_profiles": gettext_lazy("Assessment-profile choices to approve"),
}


def items(user, today: dt.date) -> list[InboxItem]:
    result = []
    rows = _rows(user, today)
    if is_office(user):
        result += _locks([row for row in rows if row[0] == "lock"])
    if has_role(user, Role.MANAGER):
        result += _ratings(user, today)
        result += _reviews([row for row in rows if row[0] in ("review", "profile")])
    result += _own_appraisal([row for row in rows if row[0] in ("appraisal", "rate")])
    return result


def _appraisal_url(code: str) -> str:
    return reverse("kpi:appraisal-me") + f"?period={code}"


COLUMNS = ("kind", "code", "stage", "end", "published", "acknowledged", "submitted", "reviewed")


def _rows(user, today: dt.date) -> list[tuple]:
    """One query for every step of the user's, a union of rows of :data:`COLUMNS` and a count
    ``n``: their open appraisals (one row each) and their rater assignments without a rating
    in open periods (one row per period); for a line manager, their team's appraisals of
    periods in the feedback stage without a review (one row per period) and the
    assessment-profile choices awaiting approval (one row per year, ``code``); for the
    office, the periods of past years still open (one row: ``code`` the earliest year)."""
    no_time = Value(None, output_field=DateTimeField())
    no_date = Value(None, output_field=DateField())
    no_text = Value(None, output_field=CharField())
    no_times = {name: no_time for name in ("published", "acknowledged", "submitted", "reviewed")}
    nothing = {"stage": no_text, "end": no_date, **no_times}
    appraisals = (
        Appraisal.objects.filter(staff__user=user)
        .exclude(period__stage=rules.CLOSED)
        .filter(responded_at__isnull=True)
        .annotate(
            kind=Value("appraisal"),
            code=F("period__code"),
            stage=F("period__stage"),
            end=F("period__end"),
            published=F("period__targets_published_at"),
            acknowledged=F("targets_acknowledged_at"),
            submitted=F("self_submitted_at"),
            reviewed=F("reviewed_at"),
            n=Value(1),
        )
        .order_by()
        .values_list(*COLUMNS, "n")
    )
    given = QualitativeRating.objects.filter(
        period_id=OuterRef("period_id"),
        staff_id=OuterRef("staff_id"),
        indicator_id=OuterRef("indicator_id"),
        rater_id=OuterRef("rater_id"),
    )
    to_rate = (
        RaterAssignment.objects.filter(rater=user, period__status=Period.Status.OPEN)
        .exclude(Exists(given))
        .annotate(
            kind=Value("rate"),
            code=F("period__code"),
            stage=F("period__stage"),
            end=F("period__end"),
            published=no_time,
            acknowledged=no_time,
            submitted=no_time,
            reviewed=no_time,
        )
        .order_by()
        .values(*COLUMNS)
        .annotate(n=Count("pk"))
        .values_list(*COLUMNS, "n")
    )
    parts = [to_rate]
    if has_role(user, Role.MANAGER):
        team = visible_staff(user)
        me = staff_of(user)
        if me is not None:
            team = team.exclude(pk=me.pk)
        parts.append(
            Appraisal.objects.filter(
                period__stage=rules.FEEDBACK, reviewed_at__isnull=True, staff__in=team
            )
            .annotate(kind=Value("review"), code=F("period__code"), **nothing)
            .order_by()
            .values(*COLUMNS)
            .annotate(n=Count("pk"))
            .values_list(*COLUMNS, "n")
        )
        parts.append(
            ProfileChoice.objects.filter(status=ProfileChoice.Status.PENDING, staff__in=team)
            .annotate(kind=Value("profile"), code=Cast("year", CharField()), **nothing)
            .order_by()
            .values(*COLUMNS)
            .annotate(n=Count("pk"))
            .values_list(*COLUMNS, "n")
        )
    if is_office(user):
        # a union matches columns by position: the period's own code, stage and end are not
        # this row's, so its columns are named apart
        parts.append(
            Period.objects.filter(status=Period.Status.OPEN, year__lt=today.year)
            .annotate(kind=Value("lock"))
            .order_by()
            .values("kind")  # a constant: no GROUP BY, one row whatever the count
            .annotate(first_year=Cast(Min("year"), CharField()), n=Count("pk"))
            .annotate(no_stage=no_text, no_end=no_date, **no_times)
            .values_list("kind", "first_year", "no_stage", "no_end", *COLUMNS[4:], "n")
        )
    return list(appraisals.union(*parts, all=True))


def _own_appraisal(rows: list[tuple]) -> list[InboxItem]:
    """The employee's own steps: acknowledge the published targets (until the assessment
    stage ends), write the self-assessment (assessment stage), answer a recorded review; and
    a rater's colleagues to rate (multi-source ratings), one item per period."""
    found = []
    rows = sorted(rows, key=lambda row: (row[3], row[0]))
    for kind, code, stage, end, published, acknowledged, submitted, reviewed, n in rows:
        if kind == "rate":
            found.append(
                InboxItem(
                    kind="kpi.give_ratings",
                    title=ngettext(
                        "Give %(n)s KPI rating for %(period)s",
                        "Give %(n)s KPI ratings for %(period)s",
                        n,
                    )
                    % {"n": n, "period": code},
                    why=_(
                        "A line manager asked you to rate; your rating counts towards their score."
                    ),
                    due=end,
                    url=reverse("kpi:ratings"),
                    count=n,
                    priority=30,
                )
            )
            continue
        if (
            acknowledged is None
            and published is not None
            and rules.ORDER[stage] <= rules.ORDER[rules.ASSESSMENT]
        ):
            found.append(
                InboxItem(
                    kind="kpi.acknowledge_targets",
                    title=_("Acknowledge your KPI targets for %(period)s") % {"period": code},
                    why=_("Your targets are published; acknowledging them starts the cycle."),
                    due=None,
                    url=_appraisal_url(code),
                    priority=20,
                )
            )
        if stage == rules.ASSESSMENT and submitted is None:
            found.append(
                InboxItem(
                    kind="kpi.self_appraisal",
                    title=_("Write your self-appraisal for %(period)s") % {"period": code},
                    why=_("The assessment stage has begun: assess yourself per indicator group."),
                    due=None,
                    url=_appraisal_url(code),
                    priority=25,
                )
            )
        if reviewed is not None:
            found.append(
                InboxItem(
                    kind="kpi.answer_review",
                    title=_("Acknowledge your review for %(period)s") % {"period": code},
                    why=_("Your line manager recorded the review conversation."),
                    due=None,
                    url=_appraisal_url(code),
                    priority=20,
                )
            )
    return found


def _reviews(rows: list[tuple]) -> list[InboxItem]:
    """A line manager's reviews to record (the team's appraisals of periods in the feedback
    stage without a review, one item per period) and profile choices to approve (one item per
    year)."""
    found = []
    rows = sorted(rows, key=lambda row: (row[0] != "review", row[1]))
    for kind, code, *_unused, n in rows:
        if kind == "profile":
            found.append(
                InboxItem(
                    kind="kpi.approve_profiles",
                    title=ngettext(
                        "Approve or refuse %(n)s assessment-profile choice for %(year)s",
                        "Approve or refuse %(n)s assessment-profile choices for %(year)s",
                        n,
                    )
                    % {"n": n, "year": code},
                    why=_(
                        "Your team chose how their KPI indicators are weighted; a choice counts "
                        "only once you approve it."
                    ),
                    due=None,
                    url=reverse("kpi:profiles") + f"?year={code}#pending",
                    count=n,
                    priority=30,
                )
            )
            continue
        found.append(
            InboxItem(
                kind="kpi.review",
                title=ngettext(
                    "Record %(n)s review conversation for %(period)s",
                    "Record %(n)s review conversations for %(period)s",
                    n,
                )
                % {"n": n, "period": code},
                why=_("The period is in the feedback stage; your team waits for their reviews."),
                due=None,
                url=reverse("kpi:appraisal-team") + f"?period={code}",
                count=n,
                priority=30,
            )
        )
    return found


def _ratings(user, today: dt.date) -> list[InboxItem]:
    indicators = Indicator.objects.filter(kind=Indicator.Kind.QUALITATIVE, active=True).exclude(
        method=scoring.SOURCES
    )  # those are rated by their assigned raters (kpi.give_ratings)
    team = visible_staff(user)
    me = staff_of(user)
    if me is not None:
        team = team.exclude(pk=me.pk)  # nobody rates themselves
    given = Actual.objects.filter(period=OuterRef("pk"), staff__in=team, indicator__in=indicators)
    # the period read with the three counts: the ratings expected (indicators × team), given
    period = current_period(
        today=today,
        periods=Period.objects.annotate(
            indicators=_count(indicators), team=_count(team), given=_count(given)
        ),
    )
    if period is None or period.is_locked:
        return []
    counts = {name: getattr(period, name) for name in ("indicators", "team", "given")}
    n = counts["indicators"] * counts["team"] - counts["given"]
    if n <= 0:
        return []
    return [
        InboxItem(
            kind="kpi.rate",
            title=ngettext(
                "Give %(n)s qualitative rating for %(period)s",
                "Give %(n)s qualitative ratings for %(period)s",
                n,
            )
            % {"n": n, "period": period.code},
            why=_("Your team's KPI scores for the period wait for your ratings."),
            due=period.end,
            url=reverse("kpi:rate") + f"?period={period.code}",
            count=n,
            priority=30,
        )
    ]


def _count(queryset) -> Subquery:
    """``COUNT(*)`` of ``queryset`` as a scalar subquery (no GROUP BY: one row)."""
    return Subquery(
        queryset.order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def _locks(rows: list[tuple]) -> list[InboxItem]:
    [(_kind, first, *_unused, n)] = rows
    if not n:
        return []
    return [
        InboxItem(
            kind="kpi.lock",
            title=ngettext(
                "Lock %(n)s KPI period of past years", "Lock %(n)s KPI periods of past years", n
            )
            % {"n": n},
            why=_(
                "Their year has ended (the earliest: %(year)s); locked periods freeze the "
                "annual scores the ranking and certification use."
            )
            % {"year": first},
            due=None,
            url=reverse("admin:kpi_period_changelist") + "?status__exact=open",
            count=n,
            priority=40,
        )
    ]
