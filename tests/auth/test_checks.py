"""The auth system checks: authentication and permission classes that do not import."""

from framework.auth.checks import check_importable_classes


def test_a_class_that_does_not_import_is_a_system_error(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_AUTHENTICATION_CLASSES": ["myapp.auth.Missing"]}

    errors = check_importable_classes()

    assert [error.id for error in errors] == ["framework.auth.E001"]
    assert "'myapp.auth.Missing', which cannot be imported" in errors[0].msg
    assert "API_AUTHENTICATION" in errors[0].hint


def test_the_configured_classes_import():
    assert check_importable_classes() == []
