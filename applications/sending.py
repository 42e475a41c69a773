"""E-mail applications: the platform e-mails the poster for the member (`POST applications`
with `send: true`), the way most Korean calls ask to be applied to (`지원방법: 이메일`).

What goes out, to the address taken from the post (never one the member types: the platform is
no open relay), From the platform's own address with her name, Reply-To her: a subject in the
form the post asks for (applications.subject), her message, the card's essentials as text and
HTML, the application's own card link (its first view moves the application to `viewed`,
accounts.cards.services) and the card as a PDF, built by the worker that sends the mail
(emails.attachments). The outbox queues it after commit and sends it once; the outcome comes
back through emails.signals.email_outcome (applications.receivers).

A minor (issue #17) sends only with a consented guardian, who is her contact: Reply-To is the
guardian, never the child, and the guardian gets her own copy (not a Cc: her copy carries the
consent's revocation link, which the poster must not get, and a preview link to the card that
does not count as the poster's view).

Limits, counted on the copies kept (`ApplicationEmail`), under a lock on the member's row so two
concurrent sends cannot both take the last place: 20 sends a day, 3 a week to one address, one
per audition (the application's own uniqueness), none while staff have paused her sending.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from accounts.cards.render import card_from_snapshot, card_pdf_bytes, card_snapshot
from accounts.cards.selectors import Card, card_data
from accounts.cards.services import card_link_for_application
from accounts.models import Member, Profile
from accounts.selectors import GuardianCopy, guardian_copy, member_is_minor
from applications.models import Application, ApplicationEmail
from applications.subject import SubjectFacts, subject_line
from auditions.models import ApplyMethod, Audition
from emails.attachments import Attachment, attachment_builder, attachment_spec
from emails.services import email_enqueue, email_render
from ohmanager import pdf
from ohmanager.exceptions import Conflict, Forbidden, InvalidInput, Throttled

TEMPLATE = "application_email"
CARD_PDF_BUILDER = "applications.card_pdf"
DAILY_LIMIT = 20
DAILY_WINDOW = timedelta(days=1)
ADDRESS_LIMIT = 3
ADDRESS_WINDOW = timedelta(days=7)
PHOTOS_MAX = 5
PHOTOS_DEFAULT = 3  # the primary photo and the next two
# The stored copy of the body keeps no card token (tokens are stored hashed and sealed only).
CARD_LINK_PLACEHOLDER = "[card link]"
_HANGUL = re.compile(r"[가-힣]")


def poster_language(audition: Audition) -> str:
    """The language of the mail and the attached card: the post's own (Korean unless the call
    has no Hangul at all)."""
    text = f"{audition.title} {audition.description}"
    return "ko" if _HANGUL.search(text) or not text.strip() else "en"


def poster_address(audition: Audition) -> str:
    """The address the post gives for applications; 400 `not_an_email_application` when the
    call is not applied to by e-mail or gives no usable address."""
    if audition.apply_method != ApplyMethod.EMAIL:
        raise InvalidInput(
            "This audition is not applied to by e-mail: apply the way it says, then record it.",
            code="not_an_email_application",
        )
    address = audition.apply_target.strip()
    try:
        validate_email(address)
    except ValidationError as error:
        raise InvalidInput(
            "The post gives no e-mail address we can send to.", code="not_an_email_application"
        ) from error
    local, _, domain = address.rpartition("@")
    return f"{local}@{domain.lower()}"


def _retry_after(times: list[datetime], *, limit: int, window: timedelta, now: datetime) -> int:
    # The send whose leaving the window frees a place (times are oldest first).
    frees = times[len(times) - limit]
    return max(1, int((frees + window - now).total_seconds()) + 1)


@dataclass(frozen=True)
class SendPlan:
    """What the checks found and the send needs: the poster's address, and a minor's guardian
    (her contact and reply address, and the one who gets her own copy)."""

    address: str
    guardian: GuardianCopy | None


def send_checks(*, member: Member, audition: Audition) -> SendPlan:
    """Everything that refuses a send, before anything is written. The caller holds the
    transaction: the member's row stays locked until it ends."""
    address = poster_address(audition)
    if audition.apply_direct_only:
        raise Conflict(
            "The post asks performers to apply themselves: send it from your own mailbox, then "
            "record the application here.",
            code="direct_application_required",
        )
    locked = Member.objects.select_for_update().get(pk=member.pk)
    if locked.email_sending_paused:
        raise Forbidden(
            "Sending e-mail applications is paused on your account; contact support.",
            code="sending_paused",
        )
    guardian = guardian_copy(member)  # None for adults
    if guardian is None and member_is_minor(member=member):
        raise Forbidden(
            "A member under 19 sends e-mail applications with a guardian as her contact: name "
            "one in me/guardian first.",
            code="guardian_required",
        )
    # Read fresh: a caller's member may hold a profile cached before her last edit.
    profile = Profile.objects.filter(member=member).first()
    if profile is None or not profile.display_name.strip():
        message = "Add your name to your profile first: the poster needs to know who applies."
        raise InvalidInput(message, code="profile_incomplete", fields={"display_name": [message]})
    now = timezone.now()
    sends = ApplicationEmail.objects.filter(member=member).order_by("created_at")
    today = list(
        sends.filter(created_at__gt=now - DAILY_WINDOW).values_list("created_at", flat=True)
    )
    if len(today) >= DAILY_LIMIT:
        raise Throttled(
            f"At most {DAILY_LIMIT} e-mail applications a day.",
            code="daily_send_limit",
            retry_after=_retry_after(today, limit=DAILY_LIMIT, window=DAILY_WINDOW, now=now),
        )
    to_poster = list(
        # One poster however the post spells the address (local parts are case-blind in
        # practice).
        sends.filter(to_email__iexact=address, created_at__gt=now - ADDRESS_WINDOW).values_list(
            "created_at", flat=True
        )
    )
    if len(to_poster) >= ADDRESS_LIMIT:
        raise Throttled(
            f"At most {ADDRESS_LIMIT} e-mail applications a week to the same poster.",
            code="recipient_send_limit",
            retry_after=_retry_after(
                to_poster, limit=ADDRESS_LIMIT, window=ADDRESS_WINDOW, now=now
            ),
        )
    return SendPlan(address=address, guardian=guardian)


