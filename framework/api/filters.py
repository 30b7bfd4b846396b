"""Filter backends with the framework's rules."""

from __future__ import annotations

from typing import Any

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
