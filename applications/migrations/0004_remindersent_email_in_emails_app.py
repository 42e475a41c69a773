# ReminderSent.email follows the outbox into the emails app (see emails 0001). The column and
# its foreign key stay as they are: the table they point at is the same one.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('applications', '0003_application_admin_permissions'),
        ('emails', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='remindersent',
                    name='email',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='emails.emailmessage'),
                ),
            ],
            database_operations=[],
        ),
    ]
