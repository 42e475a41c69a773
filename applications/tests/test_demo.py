"""`make run`'s demo data includes applications for the demo performer, made once."""

import pytest
from django.core.management import call_command

from applications.models import Application


@pytest.mark.django_db
def test_demo_data_gives_the_performer_applications_once(settings, tmp_path):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path

    call_command("load_demo_data")
    first = set(Application.objects.values_list("pk", "kind", "status"))
    call_command("load_demo_data")

    assert set(Application.objects.values_list("pk", "kind", "status")) == first
    kinds = {kind for _, kind, _ in first}
    statuses = {status for _, _, status in first}
    assert kinds == {"in_app", "external"}
    assert {"applied", "viewed", "audition_scheduled", "cast"} <= statuses
    in_app = Application.objects.get(kind="in_app")
    assert in_app.snapshot and in_app.history.count() == 1
