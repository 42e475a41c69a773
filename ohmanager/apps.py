from django.apps import AppConfig


class OhManagerConfig(AppConfig):
    name = "ohmanager"
    verbose_name = "Oh Manager platform"
