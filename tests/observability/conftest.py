"""Reading the metrics as Prometheus does: scraping /metrics and parsing its text format."""

from __future__ import annotations

import pytest
from prometheus_client.parser import text_string_to_metric_families


def samples(text: str) -> dict[tuple[str, frozenset], float]:
    """(sample name, its labels) -> value, from a scrape's body."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


@pytest.fixture
def scrape(client, settings):
    """Scrape /metrics as a reader it admits (a token); call it for the samples now."""

    def read() -> dict[tuple[str, frozenset], float]:
        response = client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-token-for-tests")
        assert response.status_code == 200, response.content
        return samples(response.content.decode())

    settings.FRAMEWORK = {**settings.FRAMEWORK, "METRICS_TOKEN": "scrape-token-for-tests"}
    return read


def value(found: dict, name: str, **labels: str) -> float:
    """A sample's value, 0 when it is not there (a series not written yet)."""
    return found.get((name, frozenset(labels.items())), 0.0)
