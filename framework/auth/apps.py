"""The auth app: API keys and rights (models), their admin pages and commands."""

from django.apps import AppConfig


class AuthConfig(AppConfig):
    name = "framework.auth"
    # "auth" is django.contrib.auth's label.
    label = "framework_auth"
    verbose_name = "API access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks, the OpenAPI schemes, and the receiver of failed sign-ins.
        from . import checks, failures, schema  # noqa: F401
