"""framework.api.serializers.ModelSerializer's fast path writes the bytes DRF's own fields write, and leaves to DRF what it does not know.

Each comparison serializes the same rows twice: with the fast path (the
default), and with `API_FAST_SERIALIZATION` off, where DRF's `to_representation`
runs field by field; the first is rendered by the framework's renderer, the
second by DRF's own JSONRenderer, and the bytes must be equal.
"""

import datetime
import importlib.util
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.test import override_settings
from django.utils import timezone
from rest_framework import renderers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from framework.api import serializers
from framework.api.viewsets import ReadOnlyModelViewSet
from framework.api.fast_serialization import CHECKED_DRF, drf_version
from framework.api.renderers import JSONRenderer
from tests.testapp.models import EveryField, Label, Shelf, Tag

pytestmark = pytest.mark.django_db

UTC = datetime.timezone.utc
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")
DRF_ONLY = {"API_FAST_SERIALIZATION": False}


class EverySerializer(serializers.ModelSerializer):
    """What a project writes: all the model's fields, as ModelSerializer builds them."""

    class Meta:
        model = EveryField
        fields = "__all__"


class InMemorySerializer(serializers.ModelSerializer):
    """Rows never saved: without the generated field and the many-to-many, which need a saved row."""

    class Meta:
        model = EveryField
        exclude = ["incremented", "tags"]


class ShelfSerializer(serializers.ModelSerializer):
    class Meta:
        model = Shelf
        fields = ["id", "name"]


class TagSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tag
        fields = ["id", "label"]


class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "text", "row"]


class RelatedSerializer(serializers.ModelSerializer):
    """Read-only nesting, `source=` through a foreign key, declared fields with arguments of their own."""

    shelf = ShelfSerializer(read_only=True)
    label = LabelSerializer(read_only=True)  # the reverse one-to-one: null where absent
    tag_rows = TagSerializer(source="tags", many=True, read_only=True)
    shelf_name = serializers.CharField(source="shelf.name", read_only=True, allow_null=True)
    shelf_name_or_left_out = serializers.CharField(source="shelf.name", read_only=True)
    shelf_key = serializers.ReadOnlyField(source="shelf_id")
    primary_key = serializers.IntegerField(source="pk", read_only=True)
    in_kolkata = serializers.DateTimeField(source="moment", default_timezone=KOLKATA, read_only=True)
    formatted = serializers.DateTimeField(source="moment", format="%Y/%m/%d %H.%M", read_only=True)
    unformatted = serializers.DateTimeField(source="moment", format=None, read_only=True)
    hex = serializers.UUIDField(source="identifier", format="hex", read_only=True)
    number = serializers.DecimalField(
        source="decimal", max_digits=20, decimal_places=2, coerce_to_string=False, read_only=True
    )
    binary_json = serializers.JSONField(source="document", binary=True, read_only=True)

    class Meta:
        model = EveryField
        fields = [
            "id", "shelf", "label", "tag_rows", "shelf_name", "shelf_name_or_left_out", "shelf_key", "primary_key",
            "in_kolkata", "formatted", "unformatted", "hex", "number", "binary_json",
        ]


