"""Issuing and revoking letters (DOMAIN.md, "Appointment letters (PDF) — 聘任书").

Rules enforced here:

- **Numbering**: ``{prefix}〔{year}〕{seq}号``, ``seq`` counting 1, 2, 3 … within the issue year.
  The per-year :class:`~letters.models.LetterCounter` row is locked (``SELECT … FOR UPDATE``) in
  the same transaction that inserts the letter, so concurrent issuers queue on that row: no two
  letters share a number and no number is skipped (a failed issue rolls its number back).
- **Issue once**: one live (not revoked) letter per appointment and kind (a database
  constraint too); its PDF bytes and SHA-256 are stored under ``PRIVATE_MEDIA_ROOT`` and every
  download returns those bytes. An issued letter is never edited; it can be revoked with a
  reason (the file is kept), after which a new letter — with a new number — may be issued.
- **Batch issue** runs as a background job (``jobs``): each chunk reserves the numbers of its
  letters in one short locked transaction, then renders each PDF outside the counter lock, so
  several workers render in parallel. A letter whose rendering was cut short by a crash keeps its
  reserved number and is rendered when the job is resumed — never numbered twice.

The package: ``common`` (kinds, grounds, checks), ``facts`` (what a letter states), ``issue``
(numbering, rendering, storing, revoking), ``batch`` (the entry point of the deciding services
and the background job).
"""

from .batch import (  # noqa: F401
    job_prepare,
    job_process,
    job_remaining,
    letter_issue_for,
    letters_issue_job,
)
from .common import (  # noqa: F401
    JOB_KIND,
    KIND_OF_REASON,
    KIND_REASONS,
    Grounds,
    Meeting,
    default_language,
    recipient_languages,
)
from .facts import decision_line, letter_facts, signatory_for  # noqa: F401
from .issue import (  # noqa: F401
    format_number,
    letter_issue,
    letter_path,
    letter_revoke,
    letters_issue_now,
    number_prefix,
    published_templates,
)
