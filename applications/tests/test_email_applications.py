"""E-mail applications over HTTP (`POST applications` with `send: true`): what the poster
receives, read back from a real SMTP server (aiosmtpd) — headers, subject, body and the card's
PDF parsed with pypdf —, the delivery's outcome, the copy kept, the refusals (400/403/409/429)
and that a request that fails sends nothing. The outbox task runs eagerly after the request's
commit (transactional tests: ATOMIC_REQUESTS commits for real)."""

import io
from datetime import timedelta
from email.utils import parseaddr
from unittest import mock

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Member
from accounts.profiles import services as profile_services
from accounts.tests.card_support import PHONE_UA, card_path, fill_profile
from accounts.tests.factories import PASSWORD
from accounts.tests.images import image_bytes, upload
from applications import sending
from applications.models import Application, ApplicationEmail, Status
from applications.tests.conftest import login_client
from emails.models import EmailMessage
from emails.services import email_deliver

pytestmark = pytest.mark.django_db(transaction=True)

LIST = "/api/v1/applications"
POSTER = "Casting.Team@Example.COM"


@pytest.fixture
def performer(make_member) -> Member:
    member = make_member(email="seoyeon@example.kr")
    fill_profile(member)
    return member


@pytest.fixture
def email_audition(make_audition):
    return make_audition(
        title="단편영화 <여름>",
        apply_method="email",
        apply_target=POSTER,
        description="지원방법: 이메일 (프로필 + 연기영상)",
    )


def _photos(member: Member, count: int) -> list[str]:
    ids = []
    for index in range(count):
        photo = profile_services.photo_upload(
            member=member, upload=upload(image_bytes(color=(20 * index, 90, 160)), f"{index}.jpg")
        )
        ids.append(str(photo.id))
    return ids


def _send(client, audition, **body):
    return client.post(LIST, {"audition": str(audition.id), "send": True, **body}, format="json")


def _error(response) -> str:
    return response.json()["error"]["code"]


# --- What the poster receives ---------------------------------------------------------------


@pytest.mark.pdf
def test_the_poster_receives_the_application_with_her_card_and_its_pdf(
    client, performer, email_audition, smtp_server
):
    from pypdf import PdfReader

    role = email_audition.roles.first()
    _photos(performer, 2)

    response = _send(client, email_audition, role=str(role.id), message="꼭 함께하고 싶습니다.")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "applied" and body["kind"] == "email"
    assert body["delivery"] == {"status": "queued", "at": None, "detail": None}
    assert body["card_url"].startswith("http") and "/c/" in body["card_url"]
    # hers is the preview form of the poster's link (her own opening is no view)
    assert body["card_url"].endswith("?preview=1")
    poster_url = body["card_url"].removesuffix("?preview=1")

    delivered = smtp_server.wait_for(lambda m: True)
    # To the post's address; From the platform's address, her name shown; replies go to her.
    assert delivered["To"] == "Casting.Team@example.com"
    name, address = parseaddr(str(delivered["From"]))
    assert "김서연" in name and address == "no-reply@ohmanager.kr"
    assert str(delivered["Reply-To"]) == "seoyeon@example.kr"
    # (Python's header folding leaves a leading space after decoding: no client shows it.)
    age = body_age(performer)
    assert str(delivered["Subject"]).strip() == (
        f"[지원] 단편영화 <여름> / {role.name} / 김서연 / {age}세 / 165cm"
    )
    text = delivered.get_body(("plain",)).get_content()
    html = delivered.get_body(("html",)).get_content()
    for part in (text, html):
        assert "꼭 함께하고 싶습니다." in part
        assert "김서연" in part and "165" in part and "하늘 엔터테인먼트" in part
        assert poster_url in part and "preview" not in part
        assert "1998" not in part  # the age, never the birth date
    attachments = list(delivered.iter_attachments())
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    pdf_bytes = attachments[0].get_content()
    assert attachments[0].get_filename() == "김서연_프로필.pdf"
    assert len(pdf_bytes) < 2 * 1024 * 1024
    reader = PdfReader(io.BytesIO(pdf_bytes))
    assert "김서연" in "".join(page.extract_text() for page in reader.pages)

    # The application shows the delivery and keeps a copy of what went out.
    detail = client.get(f"{LIST}/{body['id']}").json()
    assert detail["delivery"]["status"] == "sent" and detail["delivery"]["at"]
    copy = detail["email"]
    assert copy["to"] == "Casting.Team@example.com"
    assert copy["subject"] == str(delivered["Subject"]).strip()
    assert copy["attachment"] == {"name": "김서연_프로필.pdf", "size": len(pdf_bytes)}
    assert "꼭 함께하고 싶습니다." in copy["body"]
    assert sending.CARD_LINK_PLACEHOLDER in copy["body"]
    assert poster_url not in copy["body"]  # tokens are kept hashed and sealed only
    assert copy["card"]["display_name"] == "김서연"
    assert [photo["is_primary"] for photo in copy["card"]["photos"]] == [True, False]
    assert [h["note"] for h in detail["history"]] == ["Sent by e-mail through the app"]


