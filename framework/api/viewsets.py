"""Base viewsets with the framework's defaults: per-action serializers and a queryset scope hook."""

from __future__ import annotations

from contextlib import ExitStack
from typing import Any

from django.db import router, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from rest_framework import mixins, viewsets
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer


class GenericViewSet(viewsets.GenericViewSet):
    """DRF's GenericViewSet, plus:

    - `serializer_classes`: a serializer per action (`{"list": NoteSummarySerializer}`),
      falling back to `serializer_class`;
    - `scope_queryset(queryset)`: the hook that restricts rows, for instance to
      the requesting user's. Rows outside the scope answer 404, as if absent;
    - a write (any unsafe method) runs in a transaction that is rolled back
      when it answers an error, so a request that fails halfway leaves nothing.
      The transaction begins once authentication, permissions and throttling
      have let the request through, and ends with the action: on SQLite, whose
      transactions take the one write lock when they begin, another worker's
      write waits for the action only, not for the whole request.
    """

    serializer_classes: dict[str, type[BaseSerializer]] = {}
    _write: ExitStack | None = None
    _writing = False

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        with ExitStack() as self._write:
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400 and self._writing:
                transaction.set_rollback(True, using=self._write_using())
        return response

    def initial(self, request: Any, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if self._write is not None:  # an unsafe method, let through: its action runs in the transaction
            self._write.enter_context(transaction.atomic(using=self._write_using()))
            self._writing = True

    def _write_using(self) -> str | None:
        model = getattr(self.queryset, "model", None)
        return router.db_for_write(model) if model is not None else None

    def get_serializer_class(self) -> type[BaseSerializer]:
        return self.serializer_classes.get(self.action) or super().get_serializer_class()

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if getattr(self, "swagger_fake_view", False):
            # Schema generation has no real request: it needs the model, not rows.
            return queryset.none()
        return self.scope_queryset(queryset)

    def scope_queryset(self, queryset: QuerySet) -> QuerySet:
        """Return the rows of `queryset` the request may see. Default: all of them."""
        return queryset


class ReadOnlyModelViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, GenericViewSet):
    """List and retrieve."""


class ModelViewSet(
    mixins.CreateModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    mixins.ListModelMixin,
    GenericViewSet,
):
    """Create, retrieve, update, delete and list."""
