"""What each role's home page shows. The page itself is a frame of a constant, small number of
queries (the recent changes for the office, the "ask the office" notice); the to-do summary and
each app's cards are loaded into it as fragments of their own (``/home/todo/``,
``/home/cards/<key>/``), each within the page budget (docs/performance.md), whatever the size of
the company and however many apps contribute cards.

Apps contribute cards: a function ``cards(user, today) -> list[dict]`` registered under a
stable key with :func:`register` from their ``AppConfig.ready()``, each dict
``{"template": "<app>/cards/….html", "context": {...}, "order": int}``. The home page holds one
slot per provider, in the order given at registration; the provider's fragment renders its
cards sorted by ``order``, and a provider with no card for the user leaves no trace.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from core import clock, inbox, navigation
from core.models import AuditEvent
from core.roles import Role, has_role

CardProvider = Callable[..., list[dict]]
"""``cards(user, today: datetime.date) -> list[dict]``."""


@dataclass(frozen=True)
class Provider:
    """An app's cards: ``key`` names its fragment (``/home/cards/<key>/``); ``order`` places
    its slot on the home page (lower first)."""

    key: str
    cards: CardProvider
    order: int = 100


PROVIDERS: dict[str, Provider] = {}

# Whoever holds one of these roles belongs to the company without a staff record of their own
# (the company-wide view, the committee's work); everyone else is linked by their staff record.
COMPANY_ROLES = (Role.HR, Role.ADMIN, Role.LEADERSHIP, Role.COMMITTEE)


def register(key: str, provider: CardProvider, *, order: int = 100) -> None:
    """Add an app's home-page cards under ``key`` (once, however often ``ready()`` runs)."""
    existing = PROVIDERS.get(key)
    if existing is not None and existing.cards is not provider:
        raise ValueError(f"Home-page card key {key!r} is already registered")
    PROVIDERS[key] = Provider(key=key, cards=provider, order=order)


def providers() -> list[Provider]:
    """The registered providers in the order of their slots."""
    return sorted(PROVIDERS.values(), key=lambda p: (p.order, p.key))


def committee_cards(user, today: dt.date) -> list[dict]:
    """The review-committee member's card (their role, not their panels)."""
    if not has_role(user, Role.COMMITTEE):
        return []
    return [{"template": "core/cards/committee.html", "context": {}, "order": 5}]


register("committee", committee_cards, order=5)


def is_linked(user) -> bool:
    """Whether the user belongs to the company: a staff record of their own or a company-wide
    role. Anyone else is told on the home page to ask the office to link their account."""
    return has_role(user, *COMPANY_ROLES) or navigation.has_staff_record(user)


def build(user) -> dict:
    """The home page's frame: a slot per card provider, the office's recent changes."""
    ctx: dict = {"providers": providers(), "linked": is_linked(user)}
    if has_role(user, Role.HR, Role.ADMIN):
        ctx["recent_events"] = list(AuditEvent.objects.select_related("content_type", "actor")[:8])
    return ctx


def todo(user) -> dict:
    """The to-do summary: the five most urgent items and how many there are."""
    today = clock.today()
    items = inbox.items_for(user, today=today)
    return {"today": today, "inbox_items": items[:5], "inbox_total": len(items)}


def cards_of(provider: Provider, user) -> list[dict]:
    """One provider's cards for ``user``, in their order."""
    cards = provider.cards(user, clock.today())
    return sorted(cards, key=lambda card: card.get("order", 100))
