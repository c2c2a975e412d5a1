"""``manage.py letters_batch_benchmark --count 1000 --workers 2``: the end-of-cycle batch, timed.

Creates ``--count`` benchmark staff, each promoted from the track's first to its second level
(setup, not timed), starts the batch-issue job exactly as HR's button does, launches
``--workers`` real ``db_worker`` processes and polls the job's progress until it finishes. Prints
the wall time from the job's start to its last letter, letters per second, and checks the year's
numbering has no gap or duplicate.

It WRITES to the database it runs on (staff, appointments, letters, their PDFs) — run it on a
scratch database: ``scripts/letters-batch-benchmark`` creates one on PostgreSQL, seeds the demo,
runs this command and drops it. An in-memory SQLite database is refused (the worker processes
could not reach it).
"""

import datetime as dt
import os
import subprocess
import sys
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core import clock
from jobs.models import Job
from letters import services
from letters.models import Letter
from org import services as org_services
from org.models import OrgUnit, Staff, Track


class Command(BaseCommand):
    help = "Issue N letters as one background job on W worker processes and time it."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1000)
        parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
        parser.add_argument("--issuer", default="hr", help="username of an HR officer")
        parser.add_argument("--timeout", type=int, default=1800, help="seconds")

    def handle(self, *args, count, workers, issuer, timeout, **options):
        if count < 1 or workers < 1:
            raise CommandError("--count and --workers must be at least 1.")
        if connection.vendor == "sqlite" and "memory" in str(connection.settings_dict["NAME"]):
            raise CommandError("An in-memory SQLite database cannot be shared with workers.")
        actor = get_user_model().objects.filter(username=issuer).first()
        if actor is None:
            raise CommandError(f"No user {issuer!r}; seed the demo first.")
        appointments = self._promotions(count)
        self.stdout.write(f"{count} promotions prepared; starting {workers} workers")

        job = services.letters_issue_job(
            actor=actor, appointment_ids=appointments, kind="promotion"
        )
        started = time.monotonic()
        procs = [self._worker(i) for i in range(workers)]
        try:
            while True:
                job.refresh_from_db()
                if job.status in (Job.Status.DONE, Job.Status.FAILED):
                    break
                if time.monotonic() - started > timeout:
                    raise CommandError(f"Timed out after {timeout} s at {job.done}/{job.total}.")
                if any(p.poll() not in (None, 0) for p in procs):
                    raise CommandError("A worker process died.")
                self.stdout.write(f"  {time.monotonic() - started:6.1f} s  {job.done}/{job.total}")
                time.sleep(2)
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(timeout=30)
        wall = time.monotonic() - started
        elapsed = (job.finished_at - job.started_at).total_seconds()
        seqs = sorted(Letter.objects.filter(job=job).values_list("seq", flat=True))
        gapless = seqs == list(range(seqs[0], seqs[0] + len(seqs))) if seqs else False
        self.stdout.write(
            f"job {job.pk}: {job.status}, {job.done} issued, {job.failed} failed\n"
            f"{job.done} letters in {elapsed:.1f} s (job start to finish) = "
            f"{job.done / elapsed:.2f} letters/s with {workers} worker processes; "
            f"{wall:.1f} s from the button to the last letter seen (incl. worker start-up)\n"
            f"numbers {seqs[0] if seqs else '-'}…{seqs[-1] if seqs else '-'}: "
            f"{'no gaps, no duplicates' if gapless else 'GAPS OR DUPLICATES'}"
        )
        if job.failed or not gapless:
            raise CommandError("The batch did not issue every letter cleanly.")

    def _promotions(self, count: int) -> list[int]:
        """``count`` new staff at the track's first level, each promoted to the second."""
        track = Track.objects.order_by("id").first()
        levels = list(track.levels.order_by("order")[:2]) if track else []
        unit = OrgUnit.objects.order_by("path").first()
        if len(levels) < 2 or unit is None:
            raise CommandError("Seed the demo first (a track with two levels and an org unit).")
        tag = clock.localtime().strftime("%H%M%S")
        staff = Staff.objects.bulk_create(
            Staff(
                employee_no=f"B{tag}{i:06d}",
                name=f"测试{i:06d}",
                unit=unit,
                track=track,
                level=levels[0],
                level_since=dt.date(2020, 1, 1),
                hire_date=dt.date(2018, 1, 1),
            )
            for i in range(count)
        )
        start = clock.today()
        return [
            org_services.appoint(
                actor=None, staff=s, level=levels[1], start=start, reason="promotion"
            ).pk
            for s in staff
        ]

    def _worker(self, i: int) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ["DJANGO_SETTINGS_MODULE"]}
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--worker-id",
                f"bench-{i}",
                "-v",
                "0",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
