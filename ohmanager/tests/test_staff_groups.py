"""The staff groups shipped as data (`manage.py setup_staff_groups`, ohmanager/staff_groups.py),
each tested through the admin over HTTP for what its members can and cannot do (security review
#13, points 2 and 3). A refused action leaves the database as it was."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import Member, MemberSession, Profile
from accounts.tests.factories import PASSWORD, MemberFactory
from auditions.models import Audition
from auditions.tests import factories as audition_factories
from crawlers.models import CrawlSource
from crawlers.services import crawl_source_upsert
from ohmanager.staff_groups import STAFF_GROUPS
from ohmanager.tests.admin_staff import (
    STAFF_PASSWORD,
    change_form_data,
    client_for,
    permission,
    post_action,
    staff_member,
)

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:accounts_member_changelist")
SESSIONS = reverse("admin:accounts_membersession_changelist")
AUDITIONS = reverse("admin:auditions_audition_changelist")
SOURCES = reverse("admin:crawlers_crawlsource_changelist")


def _labels(group: Group) -> set[str]:
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_setup_staff_groups_is_idempotent_and_restores_the_code(capsys):
    call_command("setup_staff_groups")
    moderator = Group.objects.get(name="moderator")
    member = staff_member(groups=["moderator"])
    moderator.permissions.add(permission("accounts.change_member"))  # granted by hand

    call_command("setup_staff_groups")
    call_command("setup_staff_groups")

    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(STAFF_GROUPS)
    for name, labels in STAFF_GROUPS.items():
        assert _labels(Group.objects.get(name=name)) == set(labels)
    assert "accounts.change_member" not in _labels(moderator)
    assert list(member.groups.values_list("name", flat=True)) == ["moderator"]
    assert "staff group support: kept" in capsys.readouterr().out


def test_no_group_may_touch_accounts_beyond_its_work():
    # The master keys of the member admin and what only superusers do, in no group at all.
    never = {
        "accounts.change_member",
        "accounts.add_member",
        "accounts.delete_member",
        "applications.move_application",
        "auth.change_group",
        "auth.add_permission",
    }
    for labels in STAFF_GROUPS.values():
        assert not never & set(labels)


# --- The three groups at work ------------------------------------------------------------


@pytest.fixture
def groups(db) -> None:
    call_command("setup_staff_groups")


@pytest.fixture
def performer(db) -> Member:
    member = MemberFactory(email="actor@example.kr")
    account_services.profile_prepare(member=member)
    return member


@pytest.fixture
def superuser(db) -> Member:
    return Member.objects.create_superuser("boss@ohmanager.example", STAFF_PASSWORD)


@pytest.fixture
def pair(db) -> tuple[Audition, Audition]:
    audition_factories.source()
    now = timezone.now()
    return (
        audition_factories.audition(title="광고 모델 모집", posted_at=now - timedelta(days=5)),
        audition_factories.audition(title="광고 모델 모집", posted_at=now - timedelta(days=1)),
    )


@pytest.fixture
def crawl_source(db) -> CrawlSource:
    source, _ = crawl_source_upsert(
        slug="board-rss", name="오디션 게시판 RSS", kind="rss",
        start_urls=["https://www.example.test/casting/rss"],
    )  # fmt: skip
    return source


def _session(member: Member, password: str = PASSWORD) -> MemberSession:
    return account_services.session_login(
        email=member.email, password=password, user_agent="ua", ip="127.0.0.1"
    ).session


def _live(session: MemberSession) -> bool:
    return MemberSession.objects.get(pk=session.pk).revoked_at is None


def _merged(pair: tuple[Audition, Audition]) -> bool:
    return Audition.objects.get(pk=pair[1].pk).status == Audition.Status.MERGED


def _edit_profile(client, member: Member):
    url = reverse("admin:accounts_profile_change", args=[member.profile.pk])
    page = client.get(url)
    if page.status_code != 200:
        return client.post(url, {"display_name": "바뀐 이름", "bio": "바뀐 소개"})
    return client.post(url, {**change_form_data(client, url), "display_name": "바뀐 이름"})


def _display_name(member: Member) -> str:
    return Profile.objects.get(member=member).display_name


def test_a_moderator_moderates_profiles_and_auditions_and_nothing_else(
    groups, performer, pair, crawl_source, django_capture_on_commit_callbacks
):
    moderator = client_for(staff_member(groups=["moderator"]))
    session = _session(performer)

    # can: correct a profile, hide an audition
    assert _edit_profile(moderator, performer).status_code == 302
    assert _display_name(performer) == "바뀐 이름"
    post_action(moderator, AUDITIONS, "hide", [pair[0].pk])
    assert Audition.objects.get(pk=pair[0].pk).status == Audition.Status.HIDDEN

    # cannot: merge, suspend, open a member, start a crawl
    post_action(moderator, AUDITIONS, "merge_into_earliest", [a.pk for a in pair])
    post_action(moderator, MEMBERS, "suspend", [performer.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_action(moderator, SOURCES, "crawl_now", [crawl_source.pk])
    member_page = moderator.get(reverse("admin:accounts_member_change", args=[performer.pk]))

    assert not _merged(pair)
    assert Member.objects.get(pk=performer.pk).status == Member.Status.ACTIVE and _live(session)
    assert callbacks == []
    assert member_page.status_code == 403


def test_a_curator_merges_and_crawls_but_touches_no_member_or_profile(
    groups, performer, pair, crawl_source, django_capture_on_commit_callbacks
):
    curator = client_for(staff_member(groups=["curator"]))
    session = _session(performer)

    # can: merge duplicates, start a crawl
    post_action(curator, AUDITIONS, "merge_into_earliest", [a.pk for a in pair])
    assert _merged(pair)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_action(curator, SOURCES, "crawl_now", [crawl_source.pk])
    assert len(callbacks) == 1

    # cannot: edit a profile, suspend a member
    assert _edit_profile(curator, performer).status_code == 403
    post_action(curator, MEMBERS, "suspend", [performer.pk])

    assert _display_name(performer) == ""
    assert Member.objects.get(pk=performer.pk).status == Member.Status.ACTIVE and _live(session)


def test_support_suspends_and_signs_out_members_but_not_staff_and_edits_nothing(
    groups, performer, superuser, pair, crawl_source, django_capture_on_commit_callbacks
):
    support = client_for(staff_member(groups=["support"]))
    performer_sessions = [_session(performer), _session(performer)]
    boss_session = _session(superuser, STAFF_PASSWORD)

    # can: revoke a session, suspend a performer (which ends the rest)
    post_action(support, SESSIONS, "revoke", [performer_sessions[0].pk])
    assert not _live(performer_sessions[0]) and _live(performer_sessions[1])
    post_action(support, MEMBERS, "suspend", [performer.pk])
    assert Member.objects.get(pk=performer.pk).status == Member.Status.SUSPENDED
    assert not _live(performer_sessions[1])

    # cannot: suspend a superuser or end their sessions, edit a member's record, a profile,
    # an audition, or start a crawl
    post_action(support, MEMBERS, "suspend", [superuser.pk])
    post_action(support, SESSIONS, "revoke", [boss_session.pk])
    edit = support.post(
        reverse("admin:accounts_member_change", args=[performer.pk]),
        {"email": "attacker@example.kr", "status": "active", "language": "en"},
    )
    profile = _edit_profile(support, performer)
    post_action(support, AUDITIONS, "hide", [pair[0].pk])
    post_action(support, AUDITIONS, "merge_into_earliest", [a.pk for a in pair])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_action(support, SOURCES, "crawl_now", [crawl_source.pk])

    assert Member.objects.get(pk=superuser.pk).status == Member.Status.ACTIVE
    assert _live(boss_session)
    assert edit.status_code == 403
    assert Member.objects.get(pk=performer.pk).email == "actor@example.kr"
    assert profile.status_code == 403 and _display_name(performer) == ""
    assert Audition.objects.get(pk=pair[0].pk).status == Audition.Status.OPEN
    assert not _merged(pair)
    assert callbacks == []
