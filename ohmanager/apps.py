from django.apps import AppConfig


class OhManagerConfig(AppConfig):
    name = "ohmanager"
    verbose_name = "Oh Manager platform"

    def ready(self) -> None:
        from ohmanager import strict_json

        strict_json.install()
