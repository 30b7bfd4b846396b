"""Model rows serialized without DRF's per-field calls, into the data DRF's fields give.

For each row and each field, DRF's `Serializer.to_representation` calls
`field.get_attribute()` (a walk of the source that checks for mappings and
callables) and `field.to_representation()`. For fields whose value is a
model field's and whose conversion is plain (a string, a number, an ISO
date), that is most of a list's time. A serializer whose every readable field
is of a kind known here gets a plan instead, made once per serializer
class (framework.api.serializers.ModelSerializer.row_plan says when it is
once per instance): for each field, its key, a getter
(`operator.attrgetter`, in C) and a converter that does what the field's
`to_representation` does, as a builtin (`str`, `int`) or a few lines.
A value out of the ordinary (a naive datetime under USE_TZ, a string in a date
field, an enum member) is converted by the field's own `to_representation`, and
so are values that need Python anyway (Decimal, files, durations): the same
data as DRF's, field by field.

A serializer gets no plan, and DRF serializes it, when:

- its class, or a subclass, defines its own `to_representation`;
- a readable field is of a class not listed in `_CONVERTERS` (exactly: a
  subclass of a listed class is not known, it may change anything; the
  strict variants of framework.api.serializers only read input otherwise) -
  so `SerializerMethodField`, hyperlinked fields, `StringRelatedField` and a
  project's own fields go to DRF;
- a field's source is not a model field (a property, a method, `*`), or
  goes through a relation other than a forward foreign key or one-to-one;
- a nested serializer is writable, is not a framework ModelSerializer with a
  plan of its own, or is a list of a custom `list_serializer_class`;
- the instance is not of the serializer's model (a dict, say);
- `API_FAST_SERIALIZATION` is off, or DRF's version is not one this module
  was checked against (`CHECKED_DRF`): its fields' `to_representation` may
  have changed. tests/api/test_fast_serialization.py compares the bytes of
  both paths for every model field type, and fails on a DRF outside the range.

The settings DRF's fields read (`DATETIME_FORMAT`, `COERCE_BIGINT_TO_STRING`...)
are read when the plan is made (again after a setting changes, as in a test)
where DRF reads them per value; a format other than ISO 8601 leaves the conversion to DRF's
field. The time zone (`USE_TZ`, the current one) is read once per row, or
once per list (framework.api.serializers.ListSerializer), where DRF reads it
per value: reading Django's current time zone is most of DRF's time on a
list of datetimes.
"""

from __future__ import annotations

import contextvars
import datetime
import functools
import operator
from collections.abc import Callable
from typing import Any

import rest_framework
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.utils import timezone
from rest_framework import ISO_8601, fields, relations
from rest_framework import serializers as drf
from rest_framework.fields import SkipField
from rest_framework.settings import api_settings

from framework.conf import framework_settings

#: DRF versions whose fields' `to_representation` this module was compared with (3.15.2, 3.16.1, 3.18.3).
CHECKED_DRF = ((3, 15), (3, 18))

Converter = Callable[[Any], Any] | None  # None: the value as it is
Step = tuple[str, Callable[[Any], Any], Converter]


def drf_version() -> tuple[int, int]:
    major, minor = rest_framework.VERSION.split(".")[:2]
    return int(major), int(minor)


_DRF_CHECKED = CHECKED_DRF[0] <= drf_version() <= CHECKED_DRF[1]


@functools.cache
def _framework() -> Any:
    from framework.api import serializers  # which imports this module: looked up when first needed

    return serializers


# The time zone DRF's datetime fields convert to, read once per row or list where DRF reads it per
# value (Django's current time zone is a context-local, slow to read; nothing changes it during a
# row). A context variable, so that a serializer shared by threads or tasks reads each one's own.
_zone: contextvars.ContextVar[datetime.tzinfo | None] = contextvars.ContextVar("framework_serialization_zone")


def _read_zone() -> None:
    _zone.set(timezone.get_current_timezone() if settings.USE_TZ else None)


