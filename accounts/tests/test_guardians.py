"""Issue #17: children under 14 and their guardians, end to end through HTTP with the real
outbox (locmem mail), the real consent page and the periodic erasure under frozen time."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.test import Client
from rest_framework.test import APIClient

from accounts import selectors, services
from accounts.models import GUARDIAN_NOTICE_VERSION, GuardianConsent, Member, Profile
from accounts.services.codes import CODE_MAX_ATTEMPTS
from accounts.tests.conftest import emails_to, last_code, login
from accounts.tests.factories import ADULT_BIRTH_DATE, PASSWORD, MemberFactory
from ohmanager.redaction import redact

# Mail leaves after the commit: real transactions, as in test_signup.
pytestmark = pytest.mark.django_db(transaction=True)
SEOUL = ZoneInfo("Asia/Seoul")
SIGNUP = "/api/v1/auth/signup"
GUARDIAN = "/api/v1/me/guardian"
CHILD = "child@example.kr"
MOTHER = "mother@example.kr"
# 2026-06-14 16:30 UTC is 2026-06-15 01:30 in Seoul: the Seoul date and the UTC date differ.
T0 = datetime(2026, 6, 14, 16, 30, tzinfo=ZoneInfo("UTC"))
CHILD_BIRTH = date(2016, 3, 1)  # 10 on T0
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
LINK = re.compile(r"http://[^\s\"<>]+/g/([A-Za-z0-9_\-]+)(/revoke)?")


def _signup(email: str = CHILD, birth_date: object = CHILD_BIRTH, **extra) -> dict:
    body = {"email": email, "password": PASSWORD, **extra}
    if birth_date is not None:
        body["birth_date"] = str(birth_date)
    return APIClient().post(SIGNUP, body, format="json")


def _verified(email: str = CHILD, birth_date: date = CHILD_BIRTH, **extra) -> dict:
    assert _signup(email, birth_date, **extra).status_code == 201
    response = APIClient().post(
        "/api/v1/auth/verify", {"email": email, "code": last_code(email)}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def _name_guardian(client: APIClient, **overrides) -> dict:
    body = {"name": "박지현", "relationship": "parent", "email": MOTHER, **overrides}
    response = client.post(GUARDIAN, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _guardian_token(to: str = MOTHER) -> str:
    return LINK.search(emails_to(to)[-1].body).group(1)


def _consent(token: str, code: str, client: Client | None = None) -> object:
    return (client or Client()).post(f"/g/{token}", {"code": code}, HTTP_USER_AGENT=BROWSER_UA)


@pytest.fixture
def child(transactional_db):
    """A 10-year-old signed up, verified and logged in, waiting for her guardian."""
    _verified()
    return login(CHILD)


# --- Sign-up takes a birth date --------------------------------------------------------------


@pytest.mark.parametrize(
    "birth_date, problem",
    [(None, "missing"), ("2010-13-01", "invalid"), ("2099-01-01", "future"), (17, "invalid")],
)
def test_signup_refuses_a_missing_invalid_or_future_birth_date(
    transactional_db, birth_date, problem
):
    response = _signup(birth_date=birth_date)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert "birth_date" in error["fields"], problem
    assert not Member.objects.filter(email=CHILD).exists()
    assert mail.outbox == []


def test_an_adult_is_active_after_the_code_and_the_birth_date_is_on_the_profile(transactional_db):
    member = _verified("adult@example.kr", ADULT_BIRTH_DATE)

    assert member["status"] == "active"
    assert member["needs"] == []
    assert member["profile"]["birth_date"] == ADULT_BIRTH_DATE.isoformat()
    assert Profile.objects.get(member__email="adult@example.kr").birth_date == ADULT_BIRTH_DATE


def test_a_second_signup_of_a_pending_address_keeps_each_birth_date_with_its_own_code(
    transactional_db,
):
    assert _signup(birth_date=CHILD_BIRTH).status_code == 201
    first_code = last_code(CHILD)
    assert _signup(birth_date=ADULT_BIRTH_DATE).status_code == 201  # somebody else's attempt

    response = APIClient().post(
        "/api/v1/auth/verify", {"email": CHILD, "code": first_code}, format="json"
    )

    assert response.json()["status"] == "pending_guardian"
    assert response.json()["profile"]["birth_date"] == CHILD_BIRTH.isoformat()


# --- The 14th birthday, on the Seoul date ----------------------------------------------------


@pytest.mark.parametrize(
    "birth_date, status",
    [
        (date(2012, 6, 16), "pending_guardian"),  # 14 tomorrow (Seoul)
        (date(2012, 6, 15), "active"),  # 14 today in Seoul, still 13 by the UTC date
        (date(2012, 6, 14), "active"),
    ],
)
def test_under_14_on_the_seoul_date_of_signup_waits_for_a_guardian(
    transactional_db, birth_date, status
):
    with time_machine.travel(T0, tick=False):
        member = _verified(birth_date=birth_date)

    assert member["status"] == status
    assert ("guardian_consent" in member["needs"]) is (status == "pending_guardian")


def test_turning_14_changes_nothing_for_an_active_member(transactional_db):
    with time_machine.travel(T0, tick=False):
        _verified(birth_date=date(2012, 6, 15))
    with time_machine.travel(T0 + timedelta(days=400), tick=False):
        assert login(CHILD).client().get("/api/v1/me").json()["status"] == "active"


# --- Waiting for the guardian: only a few doors are open --------------------------------------


def test_a_waiting_child_can_log_in_see_me_and_nothing_else(child):
    client = child.client()
    me = client.get("/api/v1/me")
    assert me.status_code == 200
    assert me.json()["status"] == "pending_guardian"
    assert me.json()["needs"] == ["guardian_consent"]

    for method, path in [
        ("get", "/api/v1/me/profile"),
        ("patch", "/api/v1/me/profile"),
        ("patch", "/api/v1/me"),
        ("get", "/api/v1/auditions"),
        ("get", "/api/v1/auditions/recommended"),
        ("get", "/api/v1/applications"),
        ("post", "/api/v1/applications"),
        ("get", "/api/v1/me/card"),
        ("post", "/api/v1/auth/password/change"),
    ]:
        response = getattr(client, method)(path, {}, format="json")
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "guardian_consent_required", (method, path)

    assert client.get(GUARDIAN).status_code == 200
    assert client.get("/api/v1/auth/sessions").status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get("/api/v1/me").status_code == 401  # the session is gone


def test_a_waiting_child_may_withdraw(child):
    response = child.client().delete("/api/v1/me", {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert Member.objects.get(pk=child.member.pk).status == Member.Status.WITHDRAWN


# --- Naming the guardian and the consent page -------------------------------------------------


def test_naming_the_guardian_mails_a_link_and_a_code_in_the_childs_language(transactional_db):
    with time_machine.travel(T0, tick=False):
        _verified(language="en")
        session = login(CHILD)
        body = _name_guardian(session.client(), phone="010-2222-3333")
        state = session.client().get(GUARDIAN).json()

    assert body["consent"]["status"] == "requested"
    assert body["guardian"]["relationship"] == "parent"
    assert body["guardian"]["notice_version"] == GUARDIAN_NOTICE_VERSION
    [message] = emails_to(MOTHER)
    assert "consent" in message.subject
    assert re.search(r"\b\d{6}\b", message.body)
    assert "/g/" in message.body and "/revoke" in message.body  # the revocation link
    assert state["consent"]["status"] == "requested"


def test_the_guardian_must_be_a_real_choice_and_not_the_child(child):
    client = child.client()
    bad = client.post(
        GUARDIAN, {"name": "x", "relationship": "friend", "email": MOTHER}, format="json"
    )
    assert bad.status_code == 400
    assert "relationship" in bad.json()["error"]["fields"]
    own = client.post(GUARDIAN, {"name": "x", "relationship": "parent", "email": CHILD})
    assert own.status_code == 400
    assert emails_to(MOTHER) == []


@pytest.mark.parametrize(
    "own", ["Child@Example.KR", "child+mom@example.kr", "CHILD+x+y@example.kr"]
)
def test_the_guardian_is_not_the_childs_own_mailbox_in_another_spelling(child, own):
    # Review of #17: only the exact address was refused.
    sent = len(mail.outbox)
    response = child.client().post(
        GUARDIAN, {"name": "엄마", "relationship": "parent", "email": own}, format="json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert "own" in error["fields"]["email"][0]
    assert GuardianConsent.objects.filter(member=child.member).count() == 0
    assert len(mail.outbox) == sent


def test_a_plus_address_elsewhere_is_a_guardian(child):
    _name_guardian(child.client(), email="mother+kids@example.kr")
    assert len(emails_to("mother+kids@example.kr")) == 1


def test_an_adult_has_no_guardian_to_name(transactional_db):
    member = MemberFactory()
    services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    response = (
        login(member.email)
        .client()
        .post(GUARDIAN, {"name": "x", "relationship": "parent", "email": MOTHER}, format="json")
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "guardian_not_needed"


def test_the_consent_page_says_what_is_collected_and_is_kept_off_the_web(child):
    _name_guardian(child.client())
    token = _guardian_token()

    response = Client().get(f"/g/{token}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ko"' in html
    assert "무엇을 왜 수집하나요" in html and GUARDIAN_NOTICE_VERSION in html
    assert "csrfmiddlewaretoken" in html
    assert "noindex" in html and response["X-Robots-Tag"] == "noindex, nofollow"
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert "form-action 'self'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    english = Client().get(f"/g/{token}?lang=en").content.decode()
    assert "What we collect and why" in english
    assert Client().get("/g/not-a-token").status_code == 404


def test_consent_with_the_code_activates_the_child_and_keeps_the_proof(child):
    _name_guardian(child.client())
    token, code = _guardian_token(), last_code(MOTHER)

    response = _consent(token, code)

    assert response.status_code == 200
    assert "동의가 완료되었습니다" in response.content.decode()
    assert Member.objects.get(pk=child.member.pk).status == Member.Status.ACTIVE
    me = child.client().get("/api/v1/me").json()
    assert me["status"] == "active" and me["needs"] == []
    assert child.client().get("/api/v1/me/profile").status_code == 200
    state = child.client().get(GUARDIAN).json()
    assert state["consent"]["status"] == "given"
    record = GuardianConsent.objects.get(member=child.member)
    assert record.notice_version == GUARDIAN_NOTICE_VERSION
    assert record.given_ip == "127.0.0.1"
    assert record.given_user_agent == BROWSER_UA
    assert record.given_at is not None and record.email == MOTHER
    # Single use: the same code cannot answer again.
    again = _consent(token, code)
    assert again.status_code == 409


def test_the_consent_form_is_csrf_protected(child):
    _name_guardian(child.client())
    token, code = _guardian_token(), last_code(MOTHER)
    browser = Client(enforce_csrf_checks=True)

    refused = browser.post(f"/g/{token}", {"code": code})
    assert refused.status_code == 403
    page = browser.get(f"/g/{token}")
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    accepted = browser.post(f"/g/{token}", {"code": code, "csrfmiddlewaretoken": csrf.group(1)})
    assert accepted.status_code == 200
    assert Member.objects.get(pk=child.member.pk).status == Member.Status.ACTIVE


def test_wrong_codes_lock_the_consent_like_the_member_codes(child):
    _name_guardian(child.client())
    token, code = _guardian_token(), last_code(MOTHER)
    wrong = "000000" if code != "000000" else "111111"

    for _ in range(CODE_MAX_ATTEMPTS):
        response = _consent(token, wrong)
        assert response.status_code == 400
        assert "코드가 올바르지 않습니다" in response.content.decode()

    locked = _consent(token, code)  # the right code, too late
    assert locked.status_code == 429
    assert Member.objects.get(pk=child.member.pk).status == Member.Status.PENDING_GUARDIAN

    # A resend issues a fresh code (the old one is dead) and the same link.
    assert child.client().post(f"{GUARDIAN}/resend").status_code == 202
    assert _guardian_token() == token
    fresh = last_code(MOTHER)
    assert _consent(token, code if code != fresh else wrong).status_code in (400, 429)
    assert _consent(token, fresh).status_code == 200
    assert Member.objects.get(pk=child.member.pk).status == Member.Status.ACTIVE


def test_a_newer_request_supersedes_the_old_link(child):
    _name_guardian(child.client())
    old_token, old_code = _guardian_token(), last_code(MOTHER)
    _name_guardian(child.client(), email="father@example.kr", name="김민수")

    assert _consent(old_token, old_code).status_code == 409
    assert (
        _consent(_guardian_token("father@example.kr"), last_code("father@example.kr")).status_code
        == 200
    )


def test_the_resend_is_throttled(child):
    _name_guardian(child.client())
    answers = [child.client().post(f"{GUARDIAN}/resend").status_code for _ in range(4)]
    assert answers == [202, 202, 202, 429]


# --- Revocation and the erasure after 7 days --------------------------------------------------


def _consented_child() -> tuple[object, str]:
    with time_machine.travel(T0, tick=False):
        _verified()
        session = login(CHILD)
        _name_guardian(session.client())
        token = _guardian_token()
        assert _consent(token, last_code(MOTHER)).status_code == 200
    return session, token


def test_revoking_suspends_at_once_and_erases_after_7_days(transactional_db):
    session, token = _consented_child()
    member_id = session.member.pk
    revoked_at = T0 + timedelta(hours=2)
    with time_machine.travel(revoked_at, tick=False):
        session = login(CHILD)
        assert session.client().get("/api/v1/me").status_code == 200
        # A link scanner's GET changes nothing: the page asks first.
        confirm = Client().get(f"/g/{token}/revoke")
        assert confirm.status_code == 200 and "revoke-form" in confirm.content.decode()
        assert Member.objects.get(pk=member_id).status == Member.Status.ACTIVE

        response = Client().post(f"/g/{token}/revoke", HTTP_USER_AGENT=BROWSER_UA)

        assert response.status_code == 200
        assert Member.objects.get(pk=member_id).status == Member.Status.SUSPENDED
        assert session.client().get("/api/v1/me").status_code == 401
        assert login_refused(CHILD) == "account_suspended"
        record = GuardianConsent.objects.get(member_id=member_id)
        assert record.status == "revoked" and record.revoked_user_agent == BROWSER_UA

    with time_machine.travel(revoked_at + timedelta(days=6, hours=23), tick=False):
        assert services.guardians_unconsented_erase() == 0
        assert Profile.objects.filter(member_id=member_id).exists()

    with time_machine.travel(revoked_at + timedelta(days=7, minutes=1), tick=False):
        from accounts.tasks import erase_unconsented_children

        assert erase_unconsented_children.delay().get() == 1
        assert services.guardians_unconsented_erase() == 0  # once

    member = Member.objects.get(pk=member_id)
    assert member.status == Member.Status.WITHDRAWN and member.email != CHILD
    assert not Profile.objects.filter(member_id=member_id).exists()
    # The proof stays, stamped.
    record = GuardianConsent.objects.get(member_id=member_id)
    assert record.erased_at is not None and record.given_at is not None
    assert Client().get(f"/g/{token}").status_code == 404


def login_refused(email: str) -> str:
    response = APIClient().post("/api/v1/auth/login", {"email": email, "password": PASSWORD})
    assert response.status_code == 403
    return response.json()["error"]["code"]


def test_consent_given_again_within_the_grace_keeps_the_child(transactional_db):
    session, token = _consented_child()
    member_id = session.member.pk
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        Client().post(f"/g/{token}/revoke")
        page = Client().get(f"/g/{token}").content.decode()
        assert "다시 동의하기" in page
        renewed = Client().post(f"/g/{token}/renew")
        assert renewed.status_code == 200
        new_token = _guardian_token()
        assert new_token != token
        assert _consent(new_token, last_code(MOTHER)).status_code == 200
        assert Member.objects.get(pk=member_id).status == Member.Status.ACTIVE

    with time_machine.travel(T0 + timedelta(days=30), tick=False):
        assert services.guardians_unconsented_erase() == 0
    assert Profile.objects.filter(member_id=member_id).exists()
    records = GuardianConsent.objects.filter(member_id=member_id).order_by("requested_at")
    assert [r.status for r in records] == ["revoked", "given"]  # never edited, a new record


def _revoke_and_renew(token: str, day: int) -> str:
    """On T0 + `day`: the guardian revokes, asks to consent again and consents; the new
    record's token."""
    with time_machine.travel(T0 + timedelta(days=day), tick=False):
        assert Client().post(f"/g/{token}/revoke").status_code == 200
        assert Client().post(f"/g/{token}/renew").status_code == 200
        new_token = _guardian_token()
        assert _consent(new_token, last_code(MOTHER)).status_code == 200
    return new_token


