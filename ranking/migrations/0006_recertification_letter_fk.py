"""The re-certification case's letter becomes a real foreign key (it was a bare integer).

The column keeps its values: it is renamed, then altered into a foreign key (column
``letter_id`` again, with its constraint and index)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
        ("ranking", "0005_recertification_referral"),
    ]

    operations = [
        migrations.RenameField(
            model_name="recertificationcase", old_name="letter_id", new_name="letter"
        ),
        migrations.AlterField(
            model_name="recertificationcase",
            name="letter",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="letters.letter",
                verbose_name="letter",
            ),
        ),
    ]
