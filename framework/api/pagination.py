"""Page-number pagination with DRF's envelope: `count`, `next`, `previous`, `results`."""

from typing import Any

from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from framework.conf import framework_settings

INVALID_PAGE_SIZE = "page_size must be a whole number of 1 or more, not {value!r}."


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=`, the size capped at API_MAX_PAGE_SIZE; a size that is not a number is a 400."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return framework_settings.API_MAX_PAGE_SIZE

    def get_page_size(self, request: Any) -> int | None:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        # DRF falls back to the default size for any size it cannot read, and echoes it in `next`.
        if not value.isascii() or not value.isdigit() or int(value) < 1:
            raise ValidationError({self.page_size_query_param: [INVALID_PAGE_SIZE.format(value=value)]}, code="invalid")
        return min(int(value), self.max_page_size)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
            elif parameter["name"] == self.page_query_param:
                # DRF reads `?page=` as the first page.
                parameter["allowEmptyValue"] = True
        return parameters
