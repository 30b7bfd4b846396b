"""The orjson renderer writes the bytes DRF's JSONRenderer writes, and uses orjson for the framework's data."""

import datetime
import random
import struct
import uuid
import zoneinfo
from collections import OrderedDict
from decimal import Decimal

import pytest
from django.db import models
from django.utils.translation import gettext_lazy
from rest_framework import renderers, serializers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from framework.api.problems import problem
from framework.api.renderers import JSONRenderer, dumps

UTC = datetime.timezone.utc
PARIS = zoneinfo.ZoneInfo("Europe/Paris")


class Every(models.Model):
    """One of each model field type that renders without a database."""

    class Colour(models.TextChoices):
        RED = "red", "Red"
        BLUE = "blue", "Blue"

    class Size(models.IntegerChoices):
        SMALL = 1
        LARGE = 2

    auto = models.BigAutoField(primary_key=True)
    boolean = models.BooleanField(default=False)
    char = models.CharField(max_length=50, blank=True)
    choice = models.CharField(max_length=10, choices=Colour.choices, default=Colour.RED)
    size = models.IntegerField(choices=Size.choices, default=Size.SMALL)
    text = models.TextField(blank=True)
    slug = models.SlugField(blank=True)
    email = models.EmailField(blank=True)
    url = models.URLField(blank=True)
    integer = models.IntegerField(null=True)
    small = models.SmallIntegerField(default=0)
    big = models.BigIntegerField(default=0)
    positive = models.PositiveIntegerField(default=0)
    floating = models.FloatField(null=True)
    decimal = models.DecimalField(max_digits=12, decimal_places=4, null=True)
    date = models.DateField(null=True)
    time = models.TimeField(null=True)
    moment = models.DateTimeField(null=True)
    duration = models.DurationField(null=True)
    identifier = models.UUIDField(null=True)
    address = models.GenericIPAddressField(null=True)
    document = models.JSONField(null=True)
    attachment = models.FileField(blank=True)
    binary = models.BinaryField(null=True)

    class Meta:
        app_label = "testapp"
        managed = False


class EverySerializer(serializers.ModelSerializer):
    class Meta:
        model = Every
        exclude = ["binary"]


class Mapping:
    """Not JSON: DRF's encoder turns what has __getitem__ into a dict."""

    def __init__(self, items):
        self.items = items

    def keys(self):
        return self.items.keys()

    def __getitem__(self, key):
        return self.items[key]


ROWS = [
    Every(),
    Every(
        auto=1, boolean=True, char="héllo — “quoted” \u2028 line \u2029 para 😀", choice=Every.Colour.BLUE,
        size=Every.Size.LARGE, text="tabs\tnew\nlines\r\x00\x1f\x7f \"quotes\" \\ back / slash", slug="a-slug",
        email="a@example.com", url="https://example.com/?q=1&r=2", integer=-(2**31), small=-32768, big=2**63 - 1,
        positive=2**31 - 1, floating=0.1, decimal=Decimal("-12345678.1234"), date=datetime.date(2026, 2, 28),
        time=datetime.time(23, 59, 59, 999999), moment=datetime.datetime(2026, 12, 2, 16, 45, 39, 123456, tzinfo=UTC),
        duration=datetime.timedelta(days=1, seconds=5, microseconds=7), identifier=uuid.UUID(int=2**128 - 1),
        address="2001:db8::1", document={"nested": [1, 2.5, None, True, {"deep": ["ü"]}], "": ""}, attachment="files/a b.txt",
    ),
    Every(
        auto=2, char="", floating=12345.678, decimal=Decimal("0.0001"), moment=datetime.datetime(2026, 7, 1, 12, tzinfo=PARIS),
        time=datetime.time(0, 0), duration=datetime.timedelta(0), identifier=uuid.uuid4(), document=[],
    ),
    Every(auto=3, floating=-0.0, moment=datetime.datetime(2026, 1, 1), document="a string", integer=0),
]

