"""``manage.py recertification_apply_outcomes``: give effect to the approved demotions and
eliminations whose appeal window is over and that have no open appeal. Meant to run nightly
(see docs/deploy.md); running it twice on a day changes nothing the second time."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from ranking.services import recertification_outcomes_apply


class Command(BaseCommand):
    help = "Apply approved re-certification outcomes whose appeal window has closed."

    def handle(self, *args, **options):
        applied = recertification_outcomes_apply()
        self.stdout.write(_("%(n)s re-certification outcome(s) applied.") % {"n": applied})
