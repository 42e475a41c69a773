import json

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from accounts.models import Member
from ohmanager.schedules import PERIODIC_TASKS

pytestmark = pytest.mark.django_db


def test_setup_periodic_tasks_creates_each_task_once():
    call_command("setup_periodic_tasks")
    call_command("setup_periodic_tasks")

    names = set(PeriodicTask.objects.values_list("name", flat=True))
    assert {spec.name for spec in PERIODIC_TASKS} <= names
    assert PeriodicTask.objects.count() == len(PERIODIC_TASKS)


def test_setup_periodic_tasks_keeps_staff_retuning_unless_reset():
    call_command("setup_periodic_tasks")
    spec = PERIODIC_TASKS[0]
    staff_schedule = CrontabSchedule.objects.create(minute="5", hour="*/2")
    PeriodicTask.objects.filter(name=spec.name).update(crontab=staff_schedule, enabled=False)

    call_command("setup_periodic_tasks")
    kept = PeriodicTask.objects.get(name=spec.name)
    assert (kept.crontab_id, kept.enabled) == (staff_schedule.id, False)

    call_command("setup_periodic_tasks", "--reset")
    reset = PeriodicTask.objects.get(name=spec.name)
    assert reset.enabled is True
    assert reset.crontab.minute == spec.crontab["minute"]


def test_load_demo_data_is_idempotent_and_prints_the_admin_login(settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.VAR_DIR = tmp_path

    call_command("load_demo_data")
    first = capsys.readouterr().out
    call_command("load_demo_data")

    password = json.loads((tmp_path / "demo-credentials.json").read_text())["admin_password"]
    assert password in first
    admin = Member.objects.get(email="admin@ohmanager.local")
    assert admin.is_staff and admin.is_superuser and admin.check_password(password)
    assert Member.objects.filter(email="admin@ohmanager.local").count() == 1


def test_load_demo_data_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(Exception, match="DEBUG"):
        call_command("load_demo_data")


def test_load_demo_data_loads_the_example_sources_disabled_and_the_demo_source(
    settings, tmp_path, capsys
):
    import yaml

    from crawlers import demo as crawlers_demo
    from crawlers.models import CrawlSource

    settings.DEBUG = True
    settings.VAR_DIR = tmp_path
    examples = {
        entry["slug"]
        for entry in yaml.safe_load(crawlers_demo.EXAMPLE_SOURCES.read_text())["sources"]
    }

    call_command("load_demo_data")
    assert "manage.py crawl demo-casting-board" in capsys.readouterr().out
    sources = {source.slug: source for source in CrawlSource.objects.select_related(
        "periodic_task")}  # fmt: skip
    assert set(sources) == examples | {crawlers_demo.DEMO_SLUG}
    # Nothing reaches a real site unasked: the examples and their beat entries are off.
    assert not any(sources[slug].enabled or sources[slug].periodic_task.enabled
                   for slug in examples)  # fmt: skip
    demo = sources[crawlers_demo.DEMO_SLUG]
    assert demo.enabled and demo.periodic_task.enabled and demo.kind == "board"
    assert demo.start_urls == ["http://127.0.0.1:8765/demo/index.html"]

    # when: staff turn an example on, and `make run` runs again
    backstage = sources["backstage"]
    backstage.enabled = True
    backstage.save(update_fields=["enabled"])
    call_command("load_demo_data")

    # then: nothing doubled, staff's choice kept
    assert CrawlSource.objects.count() == len(sources)
    assert PeriodicTask.objects.filter(name__startswith="crawl: ").count() == len(sources)
    assert CrawlSource.objects.get(slug="backstage").enabled
