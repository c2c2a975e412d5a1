"""The calendar invitation (iCalendar, RFC 5545) of a defence: one VEVENT whose UID stays the
same for the life of the defence, so that a move updates the attendees' calendar entry (its
SEQUENCE grows) and a cancellation removes it (``METHOD:CANCEL``, ``STATUS:CANCELLED``)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vCalAddress, vText

from core.labels import name_people, person_name

CONTENT_TYPE = "text/calendar; charset=utf-8"


def uid_of(defence) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "ladder"
    return f"defence-{defence.pk}@{host}"


def filename_of(defence) -> str:
    return f"defence-{defence.pk}.ics"


def _address(user, role: str) -> vCalAddress | None:
    if not user.email:
        return None
    address = vCalAddress(f"mailto:{user.email}")
    address.params["CN"] = vText(person_name(user))
    address.params["ROLE"] = vText(role)
    address.params["PARTSTAT"] = vText("NEEDS-ACTION")
    address.params["RSVP"] = vText("FALSE")
    return address


def build(defence, *, candidate_user, members, cancelled: bool = False) -> str:
    """The ``.ics`` text of ``defence`` (its application, cycle, staff and target level
    loaded): ``candidate_user`` (may be ``None``) and the panel ``members`` are the
    attendees; ``cancelled`` makes it the cancellation of the same event."""
    app = defence.application
    name_people([candidate_user, *members])  # the attendees' names: one query
    cal = Calendar()
    cal.add("prodid", "-//Ladder//Certification defence//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", uid_of(defence))
    event.add("sequence", defence.sequence)
    event.add("dtstamp", defence.updated_at.astimezone(dt.UTC))
    event.add("dtstart", defence.starts_at.astimezone(dt.UTC))
    event.add("dtend", defence.ends_at.astimezone(dt.UTC))
    event.add(
        "summary",
        _("Defence: %(candidate)s → %(level)s")
        % {"candidate": app.staff.name, "level": app.target_level.code},
    )
    if defence.place:
        event.add("location", defence.place)
    if defence.video_url:
        event.add("url", defence.video_url)
    lines = [
        _("Certification defence of %(candidate)s, %(cycle)s.")
        % {"candidate": app.staff.name, "cycle": app.cycle.name}
    ]
    if defence.video_url:
        lines.append(_("Video link: %(url)s") % {"url": defence.video_url})
    if defence.note:
        lines.append(defence.note)
    if cancelled and defence.cancel_reason:
        lines.append(_("Cancelled: %(reason)s") % {"reason": defence.cancel_reason})
    event.add("description", "\n".join(lines))
    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["CN"] = vText(_("Certification office"))
    event.add("organizer", organizer)
    people = [(candidate_user, "REQ-PARTICIPANT")] if candidate_user is not None else []
    people += [(m, "REQ-PARTICIPANT") for m in members]
    seen = set()
    for user, role in people:
        address = _address(user, role)
        if address is not None and user.pk not in seen:
            seen.add(user.pk)
            event.add("attendee", address, encode=0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    cal.add_component(event)
    return cal.to_ical().decode()