def make_rows() -> list[EveryField]:
    shelf = Shelf.objects.create(name="Étagère ☃")
    tags = [Tag.objects.create(label="un"), Tag.objects.create(label="二")]
    empty = EveryField.objects.create()
    full = EveryField.objects.create(
        boolean=True, maybe=False, char="héllo — “quoted” \u2028 line \u2029 para 😀", nullable_char="",
        colour=EveryField.Colour.BLUE, size=EveryField.Size.LARGE,
        text="tabs\tnew\nlines\r\x1f \"quotes\" \\ back / slash", slug="a-slug", email="a@example.com",
        url="https://example.com/?q=1&r=2", integer=-(2**31), small=-32768, big=2**63 - 1, positive=2**31 - 1,
        positive_small=32767, positive_big=2**63 - 1, floating=0.1, decimal=Decimal("-12345678.123456"),
        date=datetime.date(2026, 2, 28), time=datetime.time(23, 59, 59, 999999),
        moment=datetime.datetime(2026, 7, 1, 12, 30, 15, 123456, tzinfo=PARIS),
        duration=datetime.timedelta(days=1, seconds=5, microseconds=7), identifier=uuid.UUID(int=2**128 - 1),
        address="2001:db8::1", document={"nested": [1, 2.5, None, True, {"deep": ["ü"]}], "": "", "big": 2**70},
        attachment="files/a b ü.txt", path="models.py", binary=b"\x00\xffbytes", shelf=shelf,
    )
    full.tags.set(tags)
    Label.objects.create(row=full, text="étiquette")
    edge = EveryField.objects.create(
        char="", colour=EveryField.Colour.RED, size=EveryField.Size.SMALL, integer=0, small=0, big=-(2**63),
        floating=-0.0, decimal=Decimal("0"), date=datetime.date(1, 1, 1), time=datetime.time(0, 0),
        moment=datetime.datetime(2026, 12, 3, 8, 0, tzinfo=UTC), duration=datetime.timedelta(hours=-1),
        identifier=uuid.UUID("f81d4fae-7dec-11d0-a765-00a0c91e6bf6"), address="192.0.2.1", document=[],
        binary=b"", shelf=shelf,
    )
    edge.tags.set(tags[:1])
    EveryField.objects.create(document="a string", floating=1e-7, decimal=Decimal("1E+2"), integer=21)
    EveryField.objects.create(document=False, floating=12345.678, moment=datetime.datetime(1, 1, 2, tzinfo=UTC))
    return list(EveryField.objects.all())


def in_memory_rows() -> list[EveryField]:
    """Values as a view may hold them before a save: enum members, naive or aware datetimes, strings."""
    return [
        EveryField(id=1, moment=datetime.datetime(2026, 12, 3, 9, 30), created_at=datetime.datetime(2026, 1, 1, 12)),
        EveryField(
            id=2, colour=EveryField.Colour.BLUE, size=EveryField.Size.LARGE, char="ü", integer=7,
            moment=datetime.datetime(2026, 3, 29, 2, 30, tzinfo=PARIS), created_at=datetime.datetime.now(UTC),
            date=datetime.date(2026, 12, 3), time=datetime.time(12, 0, tzinfo=UTC), identifier=uuid.uuid4(),
            decimal=Decimal("3.14159265"), floating=2.5, document={"a": [1, "b"]}, binary=b"x", shelf_id=None,
        ),
        EveryField(
            id=3, colour="not a choice", size=3, date="2026-12-03", moment="not a datetime", boolean=1, maybe=None,
            created_at=datetime.datetime(2026, 10, 25, 2, 30, tzinfo=zoneinfo.ZoneInfo("America/St_Johns")),
        ),
    ]


def render_both(serializer_class, data, *, many, context=None):
    """(the fast path's bytes, DRF's bytes) for `data`; a callable is called afresh for each."""
    fast = serializer_class(data() if callable(data) else data, many=many, context=context or {})
    fast_bytes = JSONRenderer().render(fast.data)
    with override_settings(FRAMEWORK=DRF_ONLY):
        drf = serializer_class(data() if callable(data) else data, many=many, context=context or {})
        drf_bytes = renderers.JSONRenderer().render(drf.data)
        assert (drf.child if many else drf).row_plan() is None
    assert (fast.child if many else fast).row_plan() is not None, "the fast path was not taken"
    return fast_bytes, drf_bytes


def assert_same(serializer_class, data, *, context=None):
    """The same bytes through both paths, for the list (many=True) and for each row alone."""
    rows = data() if callable(data) else data
    fast, drf = render_both(serializer_class, data, many=True, context=context)
    assert fast == drf
    for row in rows:
        fast, drf = render_both(serializer_class, row, many=False, context=context)
        assert fast == drf, row.pk
    return fast


