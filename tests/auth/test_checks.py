"""The auth system checks: classes that do not import; throttles counted per process under `serve`."""

import pytest
from django.core.checks import run_checks

from framework.auth.checks import W001, check_importable_classes, check_throttle_cache
from framework.server.checks import serving


def test_a_class_that_does_not_import_is_a_system_error(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_AUTHENTICATION_CLASSES": ["myapp.auth.Missing"]}

    errors = check_importable_classes()

    assert [error.id for error in errors] == ["framework.auth.E001"]
    assert "'myapp.auth.Missing', which cannot be imported" in errors[0].msg
    assert "API_AUTHENTICATION" in errors[0].hint


def test_the_configured_classes_import():
    assert check_importable_classes() == []


def locmem(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_serve_warns_when_several_processes_throttle_in_local_memory(settings):
    locmem(settings)
    settings.FRAMEWORK = {**settings.FRAMEWORK, "WEB_CONCURRENCY": 3}

    with serving():
        messages = run_checks()

    [warning] = [message for message in messages if message.id == "framework.auth.W001"]
    assert warning.msg == W001.format(workers=3)
    assert "REDIS_URL" in warning.hint


def test_other_commands_than_serve_do_not_warn(settings):
    locmem(settings)
    settings.FRAMEWORK = {**settings.FRAMEWORK, "WEB_CONCURRENCY": 3}

    assert "framework.auth.W001" not in [message.id for message in run_checks()]


@pytest.mark.parametrize(
    ("cache", "workers"),
    [("django.core.cache.backends.locmem.LocMemCache", 1), ("framework.cache.backends.RedisCache", 3)],
)
def test_one_process_or_a_shared_cache_needs_no_warning(settings, cache, workers):
    settings.CACHES = {"default": {"BACKEND": cache, "LOCATION": "redis://127.0.0.1:6379/8"}}
    settings.FRAMEWORK = {**settings.FRAMEWORK, "WEB_CONCURRENCY": workers}

    with serving():
        assert check_throttle_cache() == []
