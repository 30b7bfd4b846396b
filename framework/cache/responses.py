"""Response caching for viewset actions: per user unless declared public, invalidated by writes."""

from __future__ import annotations

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import router, transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

CACHED_METHODS = ("GET", "HEAD")
#: Headers of a response that are never stored: they belong to one response, not to the data.
UNSTORED_HEADERS = {"set-cookie", "x-cache", "date"}
#: Request headers that change what a response says, besides who asks.
VARY_ON = ("HTTP_ACCEPT", "HTTP_ACCEPT_LANGUAGE")

Handler = Callable[..., HttpResponseBase]


def resource_name(resource: str | type[Model] | Model) -> str:
    """The name a resource's cached responses are filed under: a model's label, or the string given."""
    if isinstance(resource, str):
        return resource
    return resource._meta.label_lower


def _version_key(resource: str) -> str:
    return f"framework.cache:version:{resource}"


def current_version(resource: str, *, alias: str = "default") -> str:
    """The version a resource's cached responses are stored under.

    A version is random, not a counter: when its key is evicted, the new one
    cannot match responses stored under an old one.
    """
    return caches[alias].get_or_set(_version_key(resource), lambda: uuid.uuid4().hex, timeout=None)


def invalidate(resource: str | type[Model] | Model, *, alias: str = "default", using: str | None = None) -> None:
    """Make every cached response of `resource` (a model, an instance or a name) a miss.

    Call it after a write the viewsets cannot see (a raw query, `queryset.update()`).
    Inside a transaction it takes effect now and again at commit, so that a
    response cached meanwhile from the not yet committed rows is dropped too.
    """
    name = resource_name(resource)

    def bump() -> None:
        caches[alias].set(_version_key(name), uuid.uuid4().hex, timeout=None)

    bump()
    if transaction.get_connection(using).in_atomic_block:
        transaction.on_commit(bump, using=using)


def _invalidate_instance(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    invalidate(sender, using=kwargs.get("using"))


def watch(model: type[Model]) -> None:
    """Invalidate `model`'s cached responses whenever an instance is saved or deleted.

    Covers writes made through services, the admin or the shell, not only
    through the viewset; `queryset.update()` and raw SQL send no signal.
    """
    uid = f"framework.cache:{model._meta.label_lower}"
    post_save.connect(_invalidate_instance, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_invalidate_instance, sender=model, dispatch_uid=uid, weak=False)


def _view_resource(view: Any) -> str:
    if resource := getattr(view, "cache_resource", None):
        return resource_name(resource)
    model = getattr(getattr(view, "queryset", None), "model", None)
    if model is not None:
        return resource_name(model)
    return f"{type(view).__module__}.{type(view).__qualname__}"


def _who(request: Any) -> str:
    """Who is asking: the user, and the credentials sent (an API key can act without a user)."""
    user = getattr(request, "user", None)
    user_id = f"user:{user.pk}" if user is not None and user.is_authenticated else "anonymous"
    credentials = request.META.get("HTTP_AUTHORIZATION", "")
    return f"{user_id}|{hashlib.sha256(credentials.encode()).hexdigest()}"


def response_key(view: Any, request: Any, version: str) -> str:
    """The cache key of `request`'s response: its URL, its Accept headers and, unless public, who asks."""
    parts = [request.build_absolute_uri()]
    parts += [request.META.get(name, "") for name in (*VARY_ON, *getattr(view, "cache_vary_on", ()))]
    if not getattr(view, "cache_public", False):
        parts.append(_who(request))
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"framework.cache:response:{_view_resource(view)}:{version}:{digest}"


def _mark(response: HttpResponseBase, state: str) -> None:
    if settings.DEBUG:
        response["X-Cache"] = state


def _replay(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    return response


def serve(view: Any, request: Any, handler: Callable[[], HttpResponseBase], *, timeout: Any = None) -> HttpResponseBase:
    """Answer `request` from the cache, or with `handler()` and store a successful answer.

    Called after authentication, permissions and throttling have run, so a
    cached answer is given only to a request that may have it.
    """
    if request.method not in CACHED_METHODS:
        return handler()
    alias = getattr(view, "cache_alias", "default")
    cache = caches[alias]
    # With the cache down, reads miss and writes are dropped: this still answers, from the handler.
    key = response_key(view, request, current_version(_view_resource(view), alias=alias))
    if (entry := cache.get(key)) is not None:
        response = _replay(entry)
        _mark(response, "hit")
        return response
    response = handler()
    if isinstance(response, Response) and response.status_code == 200:
        lifetime = timeout if timeout is not None else getattr(view, "cache_timeout", None)

        def store(rendered: Response) -> None:
            if rendered.cookies:  # a response that sets a cookie is one client's
                return
            headers = [(name, value) for name, value in rendered.items() if name.lower() not in UNSTORED_HEADERS]
            entry = {"status": rendered.status_code, "content": rendered.content, "headers": headers}
            if lifetime is None:
                cache.set(key, entry)
            else:
                cache.set(key, entry, lifetime)

        response.add_post_render_callback(store)
    _mark(response, "miss")
    return response


def cache_response(method: Handler | None = None, *, timeout: int | None = None) -> Any:
    """Cache the successful GET/HEAD answers of a viewset action (`@cache_response` or `@cache_response(timeout=60)`).

    The view's `cache_public`, `cache_resource`, `cache_vary_on` and
    `cache_alias` attributes apply; see CacheResponsesMixin.
    """

    def decorate(method: Handler) -> Handler:
        @functools.wraps(method)
        def cached(self: Any, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return serve(self, request, lambda: method(self, request, *args, **kwargs), timeout=timeout)

        return cached

    return decorate(method) if method is not None else decorate


class CacheResponsesMixin:
    """Cache a viewset's `list` and `retrieve` answers; its writes make them misses.

    - The cache key holds the URL with its query string, the `Accept` and
      `Accept-Language` headers and, unless `cache_public = True`, the user
      and the credentials sent: one user's answer is never given to another.
    - Only 200 answers to GET/HEAD are stored, never one that sets a cookie.
    - A successful write through the viewset, and any save or delete of its
      model (signals: services, admin, shell), invalidates every cached answer
      of the resource: a client never reads its own stale write. Call
      `framework.cache.invalidate(Model)` after writes that send no signal.
    - With DEBUG on, answers carry `X-Cache: hit` or `X-Cache: miss`.

    Attributes: `cache_timeout` (seconds; None: CACHE_TIMEOUT), `cache_public`,
    `cache_resource` (default: the queryset's model), `cache_vary_on` (more
    request headers, as `request.META` names), `cache_alias` (default "default").
    """

    cache_timeout: int | None = None
    cache_public: bool = False
    cache_resource: str | type[Model] | None = None
    cache_vary_on: tuple[str, ...] = ()
    cache_alias: str = "default"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        model = getattr(getattr(cls, "queryset", None), "model", None)
        if model is not None:
            watch(model)

    @cache_response
    def list(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().list(request, *args, **kwargs)  # type: ignore[misc]

    @cache_response
    def retrieve(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return super().retrieve(request, *args, **kwargs)  # type: ignore[misc]

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
        if request.method not in SAFE_METHODS and response.status_code < 400:
            model = getattr(getattr(self, "queryset", None), "model", None)
            using = router.db_for_write(model) if model is not None else None
            invalidate(_view_resource(self), alias=self.cache_alias, using=using)
        return response
