"""Reminders through the real periodic task code (eager), with frozen time: each goes out once
however often the task runs, in the member's language, and only if the member wants it."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from accounts.profiles import services as profile_services
from applications import services, tasks
from applications.models import ApplicationEvent, ReminderSent
from auditions import services as audition_services

pytestmark = pytest.mark.django_db(transaction=True)  # emails leave on commit, as in production

SEOUL = ZoneInfo("Asia/Seoul")
MORNING = datetime(2026, 3, 10, 10, 0, tzinfo=SEOUL)


def _to(member) -> list:
    return [message for message in mail.outbox if member.email in message.to]


def _audition_tomorrow(member, audition) -> None:
    """She applied and her audition is tomorrow at 14:00 (Seoul)."""
    application = services.application_create(member=member, audition_id=audition.id)
    services.application_move(
        application_id=application.id,
        status="audition_scheduled",
        actor=member,
        by="member",
        audition_at=MORNING + timedelta(days=1, hours=4),
    )


def _bookmark(member, audition) -> None:
    audition_services.bookmark_add(member=member, audition_id=audition.id)


@time_machine.travel(MORNING, tick=False)
def test_deadline_reminders_d3_and_d1_once_each_in_the_members_language(make_member, make_audition):
    korean, english = make_member(language="ko"), make_member(language="en")
    d3 = make_audition(deadline=MORNING.date() + timedelta(days=3), title="단편 <봄> 배우 모집")
    d1 = make_audition(deadline=MORNING.date() + timedelta(days=1), title="Short film cast")
    later = make_audition(deadline=MORNING.date() + timedelta(days=5), title="Later call")
    for member in (korean, english):
        for audition in (d3, d1, later):
            _bookmark(member, audition)

    for _ in range(3):  # the beat fires again, or the message is redelivered
        tasks.remind_deadlines.delay()

    korean_mail = _to(korean)
    assert len(korean_mail) == 2
    subjects = sorted(message.subject for message in korean_mail)
    assert subjects == [
        "[Oh Manager] 내일 마감: Short film cast",
        "[Oh Manager] 마감 3일 전: 단편 <봄> 배우 모집",
    ]
    assert sorted(message.subject for message in _to(english)) == [
        "[Oh Manager] Closes in 3 days: 단편 <봄> 배우 모집",
        "[Oh Manager] Closes tomorrow: Short film cast",
    ]
    assert ReminderSent.objects.count() == 4

    # Two days later the D-3 audition is at D-1 and the later one at D-3: one new reminder
    # for each, and nothing again for the ones already sent.
    mail.outbox.clear()
    with time_machine.travel(MORNING + timedelta(days=2), tick=False):
        tasks.remind_deadlines.delay()
        tasks.remind_deadlines.delay()
    assert sorted(m.subject for m in _to(korean)) == [
        "[Oh Manager] 내일 마감: 단편 <봄> 배우 모집",
        "[Oh Manager] 마감 3일 전: Later call",
    ]


@time_machine.travel(MORNING, tick=False)
def test_no_deadline_reminder_once_applied_or_when_turned_off(make_member, make_audition):
    applied, opted_out = make_member(), make_member()
    audition = make_audition(deadline=MORNING.date() + timedelta(days=1))
    for member in (applied, opted_out):
        _bookmark(member, audition)
    services.application_create(member=applied, audition_id=audition.id)
    profile_services.profile_update(member=opted_out, notify_deadline_reminders=False)

    tasks.remind_deadlines.delay()

    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


@time_machine.travel(MORNING, tick=False)
def test_shoot_reminder_for_cast_applications_once(make_member, make_audition):
    cast, shortlisted, opted_out = make_member(), make_member(), make_member()
    audition = make_audition(
        shoot_start=MORNING.date() + timedelta(days=1),
        shoot_end=MORNING.date() + timedelta(days=2),
        title="웹드라마 <겨울>",
    )
    for member, status in ((cast, "cast"), (shortlisted, "shortlisted"), (opted_out, "cast")):
        application = services.application_create(member=member, audition_id=audition.id)
        services.application_move(
            application_id=application.id, status=status, actor=member, by="member"
        )
    profile_services.profile_update(member=opted_out, notify_shoot_reminders=False)

    tasks.remind_schedules.delay()
    tasks.remind_schedules.delay()

    assert [m.subject for m in mail.outbox] == ["[Oh Manager] 내일 촬영: 웹드라마 <겨울>"]
    assert mail.outbox[0].to == [cast.email]


@time_machine.travel(MORNING, tick=False)
def test_audition_date_reminder_the_day_before(make_member, make_audition):
    member = make_member(language="en")
    _audition_tomorrow(member, make_audition(title="Musical ensemble"))

    tasks.remind_schedules.delay()
    tasks.remind_schedules.delay()

    assert [m.subject for m in mail.outbox] == [
        "[Oh Manager] Tomorrow: audition for Musical ensemble"
    ]
    assert "2026-03-11 14:00" in mail.outbox[0].body


def test_stale_nudge_after_14_quiet_days_once_per_quiet_spell(make_member, make_audition):
    member, opted_out = make_member(), make_member()
    with time_machine.travel(MORNING, tick=False):
        application = services.application_create(
            member=member, audition_id=make_audition(title="광고 모델").id
        )
        services.application_create(member=opted_out, audition_id=make_audition().id)
        profile_services.profile_update(member=opted_out, notify_stale_applications=False)

    with time_machine.travel(MORNING + timedelta(days=13), tick=False):
        tasks.nudge_stale_applications.delay()
    assert mail.outbox == []

    with time_machine.travel(MORNING + timedelta(days=14), tick=False):
        tasks.nudge_stale_applications.delay()
        tasks.nudge_stale_applications.delay()
    assert [m.subject for m in mail.outbox] == ["[Oh Manager] 소식이 없는 지원: 광고 모델"]
    assert "무응답" in mail.outbox[0].body  # it suggests no_response

    with time_machine.travel(MORNING + timedelta(days=20), tick=False):
        tasks.nudge_stale_applications.delay()
    assert len(mail.outbox) == 1

    # News arrives, then silence again: a new quiet spell earns a new nudge.
    with time_machine.travel(MORNING + timedelta(days=21), tick=False):
        services.application_move(
            application_id=application.id, status="viewed", actor=member, by="member"
        )
    with time_machine.travel(MORNING + timedelta(days=35), tick=False):
        tasks.nudge_stale_applications.delay()
        tasks.nudge_stale_applications.delay()
    assert len(mail.outbox) == 2
    assert ApplicationEvent.objects.filter(application=application).count() == 2


@time_machine.travel(MORNING, tick=False)
def test_the_record_and_the_email_commit_together(make_member, make_audition, monkeypatch):
    """If queueing the email fails, no `ReminderSent` row survives: the next run retries."""
    member = make_member()
    _bookmark(member, make_audition(deadline=MORNING.date() + timedelta(days=1)))

    def broken(**kwargs):
        raise RuntimeError("outbox down")

    monkeypatch.setattr("applications.services.email_enqueue", broken)
    with pytest.raises(RuntimeError):
        tasks.remind_deadlines.delay()
    assert not ReminderSent.objects.exists()

    monkeypatch.undo()
    tasks.remind_deadlines.delay()
    assert len(mail.outbox) == 1
    assert ReminderSent.objects.get().email.status == "sent"


@time_machine.travel(MORNING, tick=False)
def test_a_call_hidden_as_a_scam_earns_no_more_reminders(make_member, make_audition):
    from auditions.services import moderation

    member = make_member(language="en")
    audition = make_audition(title="Too good to be true")
    _audition_tomorrow(member, audition)
    moderation.audition_moderate(audition=audition, decision="scam", actor=None)
    mail.outbox.clear()

    tasks.remind_schedules.delay()

    assert mail.outbox == []
