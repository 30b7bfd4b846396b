"""Filter backends with the framework's rules: a filter's value is what the schema says or a 400, never ignored."""

from __future__ import annotations

import copy
import re
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django_filters import rest_framework as django_filters
from django_filters.widgets import BooleanWidget
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters
from rest_framework.exceptions import ValidationError

UNKNOWN_ORDERING = "Cannot order by {fields}; order by one of: {valid}."
NO_ORDERING = "This list cannot be ordered."


class OrderingFilter(filters.OrderingFilter):
    """`?ordering=` limited to the view's declared `ordering_fields`; any other field is a 400.

    DRF's own filter ignores unknown fields silently and, when a view
    declares none, allows every serializer field.
    """

    def get_valid_fields(self, queryset: Any, view: Any, context: dict | None = None) -> list:
        if getattr(view, "ordering_fields", None) is None:
            return []
        return super().get_valid_fields(queryset, view, context or {})

    def remove_invalid_fields(self, queryset: Any, fields: list[str], view: Any, request: Any) -> list[str]:
        valid = [name for name, _ in self.get_valid_fields(queryset, view, {"request": request})]
        unknown = [term for term in fields if term.lstrip("-") not in valid]
        if unknown:
            message = (
                UNKNOWN_ORDERING.format(fields=", ".join(unknown), valid=", ".join(valid)) if valid else NO_ORDERING
            )
            raise ValidationError({self.ordering_param: [message]}, code="invalid_ordering")
        return fields

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        """`ordering` as the list of values it takes: each field, `-` before it for descending, commas between."""
        fields = getattr(view, "ordering_fields", None)
        if fields is None:
            return []  # every value is refused: no parameter to document
        if not isinstance(fields, (list, tuple)):
            return super().get_schema_operation_parameters(view)
        values = [value for field in fields for value in (field, f"-{field}")]
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": f"Order by one or more of: {', '.join(fields)} (`-` before one for descending).",
                "style": "form",
                "explode": False,
                "schema": {"type": "array", "items": {"type": "string", "enum": values}},
            }
        ]


INVALID_BOOLEAN = "Must be true or false, not {value!r}."
INVALID_INTEGER = "Must be a whole number, not {value!r}."
_INTEGER = re.compile(r"-?[0-9]+")


class _RawBooleanWidget(BooleanWidget):
    """django-filter's select of true and false, which hands the field the value as sent."""

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.get(name)

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> str:
        return super().render(name, {"true": True, "false": False}.get(value, value), attrs, renderer)


class StrictBooleanField(forms.Field):
    """`true` or `false`, as the schema's boolean is written in a query; empty is no filter, anything else invalid.

    django-filter reads `?in_print=abc` as no filter, and `TRUE` or `1` as true.
    """

    widget = _RawBooleanWidget

    def to_python(self, value: Any) -> bool | None:
        if value in self.empty_values:
            return None
        if value in (True, False):
            return value
        if value not in ("true", "false"):
            raise forms.ValidationError(INVALID_BOOLEAN.format(value=value), code="invalid")
        return value == "true"

    def validate(self, value: Any) -> None:
        # forms.Field's check of a required value would refuse False.
        if value is None and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")


class StrictIntegerField(forms.IntegerField):
    """Digits with an optional minus; django-filter reads `?pages=0.5` as a decimal, and Django `5.0` as 5."""

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, str) and not _INTEGER.fullmatch(value):
            raise forms.ValidationError(INVALID_INTEGER.format(value=value), code="invalid")
        return super().to_python(value)


class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", _RawBooleanWidget)
        super().__init__(*args, **kwargs)


class IntegerFilter(django_filters.NumberFilter):
    field_class = StrictIntegerField

    def get_max_validator(self) -> None:
        # Django's lookups answer nothing for an integer beyond the column's range; no 1e50 bound to document.
        return None


#: django-filter's bound on a number filter's value, both ways (the database's numbers are smaller).
DECIMAL_BOUND = 10**50


@extend_schema_field({"type": "number", "minimum": -DECIMAL_BOUND, "maximum": DECIMAL_BOUND})
class NumberFilter(django_filters.NumberFilter):
    """For decimals and floats: a number between -1e50 and 1e50 (django-filter's has no lower bound, its schema none)."""

    def get_max_validator(self) -> MaxValueValidator:
        return MaxValueValidator(DECIMAL_BOUND)

    @property
    def field(self) -> forms.Field:
        field = super().field
        if not any(isinstance(validator, MinValueValidator) for validator in field.validators):
            field.validators.append(MinValueValidator(-DECIMAL_BOUND))
        return field


def _filter_defaults() -> dict[type, dict[str, Any]]:
    defaults = dict(django_filters.FilterSet.FILTER_DEFAULTS)
    for model_field in list(defaults):
        if issubclass(model_field, models.IntegerField):
            defaults[model_field] = {"filter_class": IntegerFilter}
        elif issubclass(model_field, (models.DecimalField, models.FloatField)):
            defaults[model_field] = {"filter_class": NumberFilter}
        elif issubclass(model_field, models.BooleanField):
            defaults[model_field] = {"filter_class": BooleanFilter}
    return defaults


class FilterSet(django_filters.FilterSet):
    """django-filter's FilterSet for DRF, whose integer and boolean filters refuse values of another type.

    A `filterset_class` of a project's subclasses it to have the same rules.
    """

    FILTER_DEFAULTS = _filter_defaults()


class DjangoFilterBackend(django_filters.DjangoFilterBackend):
    """django-filter's backend, its FilterSet for `filterset_fields` the one above, without the work on every
    request that changes nothing:

    - A view's `filterset_fields` are made into a FilterSet class once per view
      class and model, not on each request (django-filter makes a new class,
      and all its filters, every time).
    - A request without any parameter named after one of that class's filters
      is not filtered: its FilterSet would validate an empty form and let every
      row through. A view's own `filterset_class` is always run: its filters
      and its `filter_queryset` may do what they like with no parameters.
    """

    filterset_base = FilterSet
    # (view class, model) -> (the filterset_fields it was made from, the FilterSet class).
    _made: dict[tuple[type, type], tuple[Any, type]] = {}

    def get_filterset_class(self, view: Any, queryset: Any = None) -> type | None:
        if getattr(view, "filterset_class", None) or queryset is None or not getattr(view, "filterset_fields", None):
            return super().get_filterset_class(view, queryset)
        key = (type(view), queryset.model)
        made = self._made.get(key)
        if made is None or made[0] != view.filterset_fields:
            made = self._made[key] = (copy.deepcopy(view.filterset_fields), super().get_filterset_class(view, queryset))
        return made[1]

    def filter_queryset(self, request: Any, queryset: Any, view: Any) -> Any:
        if not getattr(view, "filterset_class", None):
            filterset_class = self.get_filterset_class(view, queryset)
            if filterset_class is None:
                return queryset
            names = filterset_class.base_filters
            # A parameter that merely starts like a filter's name (a range's name_min) is left to django-filter.
            if not any(param.startswith(name) for param in request.query_params for name in names):
                return queryset
        return super().filter_queryset(request, queryset, view)