def test_a_second_revocation_gets_its_own_grace(transactional_db):
    # Review of #17: the first, older revocation made the child erasable at once.
    session, token = _consented_child()
    member_id = session.member.pk
    new_token = _revoke_and_renew(token, day=1)
    with time_machine.travel(T0 + timedelta(days=20), tick=False):
        assert Client().post(f"/g/{new_token}/revoke").status_code == 200
        assert Member.objects.get(pk=member_id).status == Member.Status.SUSPENDED

    with time_machine.travel(T0 + timedelta(days=21), tick=False):
        assert services.guardians_unconsented_erase() == 0
    assert Profile.objects.filter(member_id=member_id).exists()

    with time_machine.travel(T0 + timedelta(days=27, hours=1), tick=False):
        assert services.guardians_unconsented_erase() == 1
    assert Member.objects.get(pk=member_id).status == Member.Status.WITHDRAWN


def test_a_renewal_asked_for_but_never_given_does_not_stop_the_erasure(transactional_db):
    session, token = _consented_child()
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        Client().post(f"/g/{token}/revoke")
        assert Client().post(f"/g/{token}/renew").status_code == 200
    with time_machine.travel(T0 + timedelta(days=8, hours=1), tick=False):
        assert services.guardians_unconsented_erase() == 1
    assert Member.objects.get(pk=session.member.pk).status == Member.Status.WITHDRAWN


