"""API tokens moved from rest_framework.authtoken (one permanent token per user) to
django-rest-knox (expiring, one per sign-in). The old app is no longer installed, so its
migrations no longer run: drop its table (and the permanent tokens in it) here."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_account_security")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", reverse_sql=migrations.RunSQL.noop),
    ]
