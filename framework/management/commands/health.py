"""`manage.py health [--ready]`: the health endpoints' checks from the shell, for container health checks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from framework.health import runner

NOT_READY = "not ready: {names}"


class Command(BaseCommand):
    help = (
        "Check this service's health: without options, that it starts (settings and apps load); "
        "with --ready, its readiness checks (database, cache, broker, migrations, the project's own). "
        "Exits 1 when a check errs."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--ready", action="store_true", help="run the readiness checks, as GET /health/ready/ does"
        )

    def handle(self, *args: Any, ready: bool = False, **options: Any) -> None:
        body = runner.report(show_versions=True)
        service = body["service"]
        about = ", ".join(f"{name} {version}" for name, version in body["versions"].items())
        self.stdout.write(f"{service['name']} {service['version'] or ''} ({about})".replace("  ", " "))
        if not ready:
            self.stdout.write(self.style.SUCCESS("alive"))
            return
        # The table shows each failure; the log's line for it would say it twice.
        level = runner.logger.level
        runner.logger.setLevel("ERROR")
        try:
            results = runner.run(cached=False)
        finally:
            runner.logger.setLevel(level)
        self.write_table(results)
        failed = [result.name for result in results if result.status == runner.ERROR]
        if failed:
            raise CommandError(NOT_READY.format(names=", ".join(failed)))
        self.stdout.write(self.style.SUCCESS("ready"))

    def write_table(self, results: list[runner.Result]) -> None:
        width = max([len("check"), *(len(result.name) for result in results)])
        styles = {runner.OK: self.style.SUCCESS, runner.WARNING: self.style.WARNING, runner.ERROR: self.style.ERROR}
        self.stdout.write(f"{'check':<{width}}  {'status':<7}  {'ms':>8}  detail")
        for result in results:
            detail = "; ".join([result.detail or "", *result.errors[bool(result.detail):], *result.warnings]).strip("; ")
            status = styles[result.status](f"{result.status:<7}")
            self.stdout.write(f"{result.name:<{width}}  {status}  {result.ms:>8.1f}  {detail}")
