"""API errors: each an HTTP status, a stable machine `code` and a default message.

A project's own errors subclass `APIError`:

    class NoteLocked(APIError):
        status_code = 409
        default_code = "note_locked"
        default_detail = _("This note is locked.")
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException


class APIError(APIException):
    """Base of the errors a project raises: rendered in the error format with its status and code."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"
    default_detail = _("The request cannot be processed.")


class PayloadTooLarge(APIError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = _("The request body is too large.")


class ServiceUnavailable(APIError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "service_unavailable"
    default_detail = _("The service is temporarily unavailable; try again later.")


class BadGateway(APIError):
    status_code = status.HTTP_502_BAD_GATEWAY
    default_code = "bad_gateway"
    default_detail = _("A service this one relies on answered with an error.")


class GatewayTimeout(APIError):
    status_code = status.HTTP_504_GATEWAY_TIMEOUT
    default_code = "gateway_timeout"
    default_detail = _("A service this one relies on did not answer in time; try again later.")
