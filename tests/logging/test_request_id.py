import re

import pytest

from framework.logging.request_id import accept_or_generate

pytestmark = pytest.mark.django_db

GENERATED = re.compile(r"[0-9a-f]{32}")


def test_a_well_formed_id_is_returned_as_given(client):
    response = client.get("/api/v1/", HTTP_X_REQUEST_ID="abc-123")

    assert response["X-Request-ID"] == "abc-123"


def test_an_id_is_generated_when_none_is_given(client):
    first, second = client.get("/api/v1/")["X-Request-ID"], client.get("/api/v1/")["X-Request-ID"]

    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second


@pytest.mark.parametrize("hostile", ["a" * 10_000, "abc\r\nSet-Cookie: x=1", 'a"b', "a b", "<script>", ""])
def test_a_hostile_id_is_replaced(hostile):
    replacement = accept_or_generate(hostile)

    assert GENERATED.fullmatch(replacement)


def test_a_hostile_id_never_reaches_the_response(client):
    response = client.get("/api/nothing/", HTTP_X_REQUEST_ID='"quoted" ' + "x" * 10_000)

    assert GENERATED.fullmatch(response["X-Request-ID"])
    assert response.json()["request_id"] == response["X-Request-ID"]
