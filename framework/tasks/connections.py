"""What a project's task queue connects to, as it may be shown to a person (passwords masked)."""

from __future__ import annotations

from celery import Celery

from framework.conf.masking import mask_url


def broker(app: Celery) -> str:
    url = app.conf.broker_url or ""
    if url.startswith("filesystem:"):
        folder = (app.conf.broker_transport_options or {}).get("data_folder_in", "")
        return f"the embedded broker in {folder}"
    return mask_url(url)


def results(app: Celery) -> str:
    backend = app.conf.result_backend
    if not backend:
        return "not kept"
    if backend == "django-db":
        return "the database"
    return mask_url(str(backend))


def describe(app: Celery) -> str:
    return f"broker {broker(app)}, results in {results(app)}"