def from_database():
    return list(EveryField.objects.all())


def test_every_model_field_type_from_the_database_renders_as_drf_renders_it():
    make_rows()

    last = assert_same(EverySerializer, from_database)

    assert b'"decimal":null' in last  # the rows' values reached the comparison, nulls included


def test_nesting_and_sources_render_as_drf_renders_them():
    make_rows()

    assert_same(RelatedSerializer, from_database)


def test_a_queryset_and_a_related_manager_render_as_drf_renders_them():
    make_rows()
    shelf = Shelf.objects.get()

    fast, drf = render_both(EverySerializer, EveryField.objects.all, many=True)
    assert fast == drf
    fast, drf = render_both(EverySerializer, lambda: shelf.rows, many=True)
    assert fast == drf and fast.count(b'"shelf":') == 2


def test_rows_before_a_save_render_as_drf_renders_them():
    assert_same(InMemorySerializer, in_memory_rows())


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/St_Johns", "Asia/Kolkata", "UTC"])
def test_datetimes_are_in_the_current_time_zone_as_drf_writes_them(zone):
    make_rows()

    with timezone.override(zoneinfo.ZoneInfo(zone)):
        assert_same(EverySerializer, from_database)
        assert_same(RelatedSerializer, from_database)
        assert_same(InMemorySerializer, in_memory_rows())


def test_a_datetime_out_of_range_in_the_current_time_zone_is_drf_s_error():
    row = EveryField(id=1, moment=datetime.datetime(1, 1, 1, tzinfo=UTC), created_at=datetime.datetime(2026, 1, 1, tzinfo=UTC))

    with timezone.override(zoneinfo.ZoneInfo("America/St_Johns")):
        with pytest.raises(serializers.ValidationError) as fast:
            InMemorySerializer(row).data
        with override_settings(FRAMEWORK=DRF_ONLY), pytest.raises(serializers.ValidationError) as drf:
            InMemorySerializer(row).data
    assert fast.value.detail == drf.value.detail == ["Datetime value out of range."]


def test_datetimes_without_time_zone_support_render_as_drf_renders_them():
    make_rows()

    with override_settings(USE_TZ=False):
        assert_same(EverySerializer, from_database)
        assert_same(InMemorySerializer, in_memory_rows())


@pytest.mark.parametrize(
    "rest_framework",
    [
        {"DATETIME_FORMAT": "%d/%m/%Y %H:%M:%S", "DATE_FORMAT": "%d %B %Y", "TIME_FORMAT": "%H h %M"},
        {"DATETIME_FORMAT": None, "DATE_FORMAT": None, "TIME_FORMAT": None},
        {"COERCE_DECIMAL_TO_STRING": False, "COERCE_BIGINT_TO_STRING": True, "UPLOADED_FILES_USE_URL": False},
        {"DURATION_FORMAT": "iso-8601"},
    ],
    ids=["formats", "no formats", "coercions", "durations"],
)
def test_drf_settings_that_change_the_output_change_both_paths(rest_framework, settings):
    make_rows()
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, **rest_framework}

    assert_same(EverySerializer, from_database)
    assert_same(RelatedSerializer, from_database)


def test_file_urls_are_absolute_with_the_request_as_drf_makes_them():
    make_rows()
    context = {"request": Request(APIRequestFactory().get("/api/v1/rows/"))}

    rendered = assert_same(EverySerializer, from_database, context=context)

    assert b'"attachment":"http://testserver/' in render_both(EverySerializer, from_database, many=True, context=context)[0]
    assert rendered


