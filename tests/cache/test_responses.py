"""Response caching of viewset actions, on local memory and on Redis."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings
from rest_framework.test import APIClient

from framework.cache import invalidate
from framework.conf.urls import cache_config
from tests.e2e.conftest import free_port
from tests.testapp.models import Book

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_for():
    def client_for(username):
        user, _ = get_user_model().objects.get_or_create(username=username)
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for


def titles(response):
    assert response.status_code == 200, response.content
    return [book["title"] for book in response.json()["results"]]


@pytest.fixture(autouse=True)
def debug():
    with override_settings(DEBUG=True):
        yield


def test_the_second_request_is_a_hit(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")

    first, second = ann.get("/api/v1/shelf/"), ann.get("/api/v1/shelf/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == "application/json"


def test_a_hit_answers_from_the_cache_not_the_database(cache_url, client_for, django_assert_num_queries):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/")

    with django_assert_num_queries(0):
        assert titles(ann.get("/api/v1/shelf/")) == ["ann: one"]


def test_one_users_cached_list_is_never_given_to_another(cache_url, client_for):
    Book.objects.create(title="ann: diary", pages=1)
    Book.objects.create(title="bob: notes", pages=2)
    ann, bob = client_for("ann"), client_for("bob")

    assert titles(ann.get("/api/v1/shelf/")) == ["ann: diary"]
    response = bob.get("/api/v1/shelf/")

    assert response["X-Cache"] == "miss"
    assert titles(response) == ["bob: notes"]
    assert titles(ann.get("/api/v1/shelf/")) == ["ann: diary"]


def test_a_cached_detail_is_not_given_to_another_user(cache_url, client_for):
    book = Book.objects.create(title="ann: diary", pages=1)
    ann, bob = client_for("ann"), client_for("bob")
    assert ann.get(f"/api/v1/shelf/{book.pk}/").status_code == 200

    assert bob.get(f"/api/v1/shelf/{book.pk}/").status_code == 404


def test_anonymous_requests_are_refused_before_the_cache(cache_url, client_for):
    Book.objects.create(title="ann: diary", pages=1)
    client_for("ann").get("/api/v1/shelf/")

    response = APIClient().get("/api/v1/shelf/")

    assert response.status_code == 401
    assert "diary" not in response.content.decode()


def test_the_credentials_sent_are_part_of_the_key(cache_url, client_for):
    # An API key can act without a user: two keys must not share answers even when request.user is the same.
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/", HTTP_AUTHORIZATION="Api-Key first")

    assert ann.get("/api/v1/shelf/", HTTP_AUTHORIZATION="Api-Key second")["X-Cache"] == "miss"
    assert ann.get("/api/v1/shelf/", HTTP_AUTHORIZATION="Api-Key first")["X-Cache"] == "hit"


def test_the_query_string_is_part_of_the_key(cache_url, client_for):
    for number in range(3):
        Book.objects.create(title=f"ann: {number}", pages=number)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/", {"page_size": 1})

    response = ann.get("/api/v1/shelf/", {"page_size": 2})

    assert response["X-Cache"] == "miss"
    assert len(titles(response)) == 2
    assert len(titles(ann.get("/api/v1/shelf/", {"page_size": 1}))) == 1


def test_the_accept_header_is_part_of_the_key(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/", HTTP_ACCEPT="application/json")

    response = ann.get("/api/v1/shelf/", HTTP_ACCEPT="text/html")

    assert response["X-Cache"] == "miss"
    assert response["Content-Type"].startswith("text/html")
    assert ann.get("/api/v1/shelf/", HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"


def test_create_update_and_delete_invalidate_lists_and_details(cache_url, client_for):
    ann = client_for("ann")
    assert titles(ann.get("/api/v1/shelf/")) == []

    created = ann.post("/api/v1/shelf/", {"title": "ann: new", "pages": 1}, format="json")
    assert created.status_code == 201
    assert titles(ann.get("/api/v1/shelf/")) == ["ann: new"]
    detail = f"/api/v1/shelf/{created.json()['id']}/"
    assert ann.get(detail).json()["pages"] == 1

    assert ann.patch(detail, {"pages": 7}, format="json").status_code == 200
    assert ann.get(detail).json()["pages"] == 7
    assert ann.get("/api/v1/shelf/").json()["results"][0]["pages"] == 7

    assert ann.delete(detail).status_code == 204
    assert titles(ann.get("/api/v1/shelf/")) == []
    assert ann.get(detail).status_code == 404


def test_a_failed_write_keeps_the_cache(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/")

    assert ann.post("/api/v1/shelf/", {"title": "ann: no pages"}, format="json").status_code == 400

    assert ann.get("/api/v1/shelf/")["X-Cache"] == "hit"


def test_a_save_outside_the_viewset_invalidates(cache_url, client_for):
    book = Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/")

    book.title = "ann: renamed"
    book.save()

    assert titles(ann.get("/api/v1/shelf/")) == ["ann: renamed"]


def test_invalidate_after_a_write_that_sends_no_signal(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/")
    Book.objects.update(pages=9)
    assert ann.get("/api/v1/shelf/")["X-Cache"] == "hit"

    invalidate(Book)

    response = ann.get("/api/v1/shelf/")
    assert response["X-Cache"] == "miss"
    assert response.json()["results"][0]["pages"] == 9


def test_a_public_view_shares_its_answers(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    client_for("ann").get("/api/v1/catalog/")

    response = client_for("bob").get("/api/v1/catalog/")

    assert response["X-Cache"] == "hit"
    assert titles(response) == ["ann: one"]


def test_a_decorated_action_is_cached_per_user(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    ann, bob = client_for("ann"), client_for("bob")
    ann.get("/api/v1/shelf/count/")

    assert ann.get("/api/v1/shelf/count/")["X-Cache"] == "hit"
    assert bob.get("/api/v1/shelf/count/").json() == {"count": 0}


def test_errors_are_not_cached(cache_url, client_for):
    ann = client_for("ann")
    assert ann.get("/api/v1/shelf/12345/").status_code == 404
    Book.objects.bulk_create([Book(pk=12345, title="ann: late", pages=1)])  # no signal, no invalidation

    assert ann.get("/api/v1/shelf/12345/").status_code == 200


def test_head_is_answered_from_the_cache(cache_url, client_for):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    ann.get("/api/v1/shelf/")

    response = ann.head("/api/v1/shelf/")

    assert response.status_code == 200
    assert response["X-Cache"] == "hit"


def test_no_x_cache_header_without_debug(cache_url, client_for):
    ann = client_for("ann")
    with override_settings(DEBUG=False):
        ann.get("/api/v1/shelf/")
        response = ann.get("/api/v1/shelf/")

    assert response.status_code == 200
    assert "X-Cache" not in response


def test_a_cache_outage_still_answers_from_the_database(client_for, caplog):
    Book.objects.create(title="ann: one", pages=1)
    ann = client_for("ann")
    config = cache_config(f"redis://127.0.0.1:{free_port()}/8")
    config["OPTIONS"]["RETRY_AFTER"] = 3600
    with override_settings(CACHES={"default": config}):
        first, second = ann.get("/api/v1/shelf/"), ann.get("/api/v1/shelf/")
        assert ann.post("/api/v1/shelf/", {"title": "ann: two", "pages": 2}, format="json").status_code == 201
        third = ann.get("/api/v1/shelf/")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "miss")
    assert titles(first) == titles(second) == ["ann: one"]
    assert titles(third) == ["ann: one", "ann: two"]
    assert len([r for r in caplog.records if r.name == "framework.cache" and r.levelno == logging.WARNING]) == 1


def test_a_hit_carries_its_own_request_id(cache_url, client_for):
    ann = client_for("ann")
    ann.get("/api/v1/shelf/", HTTP_X_REQUEST_ID="first-request")

    response = ann.get("/api/v1/shelf/", HTTP_X_REQUEST_ID="second-request")

    assert response["X-Cache"] == "hit"
    assert response["X-Request-ID"] == "second-request"
