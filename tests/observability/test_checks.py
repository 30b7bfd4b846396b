import pytest
from django.core.checks import run_checks

from framework.observability.checks import W001_HINT, check_outermost_middleware


def test_the_default_middleware_order_passes(settings):
    assert check_outermost_middleware() == []


@pytest.mark.django_db  # all the checks run: Django 6.1's model checks ask the database what it supports
def test_middleware_before_the_request_id_is_a_warning(settings):
    settings.MIDDLEWARE = ["django.middleware.security.SecurityMiddleware", *[
        name for name in settings.MIDDLEWARE if name != "django.middleware.security.SecurityMiddleware"
    ]]

    [warning] = [message for message in run_checks() if message.id == "framework.observability.W001"]
    assert warning.hint == W001_HINT
    assert "the HTTPS redirect" in warning.msg


def test_a_project_without_the_framework_middleware_is_left_alone(settings):
    settings.MIDDLEWARE = ["django.middleware.common.CommonMiddleware"]

    assert check_outermost_middleware() == []
