"""``manage.py seed_demo``: build (or complete) the demo company. Idempotent.

The apps register their parts in :mod:`core.demo` (the organisation first); each runs in its own
transaction and prints a one-line summary.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

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
        for part in parts:
            with transaction.atomic():
                sized = {"staff_count": staff} if part.sized else {}
                summary = part.build(today=today, stdout=self.stdout, **sized)
            if summary:
                self.stdout.write(self.style.SUCCESS(summary))
        if quiet:
            return
        for part in parts:
            if part.epilogue is not None:
                self.stdout.write(part.epilogue())
