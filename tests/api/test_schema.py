"""The OpenAPI schema at /api/schema/, with the error format in it; the docs pages, served from local assets."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import include, path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from openapi_spec_validator import validate
from tests.testapp.models import EveryField
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from framework.api import schema_inputs
from framework.api.serializers import ModelSerializer
from framework.api.viewsets import ModelViewSet
from framework.api.schema import COMPONENT_EXISTS, FIELD_ERROR, MEDIA_TYPE, PROBLEM, add_problem_responses

PROBLEM_REF = {"$ref": f"#/components/schemas/{PROBLEM}"}
BODY_ERRORS = {"413", "415"}


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]


@extend_schema_view(
    retrieve=extend_schema(responses={200: UserSerializer, 404: OpenApiResponse(description="Declared by the view.")})
)
class UserViewSet(viewsets.ModelViewSet):
    queryset = get_user_model().objects.order_by("id")
    serializer_class = UserSerializer
    ordering_fields = ["username"]


class PingSerializer(serializers.Serializer):
    ok = serializers.BooleanField()


@extend_schema(responses=PingSerializer)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def ping(request):
    return Response({"ok": True})


class RowSerializer(ModelSerializer):
    class Meta:
        model = EveryField
        fields = ["id", "char", "nullable_char", "url", "decimal", "email"]


class DocumentedSerializer(ModelSerializer):
    """A row, as the project describes it."""

    class Meta:
        model = EveryField
        fields = ["id", "char"]


@extend_schema_view(list=extend_schema(responses=DocumentedSerializer(many=True)))
class RowViewSet(ModelViewSet):
    queryset = EveryField.objects.all()
    serializer_class = RowSerializer
    filterset_fields = ["char", "decimal", "boolean", "integer"]
    search_fields = ["char"]


router = SimpleRouter()
router.register("users", UserViewSet, basename="user")
router.register("rows", RowViewSet, basename="row")

# The framework's URLs, and views of each kind an operation can be: list, create, detail, public.
urlpatterns = [
    path("api/test/", include(router.urls)),
    path("api/test/ping/", ping),
    path("", include("framework.urls")),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200, response.content
    return response.json()


def operations(schema):
    return [
        (route, method, operation)
        for route, path_item in schema["paths"].items()
        for method, operation in path_item.items()
    ]


@pytest.mark.parametrize(
    ("query", "headers"),
    [({"format": "json"}, {}), ({}, {"HTTP_ACCEPT": "application/vnd.oai.openapi+json"})],
)
def test_the_schema_is_a_valid_openapi_document(client, query, headers):
    response = client.get("/api/schema/", query, **headers)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    validate(response.json())


def test_the_error_format_is_a_component(schema):
    components = schema["components"]["schemas"]

    problem = components[PROBLEM]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "code", "request_id"}
    assert problem["properties"]["errors"]["items"] == {"$ref": f"#/components/schemas/{FIELD_ERROR}"}
    assert set(components[FIELD_ERROR]["required"]) == {"field", "code", "message"}


def test_every_operation_answers_its_server_errors_as_problems(schema):
    assert operations(schema)
    for route, method, operation in operations(schema):
        for status in ("429", "500", "503"):
            content = operation["responses"][status]["content"]
            assert list(content) == [MEDIA_TYPE], (route, method, status)
            assert content[MEDIA_TYPE]["schema"] == PROBLEM_REF, (route, method, status)


@pytest.mark.parametrize(
    ("route", "method", "present", "absent"),
    [
        # A list: bad query parameters give 400; a page past the end, 404.
        ("/api/test/users/", "get", {"400", "401", "403", "404"}, BODY_ERRORS),
        ("/api/test/users/", "post", {"400", "401", "403", *BODY_ERRORS}, {"404"}),
        ("/api/test/users/{id}/", "patch", {"400", "401", "403", "404", *BODY_ERRORS}, set()),
        ("/api/test/users/{id}/", "delete", {"401", "403", "404"}, {"400", *BODY_ERRORS}),
        # No authentication, no parameters, no body: only what any request can meet.
        ("/api/test/ping/", "get", set(), {"400", "401", "403", "404", *BODY_ERRORS}),
    ],
)
def test_an_operation_documents_the_errors_it_can_answer(schema, route, method, present, absent):
    responses = schema["paths"][route][method]["responses"]

    for status in present:
        assert responses[status]["content"][MEDIA_TYPE]["schema"] == PROBLEM_REF, status
    assert not absent & responses.keys()


def test_a_response_the_view_declares_is_kept(schema):
    responses = schema["paths"]["/api/test/users/{id}/"]["get"]["responses"]

    assert responses["404"] == {"description": "Declared by the view."}
    assert responses["500"]["content"][MEDIA_TYPE]["schema"] == PROBLEM_REF


def test_a_component_of_the_same_name_is_kept_and_warned_about(capsys):
    theirs = {"type": "object", "properties": {"question": {"type": "string"}}}
    GENERATOR_STATS.reset()
    try:
        result = add_problem_responses(result={"paths": {}, "components": {"schemas": {PROBLEM: theirs}}})
        warned = bool(GENERATOR_STATS)
    finally:
        GENERATOR_STATS.reset()

    assert result["components"]["schemas"][PROBLEM] == theirs
    assert warned
    assert COMPONENT_EXISTS.format(name=PROBLEM) in capsys.readouterr().err


class Assets(HTMLParser):
    """The URLs a page's tags load or link to."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_the_docs_load_nothing_from_another_host(client, url):
    response = client.get(url)
    page = response.content.decode()
    assets = Assets()
    assets.feed(page)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert assets.urls
    for asset in assets.urls:
        parts = urlsplit(asset)
        assert parts.netloc in ("", "testserver"), asset
        # Served from drf-spectacular-sidecar's static files.
        assert finders.find(parts.path.removeprefix(static(""))), asset
    # Nor any absolute URL in inline scripts or styles.
    assert {urlsplit(found).netloc for found in re.findall(r"https?://[^\s\"'<>)]+", page)} <= {"testserver"}


