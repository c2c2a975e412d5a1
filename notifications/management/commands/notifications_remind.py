import datetime as dt

from django.core.management.base import BaseCommand

from core import clock
from notifications.services import reminders_send


class Command(BaseCommand):
    help = (
        "Send reminders due in NOTIFY_REMIND_DAYS_BEFORE days (run nightly by cron; each is "
        "sent once, so a re-run is harmless; see docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: the day to remind from (default today).",
        )

    def handle(self, *args, date=None, **options):
        sent = reminders_send(today=date or clock.today())
        self.stdout.write(f"{sent} reminder(s) sent.")
