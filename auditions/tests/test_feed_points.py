"""The feed's member-independent points: the SQL and Python definitions agree, writes keep them."""

import itertools
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from auditions import feed_points, services
from auditions.models import Audition
from auditions.tests import factories

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def test_sql_and_python_definitions_agree_on_every_band_edge(source):
    today = timezone.localdate()
    midnight = datetime.combine(today, time.min, SEOUL)
    pays = [
        ("paid", 100000, 150000),  # amount stated: 10
        ("paid", 100000, None),
        ("paid", None, 0),  # "paid", amount 0: terms only, 4
        ("negotiable", None, None),  # 4
        ("unknown", None, None),
        ("unpaid", None, None),
    ]
    deadlines = [None, today, today + timedelta(days=7), today + timedelta(days=8)]
    deadlines += [today + timedelta(days=14), today + timedelta(days=15)]
    posted = [midnight + timedelta(hours=20), midnight - timedelta(days=3)]
    posted += [midnight - timedelta(days=3, seconds=1), midnight - timedelta(days=7)]
    posted += [midnight - timedelta(days=14, seconds=1), midnight + timedelta(days=2)]
    audition = factories.audition()
    cases = itertools.product(pays, deadlines, posted, [0, 7, 80, 100])
    checked = set()
    for (pay_type, low, high), deadline, posted_at, trust in cases:
        Audition.objects.filter(pk=audition.pk).update(
            pay_type=pay_type,
            pay_amount_min=low,
            pay_amount_max=high,
            deadline=deadline,
            posted_at=posted_at,
            trust_score=trust,
        )
        row = (
            Audition.objects.annotate(sql=feed_points.expression(today))
            .annotate(**feed_points.parts(today))
            .get(pk=audition.pk)
        )

        assert feed_points.for_audition(row, today) == row.sql, (pay_type, deadline, posted_at)
        python_parts = feed_points.parts_for(
            pay_type=row.pay_type, pay_sort=row.pay_sort, deadline=row.deadline,
            posted_at=row.posted_at, trust_score=row.trust_score, today=today,
        )  # fmt: skip
        assert python_parts == {name: getattr(row, name) for name in python_parts}
        checked.add(row.sql)

    assert min(checked) == 0 and max(checked) == feed_points.MAX_POINTS


def test_every_write_keeps_the_points(source):
    today = timezone.localdate()
    audition = factories.audition(deadline=today + timedelta(days=3), posted_at=timezone.now())
    assert audition.feed_points == feed_points.for_audition(audition, today) > 0

    factories.staff_edit(audition, actor=None, deadline=today + timedelta(days=60))
    audition.refresh_from_db()
    assert audition.feed_points == feed_points.for_audition(audition, today)
    assert services.auditions_feed_points_refresh(today=today) == 0  # nothing left to move


def test_refresh_moves_only_rows_whose_band_changed(source):
    today = timezone.localdate()
    soon = factories.audition(deadline=today + timedelta(days=9))
    later = factories.audition(deadline=today + timedelta(days=40))
    week_on = today + timedelta(days=7)

    # Both lose freshness; `soon` gains 5.
    assert services.auditions_feed_points_refresh(today=week_on) == 2
    assert services.auditions_feed_points_refresh(today=week_on) == 0

    for audition in (soon, later):
        audition.refresh_from_db()
        assert audition.feed_points == feed_points.for_audition(audition, week_on)