def body_age(member: Member) -> int:
    from accounts.cards.selectors import SEOUL, age_on
    from accounts.models import Profile

    birth_date = Profile.objects.get(member=member).birth_date
    return age_on(birth_date, timezone.localdate(timezone=SEOUL))


def test_the_posts_own_subject_format_is_filled_in(client, performer, make_audition):
    audition = make_audition(
        apply_method="email",
        apply_target="casting@example.com",
        apply_subject_format="[배역/이름/나이/연락처]",
    )
    role = audition.roles.first()

    assert _send(client, audition, role=str(role.id)).status_code == 201

    [sent] = mail.outbox
    # Her phone: she lets casting teams of her applications see it.
    assert sent.subject == f"[{role.name}/김서연/{body_age(performer)}세/010-1234-5678]"


def test_a_hidden_phone_stays_out_of_the_subject_and_the_body(client, performer, make_audition):
    profile_services.profile_update(member=performer, contact_visibility="hidden")
    audition = make_audition(
        apply_method="email",
        apply_target="casting@example.com",
        apply_subject_format="이름_연락처",
    )

    assert _send(client, audition).status_code == 201

    [sent] = mail.outbox
    assert sent.subject == "김서연_-"
    assert "010-1234-5678" not in sent.body


def test_without_pango_the_mail_goes_without_the_pdf_and_the_copy_says_so(
    client, email_audition, monkeypatch
):
    from ohmanager.pdf import availability

    # This host without Pango, as in accounts/tests/test_card_pdf.py.
    monkeypatch.setattr(
        availability, "_import_error", lambda: "OSError: cannot load library 'libpango-1.0-0'"
    )
    monkeypatch.setattr(availability, "_announced", availability.threading.Event())

    created = _send(client, email_audition).json()

    [sent] = mail.outbox
    assert sent.attachments == []
    assert created["card_url"].removesuffix("?preview=1") in sent.body  # the card still goes
    detail = client.get(f"{LIST}/{created['id']}").json()
    assert detail["delivery"]["status"] == "sent"
    assert detail["email"]["attachment"] is None


def test_a_redelivered_send_goes_out_once(client, email_audition, smtp_server):
    assert _send(client, email_audition).status_code == 201
    smtp_server.wait_for(lambda m: True)
    outbox_id = ApplicationEmail.objects.get().outbox_id

    assert email_deliver(email_id=str(outbox_id)) is False

    assert len(smtp_server.messages) == 1


def test_a_refusing_server_leaves_the_delivery_failed_with_its_answer(
    client, email_audition, smtp_server
):
    async def refuse(server, session, envelope):
        return "550 5.1.1 <casting.team@example.com>: Recipient address rejected\r\nmore"

    smtp_server.handle_DATA = refuse

    created = _send(client, email_audition).json()

    detail = client.get(f"{LIST}/{created['id']}").json()
    assert detail["delivery"]["status"] == "failed"
    assert detail["delivery"]["detail"].startswith("550 5.1.1")
    assert "more" not in detail["delivery"]["detail"]
    assert detail["delivery"]["at"]
    assert EmailMessage.objects.get().status == EmailMessage.Status.FAILED
    assert detail["status"] == "applied"  # she can still track it


# --- Photos and media ---------------------------------------------------------------------


