"""What else named the outbox after accounts: its content type (the permissions staff hold, and
the admin log, point at that row) and the periodic flush task. Both are renamed in place, so
groups keep their permissions and the flush keeps the schedule staff gave it. Reversible."""

from django.db import migrations
from django.utils import timezone

OLD_FLUSH = ("accounts.flush_email_outbox", "accounts.tasks.flush_email_outbox")
NEW_FLUSH = ("emails.email_outbox_flush", "emails.tasks.email_outbox_flush")


def _move_content_type(apps, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    old = ContentType.objects.filter(app_label=old_label, model="emailmessage")
    if not old.exists():
        return  # a new database: post_migrate creates the content type afterwards
    # One under the new label exists only if a migrate stopped between emails 0001 and here
    # and its post_migrate made one: it and its fresh permissions give way to the old ones.
    ContentType.objects.filter(app_label=new_label, model="emailmessage").delete()
    old.update(app_label=new_label)
    ContentType.objects.clear_cache()


def _rename_flush(apps, old: tuple[str, str], new: tuple[str, str]) -> None:
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    if not PeriodicTask.objects.filter(name=old[0]).exists():
        return  # setup_periodic_tasks creates it under the new name
    PeriodicTask.objects.filter(name=new[0]).delete()  # the old row keeps its run history
    PeriodicTask.objects.filter(name=old[0]).update(name=new[0], task=new[1])
    # Beat re-reads its schedule only when told (PeriodicTasks.update_changed()).
    apps.get_model("django_celery_beat", "PeriodicTasks").objects.update_or_create(
        ident=1, defaults={"last_update": timezone.now()}
    )


def forwards(apps, schema_editor) -> None:
    _move_content_type(apps, "accounts", "emails")
    _rename_flush(apps, OLD_FLUSH, NEW_FLUSH)


def backwards(apps, schema_editor) -> None:
    _move_content_type(apps, "emails", "accounts")
    _rename_flush(apps, NEW_FLUSH, OLD_FLUSH)


class Migration(migrations.Migration):

    dependencies = [
        ('emails', '0001_initial'),
        ('accounts', '0007_emailmessage_moved_to_emails'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('django_celery_beat', '0019_alter_periodictasks_options'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
