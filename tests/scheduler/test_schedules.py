"""Declared schedules into the store's interval or crontab, and the crontab fields read through Celery's pickle protocol."""

from __future__ import annotations

from datetime import timedelta

import pytest
from celery.schedules import crontab, schedule

from framework.scheduler.schedules import UnsupportedSchedule, to_fields


def test_a_crontab_keeps_its_fields_in_crons_order() -> None:
    # Fails loudly if Celery's crontab stops giving its fields through __reduce__ in this order.
    fields = to_fields("nightly", crontab(minute="*/5", hour="4", day_of_week="1-5", day_of_month="1", month_of_year="6"))

    assert fields == {"interval": None, "crontab": "*/5 4 1 6 1-5"}


@pytest.mark.parametrize("value", [60, 60.0, timedelta(minutes=1), schedule(timedelta(seconds=60))])
def test_seconds_a_timedelta_and_a_plain_schedule_are_an_interval(value) -> None:
    assert to_fields("every-minute", value) == {"interval": 60, "crontab": ""}


def test_a_crontab_string_is_kept_as_written() -> None:
    assert to_fields("nightly", "0 4 * * *") == {"interval": None, "crontab": "0 4 * * *"}


def test_less_than_a_second_is_a_second() -> None:
    assert to_fields("fast", 0.2)["interval"] == 1


class on_weekdays(schedule):  # noqa: N801 -- named as Celery names its schedules
    """A schedule class of a project's own: its rule lives in code, not in two fields."""


def test_a_schedule_class_of_its_own_is_refused_naming_the_entry() -> None:
    with pytest.raises(UnsupportedSchedule, match=r"^weekdays: a on_weekdays schedule cannot be kept in the database"):
        to_fields("weekdays", on_weekdays(timedelta(days=1)))