def test_by_default_the_primary_photo_and_the_next_two_go(client, performer, email_audition):
    ids = _photos(performer, 4)

    assert _send(client, email_audition).status_code == 201

    card = ApplicationEmail.objects.get().card_snapshot
    assert [photo["id"] for photo in card["photos"]] == ids[:3]


def test_the_photos_and_media_she_picks_go_in_her_order(client, performer, email_audition):
    ids = _photos(performer, 3)
    media = client.post(
        "/api/v1/me/media",
        {"kind": "reel", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "title": "릴"},
        format="json",
    ).json()
    client.post(
        "/api/v1/me/media",
        {"kind": "monologue", "url": "https://vimeo.com/76979871", "title": "독백"},
        format="json",
    )

    response = _send(client, email_audition, photos=[ids[2], ids[0]], media=[media["id"]])

    assert response.status_code == 201, response.json()
    card = ApplicationEmail.objects.get().card_snapshot
    assert [photo["id"] for photo in card["photos"]] == [ids[2], ids[0]]
    assert [item["title"] for item in card["media"]] == ["릴"]
    assert "youtube.com" in mail.outbox[0].body and "vimeo" not in mail.outbox[0].body


def test_another_members_photo_or_more_than_five_is_a_400_and_nothing_is_written(
    client, performer, make_member, email_audition
):
    other = make_member()
    fill_profile(other, display_name="남의 사진")
    [theirs] = _photos(other, 1)
    mine = _photos(performer, 6)

    foreign = _send(client, email_audition, photos=[theirs])
    too_many = _send(client, email_audition, photos=mine)

    assert foreign.status_code == 400 and "photos" in foreign.json()["error"]["fields"]
    assert too_many.status_code == 400 and "photos" in too_many.json()["error"]["fields"]
    assert not Application.objects.exists() and not EmailMessage.objects.exists()
    assert mail.outbox == []


def test_the_card_sent_holds_her_data_only(client, performer, make_member, email_audition):
    other = make_member()
    fill_profile(other, display_name="다른 배우", bio="다른 사람의 소개")
    _photos(other, 1)

    assert _send(client, email_audition).status_code == 201

    [sent] = mail.outbox
    copy = ApplicationEmail.objects.get()
    assert "다른 배우" not in sent.body and "다른 사람의 소개" not in str(copy.card_snapshot)
    assert copy.card_snapshot["member_id"] == str(performer.pk)


# --- Refusals -----------------------------------------------------------------------------


def test_an_audition_not_applied_to_by_email_is_400_not_an_email_application(client, make_audition):
    for audition in (
        make_audition(apply_method="external_url", apply_target="https://example.com/apply"),
        make_audition(apply_method="email", apply_target="카카오톡 오픈채팅"),
    ):
        response = _send(client, audition)

        assert response.status_code == 400, response.json()
        assert _error(response) == "not_an_email_application"
    assert not Application.objects.exists() and mail.outbox == []


def test_a_post_refusing_third_party_submissions_is_409_but_can_be_recorded(client, make_audition):
    audition = make_audition(
        apply_method="email", apply_target="casting@example.com", apply_direct_only=True
    )

    refused = _send(client, audition)
    recorded = client.post(LIST, {"audition": str(audition.id), "external": True})

    assert refused.status_code == 409 and _error(refused) == "direct_application_required"
    assert recorded.status_code == 201 and recorded.json()["kind"] == "external"
    assert mail.outbox == []


def test_one_send_per_audition(client, email_audition):
    assert _send(client, email_audition).status_code == 201

    again = _send(client, email_audition)

    assert again.status_code == 409 and _error(again) == "already_applied"
    assert len(mail.outbox) == 1


def test_send_and_external_together_or_photos_without_send_are_400(client, email_audition):
    both = _send(client, email_audition, external=True)
    photos = client.post(LIST, {"audition": str(email_audition.id), "photos": []}, format="json")

    assert both.status_code == 400 and "send" in both.json()["error"]["fields"]
    assert photos.status_code == 400 and "photos" in photos.json()["error"]["fields"]


