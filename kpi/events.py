"""What the assessment cycle tells people (``notifications``): the targets are published (to
acknowledge), the cycle is mobilised, the self-appraisal is due, and a review conversation has
been recorded (to acknowledge), and the line manager approved or refused an assessment-profile
choice (with the reason, so the employee can choose again). The services raise them after
their decision."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.registry import EventType, register

TARGETS_PUBLISHED = "kpi.targets_published"
MOBILISED = "kpi.mobilised"
SELF_APPRAISAL_DUE = "kpi.self_appraisal_due"
REVIEW_RECORDED = "kpi.review_recorded"
PROFILE_APPROVED = "kpi.profile_approved"
PROFILE_REFUSED = "kpi.profile_refused"

EVENTS = (
    EventType(
        TARGETS_PUBLISHED,
        _("KPI targets published"),
        _("Your KPI targets for %(period)s are published: please acknowledge them"),
        _(
            "The KPI scheme and your targets for the period %(period)s are published. Read "
            "them and acknowledge them on your appraisal page by %(due)s."
        ),
    ),
    EventType(
        MOBILISED,
        _("KPI assessment mobilised"),
        _("The KPI assessment of %(period)s is starting"),
        _(
            "The assessment of the period %(period)s has been mobilised: it runs from "
            "%(starts)s to %(ends)s. Your targets and the scheme are on your appraisal page."
        ),
    ),
    EventType(
        SELF_APPRAISAL_DUE,
        _("Self-appraisal due"),
        _("Write your self-appraisal for %(period)s by %(due)s"),
        _(
            "The assessment stage of the period %(period)s has begun. Write your "
            "self-assessment for each indicator group on your appraisal page by %(due)s."
        ),
    ),
    EventType(
        REVIEW_RECORDED,
        _("Review conversation recorded"),
        _("Your review for %(period)s is recorded: please acknowledge it"),
        _(
            "%(manager)s recorded the review conversation of %(date)s for the period "
            "%(period)s. Read it on your appraisal page and acknowledge it, or say why you "
            "disagree."
        ),
    ),
    EventType(
        PROFILE_APPROVED,
        _("Assessment profile approved"),
        _("Your assessment profile for %(year)s is approved"),
        _(
            "%(decider)s approved your choice of the assessment profile %(profile)s for "
            "%(year)s: its weights score your KPI periods of that year."
        ),
    ),
    EventType(
        PROFILE_REFUSED,
        _("Assessment profile refused"),
        _("Your assessment profile for %(year)s was refused: please choose again"),
        _(
            "%(decider)s refused your choice of the assessment profile %(profile)s for "
            "%(year)s, for this reason: %(reason)s. Choose a profile again on your profile "
            "page while the year is in preparation."
        ),
    ),
)


def register_events() -> None:
    register(*EVENTS)
