"""Who may do what in the member admin (security review #13, points 2 and 3), over HTTP as a
staff member who is not a superuser: the suspend actions need `suspend_member` and never reach
a staff account; the member edit permission sets no flag, group, email or password, and no
longer edits profiles, which have their own page; a status change in the form goes through the
suspend service (sessions end)."""

import pytest
from django.urls import reverse

from accounts import services
from accounts.models import Member, MemberSession, Profile
from accounts.tests.factories import PASSWORD, MemberFactory
from ohmanager.tests.admin_staff import (
    STAFF_PASSWORD,
    change_form_data,
    client_for,
    offered_actions,
    post_action,
    staff_member,
)

pytestmark = pytest.mark.django_db

MEMBERS = reverse("admin:accounts_member_changelist")
SESSIONS = reverse("admin:accounts_membersession_changelist")


def _member_change(member: Member) -> str:
    return reverse("admin:accounts_member_change", args=[member.pk])


def _signed_in(member: Member) -> MemberSession:
    password = STAFF_PASSWORD if member.email.endswith("@ohmanager.example") else PASSWORD
    return services.session_login(
        email=member.email, password=password, user_agent="ua", ip="127.0.0.1"
    ).session


def _live(session: MemberSession) -> bool:
    return MemberSession.objects.get(pk=session.pk).revoked_at is None


@pytest.fixture
def performer(db) -> Member:
    member = MemberFactory(email="actor@example.kr")
    services.profile_prepare(member=member)
    return member


@pytest.fixture
def superuser(db) -> Member:
    return Member.objects.create_superuser("boss@ohmanager.example", STAFF_PASSWORD)


# --- Point 2: the actions declare their permissions --------------------------------------------


@pytest.mark.parametrize(
    "perms", [["accounts.view_member"], ["accounts.view_member", "accounts.change_member"]]
)
def test_without_suspend_member_staff_cannot_suspend_or_reactivate(perms, performer, superuser):
    # given: a view-only (or edit-only) staff member, an active performer signed in, a superuser
    staff = client_for(staff_member(perms=perms))
    performer_session, boss_session = _signed_in(performer), _signed_in(superuser)
    suspended = MemberFactory(status=Member.Status.SUSPENDED)

    # when
    assert not {"suspend", "reactivate"} & offered_actions(staff, MEMBERS)
    post_action(staff, MEMBERS, "suspend", [performer.pk, superuser.pk])
    post_action(staff, MEMBERS, "reactivate", [suspended.pk])

    # then: nothing changed
    statuses = dict(Member.objects.values_list("email", "status"))
    assert statuses[performer.email] == statuses[superuser.email] == Member.Status.ACTIVE
    assert statuses[suspended.email] == Member.Status.SUSPENDED
    assert _live(performer_session) and _live(boss_session)


def test_suspend_member_suspends_performers_but_never_a_staff_account(performer, superuser):
    staff = client_for(staff_member(perms=["accounts.view_member", "accounts.suspend_member"]))
    colleague = staff_member("colleague@ohmanager.example")
    sessions = {m.email: _signed_in(m) for m in (performer, superuser, colleague)}

    response = post_action(staff, MEMBERS, "suspend", [performer.pk, superuser.pk, colleague.pk])

    assert response.status_code == 302
    statuses = dict(Member.objects.values_list("email", "status"))
    assert statuses[performer.email] == Member.Status.SUSPENDED
    assert not _live(sessions[performer.email])
    assert statuses[superuser.email] == statuses[colleague.email] == Member.Status.ACTIVE
    assert _live(sessions[superuser.email]) and _live(sessions[colleague.email])


def test_staff_cannot_revoke_a_superusers_sessions(performer, superuser):
    staff = client_for(
        staff_member(perms=["accounts.view_membersession", "accounts.change_membersession"])
    )
    performer_session, boss_session = _signed_in(performer), _signed_in(superuser)

    post_action(staff, SESSIONS, "revoke", [performer_session.pk, boss_session.pk])

    assert not _live(performer_session)
    assert _live(boss_session)


# --- Point 3: the member edit permission is not a master key -----------------------------------


@pytest.fixture
def member_editor(db) -> Member:
    return staff_member(perms=["accounts.view_member", "accounts.change_member"])


