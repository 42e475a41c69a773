"""Every write of the card: media links, the card's secret links, and the views of a link.

A link's first counted view is the moment the poster opened the card: for an application's
link it moves the application from `applied` to `viewed` (by `system`) and tells the member
once, by e-mail through the outbox, unless she turned `notifications.card_viewed` off.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import selectors as account_selectors
from accounts.cards import selectors, tokens
from accounts.cards.visitors import is_machine
from accounts.models import MEDIA_LINKS_MAX, CardLink, MediaLink, Member
from accounts.profiles.services import owned_object_save, profile_lock
from emails.services import email_enqueue
from ohmanager.exceptions import InvalidInput

logger = logging.getLogger("accounts.cards")

EXPIRY_DAYS = (7, 30, 90)  # or None: no expiry
MEDIA_FIELDS = frozenset({"kind", "url", "title", "duration_s"})
CARD_VIEWED_TEMPLATE = "card_viewed"
CARD_VIEWED_NOTE = "the poster opened your profile card"


# --- Media links ----------------------------------------------------------------------------


@transaction.atomic
def media_create(
    *, member: Member, kind: str, url: str, title: str = "", duration_s: int | None = None
) -> MediaLink:
    profile = profile_lock(member_id=member.pk)
    if profile.media_links.count() >= MEDIA_LINKS_MAX:
        message = f"A profile has at most {MEDIA_LINKS_MAX} media links. Delete one first."
        raise InvalidInput(message, code="media_limit_reached", fields={"url": [message]})
    link = MediaLink(profile=profile, kind=kind, url=url, title=title, duration_s=duration_s)
    return owned_object_save(link, {}, allowed=MEDIA_FIELDS)


@transaction.atomic
def media_update(*, member: Member, media_id: uuid.UUID, **fields: Any) -> MediaLink:
    link = selectors.media_get_own(member_id=member.pk, media_id=media_id)
    return owned_object_save(link, fields, allowed=MEDIA_FIELDS)


@transaction.atomic
def media_delete(*, member: Member, media_id: uuid.UUID) -> None:
    selectors.media_get_own(member_id=member.pk, media_id=media_id).delete()


# --- Card links -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CardLinkIssued:
    link: CardLink
    url: str


def _issue(**fields: Any) -> CardLinkIssued:
    token = tokens.card_token_new()
    link = CardLink(
        token_hash=tokens.card_token_hash(token),
        sealed_token=tokens.card_token_seal(token),
        **fields,
    )
    link.full_clean(exclude=["member", "application"])
    with transaction.atomic():  # a savepoint: a lost race leaves the outer transaction usable
        link.save(force_insert=True)
    return CardLinkIssued(link=link, url=tokens.card_url(token))


def card_link_url(link: CardLink) -> str | None:
    """The link's URL, opened from its sealed token (accounts.cards.tokens); None when it was
    sealed under a SECRET_KEY that is gone (rotated without SECRET_KEY_FALLBACKS)."""
    try:
        return tokens.card_url(tokens.card_token_open(link.sealed_token))
    except InvalidToken:
        logger.warning("card link %s: its sealed token no longer opens", link.pk)
        return None


def card_link_url_for_application(*, application_id: Any) -> str | None:
    """The URL of an application's live card link (None without one): read-only."""
    link = selectors.card_link_get_for_application(application_id=application_id)
    return card_link_url(link) if link is not None else None


@transaction.atomic
def card_link_rotate(*, member: Member, expires_in_days: int | None) -> CardLinkIssued:
    """A new general link with the given expiry; the previous one (live or not) stops working
    at once."""
    if expires_in_days is not None and expires_in_days not in EXPIRY_DAYS:
        message = "Choose 7, 30 or 90 days, or null for no expiry."
        raise InvalidInput(message, fields={"expires_in_days": [message]})
    # Locks the member's row: two concurrent rotations queue up instead of racing.
    Member.objects.select_for_update().filter(pk=member.pk).first()
    now = timezone.now()
    CardLink.objects.filter(
        member=member, kind=CardLink.Kind.GENERAL, revoked_at__isnull=True
    ).update(revoked_at=now)
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
    return _issue(member=member, kind=CardLink.Kind.GENERAL, expires_at=expires_at, created_at=now)


