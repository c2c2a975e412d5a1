"""``manage.py seed_demo``: build (or complete) the demo company. Idempotent.

The apps register their parts in :mod:`core.demo` (the organisation first); each runs in its own
transaction and prints a one-line summary.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core import clock, demo


class Command(BaseCommand):
    help = "Build the demo company from the seed (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--staff", type=int, default=None, help="Staff members (default: the seed's 300)."
        )
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, staff, quiet, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo builds a fictitious company with public passwords; this settings "
                "profile does not allow demo data (DEMO_DATA_ALLOWED is off, as in production)."
            )
        today = clock.today()
        parts = demo.parts()
        started = time.perf_counter()
        for part in parts:
            began = time.perf_counter()
            with transaction.atomic():
                sized = {"staff_count": staff} if part.sized else {}
                summary = part.build(today=today, stdout=self.stdout, **sized)
            if summary:  # each part with the time it took, its commit included
                took = time.perf_counter() - began
                self.stdout.write(self.style.SUCCESS(f"{summary} [{took:.1f} s]"))
        if connection.vendor == "postgresql":
            # The tables were just filled in bulk: the planner gets their statistics now, not
            # when autovacuum comes round to them (a 30,000-staff company's team counts ran
            # several times slower on a fresh build without them); and VACUUM marks the pages
            # all-visible, so that index-only scans need not visit the rows (at 50 users on the
            # 30,000-staff company: p95 430 ms before it, 170 ms after). VACUUM cannot run in a
            # transaction block (a test's): there the statistics alone.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        minutes, seconds = divmod(round(time.perf_counter() - started), 60)
        self.stdout.write(f"Demo company built in {minutes} min {seconds} s.")
        if quiet:
            return
        for part in parts:
            if part.epilogue is not None:
                self.stdout.write(part.epilogue())
