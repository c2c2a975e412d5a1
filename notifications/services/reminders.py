"""The nightly reminders: what is due in one of the configured numbers of days, once."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import transaction

from .. import reminders
from ..models import ReminderSent
from .notify import notify


@transaction.atomic
def reminders_send(*, today: dt.date) -> int:
    """Collect the registered sources' reminders (:mod:`notifications.reminders`), keep those
    due in exactly one of ``NOTIFY_REMIND_DAYS_BEFORE`` days from ``today`` (or of the reminder's
    own ``days_before``), drop those already
    sent (:class:`~notifications.models.ReminderSent`: per user, event, key, due date and days
    before — a re-run sends nothing twice) and notify the rest. The event's wording may use
    ``%(due)s`` and ``%(days)s`` besides the source's context. Returns how many were sent."""
    default = frozenset(settings.NOTIFY_REMIND_DAYS_BEFORE)
    candidates: dict[tuple[int, str, str, dt.date, int], reminders.Reminder] = {}
    for r in reminders.collect(today=today):
        days = (r.due - today).days
        if days in (frozenset(r.days_before) or default):
            candidates.setdefault((r.user_id, r.event, r.key, r.due, days), r)
    if not candidates:
        return 0
    already = set(
        ReminderSent.objects.filter(
            user_id__in={k[0] for k in candidates}, due__in={k[3] for k in candidates}
        ).values_list("user_id", "event", "key", "due", "days_before")
    )
    fresh = {k: r for k, r in candidates.items() if k not in already}
    ReminderSent.objects.bulk_create(
        [
            ReminderSent(user_id=u, event=e, key=k, due=due, days_before=days)
            for (u, e, k, due, days) in fresh
        ],
        ignore_conflicts=True,
    )
    # One notify() per distinct message: the people reminded of the same thing share it.
    groups: dict[tuple, list[int]] = defaultdict(list)
    messages: dict[tuple, dict] = {}
    for (user_id, _, _, due, days), r in fresh.items():
        context = {"due": due.isoformat(), "days": days, **r.context}
        key = (r.event, r.url, repr(sorted(context.items())))
        groups[key].append(user_id)
        messages[key] = {"event": r.event, "url": r.url, "context": context}
    for key, user_ids in groups.items():
        notify(recipients=user_ids, **messages[key])
    return len(fresh)
