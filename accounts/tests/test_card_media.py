"""`me/media`: the profile's video links, through HTTP. Only https links to a video on a known
host are taken; anything else is a 400 in the envelope naming `url`."""

import pytest
from rest_framework.test import APIClient

from accounts.models import MEDIA_LINKS_MAX, MediaLink
from accounts.tests.conftest import login

pytestmark = pytest.mark.django_db

MEDIA = "/api/v1/me/media"
YT_ID = "dQw4w9WgXcQ"

GOOD = [
    (f"https://www.youtube.com/watch?v={YT_ID}", "YouTube", YT_ID),
    (f"https://youtube.com/watch?v={YT_ID}&t=42s", "YouTube", YT_ID),
    (f"https://m.youtube.com/watch?feature=share&v={YT_ID}", "YouTube", YT_ID),
    (f"https://youtu.be/{YT_ID}", "YouTube", YT_ID),
    (f"https://youtu.be/{YT_ID}?si=abc", "YouTube", YT_ID),
    (f"https://www.youtube.com/shorts/{YT_ID}", "YouTube", YT_ID),
    ("https://vimeo.com/76979871", "Vimeo", None),
    ("https://vimeo.com/76979871/8272103f6e", "Vimeo", None),
    ("https://player.vimeo.com/video/76979871", "Vimeo", None),
    ("https://tv.naver.com/v/12345678", "Naver TV", None),
    ("https://tv.kakao.com/v/412345678", "Kakao TV", None),
    ("https://tv.kakao.com/channel/123/cliplink/456789", "Kakao TV", None),
    ("https://www.instagram.com/reel/C1a2B3c4D5e/", "Instagram", None),
    ("https://instagram.com/p/C1a2B3c4D5e", "Instagram", None),
    (
        "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view?usp=sharing",
        "Google Drive",
        None,
    ),
    ("https://WWW.YOUTUBE.COM/watch?v=" + YT_ID, "YouTube", YT_ID),
]

BAD = [
    f"http://www.youtube.com/watch?v={YT_ID}",  # not https
    f"https://youtube.com.evil.example/watch?v={YT_ID}",  # lookalike host
    f"https://evilyoutube.com/watch?v={YT_ID}",
    f"https://www.youtube.com.@evil.example/watch?v={YT_ID}",  # user info
    f"https://user:pass@www.youtube.com/watch?v={YT_ID}",
    f"https://www.youtube.com:8443/watch?v={YT_ID}",  # a port
    f"https://www.youtube.com./watch?v={YT_ID}",  # trailing dot
    f"https://www.youtube.com\\@evil.example/watch?v={YT_ID}",  # back-slash
    f"https://www.youtube.com/watch ?v={YT_ID}",  # white space inside
    "https://www.youtube.com/watch",  # no video
    "https://www.youtube.com/watch?v=short",
    "https://www.youtube.com/@somechannel",
    "https://youtu.be/",
    "https://vimeo.com/channels/staffpicks",
    "https://tv.naver.com/channel",
    "https://www.instagram.com/someone/",  # a profile, not a post
    "https://drive.google.com/drive/folders/1AbCdEfGhIjKlMnOp",
    "https://docs.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz/view",
    "https://example.com/reel.mp4",
    "javascript:alert(1)",
    "ftp://youtu.be/" + YT_ID,
    "youtu.be/" + YT_ID,  # no scheme
    "",
]


@pytest.fixture
def client(logged_in) -> APIClient:
    return logged_in.client()


