"""Which media URLs a profile may carry, and the thumbnail a URL's pattern gives.

Only https links to a video on a known host: YouTube, Vimeo, Naver TV, Kakao TV, Instagram, Google
Drive. Hosts are matched exactly (never by suffix or prefix, so `youtube.com.evil.example` or
`evil-youtube.com` is refused), and a URL with user info, a port, a backslash, white space or a
control character is refused outright: browsers and parsers disagree on those, which is how
lookalike links slip through. Thumbnails come from the URL alone: no network call, ever.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_YOUTUBE_ID = r"[A-Za-z0-9_-]{11}"
_YOUTUBE_ID_RE = re.compile(rf"^{_YOUTUBE_ID}$")


@dataclass(frozen=True)
class Host:
    name: str  # shown on the card
    hosts: frozenset[str]
    paths: tuple[re.Pattern[str], ...]


def _paths(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(pattern) for pattern in patterns)


YOUTUBE = Host(
    "YouTube",
    frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"}),
    _paths(r"^/watch/?$", rf"^/shorts/{_YOUTUBE_ID}/?$"),
)
YOUTU_BE = Host("YouTube", frozenset({"youtu.be"}), _paths(rf"^/{_YOUTUBE_ID}/?$"))
HOSTS: tuple[Host, ...] = (
    YOUTUBE,
    YOUTU_BE,
    Host(
        "Vimeo",
        frozenset({"vimeo.com", "www.vimeo.com", "player.vimeo.com"}),
        # vimeo.com/123, an unlisted vimeo.com/123/abcdef, the player's /video/123
        _paths(r"^/[0-9]+(/[0-9a-f]+)?/?$", r"^/video/[0-9]+/?$"),
    ),
    Host(
        "Naver TV",
        frozenset({"tv.naver.com", "m.tv.naver.com"}),
        _paths(r"^/(v|h)/[0-9]+/?$"),
    ),
    Host(
        "Kakao TV",
        frozenset({"tv.kakao.com"}),
        _paths(r"^/v/[0-9]+/?$", r"^/channel/[0-9]+/cliplink/[0-9]+/?$"),
    ),
    Host(
        "Instagram",
        frozenset({"instagram.com", "www.instagram.com"}),
        _paths(r"^/(p|reel|reels)/[A-Za-z0-9_-]+/?$"),
    ),
    Host(
        "Google Drive",
        frozenset({"drive.google.com"}),
        _paths(r"^/file/d/[A-Za-z0-9_-]{10,}(/(view|preview))?/?$"),
    ),
)
_BY_HOSTNAME = {hostname: host for host in HOSTS for hostname in host.hosts}
# Anything a browser might read differently from urlsplit: user info, back-slashes, white space,
# control characters.
_UNSAFE = re.compile(r"[\\\s\x00-\x1f\x7f@]")

HOSTS_HELP = "https links on YouTube, Vimeo, Naver TV, Kakao TV, Instagram or Google Drive"
# Where the thumbnails above live (the card page's Content-Security-Policy allows it).
THUMBNAIL_ORIGINS = ("https://i.ytimg.com",)


def _refuse() -> ValidationError:
    return ValidationError(
        _(
            "Give an https link to a video on YouTube, Vimeo, Naver TV, Kakao TV, Instagram or "
            "Google Drive."
        ),
        code="unsupported_media_url",
    )


def _youtube_id(host: Host, path: str, query: str) -> str | None:
    if host is YOUTU_BE:
        return path.strip("/")
    if path.startswith("/shorts/"):
        return path.removeprefix("/shorts/").strip("/")
    ids = parse_qs(query).get("v", [])
    return ids[0] if len(ids) == 1 and _YOUTUBE_ID_RE.match(ids[0]) else None


def media_host(url: str) -> Host:
    """The host of a supported media URL; a ValidationError for anything else."""
    if not isinstance(url, str) or _UNSAFE.search(url):
        raise _refuse()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:  # a malformed netloc or port
        raise _refuse() from error
    # `hostname` is lower-cased; the netloc must be exactly it (no user info, no port, no
    # trailing dot or brackets).
    if parts.scheme != "https" or port is not None or parts.netloc.lower() != parts.hostname:
        raise _refuse()
    host = _BY_HOSTNAME.get(parts.hostname or "")
    if host is None or not any(pattern.match(parts.path) for pattern in host.paths):
        raise _refuse()
    if host.name == "YouTube" and _youtube_id(host, parts.path, parts.query) is None:
        raise _refuse()
    return host


def media_url_check(url: str) -> None:
    """The model field's validator."""
    media_host(url)


def media_thumbnail_url(url: str) -> str | None:
    """A thumbnail for the URL where its host's pattern gives one (YouTube), else None."""
    try:
        host = media_host(url)
    except ValidationError:
        return None
    if host.name != "YouTube":
        return None
    parts = urlsplit(url)
    video_id = _youtube_id(host, parts.path, parts.query)
    return f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg" if video_id else None


def media_host_name(url: str) -> str:
    try:
        return media_host(url).name
    except ValidationError:
        return ""