class Plan:
    """How to serialize a row of `model`: one (key, getter, converter) step per readable field."""

    __slots__ = ("model", "steps", "reads_zone", "reads_context")

    def __init__(self, model: type, steps: list[Step], *, reads_context: bool = False) -> None:
        self.model = model
        self.steps = tuple(steps)
        self.reads_zone = any(getattr(convert, "reads_zone", False) for _, _, convert in steps)
        #: Whether a converter reads the serializer's context (a file's URL is made absolute with its request).
        self.reads_context = reads_context

    def represent(self, instance: Any) -> dict[str, Any]:
        """The row as DRF's `Serializer.to_representation` gives it."""
        if self.reads_zone:
            _read_zone()
        return self._represent(instance)

    def represent_all(self, instances: Any, fallback: Callable[[Any], Any]) -> list[Any]:
        """The rows, as DRF's `ListSerializer.to_representation` gives them; `fallback` for one not of the model."""
        if self.reads_zone:
            _read_zone()
        model, represent = self.model, self._represent
        return [represent(instance) if isinstance(instance, model) else fallback(instance) for instance in instances]

    def _represent(self, instance: Any) -> dict[str, Any]:
        row = {}
        for key, get, convert in self.steps:
            # As DRF's get_attribute: a missing related row is None, a field it skips is left out.
            try:
                value = get(instance)
            except ObjectDoesNotExist:
                value = None
            except SkipField:
                continue
            row[key] = value if value is None or convert is None else convert(value)
        return row


def plan_for(serializer: drf.ModelSerializer) -> Plan | None:
    """The plan of `serializer`, or None where DRF must serialize it (see the module)."""
    if (
        not _DRF_CHECKED
        or type(serializer).to_representation is not _framework().ModelSerializer.to_representation
        or not framework_settings.API_FAST_SERIALIZATION
    ):
        return None
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    if model is None:
        return None
    steps = []
    for field in serializer.fields.values():
        if field.write_only:
            continue
        step = _step(field, model)
        if step is None:
            return None
        steps.append((field.field_name, *step))
    return Plan(model, steps, reads_context=_reads_context(serializer))


#: The fields known here whose value depends on the serializer's context (FileField: `request`).
_READ_CONTEXT = (fields.FileField, fields.ImageField)


def _reads_context(field: fields.Field) -> bool:
    if isinstance(field, drf.ListSerializer):
        return _reads_context(field.child)
    if isinstance(field, drf.Serializer):
        return any(_reads_context(child) for child in field.fields.values() if not child.write_only)
    return _drf_class(type(field)) in _READ_CONTEXT


def _step(field: fields.Field, model: type) -> tuple[Callable[[Any], Any], Converter] | None:
    """The getter and converter of `field` on rows of `model`, or None if it is not one this module knows."""
    framework = _framework()
    if isinstance(field, framework.ModelSerializer):
        return _nested(field, model)
    if type(field) in (drf.ListSerializer, framework.ListSerializer) and isinstance(field.child, framework.ModelSerializer):
        return _nested_list(field, model)
    kind = _drf_class(type(field))
    if kind is relations.PrimaryKeyRelatedField:
        return _primary_key(field, model)
    if kind is relations.ManyRelatedField:
        return _many_primary_keys(field, model)
    if kind is fields.ModelField:
        # DRF passes the row itself to the field, which reads the model field's value.
        return _itself, field.to_representation
    convert = _CONVERTERS.get(kind)
    path = _value_path(tuple(field.source_attrs), model)
    if convert is None or path is None:
        return None
    return _getter(field, path), convert(field)


@functools.lru_cache(maxsize=1024)
def _drf_class(cls: type) -> type:
    """The DRF field class `cls` writes values as: itself, or the one a strict variant is made from."""
    framework = _framework()
    # framework.api.serializers' strict variants read input strictly; they write values as their base.
    bases = cls.__bases__
    if len(bases) == 2 and bases[0] is framework.StrictJSONTypeMixin and framework.strict(bases[1]) is cls:
        return cls.__bases__[1]
    return cls


