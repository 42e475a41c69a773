# The outbox now belongs to the emails app (emails 0001): it leaves accounts' state only, its
# table and rows stay.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0006_member_admin_permissions'),
        ('applications', '0004_remindersent_email_in_emails_app'),
        ('emails', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='EmailMessage')],
            database_operations=[],
        ),
    ]
