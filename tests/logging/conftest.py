import io
import json
import logging

import pytest

from framework.logging.context import RequestContextFilter
from framework.logging.formatters import JsonFormatter


@pytest.fixture
def log_lines():
    """Every log line written meanwhile, as the JSON format writes it (parsed); call it to read them."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
