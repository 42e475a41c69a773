import secrets
import uuid
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.profiles.validators import StringListValidator, normalize_string_list
from auditions.models import Category, Region


class MemberManager(BaseUserManager["Member"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "Member":
        if not email:
            raise ValueError("A member needs an email address.")
        member = self.model(email=normalize_email(email), **fields)
        member.set_password(password)
        member.full_clean(exclude=["password"])
        member.save(using=self._db)
        return member

    def create_user(self, email: str, password: str | None = None, **fields) -> "Member":
        fields.setdefault("status", Member.Status.PENDING)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "Member":
        fields.update(status=Member.Status.ACTIVE, is_staff=True, is_superuser=True)
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "Member":
        return self.get(email=normalize_email(username))


def normalize_email(email: str) -> str:
    """One spelling per mailbox: trimmed and lower-cased (providers treat both parts alike)."""
    return email.strip().lower()


class Member(AbstractBaseUser, PermissionsMixin):
    """A person with an account: a performer, or staff when `is_staff` is set.

    Email is the login. The id is a UUID so that member ids in URLs reveal nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending verification")
        # Under 14 when signing up (or the birth date changed to under 14): can sign in, see
        # `me` and name a guardian, nothing else until the guardian consents (PIPA art. 22-2).
        PENDING_GUARDIAN = "pending_guardian", _("Waiting for a guardian's consent")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class SuspensionReason(models.TextChoices):
        STAFF = "staff", _("Suspended by staff")
        # Only these come back by themselves when the guardian consents again (issue #17).
        GUARDIAN_REVOKED = "guardian_revoked", _("The guardian revoked consent")

    class Language(models.TextChoices):
        KOREAN = "ko", "한국어"
        ENGLISH = "en", "English"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Stored normalised (see normalize_email), so a plain unique index is case-insensitive.
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    # Why a suspended member is suspended (blank otherwise): a renewed guardian consent
    # reactivates a guardian's suspension only, never a staff one.
    suspension_reason = models.CharField(
        max_length=24, choices=SuspensionReason.choices, blank=True, default="", editable=False
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.KOREAN)
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("Can sign in to the back office.")
    )
    # Set by staff when a member's e-mail applications bounce or are reported: she can still
    # record applications, but the platform sends nothing on her behalf (applications.sending).
    email_sending_paused = models.BooleanField(
        _("e-mail applications paused"),
        default=False,
        help_text=_("The platform sends no e-mail application on this member's behalf."),
    )
    date_joined = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MemberManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        # The admin's suspend/reactivate actions: narrower than change_member, which edits the
        # whole record (see accounts/admin.py and ohmanager/staff_groups.py).
        permissions = [
            ("suspend_member", "Can suspend and reactivate members"),
            ("pause_email_sending", "Can pause and resume a member's e-mail applications"),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def can_sign_in(self) -> bool:
        """Sessions work in these states; a pending guardian's child only reaches the few
        endpoints that let her wait for the consent (accounts.authentication)."""
        return self.status in SIGNED_IN_STATUSES

    @property
    def is_active(self) -> bool:  # read by Django's auth backends and the admin login
        return self.status == self.Status.ACTIVE

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)


SIGNED_IN_STATUSES = (Member.Status.ACTIVE, Member.Status.PENDING_GUARDIAN)


def new_session_id() -> str:
    """256 random bits, URL-safe: a session id is a bearer secret's anchor (ASVS V7: >= 128)."""
    return secrets.token_urlsafe(32)


# Bounds of the profile's list fields (the API serializers reuse them for their schema).
SKILLS_MAX = 30
LANGUAGES_MAX = 10
LIST_ITEM_MAX_LENGTH = 40
PHOTOS_MAX = 10
CREDITS_MAX = 200
HEIGHT_CM_RANGE = (50, 250)
WEIGHT_KG_RANGE = (10, 300)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)


def validate_birth_date(value: date) -> None:
    if value >= timezone.localdate():
        raise ValidationError(_("The birth date must be in the past."), code="future")
    if value < EARLIEST_BIRTH_DATE:
        raise ValidationError(_("The birth date is not plausible."), code="implausible")


def validate_credit_year(value: int) -> None:
    # Announced productions may be a few years ahead; before 1900 is a typo.
    if not 1900 <= value <= timezone.localdate().year + 5:
        raise ValidationError(_("The year is not plausible."), code="implausible")


def _range(bounds: tuple[int, int]) -> list:
    return [MinValueValidator(bounds[0]), MaxValueValidator(bounds[1])]


class Profile(models.Model):
    """What a performer sends to casting. Created empty at activation (with the storage prefix);
    the member fills it in through `me/profile`. Notification switches are read by the
    applications (reminders, nudges) and recommendations (saved-search alerts) features."""

    class Gender(models.TextChoices):
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        NONBINARY = "nonbinary", _("Non-binary")

    class Representation(models.TextChoices):
        FREELANCE = "freelance", _("Freelance")
        AGENCY = "agency", _("Agency")

    class ContactVisibility(models.TextChoices):
        # Contact details (email, phone) are never public; at most the casting teams the
        # member applies to see them.
        APPLICATIONS = "applications", _("Shown to casting teams I apply to")
        HIDDEN = "hidden", _("Hidden; casting contacts me through the app")

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=50, blank=True)
    birth_date = models.DateField(null=True, blank=True, validators=[validate_birth_date])
    gender = models.CharField(max_length=16, choices=Gender.choices, blank=True)
    height_cm = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_range(HEIGHT_CM_RANGE)
    )
    weight_kg = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=_range(WEIGHT_KG_RANGE)
    )
    bio = models.TextField(max_length=2000, blank=True)
    skills = models.JSONField(
        default=list,
        blank=True,
        validators=[StringListValidator(max_items=SKILLS_MAX, max_length=LIST_ITEM_MAX_LENGTH)],
        help_text=_("Dialects, dance styles, instruments, sports ..."),
    )
    languages = models.JSONField(
        default=list,
        blank=True,
        validators=[StringListValidator(max_items=LANGUAGES_MAX, max_length=LIST_ITEM_MAX_LENGTH)],
    )
    interests = models.JSONField(
        default=list,
        blank=True,
        validators=[StringListValidator(max_items=len(Category), choices=Category.values)],
        help_text=_("Audition categories the member wants to hear about."),
    )
    regions = models.JSONField(
        default=list,
        blank=True,
        validators=[StringListValidator(max_items=len(Region), choices=Region.values)],
        help_text=_("Where the member can work."),
    )
    representation = models.CharField(
        max_length=16, choices=Representation.choices, default=Representation.FREELANCE
    )
    agency_name = models.CharField(max_length=100, blank=True)
    phone = models.CharField(
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\+?[0-9][0-9\- ]{6,18}$", _("Enter a phone number."), code="phone")
        ],
    )
    contact_visibility = models.CharField(
        max_length=16, choices=ContactVisibility.choices, default=ContactVisibility.APPLICATIONS
    )
    # Read by the reminder and alert features; all on by default, each can be turned off.
    notify_deadline_reminders = models.BooleanField(
        default=True, help_text=_("Remind me before a bookmarked or applied audition closes.")
    )
    notify_shoot_reminders = models.BooleanField(
        default=True, help_text=_("Remind me before a shoot or audition date.")
    )
    notify_stale_applications = models.BooleanField(
        default=True, help_text=_("Nudge me about applications with no news for a while.")
    )
    notify_saved_search_alerts = models.BooleanField(
        default=True, help_text=_("Email me new auditions matching my saved searches.")
    )
    notify_recommendations = models.BooleanField(
        default=True, help_text=_("Email me auditions recommended for my profile.")
    )
    notify_card_viewed = models.BooleanField(
        default=True,
        help_text=_("Email me when a poster first opens the profile card of my application."),
    )
    # Every file of the member lives under this prefix of the default storage (local or S3).
    storage_prefix = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name or str(self.member_id)

    def clean_fields(self, exclude: Any = None) -> None:
        # Tidy the lists before the field validators see them (they refuse repeats).
        for name in ("skills", "languages", "interests", "regions"):
            setattr(self, name, normalize_string_list(getattr(self, name)))
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        super().clean()
        self.agency_name = self.agency_name.strip()
        if self.representation == self.Representation.FREELANCE:
            # "Freelance" and an agency's name contradict each other; the choice wins.
            self.agency_name = ""


