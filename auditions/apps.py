from django.apps import AppConfig


class AuditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "auditions"

    def ready(self) -> None:
        from auditions.services import alerts
        from crawlers.signals import crawl_run_finished

        # Instant saved-search alerts after each crawl run that created auditions.
        crawl_run_finished.connect(
            alerts.on_crawl_run_finished, dispatch_uid="auditions.instant_alerts"
        )
