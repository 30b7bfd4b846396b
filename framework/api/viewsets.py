"""Base viewsets with the framework's defaults: per-action serializers and a queryset scope hook."""

from __future__ import annotations

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
    """

    serializer_classes: dict[str, type[BaseSerializer]] = {}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Response:
        if request.method in SAFE_METHODS:
            return super().dispatch(request, *args, **kwargs)
        model = getattr(self.queryset, "model", None)
        using = router.db_for_write(model) if model is not None else None
        with transaction.atomic(using=using):
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True, using=using)
        return response

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