class Photo(models.Model):
    """One profile photo: a normalised copy and a thumbnail, both stored under the member's
    prefix with random names. At most PHOTOS_MAX per profile; exactly one primary when any."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="photos")
    # Named by the photo service (random, under the member's prefix), never by the upload.
    image = models.FileField(max_length=200)
    thumbnail = models.FileField(max_length=200)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size_bytes = models.PositiveIntegerField()
    is_primary = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-is_primary", "created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["profile"],
                condition=models.Q(is_primary=True),
                name="one_primary_photo_per_profile",
            ),
        ]
        indexes = [models.Index(fields=["profile", "created_at"], name="photo_profile_created")]

    def __str__(self) -> str:
        return f"photo {self.id} of {self.profile_id}"


class Credit(models.Model):
    """A filmography entry. Listed newest first (year, then when it was added)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="credits")
    title = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(validators=[validate_credit_year])
    kind = models.CharField(max_length=16, choices=Category.choices)
    role_name = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-year", "-created_at", "-id")
        indexes = [
            models.Index(fields=["profile", "-year", "-created_at", "-id"], name="credit_newest")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    def clean(self) -> None:
        super().clean()
        self.title = " ".join(self.title.split())
        self.role_name = " ".join(self.role_name.split())


class MemberSession(models.Model):
    """A server-side login session. Every JWT names one; revoking it kills them all at once."""

    id = models.CharField(primary_key=True, max_length=64, default=new_session_id, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="sessions")
    user_agent = models.CharField(max_length=256, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_seen_at = models.DateTimeField(default=timezone.now)
    # Absolute expiry; the idle expiry is last_seen_at + ACCOUNTS_SESSION_IDLE_TIMEOUT.
    expires_at = models.DateTimeField()
    # The jti of the one refresh token that may still be used; rotation swaps it atomically.
    refresh_jti = models.CharField(max_length=64)
    previous_refresh_jti = models.CharField(max_length=64, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        indexes = [models.Index(fields=["member", "-created_at"], name="session_member_created")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    def idle_expires_at(self) -> datetime:
        return self.last_seen_at + settings.ACCOUNTS_SESSION_IDLE_TIMEOUT

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now and self.idle_expires_at() > now


class VerificationCode(models.Model):
    """A one-time code emailed to a member. Only an HMAC of it is stored."""

    class Purpose(models.TextChoices):
        SIGNUP = "signup", _("Sign-up")
        PASSWORD_RESET = "password_reset", _("Password reset")
        # Bound to the child's account; the guardian types it on the consent page.
        GUARDIAN_CONSENT = "guardian_consent", _("Guardian consent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="verification_codes")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128, editable=False)
    # A sign-up code activates the password chosen in the sign-up it was issued for (hashed
    # like Member.password), never the one of a later or earlier sign-up of the same address.
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    # When the sign-up this code belongs to was made; a resend keeps it, so the owner can tell
    # her sign-up from somebody else's.
    signed_up_at = models.DateTimeField(null=True, blank=True)
    # The birth date given with that sign-up; copied to the profile (its one home) on
    # activation, so a second sign-up of a pending address cannot change the first one's.
    birth_date = models.DateField(null=True, blank=True, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    consumed_at = models.DateTimeField(null=True, blank=True)
    # Set when a resend replaced this code.
    invalidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one live reset code per member: a new request replaces the old one.
            # Sign-up codes are one per sign-up (each bound to its own password), at most
            # SIGNUP_CODES_LIVE of them, kept by accounts.services.codes.
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(
                    purpose="password_reset", consumed_at__isnull=True, invalidated_at__isnull=True
                ),
                name="one_live_reset_code",
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="code_expires")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.member_id}"


# --- Profile card (issue #16): media links and the card's secret links ----------------------

MEDIA_LINKS_MAX = 20
MEDIA_URL_MAX_LENGTH = 500
MEDIA_TITLE_MAX_LENGTH = 200
# A reel is minutes; a full recorded play is a few hours. Past 6 h is a typo.
MEDIA_DURATION_MAX_S = 6 * 60 * 60


def validate_media_url(value: str) -> None:
    # Imported here: accounts.cards imports these models.
    from accounts.cards.hosts import media_url_check

    media_url_check(value)


class MediaLink(models.Model):
    """A video or audio link of the profile (reel, self-tape ...), on a known host only
    (accounts.cards.hosts): the card shows it as a link, with a thumbnail where the host's URL
    pattern gives one. At most MEDIA_LINKS_MAX per profile."""

    class Kind(models.TextChoices):
        REEL = "reel", _("Reel")
        SELF_TAPE = "self_tape", _("Self-tape")
        MONOLOGUE = "monologue", _("Monologue")
        MUSIC = "music", _("Music")
        OTHER = "other", _("Other")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="media_links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    url = models.CharField(max_length=MEDIA_URL_MAX_LENGTH, validators=[validate_media_url])
    title = models.CharField(max_length=MEDIA_TITLE_MAX_LENGTH, blank=True)
    duration_s = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MEDIA_DURATION_MAX_S)],
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["profile", "created_at"], name="media_profile_created")]

    def __str__(self) -> str:
        return self.title or self.url

    def clean(self) -> None:
        super().clean()
        self.url = self.url.strip()
        self.title = " ".join(self.title.split())


