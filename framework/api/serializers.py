"""DRF's serializers, with a ModelSerializer whose fields take JSON values of the type the schema says, no other.

Its rows are serialized without DRF's per-field calls where the result is the
same (framework.api.fast_serialization).
"""

from __future__ import annotations

from typing import Any

from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.http import QueryDict
from rest_framework import fields
from rest_framework import serializers as drf
from rest_framework.serializers import *  # noqa: F403 -- a project's serializers module uses this one as it would DRF's

from framework.api import fast_serialization, schema_inputs

#: The JSON types each kind of field takes (bool is an int in Python, and is no number here).
JSON_TYPES: dict[type, tuple[type, ...]] = {
    fields.BooleanField: (bool,),
    fields.IntegerField: (int,),
    fields.FloatField: (int, float),
    # Decimals are strings in the schema (COERCE_DECIMAL_TO_STRING), so that no precision is lost.
    fields.DecimalField: (str,),
    fields.CharField: (str,),
}
_strict: dict[type, type] = {}


class StrictJSONTypeMixin:
    """Refuse a JSON value of another type than the field's (DRF turns `0` into `"0"` for a string field).

    A URL or a decimal must also match the pattern the schema gives it
    (framework.api.schema_inputs): DRF alone takes `" 1e2 "` for a decimal of
    two places. Form data, all strings, is parsed as DRF does.
    """

    def run_validation(self, data: Any = fields.empty) -> Any:
        # Before DRF's, which reads a blank string as null for a nullable number, and white space
        # as blank for a string (as a form has no null, and its inputs are padded).
        form = isinstance(getattr(self.root, "initial_data", None), QueryDict)  # type: ignore[attr-defined]
        if data is not fields.empty and data is not None and not form:
            accepted = next(types for kind, types in JSON_TYPES.items() if isinstance(self, kind))
            if not isinstance(data, accepted) or (isinstance(data, bool) and bool not in accepted):
                self.fail("invalid")  # type: ignore[attr-defined]
            pattern = schema_inputs.checked_pattern(self)  # type: ignore[arg-type]
            blank = data == "" and isinstance(self, fields.CharField)  # DRF's allow_blank decides
            if pattern is not None and not blank and not schema_inputs.matches(pattern, data):
                self.fail("invalid")  # type: ignore[attr-defined]
        return super().run_validation(data)  # type: ignore[misc]


def strict(field_class: type) -> type:
    """`field_class`, strict about the JSON type of its input when it is one of JSON_TYPES' kinds."""
    if not issubclass(field_class, tuple(JSON_TYPES)):
        return field_class
    if field_class not in _strict:
        _strict[field_class] = type(field_class.__name__, (StrictJSONTypeMixin, field_class), {})
    return _strict[field_class]


class ModelSerializer(drf.ModelSerializer):
    """DRF's ModelSerializer, whose fields built from the model refuse JSON values of the wrong type.

    Rows of its model are serialized by a plan made once per serializer class (see row_plan), where
    every readable field allows one (framework.api.fast_serialization); otherwise by DRF.
    """

    _row_plan: fast_serialization.Plan | None | bool = False  # False: not made yet

    def build_standard_field(self, field_name: str, model_field: Any) -> tuple[type, dict[str, Any]]:
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        return strict(field_class), field_kwargs

    @classmethod
    def many_init(cls, *args: Any, **kwargs: Any) -> drf.ListSerializer:
        serializer = super().many_init(*args, **kwargs)
        if type(serializer) is drf.ListSerializer:  # no list_serializer_class of the project's
            serializer.__class__ = ListSerializer
        return serializer

    def row_plan(self) -> fast_serialization.Plan | None:
        """How this serializer's rows are serialized without DRF's per-field calls; None: by DRF.

        Made once per class where every instance has the same fields (nothing that builds them is
        the project's own), from an instance of its own without the request's context; otherwise
        once per instance. DRF builds a serializer's fields for each instance, each request: most of
        a detail's serialization time, saved by the plan, which needs the fields no more.
        """
        if self._row_plan is False:
            kind = type(self)
            if not _same_fields_for_every_instance(kind):
                self._row_plan = fast_serialization.plan_for(self)
            elif (plan := _class_plans.get(kind, False)) is not False:
                self._row_plan = plan if plan is not _PER_INSTANCE else fast_serialization.plan_for(self)
            else:
                plan = fast_serialization.plan_for(kind())
                if plan is not None and plan.reads_context:
                    # Its converters read the request of the serializer they were made with: this one's.
                    _class_plans[kind] = _PER_INSTANCE
                    plan = fast_serialization.plan_for(self)
                else:
                    _class_plans[kind] = plan
                self._row_plan = plan
        return self._row_plan  # type: ignore[return-value]

    def to_representation(self, instance: Any) -> dict[str, Any]:
        plan = self.row_plan()
        if plan is not None and isinstance(instance, plan.model):
            return plan.represent(instance)
        return super().to_representation(instance)


#: The plan of each serializer class whose instances all have the same fields (ModelSerializer.row_plan),
#: or _PER_INSTANCE when its plan reads the serializer's context.
_class_plans: dict[type, Any] = {}
_PER_INSTANCE = object()
#: What builds a serializer's fields: a class that defines none of them has its Meta's, whatever its context.
_FIELD_BUILDERS = ("__init__", "fields", "get_fields", "get_field_names", "get_extra_kwargs", "include_extra_kwargs",
                   "build_field", "build_standard_field", "build_relational_field", "build_nested_field",
                   "build_property_field", "build_url_field", "build_unknown_field")


def _same_fields_for_every_instance(kind: type) -> bool:
    return all(getattr(kind, name) is getattr(ModelSerializer, name) for name in _FIELD_BUILDERS)


@receiver(setting_changed)
def _forget_plans(**kwargs: Any) -> None:
    # A plan holds what the settings said when it was made (formats, API_FAST_SERIALIZATION).
    _class_plans.clear()


class ListSerializer(drf.ListSerializer):
    """DRF's ListSerializer, serializing the rows of a framework ModelSerializer by its plan."""

    def to_representation(self, data: Any) -> list[Any]:
        plan = self.child.row_plan()
        if plan is None:
            return super().to_representation(data)
        # As DRF's: the rows of a related manager are its `.all()`.
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        return plan.represent_all(rows, self.child.to_representation)
