"""The card as HTML and as PDF, from a `Card` (accounts.cards.selectors): shared by the card
page, its PDF and the PDF an e-mail application attaches (applications.sending), so the three
never drift apart. A card can also be kept as plain JSON (`card_snapshot`) and rendered again
from it (`card_from_snapshot`): an e-mail application keeps the card as it was sent."""

import base64
import dataclasses
import hashlib
from functools import cache
from typing import Any

from django.template.loader import get_template, render_to_string
from django.utils import translation

from accounts.cards.selectors import (
    Card,
    CardContact,
    CardCredit,
    CardGuardian,
    CardMedia,
    CardPhoto,
)
from ohmanager import pdf

CSS_TEMPLATE = "cards/card.css"


@cache
def card_css() -> tuple[str, str]:
    """The card's stylesheet and its CSP source (`'sha256-...'`), computed once."""
    css = get_template(CSS_TEMPLATE).template.source
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    return css, f"'sha256-{digest}'"


def card_html(card: Card) -> str:
    with translation.override(card.language):
        return render_to_string("cards/card.html", {"card": card, "css": card_css()[0]})


def card_embedded(card: Card) -> Card:
    """The card with its photos named by storage key: the PDF embeds their bytes through the
    renderer's local-only fetcher (presigned URLs would be refused as network fetches)."""
    photos = tuple(
        dataclasses.replace(photo, url=photo.image_name, thumbnail_url=photo.thumbnail_name)
        for photo in card.photos
    )
    return dataclasses.replace(card, photos=photos)


def card_pdf_bytes(card: Card) -> bytes:
    """The card as a PDF; raises ohmanager.pdf.PdfUnavailable where it cannot be rendered."""
    return pdf.html_to_pdf(card_html(card_embedded(card)), base_url=None, files=pdf.storage_files())


def card_snapshot(card: Card) -> dict[str, Any]:
    """The card as JSON, its photos by storage name only (their URLs are presigned and would
    expire in the copy)."""
    return dataclasses.asdict(card_embedded(card))


def card_from_snapshot(data: dict[str, Any]) -> Card:
    contact = data.get("contact")
    guardian = data.get("guardian")
    return Card(
        **{
            **data,
            "skills": tuple(data["skills"]),
            "languages": tuple(data["languages"]),
            "photos": tuple(CardPhoto(**photo) for photo in data["photos"]),
            "credits": tuple(CardCredit(**credit) for credit in data["credits"]),
            "media": tuple(CardMedia(**media) for media in data["media"]),
            "contact": CardContact(**contact) if contact else None,
            "guardian": CardGuardian(**guardian) if guardian else None,
        }
    )