@pytest.mark.parametrize(("url", "host", "video_id"), GOOD)
def test_a_link_on_a_known_host_is_taken(client, url, host, video_id):
    response = client.post(MEDIA, {"kind": "reel", "url": url, "title": "2024 릴"}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["url"] == url and body["host"] == host and body["kind"] == "reel"
    if video_id:
        assert body["thumbnail_url"] == f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg"
    else:
        assert body["thumbnail_url"] is None


@pytest.mark.parametrize("url", BAD)
def test_any_other_link_is_a_400_naming_the_url(client, url):
    response = client.post(MEDIA, {"kind": "self_tape", "url": url}, format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert list(error["fields"]) == ["url"]
    assert MediaLink.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "trailer", "url": f"https://youtu.be/{YT_ID}"},
        {"kind": "reel", "url": f"https://youtu.be/{YT_ID}", "duration_s": 0},
        {"kind": "reel", "url": f"https://youtu.be/{YT_ID}", "duration_s": -5},
        {"kind": "reel", "url": f"https://youtu.be/{YT_ID}", "duration_s": 6 * 3600 + 1},
        {"kind": "reel", "url": f"https://youtu.be/{YT_ID}", "duration_s": "90"},
        {"kind": "reel", "url": f"https://youtu.be/{YT_ID}", "title": "x" * 201},
        {"url": f"https://youtu.be/{YT_ID}"},
    ],
)
def test_bad_fields_are_400(client, body):
    response = client.post(MEDIA, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_crud_of_own_media(client):
    # given
    created = client.post(
        MEDIA,
        {"kind": "monologue", "url": "https://vimeo.com/76979871", "duration_s": 95},
        format="json",
    ).json()
    assert created["duration_s"] == 95 and created["title"] == ""

    # when / then: read, list, change, delete
    assert client.get(f"{MEDIA}/{created['id']}").json() == created
    listed = client.get(MEDIA).json()
    assert [item["id"] for item in listed["results"]] == [created["id"]]
    patched = client.patch(
        f"{MEDIA}/{created['id']}", {"title": "햄릿 독백", "duration_s": None}, format="json"
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "햄릿 독백" and patched.json()["duration_s"] is None
    bad = client.patch(f"{MEDIA}/{created['id']}", {"url": "https://evil.example/"}, format="json")
    assert bad.status_code == 400
    put = client.put(
        f"{MEDIA}/{created['id']}",
        {"kind": "music", "url": f"https://youtu.be/{YT_ID}", "title": "노래"},
        format="json",
    )
    assert put.status_code == 200 and put.json()["kind"] == "music"
    assert client.delete(f"{MEDIA}/{created['id']}").status_code == 204
    assert client.get(f"{MEDIA}/{created['id']}").status_code == 404


def test_another_members_media_is_404(client, member, make_other):
    other = make_other()
    theirs = other.post(MEDIA, {"kind": "reel", "url": f"https://youtu.be/{YT_ID}"}, format="json")
    media_id = theirs.json()["id"]

    assert client.get(f"{MEDIA}/{media_id}").status_code == 404
    assert client.patch(f"{MEDIA}/{media_id}", {"title": "x"}, format="json").status_code == 404
    assert client.delete(f"{MEDIA}/{media_id}").status_code == 404
    assert client.get(MEDIA).json()["results"] == []
    assert MediaLink.objects.filter(pk=media_id).exists()


def test_the_per_profile_cap_is_a_clear_400(client):
    for n in range(MEDIA_LINKS_MAX):
        url = f"https://vimeo.com/{1000 + n}"
        assert client.post(MEDIA, {"kind": "other", "url": url}, format="json").status_code == 201

    response = client.post(MEDIA, {"kind": "other", "url": "https://vimeo.com/9"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "media_limit_reached"
    assert MediaLink.objects.count() == MEDIA_LINKS_MAX


def test_media_needs_a_login():
    assert APIClient().get(MEDIA).status_code == 401


@pytest.fixture
def make_other(db):
    from accounts import services
    from accounts.tests.factories import MemberFactory

    def make() -> APIClient:
        other = MemberFactory()
        services.profile_prepare(member=other)
        return login(other.email).client()

    return make


def test_the_list_is_cursor_paginated_oldest_first(client):
    urls = [f"https://vimeo.com/{n}" for n in (11, 22, 33)]
    for url in urls:
        client.post(MEDIA, {"kind": "reel", "url": url}, format="json")

    first = client.get(MEDIA, {"page_size": 2}).json()
    second = client.get(first["next"]).json()

    assert [item["url"] for item in first["results"] + second["results"]] == urls
    assert second["next"] is None
    assert client.get(MEDIA, {"page_size": 0}).status_code == 400
    assert client.get(MEDIA, {"page_size": "x"}).status_code == 400
    assert client.get(MEDIA, {"cursor": "not-a-cursor"}).status_code == 404
    assert client.get(MEDIA, {"cursor": "", "page_size": ""}).status_code == 200
