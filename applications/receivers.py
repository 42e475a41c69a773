"""The outbox's outcome, copied onto the e-mail application it belongs to: the member sees
`delivery` (queued, sent with the time, failed with the server's answer) long after the outbox
row is purged. Connected in ApplicationsConfig.ready."""

from typing import Any

from django.dispatch import receiver

from applications.models import ApplicationEmail
from emails.models import EmailMessage
from emails.signals import email_outcome


@receiver(email_outcome, sender=EmailMessage, dispatch_uid="applications.delivery")
def application_delivery_record(
    sender: Any, *, message: EmailMessage, attachments: list[tuple[str, int]], **_: Any
) -> None:
    sent = message.status == EmailMessage.Status.SENT
    fields: dict[str, Any] = {
        "delivery": ApplicationEmail.Delivery.SENT if sent else ApplicationEmail.Delivery.FAILED,
        "delivered_at": message.sent_at if sent else message.failed_at,
        "delivery_detail": "" if sent else message.detail,
    }
    if sent:
        name, size = attachments[0] if attachments else ("", None)
        fields.update(attachment_name=name, attachment_size=size)
    ApplicationEmail.objects.filter(outbox=message).update(**fields)
