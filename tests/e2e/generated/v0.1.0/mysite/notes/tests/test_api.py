"""The notes API, tested with the framework's pytest plugin (framework.testing): its fixtures
(make_user, client_for, jwt_client, api_key_client, api_client) need no conftest."""

import pytest

from framework.testing import assert_field_error, assert_page, assert_problem

from notes.models import Note
from notes.services import create_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(make_user):
    return make_user("alice")


@pytest.fixture
def bob(make_user):
    return make_user("bob")


def test_create_note_belongs_to_requesting_user(alice, client_for):
    response = client_for(alice).post("/api/v1/notes/", {"title": "Milk", "body": "2 litres"}, format="json")

    assert response.status_code == 201, response.content
    assert response.json()["title"] == "Milk"
    assert Note.objects.get(pk=response.json()["id"]).owner == alice


def test_list_shows_only_own_notes_in_a_page_envelope(alice, bob, client_for):
    create_note(owner=alice, title="alice's", body="secret plans")
    create_note(owner=bob, title="bob's")

    results = assert_page(client_for(alice).get("/api/v1/notes/"), count=1)

    assert [note["title"] for note in results] == ["alice's"]
    assert "body" not in results[0]  # the list uses the summary serializer


def test_pages(alice, client_for):
    for number in range(5):
        create_note(owner=alice, title=f"note {number}")

    body = client_for(alice).get("/api/v1/notes/", {"page_size": 2, "page": 2}).json()

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert "page=3" in body["next"] and "page_size=2" in body["next"]


def test_filter_search_and_ordering(alice, client_for):
    create_note(owner=alice, title="b", body="groceries")
    create_note(owner=alice, title="a", body="garden")
    create_note(owner=alice, title="c", body="garden tools")
    client = client_for(alice)

    def titles(**params):
        return [note["title"] for note in client.get("/api/v1/notes/", params).json()["results"]]

    assert titles(title="a") == ["a"]
    assert titles(search="garden", ordering="title") == ["a", "c"]
    assert titles(ordering="-title") == ["c", "b", "a"]


def test_unknown_ordering_field_is_refused(alice, client_for):
    response = client_for(alice).get("/api/v1/notes/", {"ordering": "owner__password"})

    body = assert_problem(response, 400, "validation_error")
    assert body["errors"][0]["field"] == "ordering"


def test_listing_costs_the_same_queries_for_one_note_or_twenty(alice, api_client, django_assert_num_queries):
    client = api_client
    client.force_authenticate(alice)  # no session or token lookups: only the list's own queries are counted
    create_note(owner=alice, title="one")
    with django_assert_num_queries(2):  # the count and the page
        client.get("/api/v1/notes/")
    for number in range(19):
        create_note(owner=alice, title=f"note {number}")
    with django_assert_num_queries(2):
        assert len(client.get("/api/v1/notes/").json()["results"]) == 20


@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_another_users_note_is_not_found(alice, bob, client_for, method):
    note = create_note(owner=bob, title="bob's")

    response = getattr(client_for(alice), method)(f"/api/v1/notes/{note.pk}/", {"title": "x"}, format="json")

    assert_problem(response, 404, "not_found")
    note.refresh_from_db()
    assert note.title == "bob's"


def test_update_and_delete_own_note(alice, client_for):
    note = create_note(owner=alice, title="draft")
    client = client_for(alice)

    response = client.patch(f"/api/v1/notes/{note.pk}/", {"title": "final"}, format="json")
    assert response.status_code == 200
    assert response.json()["title"] == "final"

    assert client.delete(f"/api/v1/notes/{note.pk}/").status_code == 204
    assert not Note.objects.filter(pk=note.pk).exists()


def test_missing_title_is_a_field_error(alice, client_for):
    response = client_for(alice).post("/api/v1/notes/", {"body": "no title"}, format="json")

    assert_field_error(response, "title", code="required")
    assert not Note.objects.exists()


def test_malformed_json_is_refused(alice, client_for):
    response = client_for(alice).post("/api/v1/notes/", "{not json", content_type="application/json")

    assert_problem(response, 400, "parse_error")


def test_anonymous_requests_are_refused(alice, api_client):
    create_note(owner=alice, title="private")

    response = api_client.get("/api/v1/notes/")

    assert_problem(response, 401, "not_authenticated")
    assert "private" not in response.content.decode()


@pytest.mark.parametrize("client", ["jwt_client", "api_key_client"])
def test_an_access_token_or_an_api_key_signs_in(user, client, request):
    create_note(owner=user, title="mine")

    response = request.getfixturevalue(client).get("/api/v1/notes/")

    assert [note["title"] for note in assert_page(response, count=1)] == ["mine"]


def test_stats_need_the_auditor_role_or_the_audit_right(alice, bob, make_user, client_for):
    create_note(owner=alice, title="one")
    create_note(owner=bob, title="two")

    assert_problem(client_for(alice).get("/api/v1/notes/stats/"), 403, "permission_denied")

    auditor = make_user("carol", roles=["auditor"])
    assert client_for(auditor).get("/api/v1/notes/stats/").json() == {"notes": 2, "owners": 2}

    with_right = make_user("dan", rights=[("notes", "audit")])
    assert client_for(with_right).get("/api/v1/notes/stats/").status_code == 200
