import datetime as dt
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from core import clock
from core.errors import InvalidTransition
from core.roles import Role
from jobs import services as job_services
from jobs.models import Job
from letters import rendering
from letters import services as letter_services
from letters.models import Letter
from tests.conftest import client_for
from tests.factories import StaffFactory, UserFactory
from tests.letters.conftest import promote

from .worker import database_url, run_worker_in_process, start_worker_process


def _promotions(ladder, n):
    return [
        promote(StaffFactory(level=ladder[1], level_since=dt.date(2023, 1, 1)), ladder[2])
        for _ in range(n)
    ]


@pytest.mark.django_db(transaction=True)
def test_batch_issue_runs_on_the_worker_and_counts_progress(ladder, office):
    appointments = _promotions(ladder, 5)
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    job.refresh_from_db()
    assert (job.status, job.total, job.done) == ("queued", 5, 0)
    assert not Letter.objects.exists()  # nothing happens until a worker runs
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # chunk size 20: one task

    run_worker_in_process()

    job.refresh_from_db()
    assert (job.status, job.done, job.failed, job.progress) == ("done", 5, 0, 100)
    assert job.started_at is not None and job.finished_at is not None
    letters = Letter.objects.order_by("seq")
    assert [x.seq for x in letters] == [1, 2, 3, 4, 5]
    assert all(x.sha256 and x.issued_at and x.job_id == job.pk for x in letters)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert job.result_url == f"/letters/all/?job={job.pk}"


@pytest.mark.django_db(transaction=True)
def test_a_crashed_batch_resumes_without_duplicate_or_missing_numbers(ladder, office, monkeypatch):
    appointments = _promotions(ladder, 6)
    ids = [a.pk for a in appointments]
    broken = {ids[1], ids[4]}
    real = rendering.render_letter_pdf

    def flaky(letter, **kwargs):
        if letter.appointment_id in broken:
            raise RuntimeError("worker died while rendering")
        return real(letter, **kwargs)

    monkeypatch.setattr(rendering, "render_letter_pdf", flaky)
    job = letter_services.letters_issue_job(actor=office, appointment_ids=ids, kind="promotion")
    run_worker_in_process()
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("failed", 4, 2)
    assert sorted(e["item"] for e in job.result["errors"]) == sorted(broken)
    # The numbers of the two unfinished letters stay reserved for them.
    assert Letter.objects.filter(issued_at__isnull=True).count() == 2

    monkeypatch.setattr(rendering, "render_letter_pdf", real)
    job_services.job_resume(actor=office, job=job)
    job.refresh_from_db()
    assert (job.status, job.done, job.failed, job.total) == ("queued", 4, 0, 6)
    run_worker_in_process()

    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 6, 0)
    seqs = sorted(Letter.objects.values_list("seq", flat=True))
    assert seqs == [1, 2, 3, 4, 5, 6]
    assert Letter.objects.issued().count() == 6
    # Resuming a finished job is refused.
    with pytest.raises(Exception) as err:
        job_services.job_resume(actor=office, job=job)
    assert getattr(err.value, "status", None) == 409


@pytest.mark.django_db(transaction=True)
def test_items_that_cannot_be_issued_fail_alone(ladder, office):
    good = _promotions(ladder, 2)
    demoted = StaffFactory(level=ladder[2], level_since=dt.date(2023, 1, 1))
    from org import services as org_services

    demotion = org_services.appoint(
        actor=None, staff=demoted, level=ladder[1], start=dt.date(2026, 2, 1), reason="demotion"
    )
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[good[0].pk, demotion.pk, good[1].pk], kind="promotion"
    )
    run_worker_in_process()
    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("failed", 2, 1)
    assert job.result["errors"][0]["item"] == demotion.pk
    assert [x.seq for x in Letter.objects.order_by("seq")] == [1, 2]


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_issue_200_letters_with_progress(ladder, office, private_media):
    if database_url() is None:
        pytest.skip("worker processes cannot reach an in-memory SQLite test database")
    appointments = _promotions(ladder, 200)
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    api = client_for(office)
    workers = [start_worker_process(f"pytest-{i}", private_media) for i in range(2)]
    seen = []
    started = time.monotonic()
    try:
        while any(w.poll() is None for w in workers) and time.monotonic() - started < 300:
            seen.append(api.get(f"/api/v1/jobs/{job.pk}/").json()["progress"])
            time.sleep(0.5)
        outputs = [w.communicate(timeout=300)[0].decode() for w in workers]
    finally:
        for w in workers:
            if w.poll() is None:
                w.kill()
    elapsed = time.monotonic() - started
    assert all(w.returncode == 0 for w in workers), outputs
    body = api.get(f"/api/v1/jobs/{job.pk}/").json()
    assert (body["status"], body["done"], body["failed"], body["progress"]) == ("done", 200, 0, 100)
    assert any(0 < p < 100 for p in seen), seen  # progress was visible while it ran
    seqs = sorted(Letter.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 201))
    # Both processes took chunks (10 chunks of 20).
    workers_used = {w for r in DBTaskResult.objects.all() for w in r.worker_ids}
    assert workers_used == {"pytest-0", "pytest-1"}
    print(f"200 letters by 2 worker processes in {elapsed:.1f} s")


