"""What every letters service shares: the kinds of letter and the appointments each fits,
the grounds a decision gives its letter, the issuer checks, the recipient's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import NamedTuple, TypedDict

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core import roles
from core.errors import DomainError, ErrorCode, RoleRequired
from core.roles import Role, has_role, is_office
from notifications.selectors import languages_of
from org.models import Appointment

from .. import selectors
from ..models import Letter

JOB_KIND = selectors.JOB_KIND

_R = Appointment.Reason
_ANY_HELD = frozenset({_R.INITIAL, _R.PROMOTION, _R.RENEWAL, _R.KEPT, _R.DEMOTION})

# Which appointments each kind of letter may be issued for. The letters about a
# re-certification (kept, demotion, elimination, result) are issued at the leadership's approval
# for the appointment the person holds then (with the decision's grounds); a demotion notice may
# also be issued for the demotion's own appointment.
KIND_REASONS: dict[str, frozenset[str] | set[str]] = {
    Letter.Kind.APPOINTMENT: {_R.INITIAL},
    Letter.Kind.PROMOTION: {_R.PROMOTION},
    Letter.Kind.RENEWAL: {_R.RENEWAL},
    Letter.Kind.KEPT: _ANY_HELD,
    Letter.Kind.DEMOTION: _ANY_HELD,
    Letter.Kind.ELIMINATION: _ANY_HELD,
    Letter.Kind.RECERTIFICATION: _ANY_HELD,
}
# The kind of letter an appointment's own reason calls for (the batch page, the API default).
KIND_OF_REASON: dict[str, str] = {
    _R.INITIAL: Letter.Kind.APPOINTMENT,
    _R.PROMOTION: Letter.Kind.PROMOTION,
    _R.RENEWAL: Letter.Kind.RENEWAL,
    _R.KEPT: Letter.Kind.KEPT,
    _R.DEMOTION: Letter.Kind.DEMOTION,
}


class Grounds(TypedDict, total=False):
    """What a decision tells its letter (all keys optional; printed when given). Numbers as
    ``Decimal`` or ``str``, dates as ``date``; ``ground`` may be a lazy translation (it is
    rendered in the letter's language).

    - ``ranking_year``, ``cohort`` (label), ``cohort_size``, ``rank``, ``band_size``,
      ``ranking_score``: the annual ranking that put the person in the bottom band;
    - ``recert_score``, ``pass_line``, ``elimination_line``, ``ground``: the re-certification;
    - ``new_level_id``: the level a demotion moves to;
    - ``approved_on``, ``appeal_until``, ``effective_on``: the decision, the last day to appeal
      and the day it takes effect if no appeal is filed.
    """

    ranking_year: int
    cohort: str
    cohort_size: int | None
    rank: int | None
    band_size: int | None
    ranking_score: Decimal | str | None
    recert_score: Decimal | str | None
    pass_line: Decimal | str | None
    elimination_line: Decimal | str | None
    ground: str | Promise
    new_level_id: int
    approved_on: dt.date | None
    appeal_until: dt.date
    effective_on: dt.date


class Meeting(NamedTuple):
    """The leadership group's meeting that took the decision (会议): the year and its number
    in that year — printed in the reference to the decision, "经公司认证领导小组2026年第3次会议
    研究决定"."""

    year: int
    number: int


def _meeting(value) -> Meeting | None:
    """A meeting from a job's params (``[year, number]``)."""
    return Meeting(*value) if value else None


def _check_office(actor) -> None:
    roles.require_office(actor, _("Only the certification office may issue or revoke letters."))


def _check_issuer(actor) -> None:
    """The office issues letters; the leadership group's approval of a cycle issues its
    letters too (certification calls :func:`letter_issue_for` with the approver)."""
    if actor is not None and not (is_office(actor) or has_role(actor, Role.LEADERSHIP)):
        raise RoleRequired(_("Only the certification office may issue or revoke letters."))


def _check_kind_and_language(kind: str, language: str) -> None:
    if kind not in Letter.Kind.values:
        raise DomainError(
            _("Unknown kind of letter: %(kind)s") % {"kind": kind}, code=ErrorCode.INVALID
        )
    if language not in Letter.Language.values:
        raise DomainError(
            _("Unknown letter language: %(language)s") % {"language": language},
            code=ErrorCode.INVALID,
        )


# The appointment reasons a kind speaks of by itself; for any other held appointment the letter
# needs the decision's grounds (a re-certification decided at approval).
_OWN_REASONS: dict[str, set[str]] = {
    Letter.Kind.KEPT: {_R.KEPT},
    Letter.Kind.DEMOTION: {_R.DEMOTION},
    Letter.Kind.ELIMINATION: set(),
    Letter.Kind.RECERTIFICATION: {_R.KEPT, _R.DEMOTION},
}


def _kind_fits(kind: str, appointment: Appointment, grounds: Grounds | None = None) -> bool:
    if appointment.reason not in KIND_REASONS[kind]:
        return False
    own = _OWN_REASONS.get(kind)
    return own is None or appointment.reason in own or bool(grounds)


def _kind_mismatch(kind: str, appointment: Appointment) -> DomainError:
    return DomainError(
        _("A %(kind)s cannot be issued for an appointment of reason “%(reason)s”.")
        % {"kind": Letter.Kind(kind).label, "reason": appointment.get_reason_display()},
        code=ErrorCode.KIND_MISMATCH,
    )


def default_language() -> str:
    return settings.LANGUAGE_CODE


def recipient_languages(appointments) -> dict[int, str]:
    """The language each appointment's letter is written in: the recipient's preferred
    language (their notification settings), ``settings.LANGUAGE_CODE`` for someone without a
    login or a choice. One query for all of them."""
    ids = [a.pk for a in appointments]
    users = dict(Appointment.objects.filter(pk__in=ids).values_list("pk", "staff__user_id"))
    chosen = languages_of(user_ids=[u for u in users.values() if u is not None])
    return {pk: chosen.get(user_id, default_language()) for pk, user_id in users.items()}