def _itself(instance: Any) -> Any:
    return instance


@functools.lru_cache(maxsize=4096)
def _model_field(model: type, name: str) -> Any:
    """The model field, or relation, that the attribute `name` of a `model` row reads; None if it is not one."""
    if name == "pk":
        return model._meta.pk
    for relation in model._meta.related_objects:  # reverse relations, by the name of their attribute
        if relation.get_accessor_name() == name:
            return relation
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _forward_relation(model: type, name: str) -> Any:
    """The model field `name` of `model` if it is a foreign key or one-to-one from it, else None."""
    field = _model_field(model, name)
    if field is not None and field.concrete and field.name == name and (field.many_to_one or field.one_to_one):
        return field
    return None


@functools.lru_cache(maxsize=4096)
def _value_path(source_attrs: tuple[str, ...], model: type) -> str | None:
    """`source_attrs` as a dotted path, if it ends at a column of a model reached by forward relations."""
    if not source_attrs:
        return None  # source="*"
    for name in source_attrs[:-1]:
        relation = _forward_relation(model, name)
        if relation is None:
            return None
        model = relation.related_model
    name = source_attrs[-1]
    last = _model_field(model, name)
    # A column: a field's value, the primary key, or a foreign key's own value (`owner_id`).
    if last is None or not last.concrete or (last.is_relation and name not in ("pk", last.attname)):
        return None
    return ".".join(source_attrs)


def _getter(field: fields.Field, path: str) -> Callable[[Any], Any]:
    get = operator.attrgetter(path)
    if "." not in path:
        return get

    def through_relations(instance: Any) -> Any:
        try:
            return get(instance)
        except AttributeError:
            # A null foreign key on the way: DRF's field gives its default, null, or leaves it out.
            return field.get_attribute(instance)

    return through_relations


def _nested(field: drf.ModelSerializer, model: type) -> tuple[Callable[[Any], Any], Converter] | None:
    related = _model_field(model, field.source) if len(field.source_attrs) == 1 else None
    # A foreign key or one-to-one from the row, or a one-to-one to it (None when absent, as DRF has it).
    if related is None or not related.is_relation or not (related.many_to_one or related.one_to_one):
        return None
    if related.concrete and related.name != field.source:
        return None  # `owner_id`: not the related row
    if not field.read_only or plan_for(field) is None:
        return None
    return operator.attrgetter(field.source), field.to_representation


def _nested_list(field: drf.ListSerializer, model: type) -> tuple[Callable[[Any], Any], Converter] | None:
    related = _model_field(model, field.source) if len(field.source_attrs) == 1 else None
    if related is None or not related.is_relation or not (related.one_to_many or related.many_to_many):
        return None
    if not field.read_only or plan_for(field.child) is None:
        return None
    # DRF's list of the child's rows (`.all()` of the manager), each through the child's plan.
    return operator.attrgetter(field.source), field.to_representation


def _primary_key(field: relations.PrimaryKeyRelatedField, model: type) -> tuple[Callable[[Any], Any], Converter] | None:
    relation = _forward_relation(model, field.source) if len(field.source_attrs) == 1 else None
    if relation is None or field.pk_field is not None:
        return None
    # DRF's PKOnlyObject holds the row's foreign key value (`serializable_value`), and writes it as it is.
    return operator.attrgetter(relation.attname), None


def _many_primary_keys(field: relations.ManyRelatedField, model: type) -> tuple[Callable[[Any], Any], Converter] | None:
    child = field.child_relation
    if _drf_class(type(child)) is not relations.PrimaryKeyRelatedField or child.pk_field is not None:
        return None
    related = _model_field(model, field.source) if len(field.source_attrs) == 1 else None
    if related is None or not related.many_to_many:
        return None
    return field.get_attribute, field.to_representation  # DRF's own: a query per row either way


# Converters: `field` -> what turns one of its (not None) values into DRF's representation.