@pytest.mark.django_db
def test_jobs_are_visible_to_their_creator_and_the_office(ladder, office):
    job = job_services.job_start(
        actor=office, kind="letters.issue", items=[], params={"kind": "appointment"}
    )
    other = UserFactory(username="nosy", roles=[Role.STAFF])
    assert client_for(other).get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    page = Client()
    page.force_login(other)
    assert page.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    body = client_for(office).get(f"/api/v1/jobs/{job.pk}/").json()
    assert (body["status"], body["total"], body["progress"]) == ("done", 0, 100)


@pytest.mark.django_db
def test_job_page_shows_a_progress_bar(ladder, office):
    job = Job.objects.create(
        kind="letters.issue",
        total=8,
        done=3,
        failed=1,
        status="running",
        created_by=office,
        result={"errors": [{"item": 7, "message": "坏了"}]},
    )
    client = Client()
    client.force_login(office)
    html = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'aria-valuenow="50"' in html
    assert "坏了" in html
    assert f"/api/v1/jobs/{job.pk}/" in html  # the page polls the API while running


@pytest.mark.django_db
def test_job_lists_do_not_query_per_row(office, django_assert_max_num_queries):
    for i in range(30):
        Job.objects.create(kind="letters.issue", total=10, done=i % 10, created_by=office)
    client = client_for(office)
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/jobs/?page_size=100")
    assert response.json()["count"] == 30
    client.force_login(office)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("jobs:list")).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_batch_is_resumed_without_duplicate_numbers(
    ladder, office, private_media
):
    if database_url() is None:
        pytest.skip("worker processes cannot reach an in-memory SQLite test database")
    appointments = _promotions(ladder, 40)
    job = letter_services.letters_issue_job(
        actor=office, appointment_ids=[a.pk for a in appointments], kind="promotion"
    )
    worker = start_worker_process("doomed", private_media)
    started = time.monotonic()
    try:
        while time.monotonic() - started < 240:
            job.refresh_from_db()
            if job.done >= 3:
                break
            time.sleep(0.2)
    finally:
        worker.kill()  # SIGKILL: no clean-up, as in a crash
        worker.wait(timeout=30)
    job.refresh_from_db()
    assert job.status == "running" and 3 <= job.done < 40
    with pytest.raises(InvalidTransition):  # the worker ran a moment ago: not yet "stopped"
        job_services.job_resume(actor=office, job=job)

    # Ten minutes later nothing has moved: the worker is not running, the job can be resumed.
    long_ago = clock.now() - dt.timedelta(minutes=10)
    DBTaskResult.objects.update(enqueued_at=long_ago)
    DBTaskResult.objects.exclude(started_at=None).update(started_at=long_ago)
    DBTaskResult.objects.exclude(finished_at=None).update(finished_at=long_ago)
    job_services.job_resume(actor=office, job=job)
    run_worker_in_process()

    job.refresh_from_db()
    assert (job.status, job.done, job.failed) == ("done", 40, 0)
    seqs = sorted(Letter.objects.values_list("seq", flat=True))
    assert seqs == list(range(1, 41))
    assert Letter.objects.issued().count() == 40
