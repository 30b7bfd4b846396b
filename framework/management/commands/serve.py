"""`manage.py serve`: the production server, gunicorn, configured from the settings schema."""

from __future__ import annotations

import logging
from typing import Any

from django.core import checks
from django.core.management.base import BaseCommand, CommandError, SystemCheckError
from django.db import DatabaseError

from framework.observability import multiprocess
from framework.server.checks import serving
from framework.server.gunicorn import Server, options
from framework.server.static import collect_if_needed

logger = logging.getLogger("framework.server")

CHECKS_FAILED = "System check identified %d error(s), logged above: fix them, then start serve again."


class Command(BaseCommand):
    help = (
        "Serve the project with gunicorn, for production: HOST, PORT and the WEB_* variables "
        "configure it (`manage.py settings` lists them). Collects the static files first when they are "
        "missing or out of date. SIGTERM stops it gracefully."
    )

    def check(self, *args: Any, **kwargs: Any) -> None:
        """The system checks, with those about the processes serve starts (framework.auth.W001), each
        written as a log line: serve's output is structured lines only, for a log collector."""
        scope = {
            "app_configs": kwargs.get("app_configs"),
            "tags": kwargs.get("tags"),
            "include_deployment_checks": kwargs.get("include_deployment_checks", False),
        }
        with serving():
            try:
                issues = checks.run_checks(**scope, databases=kwargs.get("databases"))
            except DatabaseError as error:
                # Django 6.1's model checks open the database when given one; a database that cannot
                # be opened is then a traceback. The checks without it name the setting at fault.
                issues = [
                    issue
                    for check in checks.registry.registry.get_checks(scope["include_deployment_checks"])
                    for issue in _without_database(check)
                ]
                if not any(issue.is_serious() for issue in issues):
                    issues.append(checks.Error(f"The database cannot be opened: {error}", hint="Check DATABASE_URL.", id="framework.server.E001"))
        visible = [issue for issue in issues if not issue.is_silenced() and issue.level >= checks.WARNING]
        for issue in visible:
            logger.log(logging.ERROR if issue.is_serious() else logging.WARNING, "%s", issue, extra={"check": issue.id})
        errors = sum(issue.is_serious() for issue in visible)
        if errors:
            raise SystemCheckError(CHECKS_FAILED % errors)

    def handle(self, *args: Any, **kwargs: Any) -> None:
        # Python's warnings, if any, as log lines too.
        logging.captureWarnings(True)
        # Pages without their static files would be 500s: collect them, or refuse to start.
        try:
            collected = collect_if_needed()
        except OSError as error:
            raise CommandError(str(error)) from None
        if collected:
            logger.info("Collected the static files (%s).", collected)
        config = options()
        # Before gunicorn loads the project (preload) or forks: the workers' metrics are summed from this folder.
        metrics_folder = multiprocess.start("serve")
        logger.info(
            "Serving on %s with %d worker(s) of %d thread(s)",
            config["bind"][0], config["workers"], config["threads"],
            extra={
                "bind": config["bind"][0], "workers": config["workers"], "threads": config["threads"],
                "metrics_folder": str(metrics_folder),
            },
        )
        Server(config).run()


def _without_database(check: Any) -> list[checks.CheckMessage]:
    """One check's messages, or none when it needs the database that cannot be opened."""
    try:
        return list(check(app_configs=None, databases=None))
    except DatabaseError:
        return []
