"""``manage.py seed_demo``: build (or complete) the demo company. Idempotent.

Each app may provide ``<app>/demo.py`` with ``build(*, today, stdout) -> str | None`` (a one-line
summary); they run in ``DEMO_APPS`` order after the organisation, each in its own transaction.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from core import clock
from org import demo as org_demo

DEMO_APPS = [
    "competency",
    "training",
    "kpi",
    "certification",
    "ranking",
    "letters",
    "reappointment",
]


class Command(BaseCommand):
    help = "Build the demo company from the seed (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=org_demo.STAFF_COUNT)
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, staff, quiet, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo builds a fictitious company with public passwords; this settings "
                "profile does not allow demo data (DEMO_DATA_ALLOWED is off, as in production)."
            )
        today = clock.today()
        counts = org_demo.build(staff_count=staff, today=today)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo company: {units} org units, {levels} levels, {staff} staff "
                "({created_staff} new), {appointments} appointments.".format(**counts)
            )
        )
        for app in DEMO_APPS:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app}.demo":
                    raise
                continue
            with transaction.atomic():
                summary = module.build(today=today, stdout=self.stdout)
            if summary:
                self.stdout.write(self.style.SUCCESS(summary))
        if quiet:
            return
        self.stdout.write(f"\nDemo logins (password for all: {org_demo.DEMO_PASSWORD}):")
        for login in org_demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<10} {login.description}")
        self.stdout.write("  k10001…    every demo staff member: username = employee number")
