"""Run the same call from several threads released at once (row-lock tests on PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def at_once(call: Callable[[], object], times: int) -> list[object]:
    """Call ``call`` from ``times`` threads started together; each thread's result, or the
    exception it raised, in completion order. Each thread closes its own connection."""
    results: list[object] = []
    barrier = threading.Barrier(times)

    def worker():
        barrier.wait()
        try:
            results.append(call())
        except Exception as exc:  # noqa: BLE001 — the caller asserts on what was raised
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
