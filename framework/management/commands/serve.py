"""`manage.py serve`: the production server, gunicorn, configured from the settings schema."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from framework.server.checks import serving
from framework.server.gunicorn import Server, options


class Command(BaseCommand):
    help = (
        "Serve the project with gunicorn, for production: HOST, PORT and the WEB_* variables "
        "configure it (`manage.py settings` lists them). SIGTERM stops it gracefully."
    )

    def check(self, *args: Any, **kwargs: Any) -> None:
        # With the checks that are about the processes serve starts (framework.auth.W001).
        with serving():
            super().check(*args, **kwargs)

    def handle(self, *args: Any, **kwargs: Any) -> None:
        config = options()
        self.stdout.write(
            f"Serving on {config['bind'][0]} with {config['workers']} worker(s) of "
            f"{config['threads']} thread(s)"
        )
        self.stdout.flush()
        Server(config).run()
