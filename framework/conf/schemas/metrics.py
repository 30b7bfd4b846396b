"""Metrics settings: who may read `/metrics` and the workers' metrics, and the workers' port."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import AfterValidator

from ..schema import Schema, setting
from ..types import CommaList, Port


def _networks(value: list[str]) -> list[str]:
    for entry in value:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"{entry!r} is not an IP address or network (expected e.g. 10.0.0.5, 10.0.0.0/8 or fd00::/8)"
            ) from None
    return value


AddressList = Annotated[CommaList, AfterValidator(_networks)]


class MetricsSettings(Schema):
    title = "Metrics"
    framework_fields = ("METRICS_ALLOWED_ADDRESSES", "METRICS_TOKEN", "WORKER_METRICS_PORT")

    METRICS_ALLOWED_ADDRESSES: AddressList = setting(
        [],
        "Addresses and networks that may read the metrics (`/metrics`, and each worker's), e.g. "
        "10.0.0.0/8,192.168.1.5. Without it or METRICS_TOKEN it is closed (403); with DEBUG on, "
        "loopback may read it.",
    )
    METRICS_TOKEN: str | None = setting(
        None,
        "A bearer token that opens the metrics from any address: `Authorization: Bearer <token>`, as "
        "Prometheus' `authorization` sends it.",
        secret=True,
    )
    WORKER_METRICS_PORT: Port | None = setting(
        None,
        "Port each `runworker` serves its task metrics on (at /metrics, on the address of HOST), with the "
        "access rules of `/metrics`; `runworker --metrics-port` for one worker. Default: not served.",
    )