def test_staff_cannot_reactivate_a_child_whose_guardian_revoked(transactional_db):
    session, token = _consented_child()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        Client().post(f"/g/{token}/revoke")
        member = Member.objects.get(pk=session.member.pk)
        assert services.member_reactivate(member=member) is False
    assert Member.objects.get(pk=session.member.pk).status == Member.Status.SUSPENDED


@pytest.mark.parametrize("staff_first", [True, False])
def test_a_renewed_consent_does_not_lift_a_staff_suspension(transactional_db, staff_first):
    # Review of #17: consenting again reactivated a member whom staff had suspended.
    session, token = _consented_child()
    member_id = session.member.pk
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        if staff_first:
            assert services.member_suspend(member=Member.objects.get(pk=member_id))
        assert Client().post(f"/g/{token}/revoke").status_code == 200
        if not staff_first:  # staff make the guardian's suspension theirs
            assert services.member_suspend(member=Member.objects.get(pk=member_id))
        assert Client().post(f"/g/{token}/renew").status_code == 200
        assert _consent(_guardian_token(), last_code(MOTHER)).status_code == 200
    member = Member.objects.get(pk=member_id)
    assert member.status == Member.Status.SUSPENDED
    assert member.suspension_reason == Member.SuspensionReason.STAFF
    assert login_refused(CHILD) == "account_suspended"


