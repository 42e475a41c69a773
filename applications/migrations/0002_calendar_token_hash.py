"""Security review #13.8: the calendar feed keeps the SHA-256 of its token, not the token.

Existing rows are hashed in place, so every URL already handed out keeps working (the lookup
hashes the presented token and finds the same row); the plain column is then dropped. Going
back cannot recover the tokens: it gives every feed a new one, so old URLs stop working.
"""

import hashlib
import secrets

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("applications", "CalendarFeed")
    for feed in CalendarFeed.objects.only("id", "token").iterator():
        feed.token_hash = hashlib.sha256(feed.token.encode()).hexdigest()
        feed.save(update_fields=["token_hash"])


def issue_new_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("applications", "CalendarFeed")
    for feed in CalendarFeed.objects.only("id").iterator():
        feed.token = secrets.token_urlsafe(32)
        feed.save(update_fields=["token"])


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        # Nullable and not unique while it goes (and, backwards, until new tokens are issued).
        migrations.AlterField(
            model_name="calendarfeed",
            name="token",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, issue_new_tokens, elidable=False),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(editable=False, max_length=64, unique=True),
        ),
    ]
