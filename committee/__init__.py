"""The committee engine (评审委员会): one panel workflow for every subject a panel scores — a
promotion application (``certification``) or a re-certification case (``ranking``).

DOMAIN.md, "Certification" step 3, and "Annual ranking", re-certification procedure. The
engine owns the rules; the apps own their models and call it:

- :mod:`committee.arithmetic` — quorum, trimmed mean, spread, and :func:`tally`
  of a subject's submitted totals;
- :mod:`committee.conflicts` — the conflict-of-interest rule (回避) between a member and a person;
- :mod:`committee.sheets` — a sheet's submit / chair reopen with a reason (audited);
- :mod:`committee.visibility` — "a member sees others' sheets and the panel's figures only once
  their own sheet for that subject is submitted".

It imports only ``core`` and ``org`` (the layer order: org → … → committee → certification →
ranking → reappointment).
"""
