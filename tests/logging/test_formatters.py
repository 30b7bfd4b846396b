"""Both log formats, with the secrets of a dict logged as a `%s` argument or in `extra=` masked."""

import io
import json
import logging

import pytest

from framework.logging.context import RequestContextFilter
from framework.logging.formatters import ConsoleFormatter, JsonFormatter
from framework.logging.request_id import reset_request_id, set_request_id

PAYLOAD = {"password": "hunter2", "nested": {"apiKey": "k-123-secret"}, "user": "ann"}
FORMATTERS = {
    "json": lambda: JsonFormatter(),
    "console": lambda: ConsoleFormatter(colors=False),
}


@pytest.fixture(params=sorted(FORMATTERS))
def written(request):
    """A logger writing through one of the formatters (and the request filter) into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(FORMATTERS[request.param]())
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger(f"tests.formatters.{request.param}")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    yield logger, stream
    logger.removeHandler(handler)


def test_a_dict_as_a_percent_s_argument_is_masked(written):
    logger, stream = written

    logger.info("payload %s", PAYLOAD)

    output = stream.getvalue()
    assert "hunter2" not in output and "k-123-secret" not in output
    assert "ann" in output and "********" in output


def test_a_dict_in_extra_is_masked(written):
    logger, stream = written

    logger.info("received", extra={"payload": PAYLOAD, "api_key": "top-level-key"})

    output = stream.getvalue()
    assert "hunter2" not in output and "k-123-secret" not in output and "top-level-key" not in output
    assert "ann" in output


def test_a_secret_in_a_traceback_is_masked(written):
    logger, stream = written

    try:
        raise RuntimeError("cannot reach postgres://admin:s3cr3t@db/app")
    except RuntimeError:
        logger.exception("failed")

    assert "s3cr3t" not in stream.getvalue()
    assert "RuntimeError" in stream.getvalue()


def test_the_logged_objects_are_left_as_they_were(written):
    logger, _ = written
    payload = {"password": "hunter2"}

    logger.info("payload %s", payload, extra={"body": payload})

    assert payload == {"password": "hunter2"}


def test_json_is_one_object_per_line_with_the_request_id():
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    record = logging.makeLogRecord({"name": "app", "levelname": "INFO", "levelno": 20, "msg": "two\nlines %s", "args": ("here",)})
    token = set_request_id("abc-123")
    try:
        handler.handle(record)
    finally:
        reset_request_id(token)

    lines = stream.getvalue().splitlines()
    assert len(lines) == 1
    line = json.loads(lines[0])
    assert line["message"] == "two\nlines here"
    assert line["request_id"] == "abc-123"
    assert {"time", "level", "logger", "user_id"} <= set(line)


def test_console_lines_show_the_request_id_and_color_the_level():
    formatter = ConsoleFormatter(colors=True)
    record = logging.makeLogRecord({"name": "app", "levelname": "WARNING", "levelno": 30, "msg": "careful", "request_id": "abc-123", "user_id": 7})

    line = formatter.format(record)

    assert "[abc-123 user=7]" in line
    assert "\x1b[33mWARNING" in line
    assert "careful" in line


@pytest.mark.parametrize("password", ["pa/ss", "p@ss", "pa:ss", "pa%2Fss"])
def test_a_url_password_with_awkward_characters_is_masked(written, password):
    logger, stream = written

    logger.warning("cannot reach %s", f"redis://user:{password}@cache:6379/0", extra={"url": f"amqp://u:{password}@mq//"})

    output = stream.getvalue()
    assert password not in output
    assert "redis://user:********@cache:6379/0" in output and "amqp://u:********@mq//" in output
