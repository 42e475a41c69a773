from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "applications"

    def ready(self) -> None:
        # The outbox's outcome receiver and the card PDF's attachment builder register here.
        from applications import receivers, sending  # noqa: F401