def test_a_renewed_consent_lifts_the_guardians_own_suspension(transactional_db):
    session, token = _consented_child()
    with time_machine.travel(T0 + timedelta(days=1), tick=False):
        Client().post(f"/g/{token}/revoke")
        suspended = Member.objects.get(pk=session.member.pk)
        assert suspended.suspension_reason == Member.SuspensionReason.GUARDIAN_REVOKED
        Client().post(f"/g/{token}/renew")
        assert _consent(_guardian_token(), last_code(MOTHER)).status_code == 200
        member = Member.objects.get(pk=session.member.pk)
        assert (member.status, member.suspension_reason) == (Member.Status.ACTIVE, "")
        assert login(CHILD).client().get("/api/v1/me").status_code == 200


def test_guardian_links_are_redacted_from_logs():
    assert redact("GET /g/abcDEF_123-x/revoke 200") == "GET /g/[redacted]/revoke 200"
    assert redact("POST /g/abcDEF_123-x 400") == "POST /g/[redacted] 400"
    assert redact("/api/v1/me/guardian") == "/api/v1/me/guardian"


# --- A birth date changed after sign-up; members without one ----------------------------------


def test_a_birth_date_changed_to_under_14_waits_for_a_guardian(transactional_db):
    member = MemberFactory()
    services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    with time_machine.travel(T0, tick=False):
        client = login(member.email).client()
        response = client.patch("/api/v1/me/profile", {"birth_date": "2015-01-01"}, format="json")
        assert response.status_code == 200
        me = client.get("/api/v1/me").json()
        blocked = client.patch("/api/v1/me/profile", {"birth_date": "1990-01-01"}, format="json")
    assert me["status"] == "pending_guardian"
    assert me["needs"] == ["guardian_consent"]
    assert blocked.json()["error"]["code"] == "guardian_consent_required"