@transaction.atomic
def card_link_revoke(*, member: Member) -> None:
    """Idempotent: the general link is a 404 from now on."""
    CardLink.objects.filter(
        member=member, kind=CardLink.Kind.GENERAL, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


@transaction.atomic
def card_link_for_application(application: Any) -> tuple[CardLink, str]:
    """The application's own card link, made on first use (the e-mail send flow calls this):
    a view of it is attributable to that application's poster. No expiry. Idempotent."""
    existing = selectors.card_link_get_for_application(application_id=application.pk)
    url = card_link_url(existing) if existing is not None else None
    if existing is not None and url is not None:
        return existing, url
    if existing is not None:  # unreadable: replace it
        CardLink.objects.filter(pk=existing.pk).update(revoked_at=timezone.now())
    try:
        issued = _issue(
            member_id=application.member_id,
            kind=CardLink.Kind.APPLICATION,
            application_id=application.pk,
        )
    except IntegrityError:  # a concurrent call made it first
        existing = selectors.card_link_get_for_application(application_id=application.pk)
        url = card_link_url(existing) if existing is not None else None
        if existing is None or url is None:
            raise
        return existing, url
    return issued.link, issued.url


# --- Views ----------------------------------------------------------------------------------


def card_view_counts(*, method: str, user_agent: str) -> bool:
    """Whether a request of a card link is a view: a GET by something other than a link
    previewer, mail scanner, crawler or script."""
    return method == "GET" and not is_machine(user_agent)


@transaction.atomic
def card_view_record(*, link: CardLink, method: str, user_agent: str) -> bool:
    """Counts a view of a live link (F() updates, so concurrent views all count); True when it
    was counted. The first counted view is claimed by one conditional UPDATE, so it acts once
    however many views arrive together."""
    if not card_view_counts(method=method, user_agent=user_agent):
        return False
    now = timezone.now()
    links = CardLink.objects.filter(pk=link.pk)
    # The usual case first (a link seen before): one UPDATE. Then the first view's claim; a
    # concurrent first view that lost the claim counts as a plain view after all.
    if links.filter(first_viewed_at__isnull=False).update(views=F("views") + 1, last_viewed_at=now):
        return True
    if links.filter(first_viewed_at__isnull=True).update(
        views=F("views") + 1, first_viewed_at=now, last_viewed_at=now
    ):
        if link.kind == CardLink.Kind.APPLICATION:
            _first_application_view(link=link, at=now)
    else:
        links.update(views=F("views") + 1, last_viewed_at=now)
    return True


def _first_application_view(*, link: CardLink, at: Any) -> None:
    from applications.models import Application, ApplicationEvent, Status
    from applications.services import application_move

    application = (
        Application.objects.select_for_update()
        .select_related("audition")
        .filter(pk=link.application_id)
        .first()
    )
    if application is None:
        return
    moved = application.status == Status.APPLIED
    if moved:
        application_move(
            application_id=application.pk,
            status=Status.VIEWED,
            actor=None,
            by=ApplicationEvent.Actor.SYSTEM,
            note=CARD_VIEWED_NOTE,
        )
    member = link.member
    context = {
        "title": application.audition.title,
        "company": application.audition.company,
        "viewed_at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M"),
        "moved": moved,
    }
    if member.profile.notify_card_viewed:
        email_enqueue(
            to_email=member.email,
            template=CARD_VIEWED_TEMPLATE,
            language=member.language,
            member=member,
            context=context,
        )
    copy = account_selectors.guardian_copy(member)
    if copy is not None:  # a minor's guardian is copied on her status changes (issue #17)
        email_enqueue(
            to_email=copy.email,
            template=CARD_VIEWED_TEMPLATE,
            language=member.language,
            member=member,
            context={
                **context,
                "guardian_copy": True,
                "child_email": member.email,
                "revoke_url": copy.revoke_url,
            },
        )
    logger.info("card link %s: first view of application %s", link.pk, application.pk)
