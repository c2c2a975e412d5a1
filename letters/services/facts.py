"""What a letter states, frozen at issue: the person, the level and term, the benefits (not
in adverse notices), the levels and grounds of a re-certification, the signatory."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from org.models import Appointment, Level

from ..models import Letter
from .common import Grounds, Meeting


def _previous_appointment(appointment: Appointment) -> Appointment | None:
    return (
        Appointment.objects.filter(staff_id=appointment.staff_id, start__lt=appointment.start)
        .select_related("level")
        .order_by("-start", "-id")
        .first()
    )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _level_facts(level: Level | None) -> dict:
    if level is None:
        return {"code": "", "name": ""}
    return {"code": level.code, "name": level.display_name}


def letter_facts(
    appointment: Appointment,
    kind: str,
    language: str,
    grounds: Grounds | None = None,
    meeting: Meeting | None = None,
) -> dict:
    """What the letter states, in its language, frozen at issue. Adverse notices (demotion,
    elimination) carry no benefits: only the levels, the grounds, the dates and the appeal."""
    level = appointment.level
    staff = appointment.staff
    given: dict[str, object] = dict(grounds or {})
    zh = language == "zh-hans"
    with translation.override(language):
        facts = {
            "company": settings.COMPANY_NAME if zh else settings.COMPANY_NAME_EN,
            "staff_name": staff.name,
            "employee_no": staff.employee_no,
            "unit": staff.unit.display_path,
            "level_code": level.code,
            "level_name": level.display_name,
            "term_start": appointment.start.isoformat(),
            "term_end": appointment.end.isoformat(),
            "reason": appointment.reason,
            "decision_line": decision_line(kind, language, meeting),
            "cc": settings.LETTER_CC.get(language, ""),
            **signatory_for(kind, language),
        }
        if kind not in Letter.ADVERSE:
            facts |= {
                "honorary_title": level.display_title,
                "allowance": str(level.allowance),
                "training_package": str(level.training_package_value),
                "office": level.office_entitlement,
            }
        if kind == Letter.Kind.RENEWAL:
            previous = _previous_appointment(appointment)
            if previous is not None:
                facts["previous_term_start"] = previous.start.isoformat()
                facts["previous_term_end"] = previous.end.isoformat()
        if kind in Letter.ADVERSE or kind == Letter.Kind.RECERTIFICATION:
            if appointment.reason == Appointment.Reason.DEMOTION:
                previous = _previous_appointment(appointment)
                old: Level | None = previous.level if previous else None
                new: Level | None = level
                given.setdefault("effective_on", appointment.start)
            else:
                old = level
                new_id = (grounds or {}).get("new_level_id")
                new = Level.objects.filter(pk=new_id).first() if new_id else None
            old_facts, new_facts = _level_facts(old), _level_facts(new)
            facts |= {
                "old_level_code": old_facts["code"],
                "old_level_name": old_facts["name"],
                "new_level_code": new_facts["code"] if kind != Letter.Kind.ELIMINATION else "",
                "new_level_name": new_facts["name"] if kind != Letter.Kind.ELIMINATION else "",
                "appeal_route": settings.LETTER_APPEAL_ROUTE.get(language, ""),
            }
        if kind == Letter.Kind.RECERTIFICATION:
            facts["outcome"] = (
                _("not passed, demoted one level")
                if appointment.reason == Appointment.Reason.DEMOTION or given.get("new_level_id")
                else _("passed, the level is kept")
            )
        for key in Grounds.__annotations__:
            if key in given and key != "new_level_id":
                facts[key] = _text(given[key])
    return facts


def decision_line(kind: str, language: str, meeting: Meeting | None = None) -> str:
    """The reference to the decision a letter of ``kind`` rests on (``LETTER_DECISION_LINES``),
    in ``language``; its ``{meeting}`` placeholder becomes the meeting (``LETTER_MEETING``), or
    nothing when no meeting is given."""
    line = _by_kind(settings.LETTER_DECISION_LINES, kind, language)
    held = ""
    if meeting is not None:
        pattern = settings.LETTER_MEETING.get(language) or settings.LETTER_MEETING["zh-hans"]
        held = pattern.replace("{year}", str(meeting.year)).replace("{number}", str(meeting.number))
    return line.replace("{meeting}", held)


def _by_kind(setting: dict, kind: str, language: str) -> str:
    entry = setting.get(kind) or setting.get("default") or {}
    return entry.get(language) or entry.get("zh-hans", "")


def signatory_for(kind: str, language: str) -> dict:
    """The signatory block of ``kind`` from ``settings.LETTER_SIGNATORIES`` (the kind's entry
    over ``default``), in ``language``."""
    configured = settings.LETTER_SIGNATORIES
    entry = {**configured.get("default", {}), **configured.get(kind, {})}
    suffix = "" if language == "zh-hans" else "_en"
    return {
        "signatory_title": entry.get(f"title{suffix}") or entry.get("title", ""),
        "signatory_name": entry.get(f"name{suffix}") or entry.get("name", ""),
    }
