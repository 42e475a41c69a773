from django.apps import AppConfig


class OhManagerConfig(AppConfig):
    name = "ohmanager"
    verbose_name = "Oh Manager platform"

    def ready(self) -> None:
        from ohmanager.pdf.availability import announce_if_unavailable

        # One log line where the card's PDF cannot be made (not a check: see the module).
        announce_if_unavailable()
