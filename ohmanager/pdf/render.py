"""HTML to PDF with WeasyPrint, through a fetcher that serves only local resources.

A card's HTML is built from members' data, so no URL in it may make the server fetch anything
(SSRF: internal services, cloud metadata, `file:///etc/passwd`). The fetcher answers a URL
only when it lies under the document's base URL, and then never from the network: it hands
the path to the caller's `files` callback (our storage) and embeds what that returns. Every
other URL (http, https, file, ftp, another host) is refused and the resource left out; the
document still renders. Fonts come from the system through fontconfig, not through the
fetcher.
"""

import logging
import mimetypes
import re
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import Storage, default_storage

from ohmanager.pdf.availability import pdf_available
from ohmanager.pdf.images import fit_for_pdf
from ohmanager.pdf.responses import PdfUnavailable

logger = logging.getLogger("ohmanager.pdf")

# A resource by its path under the base URL (no leading slash, percent-decoded, no query):
# its bytes and content type, or None when there is no such resource.
FileSource = Callable[[str], tuple[bytes, str] | None]

# The fonts Dockerfile, .ci/run and `make run` install (fonts-nanum); Noto CJK where a host
# has fonts-noto-cjk instead. Set on <html> as a default the document's own CSS may override.
KOREAN_FONT_STACK = '"NanumGothic", "Noto Sans CJK KR", sans-serif'
_BASE_CSS = f"@page {{ size: A4; margin: 12mm; }} html {{ font-family: {KOREAN_FONT_STACK}; }}"

# With base_url=None relative references resolve here; `.invalid` never resolves (RFC 2606),
# and nothing is fetched from it anyway.
_LOCAL_BASE = "https://pdf.invalid/"

_URL = re.compile(r"""\b[a-z][a-z0-9+.\-]*:(?://|[^\s'"]*,)[^\s'"]*""", re.IGNORECASE)


class _NoUrlsInLogs(logging.Filter):
    """WeasyPrint's own lines quote the URLs it failed to load; a card link's token or a
    presigned photo URL's signature would land in the log. Keep the line, drop the URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed call is the handler's to report
            return True
        cleaned = _URL.sub("[url]", message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True


def _quiet_weasyprint_urls() -> None:
    weasy_logger = logging.getLogger("weasyprint")
    if not any(isinstance(f, _NoUrlsInLogs) for f in weasy_logger.filters):
        weasy_logger.addFilter(_NoUrlsInLogs())


def _local_name(url: str, base_url: str) -> str | None:
    """The path of `url` under `base_url`, or None when it is not under it."""
    target, base = urlsplit(url), urlsplit(base_url)
    if (target.scheme, target.netloc) != (base.scheme, base.netloc) or not target.netloc:
        return None
    base_path = base.path if base.path.endswith("/") else base.path.rsplit("/", 1)[0] + "/"
    if not target.path.startswith(base_path):
        return None
    name = unquote(target.path[len(base_path) :])
    return name or None


def _fetcher(base_url: str, files: FileSource):
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers=None) -> URLFetcherResponse:
            name = _local_name(url, base_url)
            if name is None:
                scheme = urlsplit(url).scheme or "?"
                # Scheme only: the rest of the URL may be a secret (see _NoUrlsInLogs).
                logger.warning("pdf: refused to fetch a %s: URL (only local files)", scheme)
                raise ValueError("refused: not a local resource")
            found = files(name)
            if found is None:
                raise ValueError("no such local resource")
            data, content_type = fit_for_pdf(*found)
            return URLFetcherResponse(url, data, {"Content-Type": content_type})

    # No handler is used (fetch never reaches urllib), but keep the base class's protocol
    # list empty so a future WeasyPrint path that bypasses `fetch` still refuses everything.
    return LocalOnlyFetcher(allowed_protocols=(), allow_redirects=False)


def html_to_pdf(html: str, *, base_url: str | None, files: FileSource) -> bytes:
    """`html` rendered as PDF bytes. URLs under `base_url` (relative ones, when it is None)
    are read through `files`; nothing else is fetched. Raises PdfUnavailable where WeasyPrint
    or its system libraries are missing."""
    if not pdf_available():
        raise PdfUnavailable()
    import weasyprint

    _quiet_weasyprint_urls()
    base = base_url or _LOCAL_BASE
    fetcher = _fetcher(base, files)
    document = weasyprint.HTML(string=html, base_url=base, url_fetcher=fetcher)
    return document.write_pdf(stylesheets=[weasyprint.CSS(string=_BASE_CSS)])


def storage_files(storage: Storage | None = None, *, prefix: str = "") -> FileSource:
    """A `files` callback reading from a Django storage (the default one: our photos), for
    names under `prefix` (e.g. "media/" when the template writes MEDIA_URL paths)."""
    storage = storage or default_storage

    def files(name: str) -> tuple[bytes, str] | None:
        if not name.startswith(prefix):
            return None
        key = name[len(prefix) :]
        try:
            with storage.open(key, "rb") as handle:
                data = handle.read()
        except (FileNotFoundError, SuspiciousFileOperation):
            return None
        content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
        return data, content_type

    return files
