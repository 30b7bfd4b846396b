"""Log formatters: JSON lines for machines, colored lines for people, both with sensitive values masked."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from pythonjsonlogger.json import JsonFormatter as BaseJsonFormatter

from framework.conf.masking import MASK, Masker

#: The attributes every LogRecord has; anything else on a record came from `extra=`.
STANDARD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
#: Added by RequestContextFilter when tracing is on and a span is current: next to the request id.
TRACE_ATTRIBUTES = ("trace_id", "span_id")
#: Added by RequestContextFilter: shown in every line, not as extras.
CONTEXT_ATTRIBUTES = frozenset({"request_id", "user_id", *TRACE_ATTRIBUTES})
_SIMPLE = (str, int, float, bool, type(None))


def masked_record(record: logging.LogRecord, masker: Masker) -> logging.LogRecord:
    """A copy of `record` with sensitive values masked in its message, arguments and extras.

    A copy, so that another handler (an admin email, a test's caplog)
    still gets the record as it was logged.
    """
    copy = logging.makeLogRecord(record.__dict__)
    if isinstance(copy.msg, Mapping) and not copy.args:
        copy.msg = masker.mask(copy.msg)
    else:
        if isinstance(copy.args, Mapping):
            copy.args = masker.mask(copy.args)
        elif isinstance(copy.args, tuple):
            copy.args = tuple(masker.mask(arg) for arg in copy.args)
        if not isinstance(copy.msg, str):
            copy.msg = masker.mask(copy.msg)
        copy.msg, copy.args = masker.mask_text(copy.getMessage()), None
    for name, value in list(copy.__dict__.items()):
        if name in STANDARD_ATTRIBUTES or name in CONTEXT_ATTRIBUTES:
            continue
        if masker.is_sensitive(name):
            copy.__dict__[name] = MASK
        elif isinstance(value, (Mapping, list, tuple, set, frozenset, str)):
            copy.__dict__[name] = masker.mask(value)
        elif not isinstance(value, _SIMPLE):
            # An object (a request, a socket): its text may hold a query string's token.
            copy.__dict__[name] = masker.mask_text(str(value))
    if copy.exc_text:
        copy.exc_text = masker.mask_text(copy.exc_text)
    return copy


def extras(record: logging.LogRecord) -> dict[str, Any]:
    return {
        name: value
        for name, value in record.__dict__.items()
        if name not in STANDARD_ATTRIBUTES and name not in CONTEXT_ATTRIBUTES
    }


class JsonFormatter(BaseJsonFormatter):
    """One JSON object per line: time, level, logger, message, request_id, user_id, then any extras."""

    def __init__(self, *args: Any, mask_keys: Iterable[str] = (), **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s")
        kwargs.setdefault("rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"})
        kwargs.setdefault("json_ensure_ascii", False)
        super().__init__(*args, **kwargs)
        self.masker = Masker(mask_keys)

    def format(self, record: logging.LogRecord) -> str:
        return super().format(masked_record(record, self.masker))

    def add_fields(self, log_data: dict[str, Any], record: logging.LogRecord, message_dict: dict[str, Any]) -> None:
        super().add_fields(log_data, record, message_dict)
        # The trace's ids right after the request's, before the line's own extras.
        ids = {name: log_data.pop(name) for name in TRACE_ATTRIBUTES if name in log_data}
        if ids and "user_id" in log_data:
            names = list(log_data)
            extra = {name: log_data.pop(name) for name in names[names.index("user_id") + 1 :]}
            log_data.update(ids | extra)
        else:
            log_data.update(ids)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")

    def formatException(self, ei: Any) -> str:  # noqa: N802
        return self.masker.mask_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return self.masker.mask_text(super().formatStack(stack_info))


_COLORS = {
    "DEBUG": "\x1b[36m",  # cyan
    "INFO": "\x1b[32m",  # green
    "WARNING": "\x1b[33m",  # yellow
    "ERROR": "\x1b[31m",  # red
    "CRITICAL": "\x1b[1;31m",  # bold red
}
_DIM, _RESET = "\x1b[2m", "\x1b[0m"
#: Fields of an access line that its message already shows.
ACCESS_FIELDS = frozenset({"method", "path", "status", "duration_ms", "size"})
#: What Django passes in `extra=` with its request lines: the message says it, more readably.
DJANGO_FIELDS = frozenset({"request", "status_code", "server_time"})


class ConsoleFormatter(logging.Formatter):
    """Readable lines: `12:00:01.234 INFO  logger [request-id user=7] message key=value`.

    Colored when `colors` is true; None: when the terminal supports it.
    """

    def __init__(self, *args: Any, mask_keys: Iterable[str] = (), colors: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.masker = Masker(mask_keys)
        if colors is None:
            from django.core.management.color import supports_color

            colors = supports_color()
        self.colors = colors

    def _paint(self, text: str, color: str) -> str:
        return f"{color}{text}{_RESET}" if self.colors else text

    def format(self, record: logging.LogRecord) -> str:
        record = masked_record(record, self.masker)
        time = datetime.fromtimestamp(record.created).strftime("%H:%M:%S.") + f"{int(record.msecs):03d}"
        level = self._paint(f"{record.levelname:<8}", _COLORS.get(record.levelname, ""))
        context = getattr(record, "request_id", None) or "-"
        if (user_id := getattr(record, "user_id", None)) is not None:
            context += f" user={user_id}"
        if (trace_id := getattr(record, "trace_id", None)) is not None:
            context += f" trace={trace_id} span={getattr(record, 'span_id', None)}"
        line = f"{self._paint(time, _DIM)} {level} {record.name} {self._paint(f'[{context}]', _DIM)} {record.getMessage()}"
        blocks = []
        for name, value in extras(record).items():
            if name in DJANGO_FIELDS or (record.name == "framework.access" and name in ACCESS_FIELDS):
                continue
            if isinstance(value, str) and "\n" in value:
                blocks.append(f"{name}:\n{value.rstrip()}")
            else:
                line += f" {name}={value if isinstance(value, (int, float)) else json.dumps(value, default=str, ensure_ascii=False)}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            blocks.append(record.exc_text)
        if record.stack_info:
            blocks.append(self.formatStack(record.stack_info))
        return "\n".join([line, *blocks])

    def formatException(self, ei: Any) -> str:  # noqa: N802
        return self.masker.mask_text(super().formatException(ei))

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return self.masker.mask_text(super().formatStack(stack_info))