def test_a_child_with_a_guardian_on_record_cannot_make_herself_older(transactional_db):
    # Review of #17: a consented 10-year-old said she was born in 2000 and every protection
    # (and the revocation) stopped applying to her.
    session, _ = _consented_child()
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        client = login(CHILD).client()
        for older in ("2000-01-01", "2016-02-29"):
            response = client.patch("/api/v1/me/profile", {"birth_date": older}, format="json")
            assert response.status_code == 400
            error = response.json()["error"]
            assert error["code"] == "birth_date_locked" and "support" in error["message"]
            assert "birth_date" in error["fields"]
        assert selectors.member_birth_date(member=session.member) == CHILD_BIRTH
        younger = client.patch("/api/v1/me/profile", {"birth_date": "2016-04-01"}, format="json")
        assert younger.status_code == 200


def test_a_member_without_a_guardian_may_still_correct_her_birth_date(transactional_db):
    member = MemberFactory()
    services.profile_prepare(member=member, birth_date=date(2010, 5, 5))  # 16
    client = login(member.email).client()
    response = client.patch("/api/v1/me/profile", {"birth_date": "1990-05-05"}, format="json")
    assert response.status_code == 200


def test_revoking_a_consent_given_under_14_suspends_her_at_any_age_now(transactional_db):
    turns_14 = date(2012, 6, 20)  # 13 at T0 (Seoul 2026-06-15), 14 on 2026-06-20
    with time_machine.travel(T0, tick=False):
        _verified(birth_date=turns_14)
        session = login(CHILD)
        _name_guardian(session.client())
        token = _guardian_token()
        assert _consent(token, last_code(MOTHER)).status_code == 200
    with time_machine.travel(T0 + timedelta(days=10), tick=False):
        assert selectors.member_age(member=session.member) == 14
        assert Client().post(f"/g/{token}/revoke").status_code == 200
        member = Member.objects.get(pk=session.member.pk)
        assert member.status == Member.Status.SUSPENDED
        assert login_refused(CHILD) == "account_suspended"


