import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Member


class EmailMessage(models.Model):
    """The outbox: one row per email we mean to send, so a redelivered task sends it once.

    `sealed_context` (the template context, which may hold a code) is encrypted at rest
    (emails.services.email_context_seal) and lives here only while the message is queued, so a
    message whose task never reached the broker can still be sent later (the periodic
    `email_outbox_flush`); sending it empties the field. The task gets the row id only.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        # The SMTP server refused it for good (a 5xx answer), or every retry failed.
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    to_email = models.EmailField(max_length=254)
    # Mail sent on a member's behalf (an e-mail application): the platform's address with her
    # name as the display name, her address as Reply-To, a guardian copied.
    from_name = models.CharField(max_length=100, blank=True)
    reply_to = models.EmailField(max_length=254, blank=True)
    cc = models.EmailField(max_length=254, blank=True)
    # What to attach, as specs the registered builders turn into files when the mail is sent
    # (emails.attachments): the files themselves are never stored here.
    attachments = models.JSONField(default=list, blank=True, editable=False)
    template = models.CharField(max_length=64)
    language = models.CharField(max_length=2, choices=Member.Language.choices)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    sealed_context = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    # The first line of the SMTP server's last refusal, for the member and staff.
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        # The table of the release that kept the outbox in accounts: the move renamed nothing
        # in the database, so processes of that release keep working during the deploy.
        db_table = "accounts_emailmessage"
        indexes = [models.Index(fields=["status", "created_at"], name="email_status_created")]

    def __str__(self) -> str:
        return f"{self.template} to {self.to_email} ({self.status})"
