from django.apps import AppConfig


class AuditionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "auditions"
