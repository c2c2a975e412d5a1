"""A recomputation locks what its scores refer to, for its transaction (PostgreSQL).

Period scores have no database foreign keys: instead of a check per score, the recomputation
locks the period (FOR NO KEY UPDATE), the staff and the schemes (FOR KEY SHARE) — so none of
them can be deleted (or otherwise locked for update) before the scores are committed.
"""

import threading

import pytest
from django.db import OperationalError, connection, transaction

from kpi import score_recompute

from .factories import put_actual


def _can_lock_for_update(table: str, pk: int) -> bool:
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])  # noqa: S608
    except OperationalError:
        return False
    return True


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_rows_the_scores_refer_to_stay_locked_until_the_recomputation_commits(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL (SQLite writes one transaction at a time)")
    w = world
    put_actual(w.alice, w.rev, w.mar, "90")
    scored, release = threading.Event(), threading.Event()
    failures: list[BaseException] = []

    def recompute():
        try:
            with transaction.atomic():
                score_recompute.recompute_periods([w.mar.pk])
                scored.set()
                release.wait(30)
        except BaseException as exc:  # noqa: BLE001 — reported to the test below
            failures.append(exc)
            scored.set()
        finally:
            connection.close()

    thread = threading.Thread(target=recompute)
    thread.start()
    try:
        assert scored.wait(30)
        assert failures == []
        refused = {
            "staff": _can_lock_for_update("org_staff", w.alice.pk),
            "scheme": _can_lock_for_update("kpi_scheme", w.scheme.pk),
            "period": _can_lock_for_update("kpi_period", w.mar.pk),
        }
        assert refused == {"staff": False, "scheme": False, "period": False}
        # Rows no score refers to are not locked.
        assert _can_lock_for_update("org_staff", w.carol.pk)
        assert _can_lock_for_update("kpi_period", w.apr.pk)
    finally:
        release.set()
        thread.join()
    assert _can_lock_for_update("org_staff", w.alice.pk)
    assert _can_lock_for_update("kpi_scheme", w.scheme.pk)