def test_each_request_s_file_urls_name_its_own_host(settings):
    settings.ALLOWED_HOSTS = ["one.example", "two.example"]
    make_rows()
    for host in ("one.example", "two.example"):
        context = {"request": Request(APIRequestFactory().get("/api/v1/rows/", HTTP_HOST=host))}

        rendered = render_both(EverySerializer, from_database, many=True, context=context)[0]

        assert f'"attachment":"http://{host}/'.encode() in rendered


def test_a_serializer_with_the_fields_of_its_class_is_serialized_without_building_them():
    ShelfSerializer(Shelf(id=1, name="first")).data  # the class's plan is made

    serializer = ShelfSerializer(Shelf(id=2, name="second"))

    assert serializer.data == {"id": 2, "name": "second"}
    # DRF builds `fields` (a cached property) for each serializer, on its first use.
    assert "fields" not in serializer.__dict__


class ChosenFields(serializers.ModelSerializer):
    """Fields chosen by each instance, as projects often write it."""

    def __init__(self, *args, only=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name in set(self.fields) - set(only or self.fields):
            self.fields.pop(name)

    class Meta:
        model = Shelf
        fields = ["id", "name"]


def test_a_serializer_whose_instances_choose_their_fields_gets_a_plan_of_its_own():
    shelf = Shelf(id=3, name="third")

    assert ChosenFields(shelf, only=["id"]).data == {"id": 3}
    assert ChosenFields(shelf).data == {"id": 3, "name": "third"}
    assert ChosenFields(shelf, only=["name"]).data == {"name": "third"}


@pytest.mark.skipif(importlib.util.find_spec("PIL") is None, reason="ImageField needs Pillow, which is not installed")
def test_an_image_field_renders_as_drf_renders_it():
    # Defined here, not in tests/testapp: without Pillow, a model with an ImageField fails the system checks.
    class Picture(models.Model):
        image = models.ImageField(blank=True)

        class Meta:
            app_label = "testapp"
            managed = False

    class PictureSerializer(serializers.ModelSerializer):
        class Meta:
            model = Picture
            fields = "__all__"

    assert_same(PictureSerializer, [Picture(id=1, image="pictures/ü 1.png"), Picture(id=2, image="")])


class EveryViewSet(ReadOnlyModelViewSet):
    queryset = EveryField.objects.all()
    serializer_class = RelatedSerializer
    serializer_classes = {"list": EverySerializer}
    permission_classes = [AllowAny]


def served(action, **kwargs):
    """The bytes and status the framework's viewset answers a GET with, as a served request."""
    request = APIRequestFactory().get("/api/v1/rows/", {"page_size": 3})
    request.user = AnonymousUser()
    response = EveryViewSet.as_view({"get": action})(request, **kwargs)
    response.render()
    return response.status_code, response["Content-Type"], response.content


@pytest.mark.parametrize(("action", "pk"), [("list", None), ("retrieve", "first"), ("retrieve", "missing")])
def test_the_viewset_answers_the_same_bytes_through_both_paths(action, pk):
    rows = make_rows()
    kwargs = {} if pk is None else {"pk": rows[1].pk if pk == "first" else 10**9}

    fast = served(action, **kwargs)
    with override_settings(FRAMEWORK=DRF_ONLY):
        drf = served(action, **kwargs)

    assert fast == drf
    if pk == "missing":  # the problem format, the same on both
        assert fast[:2] == (404, "application/problem+json")
    else:
        assert fast[0] == 200 and (b'"count":5,' in fast[2] if action == "list" else b'"label":{' in fast[2])


# What the fast path leaves to DRF.


class WithMethod(serializers.ModelSerializer):
    shout = serializers.SerializerMethodField()

    class Meta:
        model = EveryField
        fields = ["id", "char", "shout"]

    def get_shout(self, row):
        return row.char.upper()


class WithOwnRepresentation(serializers.ModelSerializer):
    class Meta:
        model = EveryField
        fields = ["id", "char"]

    def to_representation(self, instance):
        return {**super().to_representation(instance), "extra": True}


class Shouting(serializers.CharField):
    def to_representation(self, value):
        return str(value).upper()


class WithOwnField(serializers.ModelSerializer):
    char = Shouting()

    class Meta:
        model = EveryField
        fields = ["id", "char"]


class WithProperty(serializers.ModelSerializer):
    label_text = serializers.ReadOnlyField(source="label.text")  # a reverse one-to-one on the way

    class Meta:
        model = EveryField
        fields = ["id", "label_text"]


class WithWritableNesting(serializers.ModelSerializer):
    shelf = ShelfSerializer()

    class Meta:
        model = EveryField
        fields = ["id", "shelf"]


class OwnList(serializers.ListSerializer):
    pass


class WithOwnList(serializers.ModelSerializer):
    class Meta:
        model = EveryField
        fields = ["id", "char"]
        list_serializer_class = OwnList


class WithHyperlink(serializers.ModelSerializer):
    shelf = serializers.HyperlinkedRelatedField(view_name="shelf-detail", read_only=True)

    class Meta:
        model = EveryField
        fields = ["id", "shelf"]


class WithStringRelation(serializers.ModelSerializer):
    shelf = serializers.StringRelatedField()

    class Meta:
        model = EveryField
        fields = ["id", "shelf"]


@pytest.mark.parametrize(
    "serializer_class",
    [WithMethod, WithOwnRepresentation, WithOwnField, WithProperty, WithWritableNesting, WithHyperlink, WithStringRelation],
)
def test_what_the_fast_path_does_not_know_is_left_to_drf(serializer_class):
    make_rows()
    serializer = serializer_class(from_database(), many=True)

    assert serializer.child.row_plan() is None
    if serializer_class is not WithHyperlink:  # which needs a request and a route: DRF's either way
        with override_settings(FRAMEWORK=DRF_ONLY):
            drf = renderers.JSONRenderer().render(serializer_class(from_database(), many=True).data)
        assert JSONRenderer().render(serializer.data) == drf


def test_the_fallbacks_give_what_drf_gives():
    make_rows()
    rows = from_database()

    assert [row["shout"] for row in WithMethod(rows, many=True).data][1].startswith("HÉLLO")
    assert all(row["extra"] is True for row in WithOwnRepresentation(rows, many=True).data)
    assert WithOwnField(rows[1]).data["char"].startswith("HÉLLO")
    assert [row["label_text"] for row in WithProperty(rows, many=True).data] == [None, "étiquette", None, None, None]


def test_a_project_s_own_list_serializer_is_used_as_it_is():
    make_rows()
    serializer = WithOwnList(from_database(), many=True)

    assert type(serializer) is OwnList
    with override_settings(FRAMEWORK=DRF_ONLY):
        drf = renderers.JSONRenderer().render(WithOwnList(from_database(), many=True).data)
    assert JSONRenderer().render(serializer.data) == drf


def test_a_row_that_is_not_of_the_model_is_left_to_drf():
    data = {"id": 5, "char": "from a dict", "moment": datetime.datetime(2026, 12, 3, tzinfo=UTC)}

    class Partial(serializers.ModelSerializer):
        class Meta:
            model = EveryField
            fields = ["id", "char", "moment"]

    assert Partial(data).data == {"id": 5, "char": "from a dict", "moment": "2026-12-03T00:00:00Z"}


def test_the_setting_turns_the_fast_path_off():
    with override_settings(FRAMEWORK=DRF_ONLY):
        assert EverySerializer(EveryField()).row_plan() is None
    assert EverySerializer(EveryField()).row_plan() is not None


def test_drf_is_a_version_the_fast_path_was_checked_against():
    # A newer DRF turns the fast path off (its fields may convert otherwise): compare their
    # to_representation with framework.api.fast_serialization's converters, then widen CHECKED_DRF.
    assert CHECKED_DRF[0] <= drf_version() <= CHECKED_DRF[1], drf_version()
