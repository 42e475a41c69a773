"""Every read of the card: what a card shows (`card_data`, for the HTML page and the PDF
alike), the live link behind a token, the member's own links and media. "Not yours", "does not
exist", "expired" and "revoked" look the same."""

from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet, prefetch_related_objects
from django.utils import timezone, translation

from accounts import selectors as account_selectors
from accounts.cards import hosts, labels
from accounts.cards.tokens import card_token_hash
from accounts.models import CardLink, Credit, MediaLink, Member, Photo, Profile
from ohmanager.exceptions import NotFound

SEOUL = ZoneInfo("Asia/Seoul")


@dataclass(frozen=True)
class CardPhoto:
    id: str
    url: str  # presigned and short-lived on S3: render it, don't keep it
    thumbnail_url: str
    # Storage names, for a renderer that embeds the bytes (the PDF) instead of linking.
    image_name: str
    thumbnail_name: str
    width: int
    height: int
    is_primary: bool


@dataclass(frozen=True)
class CardMedia:
    id: str
    kind: str
    kind_label: str
    url: str
    title: str
    host: str  # "YouTube", "Vimeo" ...
    duration_s: int | None
    duration: str  # "3:05", "1:02:30" or ""
    thumbnail_url: str | None


@dataclass(frozen=True)
class CardCredit:
    title: str
    year: int
    kind: str
    kind_label: str
    role_name: str


@dataclass(frozen=True)
class CardContact:
    email: str
    phone: str


@dataclass(frozen=True)
class CardGuardian:
    """A minor's contact on her card (issue #17): her consented guardian, never herself."""

    name: str
    relationship_label: str
    email: str


# Plain words per card language (the card's other labels are gettext; these two are few).
GUARDIAN_RELATIONSHIP = {
    "ko": {"parent": "부모", "legal_guardian": "법정대리인"},
    "en": {"parent": "Parent", "legal_guardian": "Legal guardian"},
}


@dataclass(frozen=True)
class Card:
    """A performer's card as plain data, its labels in `language`. Never the birth date: the
    age alone (on the Seoul date)."""

    member_id: str
    language: str
    display_name: str
    age: int | None
    gender: str
    gender_label: str
    height_cm: int | None
    weight_kg: int | None
    bio: str
    skills: tuple[str, ...]
    languages: tuple[str, ...]
    representation: str
    representation_label: str
    agency_name: str
    photos: tuple[CardPhoto, ...]  # primary first
    credits: tuple[CardCredit, ...]  # newest first
    media: tuple[CardMedia, ...]
    contact: CardContact | None  # None: the member's visibility hides it from this reader
    # A minor's card shows her guardian instead of any contact of her own.
    guardian: CardGuardian | None = None

    @property
    def primary_photo(self) -> CardPhoto | None:
        return self.photos[0] if self.photos else None

    @property
    def other_photos(self) -> tuple[CardPhoto, ...]:
        return self.photos[1:]


def age_on(birth_date: date | None, today: date) -> int | None:
    """Full years (만 나이, Korea's legal age since 2023)."""
    if birth_date is None:
        return None
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def _duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def _photo(photo: Photo) -> CardPhoto:
    return CardPhoto(
        id=str(photo.pk),
        url=photo.image.url,
        thumbnail_url=photo.thumbnail.url,
        image_name=photo.image.name,
        thumbnail_name=photo.thumbnail.name,
        width=photo.width,
        height=photo.height,
        is_primary=photo.is_primary,
    )


def _media(link: MediaLink) -> CardMedia:
    return CardMedia(
        id=str(link.pk),
        kind=link.kind,
        kind_label=labels.label(labels.MEDIA_KIND, link.kind),
        url=link.url,
        title=link.title,
        host=hosts.media_host_name(link.url),
        duration_s=link.duration_s,
        duration=_duration(link.duration_s),
        thumbnail_url=hosts.media_thumbnail_url(link.url),
    )


