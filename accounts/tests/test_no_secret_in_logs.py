"""Security review #13.1 in `make test`: codes travel only inside the sealed outbox row, never as
a task argument or in a log field. (The drill with a real worker and gunicorn at DEBUG is
ohmanager/tests/faults/test_no_secret_in_logs.py.)"""

import logging

import pytest
from celery.signals import task_prerun
from cryptography.fernet import InvalidToken
from django.core import mail

from accounts import services
from accounts.tests.conftest import last_code
from accounts.tests.factories import ADULT_BIRTH_DATE_ISO, PASSWORD, MemberFactory
from emails.models import EmailMessage
from emails.services import email_context_open, email_context_seal
from ohmanager.logging import JsonFormatter

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def task_arguments():
    """Every task's args and kwargs as the worker would log them."""
    seen: list[str] = []

    def record(sender=None, args=None, kwargs=None, **_):
        seen.append(f"{sender.name} {args!r} {kwargs!r}")

    task_prerun.connect(record, weak=False)
    yield seen
    task_prerun.disconnect(record)


def test_sign_up_and_reset_codes_are_in_no_task_argument_and_no_log_line(
    api_client, task_arguments, caplog
):
    caplog.set_level(logging.DEBUG)
    email = "nosecret@example.kr"
    api_client.post(
        "/api/v1/auth/signup",
        {"email": email, "password": PASSWORD, "birth_date": ADULT_BIRTH_DATE_ISO},
    )
    signup_code = last_code(email)
    api_client.post("/api/v1/auth/verify", {"email": email, "code": signup_code})
    api_client.post("/api/v1/auth/password/reset", {"email": email})
    reset_code = last_code(email)

    assert any("emails.tasks.email_deliver" in call for call in task_arguments)
    logged = "\n".join(JsonFormatter().format(record) for record in caplog.records)
    for code in (signup_code, reset_code):
        assert not [call for call in task_arguments if code in call]
        assert code not in logged


def test_the_json_log_writes_only_its_own_fields():
    record = logging.makeLogRecord(
        {
            "msg": "Task %s received",
            "args": ("emails.tasks.email_deliver",),
            "levelno": logging.INFO,
            "levelname": "INFO",
            # what Celery attaches to its "received" line
            "data": {"args": "('id', {'code': '123456'})"},
            "path": "/api/v1/auditions",
            "status": 200,
        }
    )

    line = JsonFormatter().format(record)

    assert "123456" not in line
    assert '"path": "/api/v1/auditions"' in line and '"status": 200' in line


@pytest.mark.django_db  # a test transaction, so the commit hooks can be held back
def test_a_queued_message_holds_its_context_sealed_and_drops_it_once_sent(
    django_capture_on_commit_callbacks,
):
    member = MemberFactory()
    with django_capture_on_commit_callbacks(execute=False) as sends:
        services.password_reset_request(email=member.email)
    queued = EmailMessage.objects.get(member=member, template="password_reset_code")

    for send in sends:  # the commit hooks: the task, with the row id only
        send()

    code = last_code(member.email)
    assert queued.sealed_context and code not in queued.sealed_context
    assert email_context_open(queued.sealed_context)["code"] == code
    assert EmailMessage.objects.get(pk=queued.pk).sealed_context == ""


def test_a_tampered_sealed_context_is_refused():
    sealed = email_context_seal({"code": "123456"})
    tampered = sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")

    with pytest.raises(InvalidToken):
        email_context_open(tampered)
    assert mail.outbox == []


def test_a_presigned_photo_url_leaves_no_signature_in_a_debug_log(caplog):
    import boto3

    caplog.set_level(logging.DEBUG)  # the root at DEBUG, as LOG_LEVEL=DEBUG would set it
    client = boto3.client(
        "s3",
        region_name="ap-northeast-2",
        aws_access_key_id="AKIATESTONLY0000000",
        aws_secret_access_key="test-only-secret",
    )

    url = client.generate_presigned_url(
        "get_object", Params={"Bucket": "ohmanager-test", "Key": "members/x/photo.jpg"}
    )

    signature = url.split("X-Amz-Signature=")[1].split("&")[0]
    assert signature not in caplog.text
