"""The auth app: API keys and rights (models), their admin pages and commands."""

from django.apps import AppConfig


class AuthConfig(AppConfig):
    name = "framework.auth"
    # "auth" is django.contrib.auth's label.
    label = "framework_auth"
    verbose_name = "API access"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the system checks and the receiver of failed sign-ins; the OpenAPI schemes
        # (schema.py) load with the schema: see framework.api.schema.AutoSchema.
        from . import checks, failures  # noqa: F401
