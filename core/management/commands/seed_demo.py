"""``manage.py seed_demo``: build (or complete) the demo company. Idempotent."""

from django.core.management.base import BaseCommand

from org import demo as org_demo


class Command(BaseCommand):
    help = "Build the demo company from the seed (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--staff", type=int, default=org_demo.STAFF_COUNT)
        parser.add_argument("--quiet", action="store_true", help="Do not print the logins.")

    def handle(self, *args, staff, quiet, **options):
        counts = org_demo.build(staff_count=staff)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo company: {units} org units, {levels} levels, {staff} staff "
                "({created_staff} new), {appointments} appointments.".format(**counts)
            )
        )
        if quiet:
            return
        self.stdout.write(f"\nDemo logins (password for all: {org_demo.DEMO_PASSWORD}):")
        for login in org_demo.DEMO_LOGINS:
            self.stdout.write(f"  {login.username:<10} {login.description}")
        self.stdout.write(
            "  k10001…   every demo staff member: username = employee number, lower case"
        )