def _chosen(card: Card, photo_ids: list[UUID] | None, media_ids: list[UUID] | None) -> Card:
    """The card with the photos and media links the member picked, in her order; by default
    the primary photo and the next two, and every media link. An id that is not hers is a 400
    (not a 404: nothing says whether it exists)."""
    errors: dict[str, list[str]] = {}
    photos = {photo.id: photo for photo in card.photos}
    if photo_ids is None:
        chosen_photos = card.photos[:PHOTOS_DEFAULT]
    else:
        wanted = [str(photo_id) for photo_id in dict.fromkeys(photo_ids)]
        if len(wanted) > PHOTOS_MAX:
            errors["photos"] = [f"Choose at most {PHOTOS_MAX} photos."]
        elif unknown := [photo_id for photo_id in wanted if photo_id not in photos]:
            errors["photos"] = [f"Not one of your photos: {', '.join(unknown)}."]
        chosen_photos = tuple(photos[photo_id] for photo_id in wanted if photo_id in photos)
    media = {item.id: item for item in card.media}
    if media_ids is None:
        chosen_media = card.media
    else:
        wanted = [str(media_id) for media_id in dict.fromkeys(media_ids)]
        if unknown := [media_id for media_id in wanted if media_id not in media]:
            errors["media"] = [f"Not one of your media links: {', '.join(unknown)}."]
        chosen_media = tuple(media[media_id] for media_id in wanted if media_id in media)
    if errors:
        raise InvalidInput(fields=errors)
    return replace(card, photos=chosen_photos, media=chosen_media)


def _facts(card: Card, *, audition: Audition, role_name: str, profile: Profile) -> SubjectFacts:
    return SubjectFacts(
        title=audition.title,
        role=role_name,
        name=card.display_name,
        age=card.age,
        birth_year=profile.birth_date.year if profile.birth_date else None,
        height_cm=card.height_cm,
        weight_kg=card.weight_kg,
        gender=card.gender,
        phone=card.contact.phone if card.contact else "",
        agency=card.agency_name,
    )


