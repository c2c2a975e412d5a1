"""Course evaluation by participants (篇3): anonymous, once per participant and session."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from core import clock
from core.errors import DomainError, ErrorCode, InvalidTransition
from org.scope import staff_of

from .. import rules
from ..models import CourseEvaluation, Enrolment, TrainingSession


@transaction.atomic
def evaluation_submit(
    *,
    actor,
    session: TrainingSession,
    content: int,
    trainer: int,
    usefulness: int,
    comment: str = "",
) -> CourseEvaluation:
    """A participant who attended a completed session rates it once, within
    :data:`~training.rules.EVALUATION_WINDOW_DAYS` days after its end.

    The evaluation is stored **without the person**: no staff, user or time, a random id —
    and, deliberately, no audit event (which would name the actor). The enrolment's
    ``evaluated`` flag, set in the same transaction under a row lock, refuses a second rating
    (409 ``already_evaluated``)."""
    me = staff_of(actor)
    enrolment = (
        Enrolment.objects.select_for_update()
        .select_related("session")
        .filter(session_id=session.pk, staff=me)
        .first()
        if me is not None
        else None
    )
    if enrolment is None:
        raise InvalidTransition(
            _("Only participants of the session can rate it."), code=ErrorCode.NOT_ENROLLED
        )
    session = enrolment.session
    if session.status != TrainingSession.Status.COMPLETED or not enrolment.attended:
        raise InvalidTransition(_("You can rate a session you attended once it is completed."))
    if enrolment.evaluated:
        raise InvalidTransition(
            _("You have already rated this session."), code=ErrorCode.ALREADY_EVALUATED
        )
    closes = evaluation_closes(session)
    if clock.today() > closes:
        raise InvalidTransition(
            _("The evaluation of this session closed on %(day)s.") % {"day": closes.isoformat()}
        )
    for value in (content, trainer, usefulness):
        if value not in rules.EVALUATION_SCORES:
            raise DomainError(_("Rate each question from 1 to 5."), code=ErrorCode.INVALID_SCORE)
    evaluation = CourseEvaluation.objects.create(
        session=session,
        content=content,
        trainer=trainer,
        usefulness=usefulness,
        comment=(comment or "").strip(),
    )
    enrolment.evaluated = True
    enrolment.save(update_fields=["evaluated"])
    return evaluation


def evaluation_closes(session: TrainingSession) -> dt.date:
    """The last day a participant may rate ``session``."""
    return session.end + dt.timedelta(days=rules.EVALUATION_WINDOW_DAYS)
