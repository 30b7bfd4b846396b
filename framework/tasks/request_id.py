"""The request id in the worker: the id of the request that enqueued a task is current while it runs."""

from __future__ import annotations

from contextvars import Token
from typing import Any

from celery import signals

from framework.logging.request_id import reset_request_id, set_request_id

from .base import REQUEST_ID_HEADER

_tokens: dict[str, Token[str | None]] = {}


def _sent_with(request: Any) -> str | None:
    # A worker makes a message's headers attributes of the request; an eager run keeps them in `headers`.
    return getattr(request, REQUEST_ID_HEADER, None) or (getattr(request, "headers", None) or {}).get(REQUEST_ID_HEADER)


@signals.task_prerun.connect
def _set(task_id: str, task: Any, **kwargs: Any) -> None:
    _tokens[task_id] = set_request_id(_sent_with(task.request))


@signals.task_postrun.connect
def _reset(task_id: str, **kwargs: Any) -> None:
    token = _tokens.pop(task_id, None)
    if token is not None:
        reset_request_id(token)
