"""Query budgets (#23): every navigation page and every API list, for every demo role, issues
the same number of SQL queries whatever the size of the company, and at most
``BUDGET`` — or the page's documented exception (``EXCEPTIONS``, docs/performance.md).

The demo company is built twice with the project's own builder (``seed_demo``), at
``SIZES[0]`` and ``SIZES[1]`` staff, each in a transaction rolled back once every page has been
measured (signed in as each demo login, past its second factor); the tests then compare the two
measurements. The counts must be equal, except where the demo logins' own records differ between
the two builds (the builder draws the company afresh for each size): a part of a page with no
records skips its query (an empty list has nothing to prefetch). So each query is compared by its
shape (its SQL without literals): a shape issued more often in one company than in the other, or
repeated in one and absent from the other, is a query per row and fails; a shape issued once at
one size only is that data difference and is shown in the table. A failure prints the table.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp import DEVICE_ID_SESSION_KEY

from accounts.services import totp_device_of
from core import clock, dashboard, navigation
from org.demo import DEMO_LOGINS
from org.models import Track
from ranking import services as ranking_services
from ranking.models import RankingRun
from tests.clock import FROZEN_AT

# The test databases are set up for the tests marked so (the fixture builds the company itself).
pytestmark = pytest.mark.django_db

SIZES = (60, 120)
RUN_PAGE = "/ranking/runs/<latest>/"
PREVIEW_FIRST = "/ranking/runs/<preview>/ (first visit)"
PREVIEW = "/ranking/runs/<preview>/"
BUDGET = 15
# Pages allowed more than BUDGET, each with its reason (docs/performance.md, "Query counts").
EXCEPTIONS: dict[str, int] = {
    # the employee file: a tab per app, each with its own scoped queries (the training tab
    # lists the development goals agreed in appraisal reviews beside the records)
    "/org/staff/me/": 17,
    # the committee queue: the panels, conflicts and sheets of every open review
    "/certification/committee/": 17,
    # ranking analytics: its charts and tables, each its own aggregate (not yet looked into)
    "/ranking/analytics/": 23,
    "/api/v1/ranking/analytics/ladder/": 16,
    # my training: the requirement, records, chart, recommendations, sessions and certificates
    "/training/": 17,
    # the first visit of a ranking preview writes its entries (one bulk insert) before reading
    PREVIEW_FIRST: 17,
}
# Parts of every home visit held below BUDGET (docs/performance.md, "The home page"): the to-do
# list (a grouped query or two per app with rows to list, and every app's single figures in one
# query; the home page's to-do summary is the same list, its first five items) and the
# eligibility card (the eligibility rules' figures).
TIGHT: dict[str, int] = {
    "/inbox/": 8,
    "/api/v1/inbox/": 8,
    "/home/todo/": 8,
    "/home/cards/certification/": 12,
}
# What a request costs before its page: the session, the user with their roles, an office
# user's second factor (``core.dashboard.FRAGMENT_QUERIES`` is the budget less these).
REQUEST_OWN = BUDGET - dashboard.FRAGMENT_QUERIES
# Pages whose demo login has records in one build and not the other, so that whole blocks of
# queries (each issued once, for that login only) come and go: only their budget is checked.
# The builder draws the company afresh for each size, the logins' own records with it.
DATA_DIFFERS: dict[tuple[str, str], str] = {}
# Where a request that is not fully signed in lands instead of the page it asked for.
GATES = {
    reverse("login"),
    reverse("accounts:two-factor-verify"),
    reverse("accounts:two-factor-enrol"),
}
ROLES = [login.username for login in DEMO_LOGINS]
# API paths that are not lists of the caller's records: the schema, its viewer and sign-in.
NOT_LISTS = re.compile(r"^/api/v1/(schema|docs|auth)/")


@dataclass(frozen=True)
class Visit:
    count: int
    shapes: Counter[str]


def api_lists() -> list[str]:
    """Every GET path under ``/api/v1/`` that takes no path argument."""
    paths: list[str] = []

    def walk(patterns, prefix: str) -> None:
        for pattern in patterns:
            regex = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + regex)
            elif isinstance(pattern, URLPattern):
                path = "/" + (prefix + regex).replace("^", "").replace("$", "").replace("\\", "")
                if "<" in path or "(" in path or "[" in path:
                    continue
                if path.startswith("/api/v1/") and not NOT_LISTS.match(path):
                    paths.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted({p for p in paths if p != "/api/v1/" and not p.endswith("/api/v1/")})


def home_fragments() -> list[str]:
    """The fragments the home page loads into its slots: the to-do summary and each group of
    card providers' cards (``core.dashboard.groups``)."""
    keys = [dashboard.fragment_key(group) for group in dashboard.groups()]
    return [reverse("home-todo"), *(reverse("home-cards", args=[key]) for key in keys)]


def signed_in(user) -> Client:
    """A client signed in as ``user``, past the second factor when the user has one (the demo
    office's authenticator): what every page costs once the person is in."""
    client = Client()
    client.force_login(user)
    device = totp_device_of(user)
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def shapes(queries) -> Counter[str]:
    """How often each query was issued, its literals and ``IN`` lists left out: the same query
    for another row is the same shape."""
    found: Counter[str] = Counter()
    for query in queries:
        sql = re.sub(r"'(?:[^']|'')*'", "?", query["sql"])
        sql = re.sub(r"\b\d+(\.\d+)?\b", "?", sql)
        found[re.sub(r"IN \([?, ]*\)", "IN (…)", sql)] += 1
    return found


