"""The outbox's move from accounts (issue #15.3) on a database the previous release left: its
rows, the reminders pointing at them, the permissions staff were given and the flush schedule
all come through; and the move can be undone."""

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import Member
from accounts.tests.factories import MemberFactory
from applications.models import ReminderSent
from emails.models import EmailMessage
from emails.services import email_context_open, email_context_seal
from ohmanager.tests.admin_staff import client_for

pytestmark = pytest.mark.django_db(transaction=True)

# The previous release: the outbox in accounts, ReminderSent.email pointing at it.
BEFORE = [
    ("accounts", "0006_member_admin_permissions"),
    ("applications", "0003_application_admin_permissions"),
]


def _migrate(targets=None) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()
    return executor


@pytest.fixture
def before_the_move() -> Iterator[MigrationExecutor]:
    """The database as the previous release left it; whatever the test does, the latest
    schema again afterwards."""
    executor = _migrate([("emails", None)])
    try:
        yield executor
    finally:
        _migrate()


def test_the_move_keeps_rows_permissions_and_the_flush_schedule(before_the_move):
    # given: a queued message and a reminder that sent one, written through the old models
    old = before_the_move.loader.project_state(BEFORE).apps
    # (members through the old model too: today's has columns that release lacks)
    old_member = old.get_model("accounts", "Member")
    member = old_member.objects.create(email="member@example.kr", password="!", status="active")
    queued = old.get_model("accounts", "EmailMessage").objects.create(
        member_id=member.pk,
        to_email=member.email,
        template="signup_code",
        language="ko",
        sealed_context=email_context_seal({"code": "123456"}),
    )
    reminder = old.get_model("applications", "ReminderSent").objects.create(
        member_id=member.pk, kind="stale", subject="application 1", email_id=queued.pk
    )
    # a staff group holding the old `accounts.view_emailmessage`
    group = Group.objects.create(name="mail-readers")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="accounts", codename="view_emailmessage")
    )
    staff = old_member.objects.create(
        email="staff@ohmanager.example", password="!", status="active", is_staff=True
    )
    staff.groups.add(group.pk)
    # the flush under its old names, retuned and paused by staff
    staff_schedule = CrontabSchedule.objects.create(minute="*/7", timezone="Asia/Seoul")
    PeriodicTask.objects.create(
        name="accounts.flush_email_outbox",
        task="accounts.tasks.flush_email_outbox",
        crontab=staff_schedule,
        enabled=False,
    )

    # when
    _migrate()

    # then: the row is the emails app's, untouched, its context still opens
    moved = EmailMessage.objects.get(pk=queued.pk)
    assert (moved.member_id, moved.to_email, moved.status) == (member.pk, member.email, "queued")
    assert email_context_open(moved.sealed_context) == {"code": "123456"}
    assert ReminderSent.objects.get(pk=reminder.pk).email == moved
    # the group's permission is now emails.view_emailmessage, and opens the outbox's admin
    assert not ContentType.objects.filter(app_label="accounts", model="emailmessage").exists()
    staff = Member.objects.get(pk=staff.pk)
    assert staff.has_perm("emails.view_emailmessage")
    assert client_for(staff).get("/admin/emails/emailmessage/").status_code == 200
    # the flush is renamed in place, keeping staff's schedule, and setup adds no second one
    call_command("setup_periodic_tasks")
    [flush] = PeriodicTask.objects.filter(task__contains="outbox")
    assert (flush.name, flush.task) == (
        "emails.email_outbox_flush",
        "emails.tasks.email_outbox_flush",
    )
    assert (flush.crontab_id, flush.enabled) == (staff_schedule.pk, False)


def test_the_move_can_be_undone(before_the_move):
    _migrate()
    member = MemberFactory()
    row = EmailMessage.objects.create(
        member=member, to_email=member.email, template="signup_code", language="ko"
    )
    call_command("setup_periodic_tasks")

    _migrate([("emails", None)])

    old = before_the_move.loader.project_state(BEFORE).apps
    assert old.get_model("accounts", "EmailMessage").objects.filter(pk=row.pk).exists()
    assert ContentType.objects.filter(app_label="accounts", model="emailmessage").exists()
    assert PeriodicTask.objects.filter(
        name="accounts.flush_email_outbox", task="accounts.tasks.flush_email_outbox"
    ).exists()
