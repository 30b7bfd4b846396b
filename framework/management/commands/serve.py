"""`manage.py serve`: the production server, gunicorn, configured from the settings schema."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from framework.server.checks import serving
from framework.server.gunicorn import Server, options
from framework.server.static import collect_if_needed


class Command(BaseCommand):
    help = (
        "Serve the project with gunicorn, for production: HOST, PORT and the WEB_* variables "
        "configure it (`manage.py settings` lists them). Collects the static files first when they are "
        "missing or out of date. SIGTERM stops it gracefully."
    )

    def check(self, *args: Any, **kwargs: Any) -> None:
        # With the checks that are about the processes serve starts (framework.auth.W001).
        with serving():
            super().check(*args, **kwargs)

    def handle(self, *args: Any, **kwargs: Any) -> None:
        # Pages without their static files would be 500s: collect them, or refuse to start.
        try:
            collected = collect_if_needed()
        except OSError as error:
            raise CommandError(str(error)) from None
        if collected:
            self.stdout.write(f"Collected the static files ({collected}).")
        config = options()
        self.stdout.write(
            f"Serving on {config['bind'][0]} with {config['workers']} worker(s) of "
            f"{config['threads']} thread(s)"
        )
        self.stdout.flush()
        Server(config).run()
