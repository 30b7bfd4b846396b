"""What serializing and rendering the notes list costs in-process, DRF's fields against the framework's fast path.

    .venv/bin/python bench/serialization.py

Loads the project template's own `notes/models.py` and `notes/serializers.py`
(its `Note`, `NoteSummarySerializer` for the list and `NoteSerializer` for a
detail), makes notes as the database gives them back (aware datetimes in
UTC), and times `Serializer(...).data` rendered by the framework's JSON
renderer, with `API_FAST_SERIALIZATION` on and off, in turns; prints the
median time of each and the ratio. Not a test: a measurement.
"""

from __future__ import annotations

import datetime
import os
import statistics
import sys
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django  # noqa: E402

django.setup()

from django.test import override_settings  # noqa: E402

from framework.api.renderers import JSONRenderer  # noqa: E402

ROUNDS = 25


def template_module(name: str, package: str) -> types.ModuleType:
    """The template's notes/<name>.py-tpl, loaded as <package>.<name> (inside tests.testapp: its app)."""
    module = types.ModuleType(f"{package}.{name}")
    module.__package__ = package
    sys.modules[module.__name__] = module
    source = (ROOT / "project_template" / "notes" / f"{name}.py-tpl").read_text()
    exec(compile(source, f"notes/{name}.py", "exec"), module.__dict__)  # noqa: S102 -- the template's own code
    return module


def load_template() -> types.ModuleType:
    package = types.ModuleType("tests.testapp.template_notes")
    package.__path__ = []
    sys.modules[package.__name__] = package
    template_module("models", package.__name__)
    return template_module("serializers", package.__name__)


def notes(model: type, count: int) -> list:
    start = datetime.datetime(2026, 12, 3, 8, 0, tzinfo=datetime.UTC)
    return [
        model(
            id=i, owner_id=1, title=f"Note number {i} — naïve café", body="A body of a few words. " * 8,
            word_count=40, created_at=start + datetime.timedelta(seconds=i, microseconds=i),
            updated_at=start + datetime.timedelta(minutes=i),
        )
        for i in range(1, count + 1)
    ]


def render(serializer_class: type, data: object, many: bool) -> bytes:
    return JSONRenderer().render(serializer_class(data, many=many).data)


def median_ms(serializer_class: type, data: object, many: bool, fast: bool) -> float:
    with override_settings(FRAMEWORK={"API_FAST_SERIALIZATION": fast}):
        render(serializer_class, data, many)  # the settings read once, outside the timing
        times = []
        for _ in range(ROUNDS):
            started = time.perf_counter()
            render(serializer_class, data, many)
            times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    serializers = load_template()
    note = serializers.Note
    cases = [
        ("list of 1000 (NoteSummarySerializer)", serializers.NoteSummarySerializer, notes(note, 1000), True),
        ("a page of 20 (NoteSummarySerializer)", serializers.NoteSummarySerializer, notes(note, 20), True),
        ("a detail (NoteSerializer)", serializers.NoteSerializer, notes(note, 1)[0], False),
    ]
    for name, serializer_class, data, many in cases:
        with override_settings(FRAMEWORK={"API_FAST_SERIALIZATION": False}):
            expected = render(serializer_class, data, many)
        assert render(serializer_class, data, many) == expected, name
        drf_ms = [median_ms(serializer_class, data, many, fast=False) for _ in range(3)]
        fast_ms = [median_ms(serializer_class, data, many, fast=True) for _ in range(3)]
        drf, fast = statistics.median(drf_ms), statistics.median(fast_ms)
        print(f"{name:40} DRF {drf:8.3f} ms   fast {fast:8.3f} ms   {drf / fast:5.2f}x faster")


if __name__ == "__main__":
    main()