def test_member_editor_cannot_set_flags_groups_or_email(member_editor, performer):
    staff = client_for(member_editor)
    data = change_form_data(staff, _member_change(performer))
    assert not {"email", "is_staff", "is_superuser", "groups", "user_permissions"} & set(data)

    # when: the fields are posted anyway, with a language change
    data.update(
        email="attacker@example.kr",
        is_staff="on",
        is_superuser="on",
        user_permissions=[str(p) for p in member_editor.user_permissions.values_list("pk", flat=1)],
        language="en",
    )
    response = staff.post(_member_change(performer), data)

    # then: the language is saved, nothing else
    assert response.status_code == 302
    performer.refresh_from_db()
    assert performer.language == "en"
    assert performer.email == "actor@example.kr"
    assert not (performer.is_staff or performer.is_superuser)
    assert not performer.user_permissions.exists()


def test_member_editor_cannot_make_themselves_superuser(member_editor):
    staff = client_for(member_editor)

    response = staff.post(
        _member_change(member_editor),
        {"email": member_editor.email, "status": "active", "language": "ko", "is_staff": "on",
         "is_superuser": "on"},
    )  # fmt: skip

    assert response.status_code == 403  # a staff account is shown to them read-only
    member_editor.refresh_from_db()
    assert not member_editor.is_superuser


def test_member_editor_cannot_change_or_suspend_a_superuser(member_editor, superuser):
    staff = client_for(member_editor)
    page = staff.get(_member_change(superuser))

    response = staff.post(
        _member_change(superuser),
        {"email": "attacker@example.kr", "status": "suspended", "language": "en"},
    )

    assert page.status_code == 200 and b'name="email"' not in page.content  # read-only view
    assert response.status_code == 403
    superuser.refresh_from_db()
    assert (superuser.email, superuser.status) == ("boss@ohmanager.example", "active")


def test_member_editor_cannot_set_a_password(member_editor, performer):
    staff = client_for(member_editor)
    url = reverse("admin:auth_user_password_change", args=[performer.pk])

    page = staff.get(url)
    post = staff.post(url, {"password1": "a-new-password-42", "password2": "a-new-password-42"})

    assert page.status_code == post.status_code == 403
    performer.refresh_from_db()
    assert performer.check_password(PASSWORD)


def test_a_status_change_in_the_form_suspends_through_the_service(admin_client, performer):
    session = _signed_in(performer)
    data = change_form_data(admin_client, _member_change(performer))

    response = admin_client.post(_member_change(performer), {**data, "status": "suspended"})

    assert response.status_code == 302
    performer.refresh_from_db()
    assert performer.status == Member.Status.SUSPENDED
    assert MemberSession.objects.get(pk=session.pk).revoked_reason == "suspended"

    data = change_form_data(admin_client, _member_change(performer))
    admin_client.post(_member_change(performer), {**data, "status": "active"})
    performer.refresh_from_db()
    assert performer.status == Member.Status.ACTIVE


def test_the_form_makes_no_status_move_the_services_do_not(admin_client, performer):
    data = change_form_data(admin_client, _member_change(performer))

    response = admin_client.post(_member_change(performer), {**data, "status": "withdrawn"})

    assert response.status_code == 200  # the form again, with the error
    assert response.context["adminform"].form.errors["status"]
    performer.refresh_from_db()
    assert performer.status == Member.Status.ACTIVE


def test_profiles_are_moderated_on_their_own_page(performer):
    moderator = client_for(staff_member(perms=["accounts.view_profile", "accounts.change_profile"]))
    url = reverse("admin:accounts_profile_change", args=[performer.profile.pk])
    data = change_form_data(moderator, url)

    response = moderator.post(url, {**data, "display_name": "배우 김", "bio": "수정됨"})

    assert response.status_code == 302
    profile = Profile.objects.get(pk=performer.profile.pk)
    assert (profile.display_name, profile.bio) == ("배우 김", "수정됨")
    # and the moderator has nothing to do with the member record
    assert moderator.get(_member_change(performer)).status_code == 403


def test_the_member_page_shows_the_profile_read_only(performer):
    # given: staff who may edit both members and profiles: the profile's one edit path is its
    # own page (through profile_update), not an inline of the member form
    staff = client_for(staff_member(perms=["accounts.change_member", "accounts.change_profile"]))
    data = change_form_data(staff, _member_change(performer))

    response = staff.post(
        _member_change(performer),
        {**data, "profile-0-display_name": "바뀐 이름", "profile-0-bio": "바뀐 소개"},
    )

    assert response.status_code == 302
    profile = Profile.objects.get(member=performer)
    assert (profile.display_name, profile.bio) == ("", "")