def test_a_member_without_a_name_is_asked_for_it(client, performer, email_audition):
    profile_services.profile_update(member=performer, display_name="")

    response = _send(client, email_audition)

    assert response.status_code == 400 and _error(response) == "profile_incomplete"
    assert "display_name" in response.json()["error"]["fields"]


def test_a_paused_member_cannot_send_but_can_record(client, performer, email_audition):
    Member.objects.filter(pk=performer.pk).update(email_sending_paused=True)

    refused = _send(client, email_audition)
    recorded = client.post(LIST, {"audition": str(email_audition.id), "external": True})

    assert refused.status_code == 403 and _error(refused) == "sending_paused"
    assert recorded.status_code == 201
    assert mail.outbox == []


def test_twenty_sends_a_day_then_429_with_retry_after(client, make_audition):
    auditions = [
        make_audition(apply_method="email", apply_target=f"casting{index}@example.com")
        for index in range(sending.DAILY_LIMIT + 1)
    ]
    for audition in auditions[:-1]:
        assert _send(client, audition).status_code == 201
    oldest = ApplicationEmail.objects.order_by("created_at").first()
    ApplicationEmail.objects.filter(pk=oldest.pk).update(
        created_at=timezone.now() - timedelta(hours=23)
    )

    refused = _send(client, auditions[-1])

    assert refused.status_code == 429 and _error(refused) == "daily_send_limit"
    # The oldest send leaves the 24-hour window in about an hour.
    assert 3500 <= int(refused["Retry-After"]) <= 3700
    assert len(mail.outbox) == sending.DAILY_LIMIT
    assert not Application.objects.filter(audition=auditions[-1]).exists()


def test_three_sends_a_week_to_one_poster_then_429(client, make_audition):
    auditions = [
        make_audition(apply_method="email", apply_target=spelling)
        for spelling in (
            "same@example.com",
            "Same@Example.com",
            "SAME@example.com",
            "same@EXAMPLE.com",
        )
    ]
    other = make_audition(apply_method="email", apply_target="other@example.com")
    for audition in auditions[:-1]:
        assert _send(client, audition).status_code == 201

    refused = _send(client, auditions[-1])
    elsewhere = _send(client, other)

    assert refused.status_code == 429 and _error(refused) == "recipient_send_limit"
    assert 0 < int(refused["Retry-After"]) <= 7 * 24 * 3600 + 1
    assert elsewhere.status_code == 201


def test_a_request_that_fails_after_the_send_was_queued_sends_nothing(
    client, email_audition, smtp_server
):
    with mock.patch(
        "applications.api.views._detail", side_effect=RuntimeError("the response failed")
    ):
        failed = _send(client, email_audition)

    assert failed.status_code == 500 and _error(failed) == "server_error"

    assert not Application.objects.exists()
    assert not ApplicationEmail.objects.exists() and not EmailMessage.objects.exists()
    assert smtp_server.messages == []


# --- The poster opens the card ------------------------------------------------------------


def test_the_posters_first_view_of_the_card_moves_it_to_viewed_once(client, email_audition):
    created = _send(client, email_audition).json()
    path = card_path(created["card_url"].removesuffix("?preview=1"))

    Client().get(path + "?preview=1", HTTP_USER_AGENT=PHONE_UA)  # she checks what was sent
    Client().get(path, HTTP_USER_AGENT="Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)")
    assert Application.objects.get().status == Status.APPLIED
    Client().get(path, HTTP_USER_AGENT=PHONE_UA)
    Client().get(path, HTTP_USER_AGENT=PHONE_UA)

    detail = client.get(f"{LIST}/{created['id']}").json()
    assert detail["status"] == "viewed"
    assert [(h["status"], h["by"]) for h in detail["history"]] == [
        ("applied", "member"),
        ("viewed", "system"),
    ]


# --- The list, the admin, withdrawal --------------------------------------------------------


def test_the_list_shows_delivery_in_one_query_however_many(client, make_audition):
    def list_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        return len(queries)

    _send(client, make_audition(apply_method="email", apply_target="a@example.com"))
    one = list_queries()
    for index in range(3):
        _send(client, make_audition(apply_method="email", apply_target=f"b{index}@example.com"))

    assert list_queries() == one
    items = client.get(LIST).json()["results"]
    assert {item["delivery"]["status"] for item in items} == {"sent"}


