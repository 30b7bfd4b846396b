"""The periodic tasks' admin page: one schedule per entry, and enabling or disabling counts as an edit."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import path

from framework.scheduler.models import ONE_SCHEDULE, PeriodicTask

urlpatterns = [path("admin/", admin.site.urls)]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

PAGE = "/admin/framework_scheduler/periodictask/"


@pytest.fixture
def staff(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="x"))


def form(**fields: str) -> dict[str, str]:
    return {"name": "report", "task": "reports.tasks.nightly", "enabled": "on", "args": "[]", "kwargs": "{}", "options": "{}", **fields}


def test_the_list_shows_each_entry_with_its_schedule(client, staff):
    PeriodicTask.objects.create(name="report", task="reports.tasks.nightly", crontab="0 4 * * *")

    page = client.get(PAGE).content.decode()

    assert "report" in page and "crontab 0 4 * * *" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"interval": "60", "crontab": "0 4 * * *"}, ONE_SCHEDULE),
        ({}, ONE_SCHEDULE),
        ({"crontab": "every day"}, "&#x27;every day&#x27; is not a crontab (expected 5 fields"),
    ],
)
def test_an_entry_needs_exactly_one_valid_schedule(client, staff, fields, message):
    response = client.post(PAGE + "add/", form(**fields))

    assert response.status_code == 200 and message in response.content.decode()
    assert not PeriodicTask.objects.exists()


def test_adding_an_entry(client, staff):
    response = client.post(PAGE + "add/", form(interval="60", args="[1, 2]"))

    assert response.status_code == 302
    entry = PeriodicTask.objects.get()
    assert (entry.interval, entry.args, entry.enabled) == (60, [1, 2], True)


def test_disabling_moves_changed_at_so_that_the_scheduler_reloads(client, staff):
    entry = PeriodicTask.objects.create(name="report", task="reports.tasks.nightly", interval=60)
    before = entry.changed_at

    client.post(PAGE, {"action": "disable", "_selected_action": [entry.pk]})

    entry.refresh_from_db()
    assert not entry.enabled and entry.changed_at > before
