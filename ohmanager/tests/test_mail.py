"""Development e-mail: one readable .eml file per message (ohmanager/mail.py), chosen by the
local settings `make run` uses unless a real mail server is configured."""

import email
import email.policy
import os
import subprocess
import sys
from pathlib import Path

from django.core import mail
from django.core.mail import EmailMultiAlternatives

ROOT = Path(__file__).resolve().parents[2]


def test_each_message_is_written_as_an_eml_file_that_reads_back(settings, tmp_path):
    settings.EMAIL_BACKEND = "ohmanager.mail.EmlFileBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    message = EmailMultiAlternatives(
        subject="[오매니저] 인증 코드를 확인해 주세요",
        body="안녕하세요, 배우님.\n오매니저 가입을 마치려면 아래 코드를 입력해 주세요.",
        from_email="Oh Manager <no-reply@ohmanager.kr>",
        to=["배우 <actor@example.com>"],
    )
    message.attach_alternative("<p>안녕하세요, <b>배우님</b>.</p>", "text/html")

    assert message.send() == 1
    assert mail.send_mail("두 번째 메일", "본문입니다.", None, ["b@example.com"]) == 1

    files = sorted((tmp_path / "mail").glob("*.eml"))
    assert len(files) == 2 and not list((tmp_path / "mail").glob("*.log"))
    parsed = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files]
    first = next(p for p in parsed if "인증" in p["Subject"])
    assert first["Subject"] == "[오매니저] 인증 코드를 확인해 주세요"
    assert first["To"].addresses[0].addr_spec == "actor@example.com"
    assert "아래 코드를 입력해 주세요" in first.get_body(("plain",)).get_content()
    assert "<b>배우님</b>" in first.get_body(("html",)).get_content()
    # Readable as it is: the Korean text is in the file, not base64 or quoted-printable.
    text = next(f for f in files if "인증".encode() in f.read_bytes()).read_text("utf-8")
    assert "Subject: [오매니저] 인증 코드를 확인해 주세요\n" in text
    assert "To: 배우 <actor@example.com>\n" in text
    assert "오매니저 가입을 마치려면" in text


def test_local_settings_write_eml_files_unless_a_mail_server_is_set():
    def backend(**overrides: str) -> str:
        environment = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "EMAIL_"))
        }
        environment.update(
            DJANGO_SETTINGS_MODULE="ohmanager.settings.local",
            OHMANAGER_IGNORE_DOTENV="1",
            **overrides,
        )
        result = subprocess.run(
            [sys.executable, "-c", "from django.conf import settings; "
             "print(settings.EMAIL_BACKEND, settings.CRAWLER_ALLOW_PRIVATE_ADDRESSES)"],
            cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60, check=True,
        )  # fmt: skip
        return result.stdout.strip()

    assert backend() == "ohmanager.mail.EmlFileBackend True"
    assert backend(EMAIL_URL="smtp://127.0.0.1:2525").startswith(
        "django.core.mail.backends.smtp.EmailBackend"
    )
