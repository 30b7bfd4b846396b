import gc
import weakref

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/notes/", "/api/nothing/"])
def test_a_handled_request_is_freed_with_its_response(client, path):
    # The log lines' context of a request is kept beside it (for django.request's line, written
    # once the middleware has returned), and must not keep the request alive after that.
    response = client.get(path)
    request = weakref.ref(response.wsgi_request)

    del response
    gc.collect()

    assert request() is None
