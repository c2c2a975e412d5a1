"""``manage.py letters_benchmark --count N``: issue N letters, compare with bare WeasyPrint.

Issues N real letters (numbering, facts, template, PDF, SHA-256, file, audit) in one process
and renders the very same HTML with WeasyPrint alone — interleaved, letter by letter, so both
see the same machine load — then prints both rates and the overhead. Everything runs in a
transaction that is rolled back, with the PDFs written to a temporary folder: the database and
the letter files are left as they were.
"""

import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test import override_settings

from letters import rendering, services, template_services
from letters.builtin_wording import builtin_parts
from letters.models import Letter
from letters.services import issue
from org.models import Appointment


class _Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Issue N letters and compare the rate with WeasyPrint rendering the same HTML alone."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=50)
        parser.add_argument(
            "--templates",
            action="store_true",
            help="Publish the built-in wording as HR templates first (rolled back too), so the "
            "letters are written from template versions instead of the code templates.",
        )

    def handle(self, *args, count, templates=False, **options):
        if count < 1:
            raise CommandError("--count must be at least 1.")
        with tempfile.TemporaryDirectory() as tmp, override_settings(PRIVATE_MEDIA_ROOT=tmp):
            try:
                with transaction.atomic():
                    if templates:
                        self._publish_templates()
                    self._run(count)
                    raise _Rollback
            except _Rollback:
                pass

    def _publish_templates(self) -> None:
        for kind in (Letter.Kind.APPOINTMENT, Letter.Kind.PROMOTION):
            draft = template_services.template_draft_save(
                actor=None, kind=kind, language="zh-hans", parts=builtin_parts(kind, "zh-hans")
            )
            template_services.template_publish(actor=None, template=draft)
        self.stdout.write("letters written from published template versions")

    def _run(self, count: int) -> None:
        # Appointment and promotion letters: the same layout, each kind its own series.
        kinds = (Letter.Kind.APPOINTMENT, Letter.Kind.PROMOTION)
        appointments = list(
            Appointment.objects.filter(reason__in=[Appointment.Reason.INITIAL, "promotion"])
            .exclude(letters__kind__in=kinds, letters__revoked_at__isnull=True)
            .select_related("staff", "staff__unit", "level")
            .order_by("id")[:count]
        )
        if len(appointments) < count:
            raise CommandError(
                f"Only {len(appointments)} appointments without a letter; seed the demo or "
                "lower --count."
            )
        started = time.perf_counter()
        letters = []
        for kind in kinds:
            letters += issue._reserve(
                actor=None,
                appointments=[a for a in appointments if services.KIND_OF_REASON[a.reason] == kind],
                kind=kind,
                language="zh-hans",
            )
        reserve_seconds = time.perf_counter() - started
        htmls = [rendering.letter_html(letter) for letter in letters]
        rendering.html_to_pdf(htmls[0])  # warm-up: fonts, caches

        # Interleaved, so that both measures see the same machine load.
        bare = 0.0
        full = reserve_seconds
        for html, letter in zip(htmls, letters, strict=True):
            started = time.perf_counter()
            rendering.html_to_pdf(html)
            middle = time.perf_counter()
            issue._render_and_store(letter, None)
            bare += middle - started
            full += time.perf_counter() - middle

        self.stdout.write(
            f"letters issued:        {count} in {full:.2f} s = {count / full:.2f} letters/s "
            f"({full / count * 1000:.0f} ms per letter)\n"
            f"WeasyPrint alone:      {count} in {bare:.2f} s = {count / bare:.2f} letters/s "
            f"({bare / count * 1000:.0f} ms per letter)\n"
            f"overhead over bare rendering: {(full / bare - 1) * 100:.1f} %\n"
            f"(rolled back: no letter or number was kept)"
        )
