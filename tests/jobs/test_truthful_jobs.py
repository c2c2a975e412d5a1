"""Batch jobs tell the truth: new, skipped and failed items counted apart with links to exactly
those letters; a job whose work has begun says running; resume only for a stopped job; HR sees
"the background worker is not running" — never an operations command."""

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core import clock
from core.errors import InvalidTransition
from jobs import selectors as job_selectors
from jobs import services as job_services
from jobs.models import Job
from letters import services as letter_services
from letters.models import Letter
from tests.factories import StaffFactory
from tests.letters.conftest import promote

from .worker import run_worker_in_process


def _promotions(ladder, n):
    return [
        promote(StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)), ladder[2])
        for _ in range(n)
    ]


def _page(user, url):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_new_and_already_existing_letters_are_counted_apart_with_links(ladder, office):
    appointments = _promotions(ladder, 5)
    existing = [letter_services.letter_issue(actor=office, appointment=a) for a in appointments[:2]]
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    run_worker_in_process()
    job.refresh_from_db()
    assert (job.status, job.done, job.skipped, job.failed) == ("done", 3, 2, 0)

    page = _page(office, job.get_absolute_url())
    assert 'Newly issued <span id="job-done">3</span>' in page
    assert 'already existed, skipped <span id="job-skipped">2</span>' in page
    assert 'failed <span id="job-failed">0</span>' in page
    assert "db_worker" not in page

    new = _page(office, job.result_url)
    skipped = _page(office, job.skipped_url)
    issued_by_job = Letter.objects.filter(job=job)
    assert issued_by_job.count() == 3
    for letter in issued_by_job:
        assert letter.number in new and letter.number not in skipped
    for letter in existing:
        assert letter.number in skipped and letter.number not in new


@pytest.mark.django_db
def test_a_job_whose_work_has_begun_says_running_and_cannot_be_resumed(ladder, office):
    appointments = _promotions(ladder, 2)
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    Job.objects.filter(pk=job.pk).update(done=1, started_at=clock.now())
    job.refresh_from_db()
    assert job.status == "queued" and job.state == "running"

    page = _page(office, job.get_absolute_url())
    assert 'data-status="running"' in page
    assert ">Resume<" not in page
    assert "db_worker" not in page and "worker-down" not in page
    with pytest.raises(InvalidTransition):
        job_services.job_resume(actor=office, job=job)
    api = Client()
    api.force_login(office)
    body = api.get(reverse("job-detail", args=[job.pk]), HTTP_ACCEPT="application/json").json()
    assert (body["state"], body["skipped"]) == ("running", 0)


@pytest.mark.django_db
def test_a_stalled_queue_says_the_worker_is_not_running_and_offers_resume(
    ladder, office, django_capture_on_commit_callbacks
):
    appointments = _promotions(ladder, 2)
    with django_capture_on_commit_callbacks(execute=True):
        job = letter_services.letters_issue_job(
            actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
        )
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert job_selectors.worker_running()  # just queued: nothing to tell yet
    DBTaskResult.objects.update(enqueued_at=clock.now() - dt.timedelta(minutes=6))
    assert not job_selectors.worker_running()

    page = _page(office, job.get_absolute_url())
    assert "The background worker is not running" in page
    assert "waiting: the background worker is not running" in page
    assert ">Resume<" in page
    assert "db_worker" not in page and "manage.py" not in page
    resumed = job_services.job_resume(actor=office, job=job)
    assert resumed.run == 2


@pytest.mark.django_db
def test_a_recent_task_means_the_worker_runs(office):
    DBTaskResult.objects.all().delete()
    assert job_selectors.worker_running()


def test_no_user_page_or_catalogue_names_an_operations_command(office):
    """What HR reads comes from templates, scripts and translation catalogues: none of them
    names the worker command (the operations detail lives in docs/letters.md)."""
    root = Path(settings.BASE_DIR)
    sources = [
        path
        for pattern in (
            "*/templates/**/*.html",
            "templates/**/*.html",
            "**/locale/*/LC_MESSAGES/*.po",
            "static/js/*.js",
        )
        for path in root.glob(pattern)
        if ".venv" not in path.parts
    ]
    assert any(p.name == "job_detail.html" for p in sources)
    assert any(p.name == "django.po" and "jobs" in p.parts for p in sources)
    for path in sources:
        text = path.read_text(encoding="utf-8")
        assert "db_worker" not in text and "manage.py" not in text, path
    page = _page(office, reverse("letters:issue"))
    assert "Issue letters" in page and "worker" not in page
