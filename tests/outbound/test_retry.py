"""The retry rules: which methods, which failures, how long to wait, and the time budget."""

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from framework.services.retry import MAX_WAIT, backoff, may_retry, next_wait, retry_after, retry_status


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", "get"])
def test_idempotent_methods_may_be_retried(method):
    assert may_retry(method)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_other_methods_may_be_retried_only_with_an_idempotency_key(method):
    assert not may_retry(method)
    assert may_retry(method, idempotency_key="order-17")


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_statuses_that_say_not_now_are_retried(status):
    assert retry_status(status)


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 422, 500, 501])
def test_other_error_statuses_are_not_retried(status):
    assert not retry_status(status)


def test_backoff_doubles_with_each_attempt_and_jitters_its_second_half():
    assert [backoff(attempt, 0.2, jitter=lambda: 0.0) for attempt in (1, 2, 3)] == [0.1, 0.2, 0.4]
    assert [backoff(attempt, 0.2, jitter=lambda: 1.0) for attempt in (1, 2, 3)] == [0.2, 0.4, 0.8]


def test_backoff_is_capped_and_zero_without_a_base():
    assert backoff(30, 1.0, jitter=lambda: 1.0) == MAX_WAIT
    assert backoff(3, 0.0) == 0.0


def test_retry_after_reads_seconds_and_http_dates():
    now = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
    later = format_datetime(now + timedelta(seconds=7), usegmt=True)

    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after": later}, now=now.timestamp) == 7.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_the_wait_must_fit_in_what_is_left_of_the_budget():
    assert next_wait(1, base=0.2, remaining=5.0, jitter=lambda: 0.0) == 0.1
    assert next_wait(1, base=0.2, remaining=0.05, jitter=lambda: 0.0) is None


def test_retry_after_replaces_the_backoff_unless_it_exceeds_the_budget():
    assert next_wait(1, base=0.2, remaining=5.0, asked=2.0) == 2.0
    assert next_wait(1, base=0.2, remaining=5.0, asked=8.0) is None
    assert next_wait(1, base=0.2, remaining=500.0, asked=MAX_WAIT + 1) is None
