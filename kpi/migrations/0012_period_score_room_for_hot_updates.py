"""Period scores: pages filled to half (PostgreSQL ``fillfactor = 50``).

Every recomputation rewrites each score of its periods. With room on its page the new version
of a row is a heap-only (HOT) update: no index entry is written for it, and the old version
is pruned on a later visit to the page. The table takes about twice the space (≈ 1.3 kB per
score with its indexes instead of ≈ 0.7 kB); writing the scores again costs about half.
SQLite has no such setting.
"""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kpi_periodscore SET (fillfactor = 50)")


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE kpi_periodscore RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("kpi", "0011_score_indexes_written_per_score")]
    operations = [migrations.RunPython(forward, backward)]
