"""DatabaseScheduler: declared entries written to the table, sends recorded at once, edits picked up, disabled entries left out."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.beat import Scheduler
from celery.schedules import crontab
from django.utils import timezone

from framework.scheduler.models import PeriodicTask
from framework.scheduler.schedulers import DatabaseScheduler
from framework.tasks import get_app

pytestmark = pytest.mark.django_db

DECLARED = {
    "tick": {"task": "tests.testapp.tasks.tick", "schedule": 30, "args": (1,), "options": {"queue": "ticks", "expires": 10}},
    "nightly": {"task": "tests.testapp.tasks.nightly", "schedule": crontab(minute="0", hour="4")},
}


@pytest.fixture
def app():
    app = get_app()
    saved, app.conf.beat_schedule = app.conf.beat_schedule, DECLARED
    yield app
    app.conf.beat_schedule = saved


def scheduler(app) -> DatabaseScheduler:
    return DatabaseScheduler(app=app)


def test_it_is_a_plain_celery_beat_scheduler() -> None:
    # What builds on beat's scheduler interface (leader election) composes with it.
    assert issubclass(DatabaseScheduler, Scheduler)


def test_declared_entries_are_written_to_the_table(app) -> None:
    scheduler(app)

    tick = PeriodicTask.objects.get(name="tick")
    assert (tick.task, tick.interval, tick.crontab, tick.args, tick.queue, tick.options) == (
        "tests.testapp.tasks.tick", 30, "", [1], "ticks", {"expires": 10}
    )
    assert PeriodicTask.objects.get(name="nightly").crontab == "0 4 * * *"
    # Results in the database expire: Celery's own cleanup is scheduled too.
    assert PeriodicTask.objects.get(name="celery.backend_cleanup").crontab == "0 4 * * *"


def test_the_schedule_holds_the_enabled_entries_with_their_options(app) -> None:
    PeriodicTask.objects.create(name="off", task="tests.testapp.tasks.tick", interval=5, enabled=False)

    schedule = scheduler(app).schedule

    assert "off" not in schedule
    assert schedule["tick"].options == {"queue": "ticks", "expires": 10}
    assert schedule["tick"].args == (1,)
    assert schedule["tick"].schedule.run_every == timedelta(seconds=30)


def test_a_restart_keeps_what_the_admin_disabled_and_takes_the_code_s_schedule(app) -> None:
    scheduler(app)
    PeriodicTask.objects.filter(name="tick").update(enabled=False, interval=999)

    scheduler(app)

    tick = PeriodicTask.objects.get(name="tick")
    assert (tick.enabled, tick.interval) == (False, 30)


def test_a_send_is_recorded_at_once_and_a_new_scheduler_starts_from_it(app) -> None:
    first = scheduler(app)
    sent_at = timezone.now()

    first.reserve(first.schedule["tick"])

    tick = PeriodicTask.objects.get(name="tick")
    assert tick.total_run_count == 1 and tick.last_run_at >= sent_at
    # Not taken for an edit: the schedule is not reloaded for it.
    assert first._current_stamp() == first._stamp
    restarted = scheduler(app).schedule["tick"]
    assert restarted.total_run_count == 1 and restarted.last_run_at == tick.last_run_at
    is_due, _ = restarted.is_due()
    assert not is_due


def test_an_edit_is_picked_up_within_max_interval(app) -> None:
    running = scheduler(app)
    running.max_interval = 0  # look at every read
    assert "tick" in running.schedule

    row = PeriodicTask.objects.get(name="tick")
    row.enabled = False
    row.save()
    PeriodicTask.objects.create(name="added", task="tests.testapp.tasks.tick", crontab="*/5 * * * *")

    assert "tick" not in running.schedule
    assert running.schedule["added"].schedule == crontab(minute="*/5")
