import json
import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ohmanager import demo


class Command(BaseCommand):
    help = "Loads believable demo data for a local run. Idempotent; refuses to run without DEBUG."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError("Demo data is for local runs (DEBUG on); pass --force to insist.")
        credentials = self._credentials()
        with transaction.atomic():
            summary = demo.load(
                admin_password=credentials["admin_password"],
                performer_password=credentials["performer_password"],
            )
        for line in summary:
            self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS(
                f"Back office: http://127.0.0.1:8000/admin/  login {demo.ADMIN_EMAIL} / "
                f"{credentials['admin_password']}\n"
                f"Demo performer for the API: {demo.PERFORMER_EMAIL} / "
                f"{credentials['performer_password']}"
            )
        )

    @staticmethod
    def _credentials() -> dict[str, str]:
        """Random passwords, made once per checkout and kept in var/ (never committed)."""
        path = settings.VAR_DIR / "demo-credentials.json"
        if path.exists():
            return json.loads(path.read_text())
        credentials = {
            "admin_password": secrets.token_urlsafe(12),
            "performer_password": secrets.token_urlsafe(12),
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(credentials))
        path.chmod(0o600)
        return credentials
