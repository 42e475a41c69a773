"""A member's applications to auditions, their status history, the reminders already sent and
the member's calendar feed. The lifecycle rules live in `applications.lifecycle`; every write
goes through `applications.services`."""

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

MESSAGE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 500


class Status(models.TextChoices):
    # In the contract's order; the last three are the ends (final).
    APPLIED = "applied", _("Applied")
    VIEWED = "viewed", _("Viewed")
    SHORTLISTED = "shortlisted", _("Shortlisted (document round passed)")
    AUDITION_SCHEDULED = "audition_scheduled", _("Audition scheduled")
    AUDITIONED = "auditioned", _("Auditioned")
    CALLBACK = "callback", _("Callback")
    CAST = "cast", _("Cast")
    NOT_SELECTED = "not_selected", _("Not selected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NO_RESPONSE = "no_response", _("No response")


class Application(models.Model):
    class Kind(models.TextChoices):
        # In the app: casting sees the snapshot, staff move the status. External: the member
        # applied on the source site and tracks it here themselves.
        IN_APP = "in_app", _("In the app")
        EXTERNAL = "external", _("On the source site")
        # Sent for the member to the address in the post (applications.sending); she tracks it.
        EMAIL = "email", _("By e-mail, sent by the app")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications"
    )
    audition = models.ForeignKey(
        "auditions.Audition", on_delete=models.CASCADE, related_name="applications"
    )
    # Crawls replace an audition's roles when the listing changes: the name is kept as well.
    role = models.ForeignKey(
        "auditions.Role",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    role_name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    message = models.TextField(max_length=MESSAGE_MAX_LENGTH, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.APPLIED)
    # What was sent (in-app only): the profile as it was, and copies of the primary photo,
    # so later profile edits or photo deletions do not change it.
    snapshot = models.JSONField(default=dict, blank=True, editable=False)
    # When the audition (the casting session) takes place, if the member or staff set it.
    audition_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(default=timezone.now)
    last_activity_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-last_activity_at", "-id")
        # Staff moving an application (the applicant is told): the admin's move form and actions.
        permissions = [("move_application", "Can move applications along the lifecycle")]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "audition"], name="application_one_per_member_audition"
            ),
        ]
        indexes = [
            models.Index(
                fields=["member", "-last_activity_at", "-id"], name="application_member_recent"
            ),
            models.Index(fields=["status", "last_activity_at"], name="application_status_idle"),
            models.Index(fields=["audition", "kind"], name="application_audition_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.audition_id} ({self.status})"


class ApplicationEmail(models.Model):
    """The e-mail an application sent, as it was sent: subject, body, the attachment's name and
    size, and the card as it stood (like an in-app application's snapshot), with the delivery's
    outcome copied from the outbox (emails.signals.email_outcome), which purges its rows after
    a month. One per application; the limits count these rows."""

    class Delivery(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="sent_email", primary_key=True
    )
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # From the post, never typed by the member: the platform is no open relay. The limit per
    # address compares it case-blind, so one poster counts once however the post spells it.
    to_email = models.EmailField(max_length=254)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment_name = models.CharField(max_length=200, blank=True)
    attachment_size = models.PositiveIntegerField(null=True, blank=True)
    card_snapshot = models.JSONField(default=dict, blank=True)
    outbox = models.ForeignKey(
        "emails.EmailMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    delivery = models.CharField(max_length=8, choices=Delivery.choices, default=Delivery.QUEUED)
    delivered_at = models.DateTimeField(null=True, blank=True)
    delivery_detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["member", "created_at"], name="app_email_member_day"),
            models.Index(
                fields=["member", "to_email", "created_at"], name="app_email_member_address"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.to_email} ({self.delivery})"


class ApplicationEvent(models.Model):
    """One entry of an application's history: a status change (or the creation, or a merge
    note), with who did it and when. Written in the same transaction as the change."""

    class Actor(models.TextChoices):
        MEMBER = "member", _("Member")
        STAFF = "staff", _("Staff")
        SYSTEM = "system", _("System")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=24, choices=Status.choices, blank=True)
    status = models.CharField(max_length=24, choices=Status.choices)
    note = models.CharField(max_length=NOTE_MAX_LENGTH, blank=True)
    actor_kind = models.CharField(max_length=8, choices=Actor.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [models.Index(fields=["application", "created_at"], name="app_event_timeline")]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.status} by {self.actor_kind}"


class ReminderSent(models.Model):
    """A reminder that went out. Inserted in the same transaction that queues the email, and
    unique per member, kind and subject: a task run twice or redelivered sends nothing twice."""

    class Kind(models.TextChoices):
        DEADLINE_D3 = "deadline_d3", _("Deadline in 3 days")
        DEADLINE_D1 = "deadline_d1", _("Deadline tomorrow")
        SHOOT = "shoot", _("Shoot date")
        AUDITION = "audition", _("Audition date")
        STALE = "stale", _("No news for a while")

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders_sent"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # What it was about, with the date it was for (audition id + deadline, application id +
    # shoot date ...), so a moved date earns a new reminder and an unchanged one never does.
    subject = models.CharField(max_length=120)
    email = models.ForeignKey(
        "emails.EmailMessage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind", "subject"], name="reminder_once_per_subject"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject} → {self.member_id}"


def new_calendar_token() -> str:
    """256 random bits: the token is the feed's only credential."""
    return secrets.token_urlsafe(32)


def calendar_token_hash(token: str) -> str:
    """What the database keeps of a feed token. A plain SHA-256 is enough (no salt, no slow
    hash): the token is 256 random bits, so there is nothing to guess or precompute, and the
    feed is found by an indexed lookup of the hash."""
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeed(models.Model):
    """A member's secret iCalendar URL. Only the token's hash is stored: the plain token is
    shown once, when the URL is created or rotated (security review #13.8), so a database dump
    or backup opens no calendar. Rotating replaces the hash; revoking deletes the row, so the
    old URL is a 404 at once."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_fetched_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar of {self.member_id}"
