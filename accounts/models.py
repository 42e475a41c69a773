import secrets
import uuid
from datetime import datetime

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Language(models.TextChoices):
        KOREAN = "ko", "한국어"
        ENGLISH = "en", "English"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Stored normalised (see normalize_email), so a plain unique index is case-insensitive.
    email = models.EmailField(_("email address"), max_length=254, unique=True)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.KOREAN)
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("Can sign in to the back office.")
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

    def __str__(self) -> str:
        return self.email

    @property
    def is_active(self) -> bool:  # read by Django's auth backends and the admin login
        return self.status == self.Status.ACTIVE

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email)


def new_session_id() -> str:
    """256 random bits, URL-safe: a session id is a bearer secret's anchor (ASVS V7: >= 128)."""
    return secrets.token_urlsafe(32)


class Profile(models.Model):
    """The member's public face. Created empty at activation; the profile issue fills it in."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=50, blank=True)
    # Every file of the member lives under this prefix of the default storage (local or S3).
    storage_prefix = models.CharField(max_length=80, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.display_name or str(self.member_id)


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

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="verification_codes")
    purpose = models.CharField(max_length=20, choices=Purpose.choices)
    code_hash = models.CharField(max_length=128, editable=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    consumed_at = models.DateTimeField(null=True, blank=True)
    # Set when a resend replaced this code.
    invalidated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # At most one live code per member and purpose: a resend replaces the old one.
            models.UniqueConstraint(
                fields=["member", "purpose"],
                condition=models.Q(consumed_at__isnull=True, invalidated_at__isnull=True),
                name="one_live_code_per_purpose",
            ),
        ]
        indexes = [models.Index(fields=["expires_at"], name="code_expires")]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} code for {self.member_id}"


class EmailMessage(models.Model):
    """The outbox: one row per email we mean to send, so a redelivered task sends it once.

    Secrets (codes) are never stored here; they travel only in the task's message.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_email = models.EmailField(max_length=254)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=2, choices=Member.Language.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["status", "created_at"], name="email_status_created")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to_email} ({self.status})"
