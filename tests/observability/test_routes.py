"""The route label: the URL pattern a request matched, as a path template."""

import pytest
from django.test import RequestFactory
from django.urls import resolve

from framework.observability.routes import UNMATCHED, label_of, route_label


@pytest.mark.parametrize(
    ("route", "label"),
    [
        ("api/v1/notes/(?P<pk>[^/.]+)/$", "/api/v1/notes/{pk}/"),
        ("api/v1/notes/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$", "/api/v1/notes/{pk}.{format}"),
        ("books/<int:pk>/", "/books/{pk}/"),
        ("books/<slug>/", "/books/{slug}/"),
        ("admin/^(?P<app_label>auth|library)/$", "/admin/{app_label}/"),
        ("x/(?P<code>(a|b)[)\\]][^]x])/y/", "/x/{code}/y/"),
        ("", "/"),
    ],
)
def test_a_route_becomes_a_path_template(route, label):
    assert label_of(route) == label


def test_a_request_is_labelled_with_the_pattern_it_matched_not_its_path():
    request = RequestFactory().get("/api/v1/books/42/")
    request.resolver_match = resolve("/api/v1/books/42/")

    assert route_label(request) == "/api/v1/books/{pk}/"


def test_a_request_no_pattern_matched_has_the_unmatched_label():
    assert route_label(RequestFactory().get("/no/such/page/")) == UNMATCHED == "<unmatched>"
