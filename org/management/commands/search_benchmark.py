"""``manage.py search_benchmark --staff 30000``: time the header's search on the current database.

Inside a transaction that is rolled back at the end (nothing stays), adds ``--staff`` people
with generated Chinese names under a throw-away unit and track (``bulk_create``, which keeps
their pinyin initials as ``Staff.save`` does), then times ``core.search.search`` as an HR officer
for a surname, a two-character fragment, an employee-number prefix and pinyin initials — best
and median of ``--repeat`` runs each, with the number of queries. The target is under 200 ms
at 30,000 staff (PostgreSQL: the trigram index on the name serves "contains").
"""

from __future__ import annotations

import random
import statistics
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core import search
from core.roles import Role
from org.models import OrgUnit, Staff, Track

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文海波宁晓东"
QUERIES = ["张", "晓东", "BS0012", "zw"]


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the header's search over a synthetic population (rolled back afterwards)."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=30_000)
        parser.add_argument("--repeat", type=int, default=5)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, staff, repeat, seed, **options):
        try:
            with transaction.atomic():
                self._run(staff, repeat, random.Random(seed))  # noqa: S311 — synthetic names
                raise _Rollback
        except _Rollback:
            pass

    def _run(self, n: int, repeat: int, rng: random.Random) -> None:
        unit = OrgUnit.objects.create(code="BENCH-SEARCH", name="检索基准", path="/bench/")
        track = Track.objects.create(code="BENCH-SEARCH", name="检索基准")
        rows = []
        for i in range(n):
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.randint(1, 2))
            )
            rows.append(
                Staff(
                    employee_no=f"BS{i:07d}",
                    name=name,
                    unit=unit,
                    track=track,
                    hire_date="2020-01-01",
                )
            )
        started = time.perf_counter()
        Staff.objects.bulk_create(rows, batch_size=2000)
        self.stdout.write(f"{n} staff added in {time.perf_counter() - started:.1f} s")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE org_staff")
        hr = get_user_model().objects.create(username="bench-search-hr")
        hr.groups.add(Group.objects.get_or_create(name=Role.HR)[0])
        self.stdout.write(f"{connection.vendor}: query, best ms, median ms, queries, hits")
        for query in QUERIES:
            times, hits, queries = [], 0, 0
            for _ in range(repeat):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    groups = search.search(hr, query)
                    times.append((time.perf_counter() - started) * 1000)
                queries = len(ctx.captured_queries)
                hits = sum(len(g.hits) for g in groups)
            self.stdout.write(
                f"  {query:8} {min(times):8.1f} {statistics.median(times):8.1f}"
                f" {queries:4d} {hits:4d}"
            )