def test_revoking_a_consent_given_at_15_does_not_suspend(transactional_db):
    with time_machine.travel(T0, tick=False):
        _verified(birth_date=date(2011, 1, 1))  # 15: active, a minor who may name a guardian
        session = login(CHILD)
        _name_guardian(session.client())
        token = _guardian_token()
        assert _consent(token, last_code(MOTHER)).status_code == 200
        assert Client().post(f"/g/{token}/revoke").status_code == 200
    assert Member.objects.get(pk=session.member.pk).status == Member.Status.ACTIVE


def test_a_birth_date_can_be_corrected_but_not_removed(transactional_db):
    member = MemberFactory()
    services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    client = login(member.email).client()
    response = client.patch("/api/v1/me/profile", {"birth_date": None}, format="json")
    assert response.status_code == 400
    assert "birth_date" in response.json()["error"]["fields"]


def test_a_member_without_a_birth_date_is_asked_for_it(transactional_db):
    member = MemberFactory()  # signed up before birth dates were asked
    services.profile_prepare(member=member)
    client = login(member.email).client()
    assert client.get("/api/v1/me").json()["needs"] == ["birth_date"]
    assert client.get("/api/v1/me/profile").status_code == 200  # nothing else is blocked
    client.patch("/api/v1/me/profile", {"birth_date": "1990-05-05"}, format="json")
    assert client.get("/api/v1/me").json()["needs"] == []


