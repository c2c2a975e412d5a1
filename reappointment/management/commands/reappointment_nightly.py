"""``manage.py reappointment_nightly [--date YYYY-MM-DD] [--inline]``: the nightly check.

Marks every open appointment past its end date with no decision as overdue (a background job
run by ``manage.py db_worker``; ``--inline`` runs it in this process). Nothing expires and no
one is demoted: HR sees the list at /reappointment/overdue/. Schedule it once a night, e.g.
cron ``15 1 * * * cd /srv/ladder && .venv/bin/python manage.py reappointment_nightly``.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from core import clock
from reappointment.jobs import start_nightly


class Command(BaseCommand):
    help = "Mark appointments past their end without a decision as overdue (nightly job)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Check as of this day (default: today).")
        parser.add_argument(
            "--inline", action="store_true", help="Run in this process instead of the worker."
        )

    def handle(self, *args, date=None, inline=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else clock.today()
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        result = start_nightly(today=today, inline=inline)
        if result["job"] is None:
            self.stdout.write(f"{today}: {result['items']} appointment(s) marked overdue.")
        else:
            self.stdout.write(
                f"{today}: job #{result['job']} queued for {result['items']} overdue "
                "appointment(s); run `manage.py db_worker` to process it."
            )
