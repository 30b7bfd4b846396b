"""A project that kept periodic tasks in django-celery-beat (framework 0.1's store) finds them in the framework's own after `migrate`.

django-celery-beat admits no Django 6.1: this runs on the stack that can install it (Python 3.11, Django 5.2).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import django
import pytest

from tests.services import ON_CI

from .conftest import BIN, manage, run

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(django.VERSION >= (6, 1), reason="django-celery-beat admits no Django 6.1: tested on Django 5.2"),
]


@pytest.fixture(autouse=True)
def _django_celery_beat() -> None:
    if importlib.util.find_spec("django_celery_beat") is None:
        message = "django-celery-beat is not installed (the dev extra installs it on Python 3.11)"
        if ON_CI:
            pytest.fail(message, pytrace=False)
        pytest.skip(message)

OLD_ENTRIES = """
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask, SolarSchedule
every = IntervalSchedule.objects.create(every=2, period=IntervalSchedule.MINUTES)
nightly = CrontabSchedule.objects.create(minute="30", hour="3", day_of_week="1-5")
sun = SolarSchedule.objects.create(event="sunrise", latitude=48.85, longitude=2.35)
PeriodicTask.objects.create(name="sync", task="notes.tasks.count_words", interval=every, args="[7]", queue="sync", total_run_count=3)
PeriodicTask.objects.create(name="report", task="notes.tasks.report", crontab=nightly, kwargs='{"full": true}', enabled=False)
PeriodicTask.objects.create(name="dawn", task="notes.tasks.dawn", solar=sun)
"""

STORE = """
import json
from framework.scheduler.models import PeriodicTask
print(json.dumps({row.name: [row.task, row.interval, row.crontab, row.args, row.kwargs, row.queue, row.enabled, row.total_run_count]
                  for row in PeriodicTask.objects.all()}))
"""


def test_migrate_carries_django_celery_beats_entries_over(tmp_path: Path) -> None:
    assert run([str(BIN / "framework-admin"), "startproject", "mysite"], cwd=tmp_path).returncode == 0
    project = tmp_path / "mysite"
    settings = project / "mysite" / "settings.py"
    # As framework 0.1 had it: django-celery-beat installed, its tables filled, the new store not there yet.
    settings.write_text(settings.read_text() + '\nINSTALLED_APPS += ["django_celery_beat"]\n')
    for args in (["migrate"], ["migrate", "framework_scheduler", "zero"], ["shell", "-c", OLD_ENTRIES]):
        result = manage(project, *args)
        assert result.returncode == 0, result.stdout + result.stderr

    result = manage(project, "migrate")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Carried 2 periodic task(s) over from django-celery-beat" in result.stderr
    assert "'dawn' was not carried over from django-celery-beat: its solar schedule" in result.stderr
    store = json.loads(manage(project, "shell", "-c", STORE).stdout.strip().splitlines()[-1])
    assert store["sync"] == ["notes.tasks.count_words", 120, "", [7], {}, "sync", True, 3]
    assert store["report"] == ["notes.tasks.report", None, "30 3 * * 1-5", [], {"full": True}, "", False, 0]
    assert "dawn" not in store
