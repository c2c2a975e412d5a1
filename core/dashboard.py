"""What each role's home page shows. Each card is a few aggregate queries, whatever the size
of the company.

Apps contribute cards: a function ``cards(user, today) -> list[dict]`` registered with
:func:`register` from their ``AppConfig.ready()``, each dict
``{"template": "<app>/cards/….html", "context": {...}, "order": int}`` and, for a card that
shows the user belongs to the company (their own position, the company-wide view),
``"linked": True``. The home page renders them sorted by ``order``, then the platform's recent
changes; a user with no linked card and no role-based card is told to ask the office.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from core import clock, inbox
from core.models import AuditEvent
from core.roles import Role, has_role

CardProvider = Callable[..., list[dict]]
"""``cards(user, today: datetime.date) -> list[dict]``."""

PROVIDERS: list[CardProvider] = []


def register(provider: CardProvider) -> None:
    """Add an app's home-page cards (once, however often ``ready()`` runs)."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def committee_cards(user, today: dt.date) -> list[dict]:
    """The review-committee member's card (their role, not their panels)."""
    if not has_role(user, Role.COMMITTEE):
        return []
    return [{"template": "core/cards/committee.html", "context": {}, "order": 5, "linked": True}]


register(committee_cards)


def build(user) -> dict:
    today = clock.today()
    ctx: dict = {"today": today}
    items = inbox.items_for(user, today=today)
    ctx["inbox_items"], ctx["inbox_total"] = items[:5], len(items)
    if has_role(user, Role.HR, Role.ADMIN):
        ctx["recent_events"] = list(AuditEvent.objects.select_related("content_type", "actor")[:8])
    ctx["app_cards"] = app_cards(user, today)
    ctx["linked"] = any(card.get("linked") for card in ctx["app_cards"])
    return ctx


def app_cards(user, today: dt.date) -> list[dict]:
    cards = [card for provider in PROVIDERS for card in provider(user, today)]
    return sorted(cards, key=lambda card: card.get("order", 100))