def _always(converter: Converter) -> Callable[[fields.Field], Converter]:
    return lambda field: converter


def _big_integer(field: fields.Field) -> Converter:
    return str if getattr(field, "coerce_to_string", api_settings.COERCE_BIGINT_TO_STRING) else int


def _drf_s(field: fields.Field) -> Converter:
    """DRF's own conversion: for values that need Python per value anyway (Decimal, files, durations)."""
    return field.to_representation


def _boolean(field: fields.BooleanField) -> Converter:
    drf_s = field.to_representation

    def boolean(value: Any) -> Any:
        return value if type(value) is bool else drf_s(value)

    return boolean


def _json(field: fields.JSONField) -> Converter:
    return field.to_representation if field.binary else None


def _uuid(field: fields.UUIDField) -> Converter:
    return str if field.uuid_format == "hex_verbose" else operator.attrgetter(field.uuid_format)


def _choice(field: fields.ChoiceField) -> Converter:
    values = field.choice_strings_to_values
    drf_s = field.to_representation

    def choice(value: Any) -> Any:
        if (type(value) is str and value) or type(value) is int:
            return values.get(str(value), value)
        return drf_s(value)  # "", an enum member, another type

    return choice


def _iso_format(field: fields.Field, setting: str) -> bool:
    output_format = getattr(field, "format", getattr(api_settings, setting))
    return isinstance(output_format, str) and output_format.lower() == ISO_8601


def _date_or_time(kind: type, setting: str) -> Callable[[fields.Field], Converter]:
    def converter(field: fields.Field) -> Converter:
        drf_s = field.to_representation
        if not _iso_format(field, setting):
            return drf_s

        def iso(value: Any) -> Any:
            return value.isoformat() if type(value) is kind else drf_s(value)

        return iso

    return converter


_CURRENT = object()


def _datetime(field: fields.DateTimeField) -> Converter:
    drf_s = field.to_representation
    if not _iso_format(field, "DATETIME_FORMAT"):
        return drf_s
    field_zone = field.timezone if hasattr(field, "timezone") else _CURRENT

    def iso(value: Any) -> Any:
        if type(value) is not datetime.datetime:
            return drf_s(value)
        to_zone = _zone.get() if field_zone is _CURRENT else field_zone
        aware = value.utcoffset() is not None
        if to_zone is None and not aware:
            return value.isoformat()
        if to_zone is None or not aware:
            return drf_s(value)  # made naive in UTC, or aware in the zone, by DRF
        try:
            text = value.astimezone(to_zone).isoformat()
        except OverflowError:
            return drf_s(value)  # DRF's "Datetime value out of range."
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    iso.reads_zone = field_zone is _CURRENT  # type: ignore[attr-defined]
    return iso


#: The DRF field classes known here, exactly, and how their values are converted.
_CONVERTERS: dict[type, Callable[[Any], Converter]] = {
    fields.CharField: _always(str),
    fields.EmailField: _always(str),
    fields.SlugField: _always(str),
    fields.URLField: _always(str),
    fields.RegexField: _always(str),
    fields.IPAddressField: _always(str),
    fields.IntegerField: _always(int),
    fields.FloatField: _always(float),
    fields.BooleanField: _boolean,
    fields.DecimalField: _drf_s,
    fields.DurationField: _drf_s,
    fields.FileField: _drf_s,
    fields.ImageField: _drf_s,
    fields.JSONField: _json,
    fields.ReadOnlyField: _always(None),
    fields.UUIDField: _uuid,
    fields.ChoiceField: _choice,
    fields.FilePathField: _choice,
    fields.DateField: _date_or_time(datetime.date, "DATE_FORMAT"),
    fields.TimeField: _date_or_time(datetime.time, "TIME_FORMAT"),
    fields.DateTimeField: _datetime,
}
if hasattr(fields, "BigIntegerField"):  # DRF 3.17 and later
    _CONVERTERS[fields.BigIntegerField] = _big_integer