# --- The public selector the e-mail applications use ------------------------------------------


def test_the_guardian_copied_is_the_consented_guardian_of_a_minor_only(transactional_db):
    session, _ = _consented_child()
    child = Member.objects.get(pk=session.member.pk)
    with time_machine.travel(T0, tick=False):
        assert selectors.guardian_copy(child).email == MOTHER
    adult = MemberFactory()
    services.profile_prepare(member=adult, birth_date=ADULT_BIRTH_DATE)
    assert selectors.guardian_copy(adult) is None
    waiting = MemberFactory(status=Member.Status.PENDING_GUARDIAN)
    services.profile_prepare(member=waiting, birth_date=date(2015, 1, 1))
    assert selectors.guardian_copy(waiting) is None


# --- The back office ---------------------------------------------------------------------------


def test_staff_see_waiting_and_consented_children_and_cannot_edit_a_consent(transactional_db):
    session, _ = _consented_child()
    with time_machine.travel(T0, tick=False):
        _verified("waiting@example.kr")
    admin = MemberFactory(is_staff=True, is_superuser=True)
    browser = Client()
    browser.force_login(admin)

    pending = browser.get("/admin/accounts/member/?guardian=pending").content.decode()
    assert "waiting@example.kr" in pending and CHILD not in pending
    given = browser.get("/admin/accounts/member/?guardian=given").content.decode()
    assert CHILD in given and "waiting@example.kr" not in given
    record = GuardianConsent.objects.get(member=session.member)
    change = browser.get(f"/admin/accounts/guardianconsent/{record.pk}/change/")
    assert change.status_code == 200 and MOTHER in change.content.decode()
    assert 'name="email"' not in change.content.decode()  # read-only
    assert browser.post(f"/admin/accounts/guardianconsent/{record.pk}/delete/").status_code == 403
    member_page = browser.get(f"/admin/accounts/member/{session.member.pk}/change/")
    assert GUARDIAN_NOTICE_VERSION in member_page.content.decode()
    revoked = browser.get("/admin/accounts/guardianconsent/?status__exact=revoked")
    assert revoked.status_code == 200


def test_the_guardian_may_decline_and_the_child_keeps_waiting(child):
    _name_guardian(child.client())
    token, code = _guardian_token(), last_code(MOTHER)

    declined = Client().post(f"/g/{token}/revoke")

    assert "동의하지 않으셨습니다" in declined.content.decode()
    assert Member.objects.get(pk=child.member.pk).status == Member.Status.PENDING_GUARDIAN
    assert GuardianConsent.objects.get(member=child.member).status == "revoked"
    assert _consent(token, code).status_code == 409  # the code died with the request
    assert child.client().get(GUARDIAN).json()["consent"]["status"] == "revoked"


def test_the_guardians_code_and_token_never_reach_a_log_line(child, caplog):
    caplog.set_level("DEBUG")
    _name_guardian(child.client())
    token, code = _guardian_token(), last_code(MOTHER)
    Client().get(f"/g/{token}")
    _consent(token, "000000" if code != "000000" else "111111")
    _consent(token, code)
    Client().post(f"/g/{token}/revoke")

    logged = caplog.text + "".join(str(record.__dict__) for record in caplog.records)
    assert token not in logged and code not in logged
    assert "/g/[redacted]" in logged  # the request log still names the page
