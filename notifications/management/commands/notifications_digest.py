import datetime as dt

from django.core.management.base import BaseCommand

from notifications.services import digest_send


class Command(BaseCommand):
    help = (
        "Send the daily digest: one e-mail / IM message per person and channel summarising "
        "the deliveries held for it (run daily by cron; see docs/deploy.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=dt.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD: include what was raised up to the end of this day (default today).",
        )

    def handle(self, *args, date=None, **options):
        counts = digest_send(day=date)
        self.stdout.write(
            f"{counts['messages']} digest message(s) for {counts['deliveries']} "
            f"notification deliveries; {counts['failed']} failed."
        )
