"""The member's iCalendar feed (RFC 5545, built with the `icalendar` package): deadlines of
bookmarked auditions not applied to yet, scheduled auditions, and shoot dates of auditions the
member was cast in. UIDs are stable, so subscribed calendars update events instead of adding
copies."""

from datetime import date, datetime, timedelta

import icalendar
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Member
from applications.lifecycle import ENDS
from applications.models import Application, Status
from auditions.models import Audition, Bookmark

PRODID = "-//Oh Manager//Applications calendar//EN"
# Past events stay visible this long, so "what was that audition last week" still works.
HISTORY_DAYS = 60
AUDITION_DURATION = timedelta(hours=1)

_TEXT = {
    "ko": {
        "name": "오매니저 오디션 일정",
        "deadline": "[마감] {title}",
        "audition": "[오디션] {title}",
        "shoot": "[촬영] {title}",
    },
    "en": {
        "name": "Oh Manager auditions",
        "deadline": "[Deadline] {title}",
        "audition": "[Audition] {title}",
        "shoot": "[Shoot] {title}",
    },
}


def _all_day(uid: str, summary: str, start: date, end: date, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end + timedelta(days=1))  # DTEND of an all-day event is exclusive
    event.add("transp", "TRANSPARENT")
    return event


def calendar_render(*, member: Member, today: date | None = None) -> bytes:
    """The feed as bytes (text/calendar; UTF-8). Three queries, however many events."""
    today = today or timezone.localdate()
    since = today - timedelta(days=HISTORY_DAYS)
    stamp = timezone.now()
    text = _TEXT.get(member.language, _TEXT["ko"])

    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", text["name"])
    cal.add("x-wr-timezone", "Asia/Seoul")

    applied = Application.objects.filter(member=member, audition_id=OuterRef("audition_id"))
    bookmarks = (
        Bookmark.objects.filter(
            member=member,
            audition__status__in=Audition.PUBLIC_STATUSES,
            audition__deadline__gte=since,
        )
        .exclude(Exists(applied))
        .values_list("audition_id", "audition__title", "audition__deadline")
    )
    for audition_id, title, deadline in bookmarks:
        cal.add_component(
            _all_day(
                f"deadline-{audition_id}@ohmanager",
                text["deadline"].format(title=title),
                deadline,
                deadline,
                stamp,
            )
        )

    scheduled = (
        Application.objects.filter(
            member=member, audition_at__isnull=False, audition_at__gte=stamp - timedelta(days=60)
        )
        .exclude(status__in=ENDS)
        .values_list("id", "audition__title", "audition__location", "audition_at")
    )
    for application_id, title, location, at in scheduled:
        event = icalendar.Event()
        event.add("uid", f"audition-{application_id}@ohmanager")
        event.add("dtstamp", stamp)
        event.add("summary", text["audition"].format(title=title))
        event.add("dtstart", at)
        event.add("dtend", at + AUDITION_DURATION)
        if location:
            event.add("location", location)
        cal.add_component(event)

    shoots = Application.objects.filter(
        member=member, status=Status.CAST, audition__shoot_start__isnull=False
    ).values_list("id", "audition__title", "audition__shoot_start", "audition__shoot_end")
    for application_id, title, start, end in shoots:
        if (end or start) < since:
            continue
        cal.add_component(
            _all_day(
                f"shoot-{application_id}@ohmanager",
                text["shoot"].format(title=title),
                start,
                end or start,
                stamp,
            )
        )
    return cal.to_ical()