def visit(client, path: str, headers: dict[str, str] | None = None) -> Visit | None:
    """The page's query count (the ``X-Query-Count`` header of where it lands) and the shapes of
    its queries; None when it does not answer 200 for this user."""
    with CaptureQueriesContext(connection) as captured:
        # a page that redirects (my profile → my staff file) is counted where it lands
        response = client.get(
            path, follow=True, headers={"Accept-Language": "zh-hans", **(headers or {})}
        )
    if response.status_code != 200:
        return None
    landed = response.request["PATH_INFO"]
    assert landed not in GATES, f"sent to {landed} from {path}"
    return Visit(int(response["X-Query-Count"]), shapes(captured.captured_queries))


def measure_company(staff: int) -> dict[tuple[str, str], Visit]:
    """Build the demo company of ``staff`` people and measure each role's pages and lists."""
    visits: dict[tuple[str, str], Visit] = {}
    with transaction.atomic():
        call_command("seed_demo", staff=staff, quiet=True, stdout=io.StringIO())
        cache.clear()
        users = get_user_model().objects.in_bulk(ROLES, field_name="username")
        lists = api_lists()
        # pages with a path argument that journeys open often: the latest ranking run
        run = RankingRun.objects.order_by("-year", "-pk").first()
        extra = {f"/ranking/runs/{run.pk}/": RUN_PAGE} if run is not None else {}
        for role in ROLES:
            user = users[role]
            client = signed_in(user)
            pages = [
                item["url"]
                for item in navigation.items_for(user, navigation.has_staff_record(user))
            ]
            for path in [*pages, *lists, *extra]:
                found = visit(client, path)
                if found is not None:
                    visits[(role, extra.get(path, path))] = found
            # the home page's fragments, as its script asks for them
            for path in home_fragments():
                found = visit(client, path, {"X-Fragment": "1"})
                if found is not None:
                    visits[(role, path)] = found
        # the office's ranking preview of this year, the first visit writing its entries
        hr = users["hr"]
        run = ranking_services.run_create(
            actor=hr, track=Track.objects.get(code="KAM"), year=clock.today().year
        )
        client = signed_in(hr)
        for label in (PREVIEW_FIRST, PREVIEW):
            found = visit(client, f"/ranking/runs/{run.pk}/")
            assert found is not None
            visits[("hr", label)] = found
        transaction.set_rollback(True)
    cache.clear()
    return visits


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker) -> dict[int, dict[tuple[str, str], Visit]]:
    with django_db_blocker.unblock(), time_machine.travel(FROZEN_AT, tick=True):
        found = {size: measure_company(size) for size in SIZES}
    report = os.environ.get("QUERY_BUDGETS_REPORT")  # a file for the whole table (the docs)
    if report:
        Path(report).write_text("\n\n".join(table(found, role) for role in ROLES) + "\n")
    return found


def verdict(small: Visit | None, large: Visit | None, role: str, path: str) -> str:
    """Empty when the page passes; else what is wrong with it."""
    if small is None or large is None:
        return "answered at one size only"
    cap = EXCEPTIONS.get(path, TIGHT.get(path, BUDGET))
    if max(small.count, large.count) > cap:
        return f"over budget ({cap})"
    if small.count == large.count or (role, path) in DATA_DIFFERS:
        return ""
    # A query issued more often in the larger company, or repeated where the smaller one did
    # not issue it at all, is a query per row: growth. A query issued once at one size only is
    # a part of the page with records at that size only (the demo company's people differ).
    for shape in small.shapes | large.shapes:
        a, b = small.shapes[shape], large.shapes[shape]
        if (a and b and a != b) or (max(a, b) > 1 and min(a, b) == 0):
            return "grows"
    return ""


def table(measured, role: str) -> str:
    small, large = (measured[size] for size in SIZES)
    paths = sorted({p for (r, p) in small | large if r == role})
    lines = [f"{role:<10} {'path':<58} {SIZES[0]:>5} {SIZES[1]:>5}"]
    for path in paths:
        a, b = small.get((role, path)), large.get((role, path))
        problem = verdict(a, b, role, path)
        note = f"  <- {problem}" if problem else ""
        if not problem and a is not None and b is not None and a.count != b.count:
            note = "  (records at one size only)"
        counts = [str(v.count) if v is not None else "-" for v in (a, b)]
        lines.append(f"{'':<10} {path:<58} {counts[0]:>5} {counts[1]:>5}{note}")
    return "\n".join(lines)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_and_list_costs_the_same_at_any_size_and_within_budget(measured, role):
    small, large = (measured[size] for size in SIZES)
    paths = sorted({p for (r, p) in small | large if r == role})
    assert paths, f"{role} opened no page"
    problems = [
        f"{path}: {problem}"
        for path in paths
        if (problem := verdict(small.get((role, path)), large.get((role, path)), role, path))
    ]
    if problems:
        pytest.fail("\n".join(problems) + "\n\n" + table(measured, role), pytrace=False)


def test_every_card_fragment_costs_at_most_what_its_providers_declare(measured):
    """``core.dashboard.register(…, queries=N)`` packs the fragments: each provider's N must
    hold for every role at both sizes (the fragment's queries less the request's own)."""
    over = []
    for size, visits in measured.items():
        for (role, path), found in visits.items():
            prefix = reverse("home-cards", args=["-"])[:-2]
            if not path.startswith(prefix):
                continue
            group = dashboard.providers_of(path[len(prefix) : -1])
            assert group is not None, path
            declared = sum(provider.queries for provider in group)
            if found.count - REQUEST_OWN > declared:
                over.append(f"{size} {role} {path}: {found.count} > {declared} + {REQUEST_OWN}")
    assert not over, "\n".join(over)


def test_the_api_lists_are_found():
    lists = api_lists()
    assert "/api/v1/inbox/" in lists
    assert "/api/v1/org/staff/" in lists
    assert not any("<" in p or "schema" in p for p in lists)
