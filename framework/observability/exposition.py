"""A scrape's answer: every process's metrics, and those read at scrape time, in the format the scraper asks for."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from . import multiprocess


class Scrape:
    """The collectors of one scrape, as the one collector prometheus-client's encoders read."""

    def __init__(self, collectors: Iterable[Any]) -> None:
        self.collectors = list(collectors)

    def collect(self) -> Iterator[Any]:
        for collector in self.collectors:
            yield from collector.collect()


def scrape_collectors() -> list[Any]:
    """The processes' metrics (framework.observability.multiprocess), then the task queue's, read now."""
    from .queues import TaskQueueCollector

    return [*multiprocess.collectors(), TaskQueueCollector()]


def render(accept: str | None) -> tuple[bytes, str]:
    """The body and content type of a scrape: Prometheus' text format, or OpenMetrics when `accept` asks for it."""
    from prometheus_client.exposition import choose_encoder

    encoder, content_type = choose_encoder(accept or "")
    return encoder(Scrape(scrape_collectors())), content_type
