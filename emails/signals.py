"""`email_outcome`: sent once a message's fate is known (sent, or failed for good), inside the
transaction that records it, so an app that keeps its own copy of the outcome (an e-mail
application's `delivery`) changes with the outbox row or not at all.

Arguments: `message` (the EmailMessage, its status, sent_at/failed_at and detail set) and
`attachments` (a list of `(filename, size)` of what was attached; empty on a failure).
"""

from django.dispatch import Signal

email_outcome = Signal()
