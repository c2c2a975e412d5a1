"""The home page's card providers packed into as few fragments as the page budget allows
(``core.dashboard.groups``), in the order of their cards."""

import pytest
from django.urls import reverse

from core import dashboard


def provider(key: str, order: int, queries: int, cards=()):
    return dashboard.Provider(
        key=key, order=order, queries=queries, cards=lambda user, today: list(cards)
    )


@pytest.fixture
def providers(monkeypatch):
    found = {
        p.key: p
        for p in (
            provider("a", 1, 6),
            provider("b", 2, 0),
            provider("c", 3, 6),  # 6 + 0 + 6 = 12: exactly the fragment's share
            provider("d", 4, 13),  # over the share alone: a fragment to itself
            provider("e", 5, 8),
            provider("f", 6, 5),  # 8 + 5 = 13 > 12: a new fragment
            provider("g", 7, 7),
        )
    }
    monkeypatch.setattr(dashboard, "PROVIDERS", found)
    return found


def test_consecutive_providers_share_a_fragment_within_the_budget(providers):
    assert dashboard.FRAGMENT_QUERIES == 12
    packed = [[p.key for p in group] for group in dashboard.groups()]
    assert packed == [["a", "b", "c"], ["d"], ["e"], ["f", "g"]]
    for group in dashboard.groups():
        assert len(group) == 1 or sum(p.queries for p in group) <= dashboard.FRAGMENT_QUERIES


def test_the_frame_has_one_slot_per_fragment(providers, django_user_model):
    user = django_user_model.objects.create_user("plain")
    frame = dashboard.build(user)
    assert [f["key"] for f in frame["fragments"]] == ["a+b+c", "d", "e", "f+g"]
    assert reverse("home-cards", args=["a+b+c"]) == "/home/cards/a+b+c/"


def test_a_fragment_shows_each_providers_cards_in_their_order(monkeypatch):
    first = provider(
        "first",
        1,
        1,
        [{"order": 2, "template": "x", "n": 2}, {"order": 1, "template": "x", "n": 1}],
    )
    second = provider("second", 2, 1, [{"order": 0, "template": "x", "n": 3}])
    monkeypatch.setattr(dashboard, "PROVIDERS", {"first": first, "second": second})
    group = dashboard.providers_of("first+second")
    assert [card["n"] for card in dashboard.cards_of(group, None)] == [1, 2, 3]
    assert dashboard.providers_of("second+first") == [second, first]
    assert dashboard.providers_of("first+first") is None
    assert dashboard.providers_of("first+third") is None
