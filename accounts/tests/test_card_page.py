"""`/c/<token>`: the card page a poster opens, through Django's test client and the real
database. What it shows (and never shows), in which language, with which headers; the one 404
for every dead token; which requests count as views; and what the first view of an
application's link does."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts import services as account_services
from accounts.cards import services as card_services
from accounts.models import CardLink, Member
from accounts.tests.card_support import (
    PHONE_UA,
    card_path,
    fill_profile,
    issue,
    open_card,
)
from accounts.tests.conftest import login
from accounts.tests.factories import ADULT_BIRTH_DATE, PASSWORD, MemberFactory
from accounts.tests.images import image_bytes, upload
from applications import services as application_services
from applications.models import Application, Status
from auditions.tests import factories as audition_factories
from emails.models import EmailMessage

pytestmark = pytest.mark.django_db

YT_ID = "dQw4w9WgXcQ"
# 00:30 on 14 March in Seoul, still 13 March in UTC: her 28th birthday, in Seoul.
SEOUL_BIRTHDAY = datetime(2026, 3, 13, 15, 30, tzinfo=UTC)


def _make_member(**profile) -> tuple[Member, APIClient]:
    member = MemberFactory()
    account_services.profile_prepare(member=member, birth_date=ADULT_BIRTH_DATE)
    fill_profile(member, **profile)
    return member, login(member.email).client()


def _add_parts(client: APIClient, *, n: int = 1, title: str = "여름") -> None:
    for i in range(n):
        photo = upload(image_bytes(size=(300, 400)), "me.jpg")
        assert (
            client.post("/api/v1/me/photos", {"image": photo}, format="multipart").status_code
            == 201
        )
        credit = {"title": f"{title} {i}", "year": 2023, "kind": "film", "role_name": "수진"}
        assert client.post("/api/v1/me/filmography", credit, format="json").status_code == 201
        media = {"kind": "reel", "url": f"https://youtu.be/{YT_ID}", "title": f"릴 {i}"}
        assert client.post("/api/v1/me/media", media, format="json").status_code == 201


@pytest.fixture
def performer() -> tuple[Member, APIClient]:
    return _make_member()


@pytest.fixture
def audition(db):
    audition_factories.source()
    return audition_factories.audition(deadline=timezone.localdate() + timedelta(days=10))


def _application_link(member: Member, audition) -> tuple[Application, str]:
    application = application_services.application_create(
        member=member, audition_id=audition.pk, external=True
    )
    link, url = card_services.card_link_for_application(application)
    assert link.kind == CardLink.Kind.APPLICATION
    return application, card_path(url)


def _text(response) -> str:
    return response.content.decode()


# --- What the card shows ----------------------------------------------------------------------


def test_the_card_shows_the_profile_and_the_age_never_the_birth_date(performer):
    member, client = performer
    _add_parts(client, n=2)
    path = card_path(issue(client)["url"])
    with time_machine.travel(SEOUL_BIRTHDAY, tick=False):
        response = open_card(path, HTTP_ACCEPT_LANGUAGE="ko-KR,ko;q=0.9")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = _text(response)
    for shown in (
        "김서연",
        "만 28세",  # on the Seoul date: 14 March, her birthday
        "165 cm",
        "50 kg",
        "현대무용",
        "경상도 사투리",
        "영어",
        "하늘 엔터테인먼트",
        "연극과 영상 모두 합니다.",
        "여름 0",
        "수진 역",
        "영화",
        f"https://i.ytimg.com/vi/{YT_ID}/hqdefault.jpg",
        f"https://youtu.be/{YT_ID}",
        "릴 1",
        '<html lang="ko">',
        '<meta name="robots" content="noindex, nofollow">',
    ):
        assert shown in html, shown
    for hidden in ("1998", "03-14", "3월 14일", "March 14", member.email, "010-1234-5678"):
        assert hidden not in html, hidden  # a general link never shows contact details
    assert "<script" not in html


def test_the_primary_photo_comes_first(performer):
    _, client = performer
    _add_parts(client, n=3)
    photos = client.get("/api/v1/me/profile").json()["photos"]
    last = photos[-1]
    client.post(f"/api/v1/me/photos/{last['id']}/primary")

    html = _text(open_card(card_path(issue(client)["url"])))

    hero = html.index('class="hero"')
    image_name = last["url"].split("?")[0].rsplit("/", 1)[1]
    assert html.index(image_name) > hero
    assert html.index(image_name) < html.index('class="head"')


def test_english_for_an_english_browser(performer):
    _, client = performer
    path = card_path(issue(client)["url"])
    with time_machine.travel(SEOUL_BIRTHDAY, tick=False):
        html = _text(open_card(path, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.8"))

    assert '<html lang="en">' in html
    assert "28 years old" in html and "Height 165 cm" in html
    assert "Represented by 하늘 엔터테인먼트" in html
    assert "만 28세" not in html


def test_korean_when_the_browser_asks_for_neither(performer):
    _, client = performer
    html = _text(open_card(card_path(issue(client)["url"]), HTTP_ACCEPT_LANGUAGE="fr-FR"))

    assert '<html lang="ko">' in html and "키 165 cm" in html


def test_another_members_data_is_never_on_the_card(performer):
    _, client = performer
    _add_parts(client, title="여름")
    _, other_client = _make_member(
        display_name="박지훈", skills=["검도"], agency_name="바다 컴퍼니", bio="다른 사람"
    )
    _add_parts(other_client, title="겨울")
    other_client.post(
        "/api/v1/me/media",
        {"kind": "music", "url": "https://vimeo.com/555", "title": "남의 노래"},
        format="json",
    )
    issue(other_client)

    html = _text(open_card(card_path(issue(client)["url"])))

    assert "김서연" in html
    for theirs in (
        "박지훈",
        "검도",
        "바다 컴퍼니",
        "다른 사람",
        "겨울",
        "남의 노래",
        "vimeo.com/555",
    ):
        assert theirs not in html, theirs


@pytest.mark.parametrize(("visibility", "shown"), [("applications", True), ("hidden", False)])
def test_contact_on_an_application_card_follows_the_visibility(audition, visibility, shown):
    member, _ = _make_member(contact_visibility=visibility)
    _, path = _application_link(member, audition)

    html = _text(open_card(path))

    assert ("010-1234-5678" in html) is shown
    assert (member.email in html) is shown


def test_headers_keep_the_page_private(performer):
    _, client = performer
    _add_parts(client)
    response = open_card(card_path(issue(client)["url"]))

    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "no-referrer"
    assert response["Cache-Control"] == "private, no-store"
    csp = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert csp["default-src"] == "'none'"
    assert csp["style-src"].startswith("'sha256-")
    assert "https://i.ytimg.com" in csp["img-src"].split()
    assert "script-src" not in csp  # default-src 'none' forbids every script
    assert csp["frame-ancestors"] == "'none'" and csp["form-action"] == "'none'"
    assert "Set-Cookie" not in response


def test_the_inline_style_is_the_one_the_policy_allows(performer):
    import base64
    import hashlib
    import re

    _, client = performer
    response = open_card(card_path(issue(client)["url"]))

    css = re.search(r"<style>(.*?)</style>", _text(response), re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response["Content-Security-Policy"]


def test_only_get_and_head(performer):
    _, client = performer
    path = card_path(issue(client)["url"])

    assert Client().post(path).status_code == 405
    assert Client().head(path, HTTP_USER_AGENT=PHONE_UA).status_code == 200


def test_the_query_count_does_not_grow_with_the_profile(performer, django_assert_max_num_queries):
    _, client = performer
    _add_parts(client, n=4)
    path = card_path(issue(client)["url"])
    open_card(path)  # the first view does its one-time work

    # link + member + profile, photos, credits, media, the view's UPDATE, and the savepoints
    # of the request's transaction and the view service's (2 statements each)
    with django_assert_max_num_queries(9):
        assert open_card(path).status_code == 200


def test_a_bigger_profile_costs_no_more_queries(performer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(path: str) -> int:
        open_card(path)
        with CaptureQueriesContext(connection) as queries:
            open_card(path)
        return len(queries)

    _, small = performer
    _add_parts(small, n=1)
    _, big = _make_member()
    _add_parts(big, n=6)

    assert count(card_path(issue(small)["url"])) == count(card_path(issue(big)["url"]))


# --- The one 404 --------------------------------------------------------------------------------


def _dead_paths(audition) -> dict[str, str]:
    paths = {"unknown": "/c/" + "x" * 43, "short": "/c/abc"}

    member, client = _make_member()
    rotated = card_path(issue(client)["url"])
    issue(client)
    paths["rotated"] = rotated

    member, client = _make_member()
    paths["revoked"] = card_path(issue(client)["url"])
    client.delete("/api/v1/me/card")

    member, client = _make_member()
    start = timezone.now()
    with time_machine.travel(start - timedelta(days=8), tick=False):
        paths["expired"] = card_path(
            card_services.card_link_rotate(member=member, expires_in_days=7).url
        )

    member, client = _make_member()
    paths["suspended"] = card_path(issue(client)["url"])
    account_services.member_suspend(member=member)

    member, client = _make_member()
    paths["withdrawn"] = card_path(issue(client)["url"])
    account_services.member_withdraw(member=member, password=PASSWORD)

    member, _ = _make_member()
    _, paths["suspended application"] = _application_link(member, audition)
    account_services.member_suspend(member=member)
    return paths


def test_every_dead_token_gets_the_same_plain_404(audition):
    responses = {name: open_card(path) for name, path in _dead_paths(audition).items()}

    first = responses["unknown"]
    assert first.status_code == 404
    assert "페이지를 찾을 수 없습니다" in _text(first)
    headers = ("Content-Type", "Content-Security-Policy", "X-Robots-Tag", "Cache-Control")
    for name, response in responses.items():
        assert response.status_code == 404, name
        assert response.content == first.content, name
        assert [response[h] for h in headers] == [first[h] for h in headers], name
        assert response["Referrer-Policy"] == "no-referrer", name
    assert CardLink.objects.filter(views__gt=0).count() == 0


# --- Views --------------------------------------------------------------------------------------


MACHINES = [
    "",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "Twitterbot/1.0",
    "TelegramBot (like TwitterBot)",
    "WhatsApp/2.23.20.0 A",
    "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)",
    "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
    "facebookexternalhit/1.1; kakaotalk-scrap/1.0; +https://devtalk.kakao.com/",
    "Mozilla/5.0 (compatible; Yeti/1.1; +http://naver.me/spd)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5",
    "Mozilla/4.0 (compatible; ms-office; MSOffice 16)",
    "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.4266; Pro)",
    "Mozilla/5.0 (Proofpoint URL Defense)",
    "Mimecast URL Protect",
    "Barracuda Sentinel (EE)",
    "curl/8.5.0",
    "python-requests/2.32.3",
]


@pytest.mark.parametrize("user_agent", MACHINES)
def test_previewers_and_scanners_get_the_page_but_are_no_view(performer, user_agent):
    _, client = performer
    path = card_path(issue(client)["url"])

    response = open_card(path, user_agent=user_agent)

    assert response.status_code == 200 and "김서연" in _text(response)
    link = CardLink.objects.get()
    assert link.views == 0 and link.first_viewed_at is None


@pytest.mark.parametrize(
    "user_agent",
    [
        PHONE_UA,
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 14; SM-S918N) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/126.0.0.0 Mobile Safari/537.36 KAKAOTALK 10.8.5",
        "Mozilla/5.0 (Linux; Android 9; CUBOT X19) AppleWebKit/537.36 Chrome/120 Mobile",
    ],
)
def test_people_are_views(performer, user_agent):
    _, client = performer
    open_card(card_path(issue(client)["url"]), user_agent=user_agent)

    assert CardLink.objects.get().views == 1


def test_head_is_no_view(performer):
    _, client = performer
    path = card_path(issue(client)["url"])

    assert Client().head(path, HTTP_USER_AGENT=PHONE_UA).status_code == 200

    assert CardLink.objects.get().views == 0


def test_the_first_view_moves_the_application_once_and_tells_the_member_once(
    performer, audition, django_capture_on_commit_callbacks
):
    member, client = performer
    application, path = _application_link(member, audition)
    open_card(path, user_agent="facebookexternalhit/1.1")  # a preview: nothing happens
    assert Application.objects.get(pk=application.pk).status == Status.APPLIED
    mail.outbox.clear()

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert open_card(path).status_code == 200

    detail = client.get(f"/api/v1/applications/{application.pk}").json()
    assert detail["status"] == "viewed"
    moves = [event for event in detail["history"] if event["status"] == "viewed"]
    assert len(moves) == 1
    assert moves[0]["by"] == "system"
    assert moves[0]["note"] == "the poster opened your profile card"
    sent = [message for message in mail.outbox if member.email in message.to]
    assert len(sent) == 1
    assert audition.title in sent[0].subject and "프로필 카드" in sent[0].subject
    assert "열람" in sent[0].body
    link = CardLink.objects.get(application=application)
    assert link.views == 3 and link.first_viewed_at <= link.last_viewed_at


def test_with_the_switch_off_no_email(performer, audition, django_capture_on_commit_callbacks):
    member, client = performer
    patched = client.patch(
        "/api/v1/me/profile", {"notifications": {"card_viewed": False}}, format="json"
    )
    assert patched.json()["notifications"]["card_viewed"] is False
    application, path = _application_link(member, audition)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        open_card(path)

    assert Application.objects.get(pk=application.pk).status == Status.VIEWED
    assert mail.outbox == []
    assert not EmailMessage.objects.filter(template="card_viewed").exists()


def test_an_application_past_applied_is_not_moved(performer, audition):
    member, _ = performer
    application, path = _application_link(member, audition)
    application_services.application_move(
        application_id=application.pk, status=Status.SHORTLISTED, actor=member, by="member"
    )

    open_card(path)

    application.refresh_from_db()
    assert application.status == Status.SHORTLISTED
    assert application.history.filter(actor_kind="system").count() == 0


def test_a_general_link_moves_no_application(performer, audition):
    member, client = performer
    application, _ = _application_link(member, audition)

    open_card(card_path(issue(client)["url"]))

    assert Application.objects.get(pk=application.pk).status == Status.APPLIED


def test_the_application_link_is_made_once(performer, audition):
    member, _ = performer
    application, path = _application_link(member, audition)

    again, url = card_services.card_link_for_application(application)

    assert card_path(url) == path
    assert CardLink.objects.filter(application=application).count() == 1
    assert again.kind == CardLink.Kind.APPLICATION


def test_the_notification_switch_is_on_by_default(performer):
    _, client = performer
    assert client.get("/api/v1/me/profile").json()["notifications"]["card_viewed"] is True


# --- Logs ---------------------------------------------------------------------------------------


def test_the_token_reaches_no_log_line(performer, configured_log):
    _, client = performer
    token = card_path(issue(client)["url"])[3:]

    open_card(f"/c/{token}")
    open_card(f"/c/{token}?utm=1")
    open_card(f"/c/{token}x")  # unknown: 404

    log = configured_log.getvalue()
    assert '"path": "/c/[redacted]"' in log
    assert [line for line in log.splitlines() if token in line] == []


def test_birth_date_is_used_only_on_the_seoul_date():
    from accounts.cards.selectors import age_on

    assert age_on(date(1998, 3, 14), date(2026, 3, 13)) == 27
    assert age_on(date(1998, 3, 14), date(2026, 3, 14)) == 28
    assert age_on(date(2000, 2, 29), date(2026, 2, 28)) == 25
    assert age_on(None, date(2026, 1, 1)) is None


def test_staff_see_media_and_card_links_read_only(performer, audition, admin_client):
    member, client = performer
    _add_parts(client)
    issue(client)
    _application_link(member, audition)

    member_page = admin_client.get(f"/admin/accounts/member/{member.pk}/change/")
    profile_page = admin_client.get(f"/admin/accounts/profile/{member.profile.pk}/change/")

    assert member_page.status_code == 200 and profile_page.status_code == 200
    assert 'id="card_links-group"' in _text(member_page)
    assert 'id="media_links-group"' in _text(profile_page)
    assert f"https://youtu.be/{YT_ID}" in _text(profile_page)
    for link in CardLink.objects.filter(member=member):
        assert link.token_hash not in _text(member_page)
        assert link.sealed_token not in _text(member_page)
