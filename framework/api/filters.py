"""Filter backends with the framework's rules."""

from __future__ import annotations

import copy
from typing import Any

from django_filters import rest_framework as django_filters
from rest_framework import filters
from rest_framework.exceptions import ValidationError

UNKNOWN_ORDERING = "Cannot order by {fields}; order by one of: {valid}."
NO_ORDERING = "This list cannot be ordered."


class DjangoFilterBackend(django_filters.DjangoFilterBackend):
    """django-filter's backend, without its work on every request that changes nothing.

    - A view's `filterset_fields` are made into a FilterSet class once per view
      class and model, not on each request (django-filter makes a new class,
      and all its filters, every time).
    - A request without any parameter named after one of that class's filters
      is not filtered: its FilterSet would validate an empty form and let every
      row through. A view's own `filterset_class` is always run: its filters
      and its `filter_queryset` may do what they like with no parameters.
    """

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
