"""The front doors: /api/ lists where the API is; / links to it in DEBUG, and is a 404 problem otherwise."""

import pytest
from django.test import Client

PROBLEM = "application/problem+json"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


def test_api_index_names_the_versions_the_schema_and_the_docs_to_anyone(client):
    response = client.get("/api/")

    assert response.status_code == 200
    assert response.json() == {
        "versions": {"v1": "http://testserver/api/v1/"},
        "schema": "http://testserver/api/schema/",
        "docs": "http://testserver/api/docs/",
        "redoc": "http://testserver/api/redoc/",
    }


@pytest.mark.parametrize("name", ["schema", "docs", "redoc"])
def test_each_link_of_the_api_index_answers(client, name):
    url = client.get("/api/").json()[name]

    assert client.get(url).status_code == 200


def test_api_index_refuses_a_post_in_the_error_format(client):
    response = client.post("/api/")

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM


def test_root_links_to_the_docs_and_the_admin_in_debug(client, settings):
    settings.DEBUG = True

    response = client.get("/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert 'href="http://testserver/api/docs/"' in page
    assert 'href="http://testserver/api/"' in page
    assert 'href="http://testserver/health/ready/"' in page


def test_root_is_a_404_problem_in_production(client, settings):
    settings.DEBUG = False

    response = client.get("/")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["code"] == "not_found"