def _credit(credit: Credit) -> CardCredit:
    return CardCredit(
        title=credit.title,
        year=credit.year,
        kind=credit.kind,
        kind_label=labels.label(labels.CREDIT_KIND, credit.kind),
        role_name=credit.role_name,
    )


def card_data(member: Member, *, language: str, for_application: bool = False) -> Card:
    """The card of `member`, its labels in `language` (ko/en). Contact details are on it only
    for the casting team of an application, and only when the member's `contact_visibility`
    allows that: a general link may be passed on to anyone. Four queries at most (none for
    the profile when the caller selected `member__profile`; one each for photos, credits and
    media)."""
    profile: Profile = member.profile
    prefetch_related_objects([profile], "photos", "credits", "media_links")
    today = timezone.localdate(timezone=SEOUL)
    age = age_on(profile.birth_date, today)
    minor = age is not None and age < account_selectors.MINOR_AGE
    # A minor's own contact details never leave on a card, whatever her visibility setting.
    show_contact = (
        not minor
        and for_application
        and profile.contact_visibility == Profile.ContactVisibility.APPLICATIONS
    )
    guardian = None
    if minor:
        consent = account_selectors.guardian_consent_given(member=member)
        if consent is not None:
            words = GUARDIAN_RELATIONSHIP["en" if language == "en" else "ko"]
            guardian = CardGuardian(
                name=consent.name,
                relationship_label=words.get(consent.relationship, consent.relationship),
                email=consent.email,
            )
    with translation.override(language):
        return Card(
            member_id=str(member.pk),
            language=language,
            display_name=profile.display_name,
            age=age,
            gender=profile.gender,
            gender_label=labels.label(labels.GENDER, profile.gender),
            height_cm=profile.height_cm,
            weight_kg=profile.weight_kg,
            bio=profile.bio,
            skills=tuple(profile.skills),
            languages=tuple(profile.languages),
            representation=profile.representation,
            representation_label=labels.label(labels.REPRESENTATION, profile.representation),
            agency_name=profile.agency_name,
            # Photo.Meta.ordering puts the primary first.
            photos=tuple(_photo(photo) for photo in profile.photos.all()),
            credits=tuple(_credit(credit) for credit in profile.credits.all()),
            media=tuple(_media(link) for link in profile.media_links.all()),
            contact=CardContact(email=member.email, phone=profile.phone) if show_contact else None,
            guardian=guardian,
        )


# --- Links ----------------------------------------------------------------------------------


def _live(now=None) -> Q:
    now = now or timezone.now()
    return Q(revoked_at__isnull=True) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def card_link_get_live(*, token: str) -> CardLink:
    """The live link behind a token, with its member and profile; NotFound for an unknown,
    expired, rotated or revoked token and for a member who is not active (suspended,
    withdrawn), all alike."""
    link = (
        CardLink.objects.select_related("member__profile")
        .filter(_live(), token_hash=card_token_hash(token), member__status=Member.Status.ACTIVE)
        .first()
    )
    if link is None or not hasattr(link.member, "profile"):
        raise NotFound("No such card.", code="card_not_found")
    return link


def card_link_get_general(*, member: Member) -> CardLink | None:
    """The member's live general link, if any."""
    return (
        CardLink.objects.filter(_live(), member=member, kind=CardLink.Kind.GENERAL)
        .order_by("-created_at")
        .first()
    )


def card_link_get_for_application(*, application_id: object) -> CardLink | None:
    return (
        CardLink.objects.filter(
            _live(), application_id=application_id, kind=CardLink.Kind.APPLICATION
        )
        .order_by("-created_at")
        .first()
    )


# --- Media ----------------------------------------------------------------------------------


def media_list_own(*, member_id: object) -> QuerySet[MediaLink]:
    return MediaLink.objects.filter(profile__member_id=member_id)


def media_get_own(*, member_id: object, media_id: object) -> MediaLink:
    link = media_list_own(member_id=member_id).filter(pk=media_id).first()
    if link is None:
        raise NotFound()
    return link
