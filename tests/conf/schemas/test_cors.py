"""The CORS settings: origins, each validated, and the API's paths only."""

import pytest

from framework.conf.schemas import CorsSettings

from .conftest import django_settings, problems_of


def test_cors_settings():
    cors = django_settings(CorsSettings, CORS_ALLOWED_ORIGINS="https://a.example.com, http://localhost:3000")

    assert cors["CORS_ALLOWED_ORIGINS"] == ["https://a.example.com", "http://localhost:3000"]
    assert cors["CORS_URLS_REGEX"] == r"^/api/"
    assert cors["CORS_ALLOW_CREDENTIALS"] is False


@pytest.mark.parametrize(
    ("origins", "message"),
    [
        ("*", "'*' is not accepted"),
        ("app.example.com", "'app.example.com' is not an origin"),
        ("https://app.example.com/", "is not an origin"),
    ],
)
def test_bad_origins_are_named_with_the_fix(origins, message):
    assert message in problems_of(CORS_ALLOWED_ORIGINS=origins)["CORS_ALLOWED_ORIGINS"]
