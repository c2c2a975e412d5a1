"""``manage.py check_catalogues``: fail when a msgid has two translations (see core.catalogues)."""

from django.core.management.base import BaseCommand, CommandError

from core.catalogues import collisions


class Command(BaseCommand):
    help = (
        "Fail when a msgid (same msgctxt) is translated differently in two of the project's "
        "zh_Hans catalogues, or differently from Django's or an installed package's."
    )

    def handle(self, *args, **options):
        found = collisions()
        for collision in found:
            self.stdout.write(str(collision))
        if found:
            raise CommandError(
                f"{len(found)} msgid(s) translated differently in two catalogues: gettext keeps "
                "only one. Give the project's a pgettext context or use the same translation."
            )
        self.stdout.write("No msgid is translated differently in two catalogues.")
