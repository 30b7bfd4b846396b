"""Several schedulers: one leads (a lock with an expiry), another takes over, and no entry is sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from framework.scheduler.leader import Leadership
from framework.scheduler.models import PeriodicTask, SchedulerLock
from framework.scheduler.schedulers import DatabaseScheduler

from .test_schedulers import app  # noqa: F401 -- the fixture

pytestmark = pytest.mark.django_db


def look_again(*leaderships: Leadership) -> None:
    for leadership in leaderships:
        leadership._next_look = 0.0  # as CELERY_SCHEDULER_LOCK_TIMEOUT / 4 seconds later


def test_of_two_schedulers_one_leads_and_the_other_waits() -> None:
    first, second = Leadership(), Leadership()

    assert first.hold() is True
    assert second.hold() is False
    look_again(first, second)
    assert (first.hold(), second.hold()) == (True, False)  # the leader renews its lock
    assert SchedulerLock.objects.get().owner == first.owner


def test_another_takes_over_when_the_leader_stops_renewing_its_lock() -> None:
    dead, waiting = Leadership(), Leadership()
    assert dead.hold()

    SchedulerLock.objects.update(expires_at=timezone.now() - timedelta(seconds=1))  # the timeout, without a renewal
    look_again(waiting)

    assert waiting.hold() is True
    look_again(dead)
    assert dead.hold() is False  # back from a pause: it no longer leads


def test_a_leader_that_stops_cleanly_hands_over_at_once() -> None:
    leader, waiting = Leadership(), Leadership()
    assert leader.hold() and not waiting.hold()

    leader.release()
    look_again(waiting)

    assert waiting.hold() is True


def test_the_lock_lasts_the_timeout_and_is_looked_at_four_times_in_it(settings) -> None:
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_SCHEDULER_LOCK_TIMEOUT": 8}
    leader = Leadership()
    before = timezone.now()

    assert leader.hold()

    expires = SchedulerLock.objects.get().expires_at
    assert timedelta(seconds=8) <= expires - before <= timedelta(seconds=9)
    assert leader.interval == 2


def test_a_scheduler_that_does_not_lead_sends_nothing(app) -> None:  # noqa: F811
    leader, follower = DatabaseScheduler(app=app), DatabaseScheduler(app=app)
    assert leader.leadership.hold()

    assert follower.tick() == follower.leadership.interval
    assert PeriodicTask.objects.get(name="tick").total_run_count == 0


def test_an_entry_another_scheduler_sent_for_this_time_is_not_sent_again(app) -> None:  # noqa: F811
    first, second = DatabaseScheduler(app=app), DatabaseScheduler(app=app)
    stale = second.schedule["tick"]  # read before the first one sent it

    first.reserve(first.schedule["tick"])
    second.reserve(stale)

    assert PeriodicTask.objects.get(name="tick").total_run_count == 1
    assert "tick" in second._sent_elsewhere  # its apply_entry() skips this send
