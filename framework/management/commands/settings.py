"""`manage.py settings`: the effective configuration, or the settings reference."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from framework.conf import reference
from framework.conf.environment import Environment
from framework.conf.loader import configured_schemas
from framework.conf.schemas.services import ServiceSettings


class Command(BaseCommand):
    help = (
        "Show every setting read from the environment: its effective value "
        "(secrets masked) and where it came from."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="print the settings reference as Markdown (what docs/settings.md holds) instead",
        )

    def handle(self, *args: Any, markdown: bool = False, **options: Any) -> None:
        schemas = configured_schemas()
        if markdown:
            # The settings every service called has, under its own prefix, whether this project calls one or not.
            self.stdout.write(reference.markdown([*schemas, ServiceSettings]), ending="")
            return
        rows = reference.effective(schemas, Environment(settings.BASE_DIR))
        name_width = max(len(row.variable) for row in rows)
        value_width = min(max(len(row.value) for row in rows), 60)
        for row in rows:
            source = row.source if row.source != reference.DEFAULT_SOURCE else self.style.NOTICE(row.source)
            self.stdout.write(f"{row.variable:<{name_width}}  {row.value:<{value_width}}  {source}")
