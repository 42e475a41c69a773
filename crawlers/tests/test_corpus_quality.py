"""The normaliser's floor on real posts (crawlers/tests/corpus/: real casting calls from stored
public pages, hand-labelled): issue 14's goals, held so that a change that reads real posts
worse fails here. `python -m bench.quality` prints the table and every miss."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from crawlers.tests.quality import FIELDS, load, score

# Posts without a date of their own are read against "today": the day they were labelled.
LABELLED_ON = datetime(2026, 12, 3, 12, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture(scope="module")
def report():
    with time_machine.travel(LABELLED_ON, tick=False):
        return score(load())


def test_the_corpus_is_large_and_labelled(report):
    assert report.posts >= 120
    assert report.overall.labelled >= 400


def test_nine_in_ten_labelled_fields_are_read_right(report):
    assert report.overall.pct >= 90.0, report.misses


def test_roles_are_found_for_nine_in_ten_posts_that_name_them(report):
    assert report.fields["roles"].pct >= 90.0


@pytest.mark.parametrize("name", FIELDS)
def test_every_field_is_read_right_in_at_least_85_percent_of_posts(report, name):
    tally = report.fields[name]
    assert tally.labelled > 0
    assert tally.pct >= 85.0, [m for m in report.misses if m["field"] == name]
