"""What each role's home page shows. The page itself is a frame of a constant, small number of
queries (the recent changes for the office, the "ask the office" notice); the to-do summary and
the apps' cards are loaded into it as fragments (``/home/todo/``, ``/home/cards/<keys>/``), each
within the page budget (docs/performance.md), whatever the size of the company and however many
apps contribute cards.

Apps contribute cards: a function ``cards(user, today) -> list[dict]`` registered under a
stable key with :func:`register` from their ``AppConfig.ready()``, each dict
``{"template": "<app>/cards/….html", "context": {...}, "order": int}``, with the most SQL
queries its cards cost for any role (``queries``). Providers are packed, in the order given at
registration, into as few fragments as the page budget allows (:func:`groups`): every fragment
is a request of its own, with its own session, user and middleware, so a dozen one-card
fragments cost the server far more than a few grouped ones. The home page holds one slot per
group; a fragment renders each of its providers' cards sorted by ``order``, and a provider with
no card for the user leaves no trace.
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
    """An app's cards: ``key`` names it in its fragment's address (``/home/cards/<key>/``);
    ``order`` places its cards on the home page (lower first); ``queries`` is the most SQL
    queries its cards cost for any role, beyond the request's own (the session, the user)."""

    key: str
    cards: CardProvider
    order: int = 100
    queries: int = 1


PROVIDERS: dict[str, Provider] = {}

FRAGMENT_QUERIES = 12
"""What a fragment's providers may cost together: the page budget (15 queries) less the
request's own — the session, the user with their roles, an office user's second factor."""

KEY_SEPARATOR = "+"
"""Between the provider keys of a grouped fragment's address (``/home/cards/org+ranking/``)."""

# Whoever holds one of these roles belongs to the company without a staff record of their own
# (the company-wide view, the committee's work); everyone else is linked by their staff record.
COMPANY_ROLES = (Role.HR, Role.ADMIN, Role.LEADERSHIP, Role.COMMITTEE)


def register(key: str, provider: CardProvider, *, order: int = 100, queries: int) -> None:
    """Add an app's home-page cards under ``key`` (once, however often ``ready()`` runs).
    ``queries``: the most its cards cost for any role (tests/test_query_budgets.py measures
    every role's fragments)."""
    existing = PROVIDERS.get(key)
    if existing is not None and existing.cards is not provider:
        raise ValueError(f"Home-page card key {key!r} is already registered")
    PROVIDERS[key] = Provider(key=key, cards=provider, order=order, queries=queries)


def providers() -> list[Provider]:
    """The registered providers in the order of their cards."""
    return sorted(PROVIDERS.values(), key=lambda p: (p.order, p.key))


def groups() -> list[list[Provider]]:
    """The providers in their order, packed into fragments: each takes the next providers
    while their ``queries`` together stay within :data:`FRAGMENT_QUERIES` (a provider that
    alone needs more has a fragment to itself). Consecutive providers only, so the cards keep
    their order on the page."""
    packed: list[list[Provider]] = []
    cost = 0
    for provider in providers():
        if packed and cost + provider.queries <= FRAGMENT_QUERIES:
            packed[-1].append(provider)
            cost += provider.queries
        else:
            packed.append([provider])
            cost = provider.queries
    return packed


def fragment_key(group: list[Provider]) -> str:
    """The ``<keys>`` of a group's fragment address."""
    return KEY_SEPARATOR.join(provider.key for provider in group)


def providers_of(keys: str) -> list[Provider] | None:
    """The providers a fragment address names, in its order; None if one is unknown or named
    twice."""
    names = keys.split(KEY_SEPARATOR)
    if len(set(names)) != len(names) or not all(name in PROVIDERS for name in names):
        return None
    return [PROVIDERS[name] for name in names]


def committee_cards(user, today: dt.date) -> list[dict]:
    """The review-committee member's card (their role, not their panels)."""
    if not has_role(user, Role.COMMITTEE):
        return []
    return [{"template": "core/cards/committee.html", "context": {}, "order": 5}]


register("committee", committee_cards, order=5, queries=0)


def is_linked(user) -> bool:
    """Whether the user belongs to the company: a staff record of their own or a company-wide
    role. Anyone else is told on the home page to ask the office to link their account."""
    return has_role(user, *COMPANY_ROLES) or navigation.has_staff_record(user)


def build(user) -> dict:
    """The home page's frame: a slot per card provider, the office's recent changes."""
    ctx: dict = {
        "fragments": [
            {"key": fragment_key(group), "providers": [p.key for p in group]} for group in groups()
        ],
        "linked": is_linked(user),
    }
    if has_role(user, Role.HR, Role.ADMIN):
        ctx["recent_events"] = list(AuditEvent.objects.select_related("content_type", "actor")[:8])
    return ctx


def todo(user) -> dict:
    """The to-do summary: the five most urgent items and how many there are."""
    today = clock.today()
    items = inbox.items_for(user, today=today)
    return {"today": today, "inbox_items": items[:5], "inbox_total": len(items)}


def cards_of(group: list[Provider], user) -> list[dict]:
    """The cards of a fragment's providers for ``user``: each provider's in their order, the
    providers in the fragment's."""
    today = clock.today()
    return [
        card
        for provider in group
        for card in sorted(provider.cards(user, today), key=lambda card: card.get("order", 100))
    ]
