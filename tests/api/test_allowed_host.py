import pytest

from framework.api.middleware import DISALLOWED_HOST


@pytest.mark.parametrize("path", ["/api/test/whoami/", "/admin/", "/health/", "/no/such/page/"])
def test_a_disallowed_host_is_a_400_problem_that_says_so_on_every_path(client, path, caplog):
    response = client.get(path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert (body["code"], body["detail"]) == ("disallowed_host", DISALLOWED_HOST)
    assert "evil.example" in caplog.text  # for the operator, in Django's security log


def test_an_allowed_host_passes(client):
    assert client.get("/health/").status_code == 200