def test_staff_with_the_permission_pause_a_members_sending_in_the_admin(
    performer, make_member, email_audition
):
    from django.contrib.auth.models import Permission

    staff = make_member(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(codename="view_member"),
        Permission.objects.get(codename="pause_email_sending"),
    )
    admin = Client()
    admin.force_login(staff)

    response = admin.post(
        "/admin/accounts/member/",
        {"action": "pause_sending", "_selected_action": [str(performer.pk)]},
    )

    assert response.status_code == 302
    performer.refresh_from_db()
    assert performer.email_sending_paused is True
    assert LogEntry.objects.filter(object_id=str(performer.pk)).exists()
    refused = _send(login_client(performer), email_audition)
    assert _error(refused) == "sending_paused"


def test_staff_without_the_permission_get_no_pause_action(performer, make_member):
    from django.contrib.auth.models import Permission

    staff = make_member(is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_member"))
    admin = Client()
    admin.force_login(staff)

    admin.post(
        "/admin/accounts/member/",
        {"action": "pause_sending", "_selected_action": [str(performer.pk)]},
    )

    performer.refresh_from_db()
    assert performer.email_sending_paused is False


def test_withdrawal_empties_the_copies_of_what_she_sent(client, performer, email_audition):
    _send(client, email_audition)

    assert client.delete("/api/v1/me", {"password": PASSWORD}, format="json").status_code == 204

    copy = ApplicationEmail.objects.get()
    assert (copy.subject, copy.body, copy.card_snapshot) == ("", "", {})


def _minor_with_guardian(make_member, *, consented: bool = True) -> Member:
    from datetime import date

    from accounts import services as account_services
    from accounts.models import GuardianConsent

    member = make_member()
    today = timezone.localdate()
    fill_profile(member, birth_date=date(today.year - 17, 1, 1))
    if consented:
        account_services.guardian_request(
            member=member, name="박지현", relationship="parent", email="mother@example.kr"
        )
        GuardianConsent.objects.filter(member=member).update(
            status=GuardianConsent.Status.GIVEN, given_at=timezone.now()
        )
    mail.outbox.clear()
    return member


def test_a_minors_application_names_her_guardian_who_gets_her_own_copy(make_member, email_audition):
    member = _minor_with_guardian(make_member)

    created = _send(login_client(member), email_audition).json()

    [to_poster] = [m for m in mail.outbox if m.to == ["Casting.Team@example.com"]]
    [to_guardian] = [m for m in mail.outbox if m.to == ["mother@example.kr"]]
    # The poster: the guardian is the contact and the reply address; nothing of the child's.
    assert to_poster.reply_to == ["mother@example.kr"] and to_poster.cc == []
    assert member.email not in to_poster.body and member.email not in str(to_poster.message())
    assert "연락처 (보호자): 박지현 (부모) · mother@example.kr" in to_poster.body
    assert "mother@example.kr" in to_poster.alternatives[0][0]
    assert "/revoke" not in to_poster.body
    # The guardian: the same application, her revocation link, a card link that is no view.
    assert to_guardian.subject == to_poster.subject
    assert "보호자님께 보내는 사본" in to_guardian.body and "/revoke" in to_guardian.body
    assert [a[0] for a in to_guardian.attachments] == [a[0] for a in to_poster.attachments]
    preview = created["card_url"]
    assert preview in to_guardian.body
    Client().get(
        card_path(preview.removesuffix("?preview=1")) + "?preview=1", HTTP_USER_AGENT=PHONE_UA
    )
    assert Application.objects.get(pk=created["id"]).status == Status.APPLIED


def test_a_minor_without_a_consented_guardian_cannot_send(make_member, email_audition):
    member = _minor_with_guardian(make_member, consented=False)

    refused = _send(login_client(member), email_audition)

    assert refused.status_code == 403 and _error(refused) == "guardian_required"
    assert mail.outbox == []


def test_an_adults_application_copies_nobody(client, email_audition):
    assert _send(client, email_audition).status_code == 201

    [sent] = mail.outbox
    assert sent.cc == [] and sent.reply_to == ["seoyeon@example.kr"]
