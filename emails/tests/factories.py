from emails.models import EmailMessage


def outbox_row(**overrides) -> EmailMessage:
    """An outbox row as email_enqueue records it, without queueing its task."""
    fields = {"to_email": "someone@example.kr", "template": "signup_code", "language": "ko"}
    return EmailMessage.objects.create(**{**fields, **overrides})
