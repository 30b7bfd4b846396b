"""Request metrics: counted and timed by route pattern, method and status, in the access log's middleware."""

import pytest

from framework.observability.routes import UNMATCHED

from .conftest import value

pytestmark = pytest.mark.django_db

ROUTE = "/api/v1/books/{pk}/"


def test_requests_are_counted_and_timed_by_route_pattern_method_and_status(client, scrape):
    labels = {"route": ROUTE, "method": "GET", "status": "401"}
    before = scrape()

    for pk in (1, 2, 3):
        assert client.get(f"/api/v1/books/{pk}/").status_code == 401

    after = scrape()
    assert value(after, "http_requests_total", **labels) - value(before, "http_requests_total", **labels) == 3
    assert value(after, "http_request_duration_seconds_count", **labels) - value(before, "http_request_duration_seconds_count", **labels) == 3
    assert value(after, "http_request_duration_seconds_sum", **labels) > value(before, "http_request_duration_seconds_sum", **labels)
    # Never the path: no series per book.
    assert not [key for key in after if ("route", "/api/v1/books/1/") in key[1]]


def test_a_request_no_pattern_matched_is_counted_as_unmatched(client, scrape):
    labels = {"route": UNMATCHED, "method": "GET", "status": "404"}
    before = value(scrape(), "http_requests_total", **labels)

    client.get("/no/such/page/")

    assert value(scrape(), "http_requests_total", **labels) == before + 1


def test_an_unknown_method_is_counted_as_other(client, scrape):
    labels = {"route": "/health/", "method": "other", "status": "405"}
    before = value(scrape(), "http_requests_total", **labels)

    client.generic("BREW", "/health/")

    assert value(scrape(), "http_requests_total", **labels) == before + 1


def test_the_request_being_answered_is_in_flight_and_none_is_after(client, scrape):
    during = scrape()  # the scrape itself is in flight while it collects

    assert value(during, "http_requests_in_flight") == 1
    from prometheus_client import REGISTRY

    assert REGISTRY.get_sample_value("http_requests_in_flight") == 0


def test_requests_are_counted_with_the_access_log_off(client, scrape, settings):
    labels = {"route": "/health/", "method": "GET", "status": "200"}
    before = value(scrape(), "http_requests_total", **labels)
    settings.FRAMEWORK = {**settings.FRAMEWORK, "LOG_ACCESS": False}

    client.get("/health/")

    assert value(scrape(), "http_requests_total", **labels) == before + 1
