"""The error format in the OpenAPI schema: a `Problem` component and every operation's error responses."""

from __future__ import annotations

import copy
from http import HTTPStatus
from typing import Any

from drf_spectacular import openapi
from drf_spectacular.drainage import warn
from drf_spectacular.plumbing import append_meta
from rest_framework import fields

from framework.api import schema_inputs
from framework.api.serializers import StrictJSONTypeMixin

# The authentication schemes register themselves with drf-spectacular when imported.
from framework.auth import schema as auth_schema  # noqa: F401


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]).

    Naming it imports this module, which registers the framework's OpenAPI
    extensions: they load with the schema, not in every worker and command.

    What the schema says of inputs is what the server checks
    (framework.api.schema_inputs): filter parameters are documented with
    `allowEmptyValue`, since the filter backends (django-filter's, search,
    ordering) read `?title=` as no filter (a backend whose parameter refuses an
    empty value says `"allowEmptyValue": False` in its own parameters); string
    inputs say that they take no NUL character, and those that may not be blank
    that they need one that is not white space; the URLs and decimals of
    framework.api.serializers.ModelSerializer the pattern they are checked
    against. drf-spectacular calls these methods for each operation and
    serializer; their names are its AutoSchema's.
    """

    def _get_filter_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_filter_parameters()
        for parameter in parameters:
            if parameter.get("in") != "query" or parameter.get("required"):
                continue
            parameter.setdefault("allowEmptyValue", True)
            schema = parameter.get("schema", {})
            if schema_inputs.plain_string(schema):
                parameter["schema"] = {**schema, "pattern": schema_inputs.schema_pattern(schema_inputs.NO_NUL)}
        return parameters

    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        schema = super()._map_basic_serializer(serializer, direction)
        if _documented_by_the_framework(type(serializer)):
            # drf-spectacular describes a component by the first docstring up its classes, which for
            # a project's serializer without one is the framework's, written for developers.
            schema.pop("description", None)
        if direction != "request":
            return schema  # what the server writes is not checked against input rules
        properties = schema.get("properties", {})
        for field in serializer.fields.values():
            if not field.read_only and isinstance(properties.get(field.field_name), dict):
                _document_input(field, properties[field.field_name])
        return schema


def _documented_by_the_framework(serializer_class: type) -> bool:
    """Whether the first docstring up `serializer_class`'s classes is one of the framework's."""
    documented = next((klass for klass in serializer_class.__mro__ if klass.__doc__), object)
    return documented.__module__.split(".")[0] == "framework"


def _document_input(field: fields.Field, schema: dict[str, Any]) -> None:
    """Add to a request field's `schema` the pattern its input is checked against."""
    # drf-spectacular puts a blank-allowed string with a format in `oneOf`, beside the empty string.
    blank_or = len(schema.get("oneOf", [])) == 2
    target = schema["oneOf"][0] if blank_or else schema
    if target.get("type") != "string":
        return
    pattern = schema_inputs.checked_pattern(field) if isinstance(field, StrictJSONTypeMixin) else None
    if pattern is not None and blank_or:
        # One string whose pattern takes the empty one too: said with `oneOf`, schemathesis's
        # coverage phase takes `""` for a value the first choice refuses and the server should too.
        del schema["oneOf"], target["format"]
        schema.update(target, pattern=schema_inputs.schema_pattern(f"(?:{pattern})?"))
        return
    if pattern is None and isinstance(field, fields.CharField) and schema_inputs.plain_string(target):
        pattern = schema_inputs.text(non_blank=not field.allow_blank and field.trim_whitespace)
    if pattern is not None:
        target["pattern"] = schema_inputs.schema_pattern(pattern)


MEDIA_TYPE = "application/problem+json"
#: An operation's extension listing error statuses it answers besides those judged from it:
#: `@extend_schema(extensions={ERROR_STATUSES: [401]})`, for a view that checks a token of its body.
ERROR_STATUSES = "x-error-statuses"
METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
PROBLEM = "Problem"
FIELD_ERROR = "ProblemFieldError"
COMPONENT_EXISTS = (
    "framework.api.schema: a schema component named {name!r} already exists, so the error "
    "responses would point at it; rename that serializer or set its component name with "
    "@extend_schema_serializer(component_name=...)"
)

