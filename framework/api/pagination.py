"""Page-number pagination with DRF's envelope: `count`, `next`, `previous`, `results`."""

from rest_framework import pagination

from framework.conf import framework_settings


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=` and `?page_size=`, the size capped at API_MAX_PAGE_SIZE."""

    page_size_query_param = "page_size"

    @property
    def max_page_size(self) -> int:  # type: ignore[override]
        return framework_settings.API_MAX_PAGE_SIZE
