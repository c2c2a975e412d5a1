"""Two office users committing the same preview at once: one commit, one refusal (row lock)."""

from decimal import Decimal

import pytest
from django.db import connection

from core.errors import InvalidTransition
from ranking import services
from ranking.models import RankingEntry, RankingRun, RecertificationCase
from tests.concurrency import at_once
from tests.ranking.factories import preview, staff_with_scores


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_commits_commit_once(scores, ladder, hr_user):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite")
    staff_with_scores(scores, ladder[1], [Decimal(50 + i) for i in range(20)])
    run = preview(hr_user, ladder[0].track)
    results = at_once(lambda: services.run_commit(actor=hr_user, run=run), 2)
    outcomes = [
        "409" if isinstance(r, InvalidTransition) else "ok" if isinstance(r, RankingRun) else r
        for r in results
    ]
    assert sorted(outcomes) == ["409", "ok"]
    assert RankingRun.objects.get(pk=run.pk).status == "committed"
    assert RecertificationCase.objects.filter(run=run).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_first_reads_of_a_preview_write_its_entries_once(scores, ladder, hr_user):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite")
    staff_with_scores(scores, ladder[1], [Decimal(50 + i) for i in range(20)])
    run = preview(hr_user, ladder[0].track)
    results = at_once(lambda: services.run_entries_ensure(RankingRun.objects.get(pk=run.pk)), 3)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    assert RankingEntry.objects.filter(run=run).count() == 20
    assert RankingRun.objects.get(pk=run.pk).entries_written_at is not None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_runs_of_one_year_committed_at_once_one_commits_the_other_gets_409(
    scores, ladder, hr_user
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks and the partial unique index need PostgreSQL")
    staff_with_scores(scores, ladder[1], [Decimal(50 + i) for i in range(20)])
    first = preview(hr_user, ladder[0].track)
    second = preview(hr_user, ladder[0].track)
    pending = [first, second]  # each thread takes one (list.pop is atomic)
    results = at_once(lambda: services.run_commit(actor=hr_user, run=pending.pop()), 2)
    refused = [r for r in results if isinstance(r, InvalidTransition)]
    assert len(refused) == 1 and refused[0].status == 409
    assert refused[0].code == "invalid_transition"
    assert RankingRun.objects.filter(status="committed").count() == 1
    committed = RankingRun.objects.get(status="committed")
    assert RecertificationCase.objects.filter(run=committed).count() == 1
    assert not RecertificationCase.objects.exclude(run=committed).exists()


@pytest.mark.django_db
def test_the_constraint_refusal_is_a_409_not_a_500(scores, ladder, hr_user, monkeypatch):
    """What the second of two simultaneous commits meets, on any database: it saw no
    committed run, but one exists by the time it writes."""
    from ranking.services import runs

    staff_with_scores(scores, ladder[1], [Decimal(50 + i) for i in range(20)])
    first = preview(hr_user, ladder[0].track)
    second = preview(hr_user, ladder[0].track)
    services.run_commit(actor=hr_user, run=first)
    monkeypatch.setattr(runs, "_committed", lambda *args, **kwargs: None)
    with pytest.raises(InvalidTransition) as err:
        services.run_commit(actor=hr_user, run=second)
    assert err.value.status == 409
    assert RankingRun.objects.get(pk=second.pk).status == "preview"
    assert RankingRun.objects.get(pk=first.pk).status == "committed"