# Each error status: the `code` of its example, and when an operation answers it.
ERRORS: dict[int, tuple[str, str]] = {
    400: ("validation_error", "The request is malformed, or its body or query parameters are invalid."),
    401: ("not_authenticated", "Credentials are missing or invalid."),
    403: ("permission_denied", "The credentials do not allow this."),
    404: ("not_found", "Nothing is found here (for a list: no such page)."),
    413: ("payload_too_large", "The request body is over the size limit."),
    415: ("unsupported_media_type", "The request body's content type is not accepted."),
    429: ("throttled", "Too many requests: try again later."),
    500: ("server_error", "An unexpected error: try again later. The request id finds it in the log."),
    503: ("service_unavailable", "The service is temporarily unavailable: try again later."),
}


def _string(description: str, *, nullable: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"description": description}
    if nullable:
        # append_meta spells it as the configured OpenAPI version wants: 3.0 `nullable`, 3.1 a type list.
        meta["nullable"] = True
    return append_meta({"type": "string"}, meta)


COMPONENTS: dict[str, dict[str, Any]] = {
    PROBLEM: {
        "type": "object",
        "description": "An error, as RFC 9457 Problem Details. `code` tells errors apart; "
        "4xx say fix the request, 5xx say try again later.",
        "properties": {
            "type": {**_string("A URI reference for the kind of problem."), "example": "about:blank"},
            "title": _string("The HTTP reason phrase of `status`."),
            "status": {"type": "integer", "description": "The HTTP status code."},
            "detail": _string("What went wrong, for a person to read."),
            "code": _string("A stable machine code: `validation_error`, `not_found`, `server_error`..."),
            "request_id": _string("The request's id, which finds it in the server's log.", nullable=True),
            "errors": {
                "type": "array",
                "items": {"$ref": f"#/components/schemas/{FIELD_ERROR}"},
                "description": "Only for `validation_error`: one entry per problem with the input.",
            },
        },
        "required": ["type", "title", "status", "detail", "code", "request_id"],
    },
    FIELD_ERROR: {
        "type": "object",
        "properties": {
            "field": _string("The field's dotted path (`items.0.name`), or null.", nullable=True),
            "code": _string("A stable machine code, such as `required` or `invalid`."),
            "message": _string("What is wrong with the field, for a person to read."),
        },
        "required": ["field", "code", "message"],
    },
}


def error_statuses(operation: dict[str, Any]) -> list[int]:
    """The error statuses an operation can answer, judged from its parameters, body and security."""
    parameters = operation.get("parameters", [])
    has_body = "requestBody" in operation
    has_path_parameter = any(parameter.get("in") == "path" for parameter in parameters)
    query = {parameter.get("name") for parameter in parameters if parameter.get("in") == "query"}
    statuses = []
    if has_body or query:
        statuses.append(400)
    # `[{}]` is no requirement at all: a view without authentication.
    if any(operation.get("security", [])):
        statuses += [401, 403]
    # Pagination answers 404 for a page that does not exist.
    if has_path_parameter or "page" in query:
        statuses.append(404)
    if has_body:
        statuses += [413, 415]
    statuses += [status for status in operation.pop(ERROR_STATUSES, []) if status not in statuses]
    return sorted({*statuses, 429, 500, 503})


def error_response(status: int) -> dict[str, Any]:
    code, description = ERRORS[status]
    example = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": HTTPStatus(status).description,
        "code": code,
        "request_id": "5f0c6b8e2a3d4e1f9b7a6c5d4e3f2a1b",
    }
    if status == 400:
        example["errors"] = [{"field": "title", "code": "required", "message": "This field is required."}]
    return {
        "description": description,
        "content": {MEDIA_TYPE: {"schema": {"$ref": f"#/components/schemas/{PROBLEM}"}, "example": example}},
    }


def add_problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    """A drf-spectacular postprocessing hook: document the error format on every operation.

    Responses an operation declares itself are kept as they are.
    """
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    for name, component in COMPONENTS.items():
        if schemas.setdefault(name, copy.deepcopy(component)) != component:
            warn(COMPONENT_EXISTS.format(name=name))
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if method not in METHODS:
                continue  # a path item's own `parameters` or `summary`
            responses = operation.setdefault("responses", {})
            for status in error_statuses(operation):
                responses.setdefault(str(status), error_response(status))
    return result
