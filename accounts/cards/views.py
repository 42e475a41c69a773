"""`/c/<token>`: the profile card page a poster opens. Server-rendered, no JWT, no script.

One HTML response plus the images: the CSS is inline, allowed by its hash in a strict
Content-Security-Policy (no script at all, images only from here, the photo storage and the
video thumbnails' host). Not for search engines (`noindex`, header and meta), not cached
anywhere (the photo URLs in it are presigned and short-lived), and no Referer leaves it (the
token is in the URL). Every token that does not open a live card gets the same plain 404.
"""

from urllib.parse import urlsplit

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views.decorators.http import require_safe

from accounts.cards import hosts, selectors, services
from accounts.cards.render import card_css, card_html, card_pdf_bytes
from accounts.cards.selectors import Card
from accounts.models import CardLink
from ohmanager import pdf
from ohmanager.exceptions import NotFound


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else "'self'"


def _csp(card: Card | None) -> str:
    images = {"'self'"}
    if card is not None:
        images.update(_origin(photo.url) for photo in card.photos)
        images.update(_origin(photo.thumbnail_url) for photo in card.photos)
        if any(media.thumbnail_url for media in card.media):
            images.update(hosts.THUMBNAIL_ORIGINS)
    return "; ".join(
        (
            "default-src 'none'",
            f"style-src {card_css()[1]}",
            f"img-src {' '.join(sorted(images))}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )


def _protected(response: HttpResponse, card: Card | None) -> HttpResponse:
    response["Content-Security-Policy"] = _csp(card)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


def _not_found() -> HttpResponse:
    # The same bytes for every dead token: bilingual, nothing that tells the cases apart.
    body = render_to_string("cards/not_found.html", {"css": card_css()[0]})
    return _protected(HttpResponse(body, status=404), None)


def _card_for(link: CardLink) -> Card:
    # LocaleMiddleware chose it from Accept-Language (ko when none matches).
    language = "en" if translation.get_language() == "en" else "ko"
    return selectors.card_data(
        link.member, language=language, for_application=link.kind == CardLink.Kind.APPLICATION
    )


def _view_record(request: HttpRequest, link: CardLink) -> None:
    # `?preview=1`: the member's own link in the app, a minor's guardian's copy. Anyone may add
    # it; it only keeps a view from being counted as the poster's.
    if request.GET.get("preview") == "1":
        return
    services.card_view_record(
        link=link, method=request.method, user_agent=request.headers.get("User-Agent", "")
    )


@require_safe
def card_page(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = selectors.card_link_get_live(token=token)
    except NotFound:
        return _not_found()
    card = _card_for(link)
    _view_record(request, link)
    return _protected(HttpResponse(card_html(card)), card)


# Rendering takes a few hundred milliseconds: not inside the request's transaction.
@transaction.non_atomic_requests
@require_safe
def card_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The same card as a PDF (same template, photos embedded, a Korean font from the system);
    a view like the page's. 503 `pdf_unavailable` where WeasyPrint's libraries are missing."""
    try:
        link = selectors.card_link_get_live(token=token)
    except NotFound:
        return _not_found()
    if not pdf.pdf_available():
        return pdf.pdf_unavailable_response()
    card = _card_for(link)
    try:
        body = card_pdf_bytes(card)
    except pdf.PdfUnavailable as error:
        return pdf.pdf_unavailable_response(error)
    _view_record(request, link)  # only a PDF that was served counts
    response = pdf.pdf_response(body, filename=f"{card.display_name or 'profile'}.pdf")
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response