def test_swagger_ui_asks_no_online_validator(client):
    # Swagger UI's default shows a badge from validator.swagger.io, sending it the schema's URL.
    assert '"validatorUrl": null' in client.get("/api/docs/").content.decode()


def test_ordering_lists_the_values_it_takes_and_page_size_its_minimum(schema):
    parameters = {parameter["name"]: parameter for parameter in schema["paths"]["/api/test/users/"]["get"]["parameters"]}

    assert parameters["page_size"]["schema"]["minimum"] == 1
    ordering = parameters["ordering"]
    assert (ordering["style"], ordering["explode"]) == ("form", False)
    assert ordering["schema"] == {"type": "array", "items": {"type": "string", "enum": ["username", "-username"]}}


@pytest.mark.parametrize("route", ["/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/auth/token/verify/", "/api/v1/auth/logout/"])
def test_the_token_endpoints_document_their_401(schema, route):
    assert schema["paths"][route]["post"]["responses"]["401"]["content"][MEDIA_TYPE]["schema"] == PROBLEM_REF


def test_an_operation_adds_the_error_statuses_it_declares():
    from framework.api.schema import ERROR_STATUSES, error_statuses

    assert 401 in error_statuses({"security": [{}], ERROR_STATUSES: [401]})
    assert 401 not in error_statuses({"security": [{}]})


def test_request_bodies_are_documented_as_json_only(schema):
    bodies = [operation["requestBody"] for _, _, operation in operations(schema) if "requestBody" in operation]

    assert bodies and all(set(body["content"]) == {"application/json"} for body in bodies)


def test_filter_parameters_take_an_empty_value_and_say_what_else(schema):
    parameters = {parameter["name"]: parameter for parameter in schema["paths"]["/api/test/rows/"]["get"]["parameters"]}
    no_nul = schema_inputs.schema_pattern(schema_inputs.NO_NUL)

    assert {name for name, parameter in parameters.items() if parameter.get("allowEmptyValue")} == {
        "char", "decimal", "boolean", "integer", "search", "page"
    }
    assert "ordering" not in parameters  # no ordering_fields: every value is refused
    assert parameters["char"]["schema"] == parameters["search"]["schema"] == {"type": "string", "pattern": no_nul}
    assert parameters["decimal"]["schema"] == {"type": "number", "minimum": -(10**50), "maximum": 10**50}
    assert parameters["boolean"]["schema"] == {"type": "boolean"}
    assert "allowEmptyValue" not in parameters["page_size"]


def test_request_fields_give_the_pattern_the_server_checks(schema):
    properties = schema["components"]["schemas"]["RowRequest"]["properties"]

    assert properties["char"]["pattern"] == schema_inputs.schema_pattern(schema_inputs.text(non_blank=False))
    assert properties["nullable_char"]["pattern"] == schema_inputs.schema_pattern(schema_inputs.text(non_blank=True))
    assert properties["decimal"]["pattern"] == schema_inputs.schema_pattern(schema_inputs.decimal(14, 6))
    # A blank-allowed URL: one pattern that takes the empty string too, no `oneOf` and no `format`.
    assert properties["url"] == {
        "type": "string", "maxLength": 200, "pattern": schema_inputs.schema_pattern(f"(?:{schema_inputs.URL})?")
    }
    assert "pattern" not in properties["email"]["oneOf"][0]


def test_responses_say_nothing_of_input_patterns(schema):
    properties = schema["components"]["schemas"]["Row"]["properties"]

    assert "pattern" not in properties["char"] and properties["url"]["oneOf"][0]["format"] == "uri"


def test_a_component_is_described_by_its_own_docstring_not_the_frameworks(schema):
    components = schema["components"]["schemas"]

    assert "description" not in components["Row"] and "description" not in components["RowRequest"]
    assert components["Documented"]["description"] == "A row, as the project describes it."