def _context(
    snapshot: dict[str, Any], *, audition: Audition, application: Application, card_url: str
) -> dict:
    return {
        "audition_title": audition.title,
        "role": application.role_name,
        "message": application.message,
        "card": {key: snapshot[key] for key in snapshot if key not in ("photos", "member_id")},
        "card_url": card_url,
        "pdf_url": f"{card_url}.pdf",
        "abuse_email": settings.ABUSE_EMAIL,
    }


def card_preview_url(card_url: str) -> str:
    """The card link as its owner (or a minor's guardian) opens it: the same card, not counted
    as the poster's view (accounts.cards.views)."""
    return f"{card_url}?preview=1"


def _guardian_copy(
    copy: GuardianCopy, *, member: Member, language: str, context: dict, spec: dict
) -> None:
    card_url = card_preview_url(context["card_url"])
    email_enqueue(
        to_email=copy.email,
        template=TEMPLATE,
        language=language,  # the mail exactly as the poster reads it
        member=member,
        context={
            **context,
            "card_url": card_url,
            "pdf_url": f"{context['card_url']}.pdf?preview=1",
            "guardian_copy": True,
            "revoke_url": copy.revoke_url,
        },
        attachments=[spec],
    )


def _redacted(text: str, card_url: str) -> str:
    return text.replace(card_url, CARD_LINK_PLACEHOLDER)


def pdf_filename(card: Card) -> str:
    name = re.sub(r"[\\/:*?\"<>|\r\n]+", " ", card.display_name).strip() or "profile"
    return f"{name}_{'프로필' if card.language == 'ko' else 'profile'}.pdf"


def application_email_send(
    *,
    application: Application,
    member: Member,
    plan: SendPlan,
    photo_ids: list[UUID] | None,
    media_ids: list[UUID] | None,
) -> ApplicationEmail:
    """Writes the copy and queues the mail (in the caller's transaction: a request that fails
    later sends nothing)."""
    audition = application.audition
    profile = member.profile
    language = poster_language(audition)
    card = _chosen(card_data(member, language=language, for_application=True), photo_ids, media_ids)
    _, card_url = card_link_for_application(application)
    snapshot = card_snapshot(card)
    context = _context(snapshot, audition=audition, application=application, card_url=card_url)
    guardian = plan.guardian
    context["reply_to_guardian"] = guardian is not None
    context["subject"] = subject_line(
        _facts(card, audition=audition, role_name=application.role_name, profile=profile),
        requested_format=audition.apply_subject_format,
    )
    subject, text, _ = email_render(template=TEMPLATE, language=language, context=context)
    copy = ApplicationEmail(
        application=application,
        member=member,
        to_email=plan.address,
        subject=subject,
        body=_redacted(text, card_url),
        attachment_name=pdf_filename(card),
        card_snapshot=snapshot,
    )
    copy.full_clean(exclude=["application", "member", "outbox"])
    copy.save(force_insert=True)
    spec = attachment_spec(CARD_PDF_BUILDER, application_id=str(application.pk))
    copy.outbox = email_enqueue(
        to_email=plan.address,
        template=TEMPLATE,
        language=language,
        member=member,
        context=context,
        from_name=card.display_name,
        reply_to=guardian.email if guardian is not None else member.email,
        attachments=[spec],
    )
    copy.save(update_fields=["outbox"])
    if guardian is not None:  # she sees every application sent in the child's name
        _guardian_copy(guardian, member=member, language=language, context=context, spec=spec)
    return copy


@attachment_builder(CARD_PDF_BUILDER)
def card_pdf_attachment(arguments: dict[str, Any]) -> Attachment | None:
    """The card as it was sent, as a PDF; None (the mail goes without it, the card link and the
    body still carry the card) where the PDF cannot be rendered or the copy is gone."""
    copy = ApplicationEmail.objects.filter(application_id=arguments["application_id"]).first()
    if copy is None or not copy.card_snapshot:
        return None
    card = card_from_snapshot(copy.card_snapshot)
    try:
        content = card_pdf_bytes(card)
    except pdf.PdfUnavailable:
        return None
    return Attachment(filename=pdf_filename(card), content=content, mimetype="application/pdf")
