"""The audition admin's actions name their permissions (security review #13, point 2): publish,
hide and close need the change permission; merging duplicates needs `auditions.merge_audition`,
which the change permission does not imply. Refused, nothing changes."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from auditions.models import Audition
from auditions.tests import factories
from ohmanager.tests.admin_staff import client_for, offered_actions, post_action, staff_member

pytestmark = pytest.mark.django_db

AUDITIONS = reverse("admin:auditions_audition_changelist")
VIEW = "auditions.view_audition"
CHANGE = "auditions.change_audition"


@pytest.fixture
def pair(source) -> tuple[Audition, Audition]:
    """Two copies of one call: the earliest posted and a later one."""
    now = timezone.now()
    return (
        factories.audition(title="웹드라마 <청춘일기> 조연", posted_at=now - timedelta(days=5)),
        factories.audition(title="웹드라마 <청춘일기> 조연", posted_at=now - timedelta(days=1)),
    )


def _statuses(*auditions: Audition) -> list[str]:
    return [Audition.objects.get(pk=audition.pk).status for audition in auditions]


def test_view_only_staff_cannot_publish_hide_close_or_merge(source, pair):
    staff = client_for(staff_member(perms=[VIEW]))
    hidden = factories.audition(status="hidden")
    assert not offered_actions(staff, AUDITIONS)

    post_action(staff, AUDITIONS, "publish", [hidden.pk])
    post_action(staff, AUDITIONS, "hide", [pair[0].pk])
    post_action(staff, AUDITIONS, "close", [pair[1].pk])
    post_action(staff, AUDITIONS, "merge_into_earliest", [a.pk for a in pair])

    assert _statuses(hidden, *pair) == ["hidden", "open", "open"]
    assert Audition.objects.get(pk=pair[1].pk).duplicate_of_id is None


def test_the_change_permission_publishes_and_hides_but_does_not_merge(source, pair):
    staff = client_for(staff_member(perms=[VIEW, CHANGE]))
    assert offered_actions(staff, AUDITIONS) == {"publish", "hide", "close"}

    post_action(staff, AUDITIONS, "merge_into_earliest", [a.pk for a in pair])
    assert _statuses(*pair) == ["open", "open"]
    assert Audition.objects.get(pk=pair[1].pk).duplicate_of_id is None
    assert pair[1].listings.count() == 1

    post_action(staff, AUDITIONS, "hide", [pair[1].pk])
    assert _statuses(*pair) == ["open", "hidden"]


def test_merge_audition_merges(source, pair):
    staff = client_for(staff_member(perms=[VIEW, CHANGE, "auditions.merge_audition"]))

    post_action(staff, AUDITIONS, "merge_into_earliest", [a.pk for a in pair])

    later = Audition.objects.get(pk=pair[1].pk)
    assert (later.status, later.duplicate_of_id) == (Audition.Status.MERGED, pair[0].pk)