class CardLink(models.Model):
    """A secret link to the member's profile card (`/c/<token>`): the general one the member
    shares (at most one live), or one per e-mail application, so that a view tells which
    poster opened it. The token is stored hashed for the lookup, and sealed (encrypted with a
    key derived from SECRET_KEY) so the app can show the member her link again; see
    accounts.cards.tokens. Rotating revokes the old row and makes a new one, so an old URL
    is dead at once while its view counts stay on record."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General")
        APPLICATION = "application", _("Application")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="card_links")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    application = models.ForeignKey(
        "applications.Application",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="card_links",
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sealed_token = models.TextField(editable=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    views = models.PositiveIntegerField(default=0)
    first_viewed_at = models.DateTimeField(null=True, blank=True)
    last_viewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=models.Q(kind="general", revoked_at__isnull=True),
                name="one_live_general_card_link",
            ),
            models.UniqueConstraint(
                fields=["application"],
                condition=models.Q(kind="application", revoked_at__isnull=True),
                name="one_live_card_link_per_application",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="general", application__isnull=True)
                    | models.Q(kind="application", application__isnull=False)
                ),
                name="card_link_application_iff_kind",
            ),
        ]
        indexes = [models.Index(fields=["member", "kind"], name="card_link_member_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} card link of {self.member_id}"

    def is_live(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)


# --- Guardians (issue #17) ------------------------------------------------------------------

# The consent page's notice (templates/guardians/notice.*.html). A changed text is a new
# version: each consent record keeps the version its guardian read.
GUARDIAN_NOTICE_VERSION = "2026-12-01"


class GuardianConsent(models.Model):
    """A legal guardian's consent to the processing of a child's (under 14) personal data:
    requested by the child (`POST me/guardian`), given on the consent page with the e-mailed
    code, revoked from the link in any e-mail the guardian gets. Never edited once given: the
    record is what the service shows as proof (who, which notice, when, from where); a
    revocation only stamps it. A new consent after a revocation is a new record.

    The link's token is stored hashed (lookup) and sealed (so later e-mails to the guardian can
    carry the same revocation link), like the card links (accounts.cards.tokens)."""

    class Relationship(models.TextChoices):
        PARENT = "parent", _("Parent")
        LEGAL_GUARDIAN = "legal_guardian", _("Legal guardian")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        GIVEN = "given", _("Given")
        REVOKED = "revoked", _("Revoked")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="guardian_consents")
    name = models.CharField(max_length=100)
    relationship = models.CharField(max_length=16, choices=Relationship.choices)
    email = models.EmailField(max_length=254)
    phone = models.CharField(
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(r"^\+?[0-9][0-9\- ]{6,18}$", _("Enter a phone number."), code="phone")
        ],
    )
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.REQUESTED, db_index=True
    )
    notice_version = models.CharField(max_length=20, default=GUARDIAN_NOTICE_VERSION)
    requested_at = models.DateTimeField(default=timezone.now)
    # Asked again from the page of a revoked consent (accounts.services.guardians).
    renewal = models.BooleanField(default=False, editable=False)
    # A newer request replaced this one before it was answered.
    superseded_at = models.DateTimeField(null=True, blank=True)
    given_at = models.DateTimeField(null=True, blank=True)
    given_ip = models.GenericIPAddressField(null=True, blank=True)
    given_user_agent = models.CharField(max_length=256, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_ip = models.GenericIPAddressField(null=True, blank=True)
    revoked_user_agent = models.CharField(max_length=256, blank=True)
    # When the child's data was erased for want of a renewed consent (7 days after revoking).
    erased_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sealed_token = models.TextField(editable=False)

    class Meta:
        ordering = ("-requested_at", "-id")
        indexes = [
            models.Index(fields=["member", "-requested_at"], name="consent_member_requested"),
            models.Index(fields=["status", "revoked_at"], name="consent_status_revoked"),
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} consent for {self.member_id}"

    def clean(self) -> None:
        super().clean()
        self.name = " ".join(self.name.split())
        self.email = normalize_email(self.email)
