"""Query budgets: every page of the navigation and every API list, for each demo role, runs the
same number of SQL queries in a company of 60 staff as in one of 180 — constant in the number of
staff — and no more than its budget.

The demo is built at each size inside a savepoint that is rolled back, so both companies are
the whole ``seed_demo`` (every app's part) and the figures compare like with like. A page that
needs more than :data:`BUDGET` is listed in :data:`OVER_BUDGET` with its own budget and the
reason; docs/performance.md carries the same table.
"""

from __future__ import annotations

import os

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from core.navigation import has_staff_record, items_for

pytestmark = pytest.mark.django_db

ROLES = ("staff", "manager", "committee", "hr", "leader")
SIZES = (60, 180)
BUDGET = 15
# path → (budget, why it needs more than BUDGET). Every entry is constant in N all the same.
OVER_BUDGET: dict[str, tuple[int, str]] = {}
SKIP_PREFIXES = ("/admin/", "/api/v1/schema", "/api/docs", "/api/v1/docs")


def _api_lists() -> list[str]:
    """Every API list endpoint without path arguments (``<basename>-list`` of the routers)."""
    found: list[str] = []

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name and p.name.endswith("-list"):
                try:
                    path = reverse(namespace + p.name)
                except NoReverseMatch:  # a list under a parent id has no plain path
                    continue
                if path.startswith("/api/") and "." not in path.rsplit("/", 2)[-2]:
                    found.append(path)

    walk(get_resolver().url_patterns)
    return sorted(set(found))


def _measure(client) -> dict[tuple[str, str], int]:
    counts: dict[tuple[str, str], int] = {}
    api = _api_lists()
    for role in ROLES:
        user = get_user_model().objects.get(username=role)
        client.force_login(user)
        pages = [i["url"] for i in items_for(user, has_staff_record(user))]
        for path in [*pages, *api]:
            if path.startswith(SKIP_PREFIXES):
                continue
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(path, follow=True)
            if response.status_code in (403, 404):
                continue  # not this role's page or list
            assert response.status_code == 200, (role, path, response.status_code)
            counts[(role, path)] = len(ctx.captured_queries)
        client.logout()
    return counts


def _company(size: int, client) -> dict[tuple[str, str], int]:
    with transaction.atomic():
        call_command("seed_demo", staff=size, quiet=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
        counts = _measure(client)
        transaction.set_rollback(True)
    return counts


def test_every_page_and_api_list_runs_constant_queries_within_its_budget(client, settings):
    settings.DEMO_DATA_ALLOWED = True
    small, large = (_company(size, client) for size in SIZES)

    assert small.keys() == large.keys()
    growing = {k: (small[k], large[k]) for k in small if small[k] != large[k]}
    over = {k: n for k, n in large.items() if n > OVER_BUDGET.get(k[1], (BUDGET, ""))[0]}
    report = "\n".join(
        [f"grows {role} {path}: {a} → {b}" for (role, path), (a, b) in sorted(growing.items())]
        + [f"over budget {role} {path}: {n}" for (role, path), n in sorted(over.items())]
    )
    assert not growing and not over, report
