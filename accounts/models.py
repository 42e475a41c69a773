import uuid

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
