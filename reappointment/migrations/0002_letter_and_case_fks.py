"""The re-appointment case's letter and re-certification case become real foreign keys (they
were bare integers). Each column keeps its values: renamed, then altered into a foreign key."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("letters", "0001_initial"),
        ("ranking", "0006_recertification_letter_fk"),
        ("reappointment", "0001_initial"),
    ]

    operations = [
        migrations.RenameField(
            model_name="reappointmentcase", old_name="letter_id", new_name="letter"
        ),
        migrations.AlterField(
            model_name="reappointmentcase",
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
        migrations.RenameField(
            model_name="reappointmentcase",
            old_name="recertification_case_id",
            new_name="recertification_case",
        ),
        migrations.AlterField(
            model_name="reappointmentcase",
            name="recertification_case",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="referred_by",
                to="ranking.recertificationcase",
                verbose_name="re-certification case",
            ),
        ),
    ]
