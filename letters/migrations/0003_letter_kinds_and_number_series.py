"""Letter kinds with their own number series: a counter per (series, year) instead of per
year; each letter records its series (the prefix of its number)."""

from django.db import migrations, models


def fill_series(apps, schema_editor):
    Letter = apps.get_model("letters", "Letter")
    for letter in Letter.objects.only("pk", "number").iterator():
        series = letter.number.split("〔", 1)[0]
        Letter.objects.filter(pk=letter.pk).update(series=series)
    # Letters of promotions and renewals were all "appointment" letters until now.
    for reason in ("promotion", "renewal", "kept"):
        Letter.objects.filter(kind="appointment", appointment__reason=reason).update(kind=reason)


def copy_counters(apps, schema_editor):
    Old = apps.get_model("letters", "LetterCounterOld")
    New = apps.get_model("letters", "LetterCounter")
    Letter = apps.get_model("letters", "Letter")
    for old in Old.objects.all():
        series = (
            Letter.objects.filter(year=old.year).values_list("series", flat=True).first() or ""
        )
        if series:
            New.objects.create(series=series, year=old.year, last_seq=old.last_seq)


class Migration(migrations.Migration):
    dependencies = [("letters", "0002_electronic_seal")]

    operations = [
        migrations.AddField(
            model_name="letter",
            name="series",
            field=models.CharField(default="", max_length=32, verbose_name="number series"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="letter",
            name="kind",
            field=models.CharField(
                choices=[
                    ("appointment", "appointment letter"),
                    ("promotion", "promotion letter"),
                    ("renewal", "renewal letter"),
                    ("kept", "level kept after re-certification"),
                    ("demotion", "demotion notice"),
                    ("elimination", "elimination notice"),
                    ("recertification", "re-certification result"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(fill_series, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="letter", name="letter_unique_year_seq"),
        migrations.AddConstraint(
            model_name="letter",
            constraint=models.UniqueConstraint(
                fields=("series", "year", "seq"), name="letter_unique_series_year_seq"
            ),
        ),
        migrations.RenameModel("LetterCounter", "LetterCounterOld"),
        migrations.CreateModel(
            name="LetterCounter",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("series", models.CharField(max_length=32, verbose_name="number series")),
                ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                ("last_seq", models.PositiveIntegerField(default=0, verbose_name="last sequence number")),
            ],
            options={"verbose_name": "letter counter", "verbose_name_plural": "letter counters"},
        ),
        migrations.AddConstraint(
            model_name="lettercounter",
            constraint=models.UniqueConstraint(
                fields=("series", "year"), name="letter_counter_unique"
            ),
        ),
        migrations.RunPython(copy_counters, migrations.RunPython.noop),
        migrations.DeleteModel("LetterCounterOld"),
    ]
