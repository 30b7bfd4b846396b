"""Worker and scheduler logs go through Django's LOGGING, so they look like the web's (request ids included)."""

from __future__ import annotations

import logging
from typing import Any

from celery import signals


@signals.setup_logging.connect
def _keep_django_logging(loglevel: int | str | None = None, **kwargs: Any) -> None:
    # Answering this signal stops Celery from installing its own handlers and format;
    # only the level asked for (runworker --loglevel) is applied.
    if loglevel:
        logging.getLogger().setLevel(loglevel)
