import time
from datetime import timedelta

import pytest
from django.utils import timezone

from auditions import tasks
from auditions.models import Audition
from auditions.tests import factories
from ohmanager.schedules import PERIODIC_TASKS


def test_expiry_is_scheduled():
    assert "auditions.tasks.expire_auditions" in {spec.task for spec in PERIODIC_TASKS}


@pytest.mark.django_db
def test_expire_task_expires_past_deadlines(source):
    past = factories.audition(deadline=timezone.localdate() - timedelta(days=2))

    assert tasks.expire_auditions.delay().get() == 1

    past.refresh_from_db()
    assert past.status == "expired"


@pytest.mark.services
def test_expire_task_runs_on_a_real_worker(celery_worker_on_redis):
    factories.source()
    past = factories.audition(deadline=timezone.localdate() - timedelta(days=2))

    tasks.expire_auditions.delay()

    for _ in range(300):  # up to 30 s: a busy machine's worker is slow to pick it up
        if Audition.objects.get(pk=past.pk).status == "expired":
            break
        time.sleep(0.1)
    assert Audition.objects.get(pk=past.pk).status == "expired"
