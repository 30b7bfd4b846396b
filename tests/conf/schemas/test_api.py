"""The REST API settings: page sizes, the request size limit, the API's path, and DRF's REST_FRAMEWORK."""

from framework.conf.schemas import ApiSettings
from framework.conf.schemas.api import API_PATH_PREFIX

from .conftest import django_settings, load_from, problems_of


def test_the_page_size_and_the_body_limit_reach_drf_and_django():
    values = django_settings(ApiSettings, API_PAGE_SIZE="50", MAX_REQUEST_BODY_SIZE="1000")

    assert values["REST_FRAMEWORK"]["PAGE_SIZE"] == 50
    assert values["REST_FRAMEWORK"]["EXCEPTION_HANDLER"] == "framework.api.handlers.exception_handler"
    assert values["DATA_UPLOAD_MAX_MEMORY_SIZE"] == 1000


def test_the_parsers_are_the_bounded_ones_and_the_field_limit_reaches_django():
    values = django_settings(ApiSettings, API_MAX_FIELDS="200")

    assert values["REST_FRAMEWORK"]["DEFAULT_PARSER_CLASSES"] == [
        "framework.api.parsers.JSONParser", "framework.api.parsers.FormParser", "framework.api.parsers.MultiPartParser",
    ]
    assert values["DATA_UPLOAD_MAX_NUMBER_FIELDS"] == 200


def test_the_limits_and_the_apis_path_are_framework_settings():
    values = load_from(
        API_MAX_PAGE_SIZE="30", MAX_REQUEST_BODY_SIZE="1000", API_JSON_MAX_DEPTH="10", API_MAX_FIELDS="200",
        API_FAST_SERIALIZATION="false",
    )[ApiSettings].framework_values()

    assert values == {
        "API_MAX_PAGE_SIZE": 30, "MAX_REQUEST_BODY_SIZE": 1000, "API_JSON_MAX_DEPTH": 10, "API_MAX_FIELDS": 200,
        "API_FAST_SERIALIZATION": False, "API_PATH_PREFIX": API_PATH_PREFIX,
    }
    assert API_PATH_PREFIX == "/api/"


def test_a_page_size_must_be_positive():
    assert "greater than or equal to 1" in problems_of(API_PAGE_SIZE="0")["API_PAGE_SIZE"]
