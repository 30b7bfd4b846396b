"""/metrics: the Prometheus text format, closed by default, opened by the allow-list or the token."""

import pytest
from prometheus_client.parser import text_string_to_metric_families

from framework.observability.access import CLOSED, WRONG_TOKEN

TOKEN = "a-long-random-scrape-token"
PROBLEM = "application/problem+json"

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.FRAMEWORK = {**settings.FRAMEWORK, "METRICS_ALLOWED_ADDRESSES": [], "METRICS_TOKEN": None}
    return settings


def open_to(settings, **values):
    settings.FRAMEWORK = {**settings.FRAMEWORK, **values}


def assert_refused(response, detail):
    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert (body["status"], body["code"], body["detail"]) == (403, "permission_denied", detail)
    assert body["request_id"] == response["X-Request-ID"]


def test_closed_by_default_with_debug_off_even_from_loopback(client, production):
    assert_refused(client.get("/metrics", REMOTE_ADDR="127.0.0.1"), CLOSED)


def test_with_debug_on_loopback_reads_them_in_the_text_format(client, settings):
    settings.DEBUG = True

    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    names = {family.name for family in text_string_to_metric_families(response.content.decode())}
    assert {"http_requests", "http_request_duration_seconds", "http_requests_in_flight"} <= names


def test_with_debug_on_another_address_is_refused(client, settings):
    settings.DEBUG = True

    assert_refused(client.get("/metrics", REMOTE_ADDR="10.1.2.3"), CLOSED)


@pytest.mark.parametrize("address", ["10.1.2.3", "192.168.1.5", "::ffff:10.9.9.9", "fd00::1"])
def test_the_allow_list_opens_them_to_its_addresses_and_networks(client, production, address):
    open_to(production, METRICS_ALLOWED_ADDRESSES=["10.0.0.0/8", "192.168.1.5", "fd00::/8"])

    assert client.get("/metrics", REMOTE_ADDR=address).status_code == 200


@pytest.mark.parametrize("address", ["192.168.1.6", "127.0.0.1", "fe80::1", "not-an-address"])
def test_the_allow_list_refuses_other_addresses(client, production, address):
    open_to(production, METRICS_ALLOWED_ADDRESSES=["10.0.0.0/8", "192.168.1.5", "fd00::/8"])

    assert_refused(client.get("/metrics", REMOTE_ADDR=address), CLOSED)


def test_the_token_opens_them_from_any_address(client, production):
    open_to(production, METRICS_TOKEN=TOKEN)

    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").status_code == 200


def test_a_wrong_token_is_refused_and_said_so(client, production):
    open_to(production, METRICS_TOKEN=TOKEN)

    assert_refused(client.get("/metrics", HTTP_AUTHORIZATION="Bearer not-the-token"), WRONG_TOKEN)


@pytest.mark.parametrize("authorization", [None, f"Basic {TOKEN}", "Bearer "])
def test_no_bearer_token_is_refused(client, production, authorization):
    open_to(production, METRICS_TOKEN=TOKEN)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}

    assert_refused(client.get("/metrics", **headers), CLOSED)


def test_a_bearer_token_when_none_is_set_opens_nothing(client, production):
    assert_refused(client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}"), CLOSED)


def test_only_get_and_head_are_answered(client, production):
    open_to(production, METRICS_TOKEN=TOKEN)

    response = client.post("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")

    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
    assert response["Content-Type"] == PROBLEM


def test_openmetrics_when_the_scraper_asks_for_it(client, production):
    open_to(production, METRICS_TOKEN=TOKEN)

    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", HTTP_ACCEPT="application/openmetrics-text; version=1.0.0")

    assert response["Content-Type"].startswith("application/openmetrics-text")
    assert response.content.decode().endswith("# EOF\n")


def test_successful_scrapes_stay_out_of_the_access_log(client, production, caplog):
    open_to(production, METRICS_TOKEN=TOKEN)

    client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    client.get("/metrics")

    lines = [record for record in caplog.records if record.name == "framework.access"]
    assert [record.status for record in lines] == [403]
