# The outbox moves from accounts (issue #15.3) without touching the database: this takes the
# model into emails' state on the existing table (`db_table` keeps accounts_emailmessage, so a
# process of the previous release keeps working while the deploy rolls), applications 0004
# points ReminderSent.email here, and accounts 0007 drops the model from accounts' state only.

import django.db.models.deletion
import django.utils.timezone
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        # The table as accounts left it (0002 created it, 0005 sealed its context).
        ('accounts', '0006_member_admin_permissions'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='EmailMessage',
                    fields=[
                        ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ('to_email', models.EmailField(max_length=254)),
                        ('template', models.CharField(max_length=64)),
                        ('language', models.CharField(choices=[('ko', '한국어'), ('en', 'English')], max_length=2)),
                        ('status', models.CharField(choices=[('queued', 'Queued'), ('sent', 'Sent')], default='queued', max_length=8)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('sealed_context', models.TextField(blank=True, editable=False)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='emails', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'accounts_emailmessage',
                        'indexes': [models.Index(fields=['status', 'created_at'], name='email_status_created')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
