"""Django's Tasks API on the framework's Celery: enqueue, options mapped or refused, results read back."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from celery import Celery
from django.core.checks import Error
from django.db import transaction
from django.utils import timezone

from framework.logging.request_id import reset_request_id, set_request_id
from framework.tasks import api
from framework.tasks.backend import CeleryBackend, celery_priority, check_run_after
from framework.tasks.checks import E003, E003_HINT, check_old_tasks_options
from tests.testapp.models import Book
from tests.testapp.tasks import async_double, double, flaky_standard, refuse, standard_request_id, which_attempt

pytestmark = pytest.mark.django_db


def finished(result: api.TaskResult, timeout: float = 30) -> api.TaskResult:
    """`result`, refreshed until its task has finished."""
    deadline = time.monotonic() + timeout
    while not result.is_finished:
        assert time.monotonic() < deadline, f"task {result.id} not finished after {timeout} s: {result.status}"
        time.sleep(0.1)
        result.refresh()
    return result


def app_on(broker: str, **conf: object) -> Celery:
    app = Celery("options", broker=broker, set_as_current=False)
    app.conf.update(conf)
    return app


def test_the_default_task_backend_is_the_framework_s() -> None:
    assert isinstance(api.task_backends["default"], CeleryBackend)


def test_an_enqueued_task_runs_and_its_result_is_read_back(tasks_eager) -> None:
    result = double.enqueue(21)

    assert result.status == api.TaskResultStatus.SUCCESSFUL and result.return_value == 42
    again = double.get_result(result.id)
    assert (again.status, again.return_value, again.args, again.kwargs) == (api.TaskResultStatus.SUCCESSFUL, 42, [21], {})
    assert again.enqueued_at <= again.started_at <= again.finished_at
    assert again.attempts == 1


def test_an_async_function_runs_too(tasks_eager) -> None:
    assert async_double.enqueue(number=4).return_value == 8


def test_a_task_that_takes_context_gets_its_result_and_attempt(tasks_eager) -> None:
    result = which_attempt.enqueue("first")

    assert result.return_value == {"label": "first", "attempt": 1, "result_id": result.id}


def test_the_request_id_travels_into_the_task(tasks_eager) -> None:
    token = set_request_id("req-42")
    try:
        result = standard_request_id.enqueue()
    finally:
        reset_request_id(token)

    assert result.return_value == "req-42"


def test_inside_a_transaction_the_task_is_sent_when_it_commits(tasks_eager, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            result = double.enqueue(1)
            result.refresh()
            assert result.status == api.TaskResultStatus.READY  # not sent yet

    result.refresh()
    assert result.status == api.TaskResultStatus.SUCCESSFUL


def test_an_argument_that_is_not_json_is_refused_at_enqueue_naming_it(tasks_eager) -> None:
    book = Book.objects.create(title="t", pages=1)

    with pytest.raises(TypeError) as refused:
        double.enqueue(book)

    assert str(refused.value).startswith(
        "tests.testapp.tasks.double: argument 'number' is a tests.testapp.models.Book, which cannot travel as JSON"
    )
    with pytest.raises(TypeError, match=r"argument 'label' is a set"):
        which_attempt.enqueue(label={1})


def test_an_unknown_result_id_does_not_exist() -> None:
    with pytest.raises(api.TaskResultDoesNotExist, match="No task result with id 'nope'"):
        double.get_result("nope")


def test_a_priority_on_the_embedded_broker_is_refused_at_enqueue() -> None:
    with pytest.raises(api.InvalidTask) as refused:
        double.using(priority=5).enqueue(1)

    assert str(refused.value) == (
        "tests.testapp.tasks.double: priority 5 cannot be honoured by the embedded broker: it runs tasks "
        "in the order they were sent (priority 0 only); use Redis for priorities"
    )


@pytest.mark.parametrize(("priority", "celery"), [(0, None), (-1, 1), (-9, 9)])
def test_on_redis_a_lower_priority_is_a_higher_number(priority: int, celery: int | None) -> None:
    assert celery_priority(double.using(priority=priority), app_on("redis://127.0.0.1:6379/0")) == celery


@pytest.mark.parametrize("priority", [1, -10, 100])
def test_on_redis_a_priority_outside_its_range_is_refused_naming_the_range(priority: int) -> None:
    with pytest.raises(api.InvalidTask, match=rf"priority {priority} cannot be honoured by the Redis broker: it runs tasks by priority from -9 to 0"):
        celery_priority(double.using(priority=priority), app_on("redis://127.0.0.1:6379/0"))


def test_on_rabbitmq_priorities_need_queues_that_order_them() -> None:
    with pytest.raises(api.InvalidTask, match="set CELERY_TASK_QUEUE_MAX_PRIORITY"):
        celery_priority(double.using(priority=3), app_on("amqp://guest@127.0.0.1//"))
    ordered = app_on("amqp://guest@127.0.0.1//", task_queue_max_priority=10)
    assert celery_priority(double.using(priority=3), ordered) == 3
    with pytest.raises(api.InvalidTask, match="from 0 \\(the default\\) to 10"):
        celery_priority(double.using(priority=11), ordered)


def test_run_after_beyond_the_visibility_timeout_is_accepted_with_the_outbox() -> None:
    app = app_on("redis://127.0.0.1:6379/0", broker_transport_options={"visibility_timeout": 3600})

    check_run_after(double.using(run_after=timezone.now() + timedelta(hours=2)), app)  # it waits in the outbox


def test_without_the_outbox_run_after_beyond_the_visibility_timeout_is_refused(settings) -> None:
    settings.FRAMEWORK = {**settings.FRAMEWORK, "CELERY_OUTBOX": False}
    app = app_on("redis://127.0.0.1:6379/0", broker_transport_options={"visibility_timeout": 3600})

    check_run_after(double.using(run_after=timezone.now() + timedelta(minutes=30)), app)
    with pytest.raises(api.InvalidTask, match="beyond the Redis broker's visibility timeout \\(3600 s\\): the task would run twice"):
        check_run_after(double.using(run_after=timezone.now() + timedelta(hours=2)), app)


def test_run_after_must_be_aware() -> None:
    with pytest.raises(api.InvalidTask, match="run_after must be an aware datetime"):
        double.using(run_after=timezone.now().replace(tzinfo=None))


def test_the_framework_s_old_options_in_tasks_are_an_error_naming_the_new_variable(settings) -> None:
    settings.TASKS = {**settings.TASKS, "MAX_RETRIES": 3}

    assert check_old_tasks_options() == [
        Error(
            E003.format(key="MAX_RETRIES"), hint=E003_HINT.format(new="CELERY_TASK_MAX_RETRIES"), id="framework.E003"
        )
    ]


def test_django_s_own_tasks_setting_passes_the_check() -> None:
    assert check_old_tasks_options() == []


def test_a_real_worker_runs_it_and_the_result_comes_back(task_worker) -> None:
    result = finished(double.enqueue(21))

    assert (result.status, result.return_value) == (api.TaskResultStatus.SUCCESSFUL, 42)
    assert result.worker_ids and result.worker_ids[0] != "eager"
    assert result.started_at and result.finished_at
    assert "framework.tasks.run_django_task" in task_worker.output()


def test_a_failure_in_the_worker_is_read_back_with_its_error(task_worker) -> None:
    result = finished(refuse.enqueue("no, thank you"))

    assert result.status == api.TaskResultStatus.FAILED
    [error] = result.errors
    assert error.exception_class is ValueError
    assert "no, thank you" in error.traceback
    with pytest.raises(ValueError, match="Task failed"):
        result.return_value  # noqa: B018


def test_a_transient_error_is_retried_by_the_worker(task_worker, tmp_path) -> None:
    result = finished(flaky_standard.enqueue(str(tmp_path / "attempts"), 1))

    assert (result.status, result.return_value) == (api.TaskResultStatus.SUCCESSFUL, 2)
    assert result.attempts == 2
