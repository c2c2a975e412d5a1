"""Kinds of background job. An app registers each kind once (from ``AppConfig.ready``).

A kind says how to work through its items on the worker:

- ``prepare(job, items)`` (optional) runs once per chunk before its items, e.g. to reserve
  letter numbers for the whole chunk in one short transaction; it returns the items to process;
- ``process(job, item)`` does one item; an exception fails that item only (its message is kept
  on the job) and the chunk goes on; returning :data:`SKIPPED` counts the item as skipped (it
  needed nothing: e.g. its letter already existed) instead of done;
- ``remaining(job)`` lists the items not done yet, so a job stopped by a crash can be resumed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.errors import DomainError, ErrorCode

SKIPPED = "skipped"


@dataclass(frozen=True)
class JobKind:
    """``done_label`` / ``skipped_label``: what the job page calls the done and skipped items
    (e.g. "newly issued", "already existed, skipped")."""

    code: str
    process: Callable[[Any, Any], Any]
    remaining: Callable[[Any], list]
    prepare: Callable[[Any, list], list] | None = None
    chunk_size: int = 25
    done_label: Any = None
    skipped_label: Any = None


KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> None:
    KINDS[kind.code] = kind


def get(code: str) -> JobKind:
    try:
        return KINDS[code]
    except KeyError as exc:
        raise DomainError(f"Unknown job kind {code!r}.", code=ErrorCode.UNKNOWN_JOB_KIND) from exc