PAYLOADS = {
    "empty dict": {},
    "empty list": [],
    "scalars": [None, True, False, 0, -1, 2**63 - 1, -(2**63), "", "x", 1.0, 0.5, -2.25, 1e16, 1e22, 123456.789],
    "unicode": {"ключ": "значение", "emoji": "🎉👩‍👩‍👧", "cjk": "漢字", "rtl": "עברית", "combining": "e\u0301", "nbsp": "\xa0"},
    "line separators": {"u2028": "a\u2028b", "u2029": "a\u2029b", "both": "\u2028\u2029" * 3},
    "control characters": "".join(chr(code) for code in range(32)) + "\x7f\x80\x9f",
    "decimals": [Decimal("1.10"), Decimal("0"), Decimal("-3.5"), Decimal("1E+2"), Decimal("123456789.123456789")],
    "datetimes": [
        datetime.datetime(2026, 12, 2, 16, 45, tzinfo=UTC),
        datetime.datetime(2026, 12, 2, 16, 45, 0, 1, tzinfo=UTC),
        datetime.datetime(2026, 12, 2, 16, 45, tzinfo=PARIS),
        datetime.datetime(2026, 6, 2, 16, 45, tzinfo=zoneinfo.ZoneInfo("America/St_Johns")),
        datetime.datetime(2026, 1, 2, tzinfo=zoneinfo.ZoneInfo("Europe/London")),
        datetime.datetime(2026, 12, 2, 16, 45, 30, 500),
        datetime.date(1, 1, 1),
        datetime.time(12, 30),
        datetime.time(12, 30, 15, 250000),
        datetime.timedelta(hours=-1),
    ],
    "uuids": [uuid.UUID(int=0), uuid.UUID("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), uuid.uuid4()],
    "lazy strings": {"message": gettext_lazy("This field is required."), "list": [gettext_lazy("Not found.")]},
    "containers": {
        "tuple": (1, 2), "set": {3}, "frozenset": frozenset(), "ordered": OrderedDict([("b", 1), ("a", 2)]),
        "return dict": ReturnDict({"a": 1}, serializer=None), "return list": ReturnList([1], serializer=None),
        "getitem": Mapping({"k": [1, 2]}),
    },
    "nested": {"a": [{"b": [{"c": [[[{"d": None}]]]}]}]},
    "problem": problem(
        400, code="validation_error", detail="The request has invalid fields; see `errors`.",
        errors=[{"field": "title", "code": "required", "message": gettext_lazy("This field is required.")}],
    ),
    "page": {
        "count": 1000, "next": "http://testserver/api/v1/notes/?page=2", "previous": None,
        "results": EverySerializer(ROWS, many=True).data,
    },
    "small floats": [1e-5, 2.5e-5, 1.5e-7, 6.4073896095188515e-06, 5e-324, 0.0001, 0.00015],
    "big integer": [2**64, -(2**64) - 1],
    "integer keys": {1: "one", 2.5: "two and a half", None: "none", True: "yes"},
    "float subclass": [type("Money", (float,), {})(2.5)],
}

# Where orjson cannot promise DRF's bytes, the renderer must hand over to DRF.
FALLBACK = {"small floats", "big integer", "integer keys", "float subclass"}


def drf(data, media_type=None, context=None):
    return renderers.JSONRenderer().render(data, media_type, context)


@pytest.mark.parametrize("name", sorted(PAYLOADS))
def test_renders_the_bytes_drf_renders(name):
    data = PAYLOADS[name]
    assert JSONRenderer().render(data) == drf(data)


@pytest.mark.parametrize("name", sorted(set(PAYLOADS) - FALLBACK))
def test_renders_the_framework_data_with_orjson(name):
    assert dumps(PAYLOADS[name]) == drf(PAYLOADS[name])


@pytest.mark.parametrize("name", sorted(FALLBACK))
def test_hands_over_to_drf_where_orjson_writes_otherwise(name):
    assert dumps(PAYLOADS[name]) is None


def test_every_model_field_type_renders_as_drf_renders_it():
    for row in [*ROWS, Every(auto=4, floating=1e-7)]:
        data = EverySerializer(row).data
        assert JSONRenderer().render(data) == drf(data), row.pk


def test_floats_of_every_magnitude_render_as_drf_renders_them():
    randomly = random.Random(21)
    floats = [struct.unpack("<d", struct.pack("<Q", randomly.getrandbits(64)))[0] for _ in range(20000)]
    floats += [randomly.uniform(-1, 1) * 10.0 ** randomly.randint(-30, 30) for _ in range(20000)]
    floats = [value for value in floats if value == value and abs(value) != float("inf")]
    assert JSONRenderer().render(floats) == drf(floats)
    for value in floats[:2000]:
        assert JSONRenderer().render({"v": value}) == drf({"v": value}), value


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), Decimal("NaN"), Decimal("Infinity")])
def test_refuses_what_drf_refuses(value):
    with pytest.raises(ValueError) as drf_error:
        drf({"value": [value]})
    with pytest.raises(ValueError) as error:
        JSONRenderer().render({"value": [value]})
    assert str(error.value) == str(drf_error.value)


def test_an_aware_time_is_refused_as_drf_refuses_it():
    with pytest.raises(ValueError, match="timezone-aware times"):
        JSONRenderer().render([datetime.time(12, tzinfo=UTC)])


def test_indented_and_empty_renderings_are_drf_s():
    data = {"a": [1, {"b": "ü"}]}
    assert JSONRenderer().render(data, "application/json; indent=4") == drf(data, "application/json; indent=4")
    assert JSONRenderer().render(data, None, {"indent": 2}) == drf(data, None, {"indent": 2})
    assert JSONRenderer().render(None) == b""


def test_the_api_renders_and_parses_json_with_the_framework_classes():
    from rest_framework.settings import api_settings

    from framework.api.parsers import JSONParser

    assert api_settings.DEFAULT_RENDERER_CLASSES[0] is JSONRenderer
    assert api_settings.DEFAULT_PARSER_CLASSES[0] is JSONParser
