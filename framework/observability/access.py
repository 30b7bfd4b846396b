"""Who may read the metrics: closed unless METRICS_ALLOWED_ADDRESSES or METRICS_TOKEN opens them; loopback too with DEBUG on.

The address is the connection's (REMOTE_ADDR), never a forwarded header, which
any client can write.
"""

from __future__ import annotations

import hmac
import ipaddress
from functools import lru_cache

from django.conf import settings

from framework.conf import framework_settings

CLOSED = (
    "The metrics are open only to the addresses of METRICS_ALLOWED_ADDRESSES, or with the bearer token of "
    "METRICS_TOKEN (Authorization: Bearer <token>)."
)
WRONG_TOKEN = "The bearer token is not the one of METRICS_TOKEN."

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    # The schema has checked each entry.
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(remote_addr: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address((remote_addr or "").split("%", 1)[0])
    except ValueError:
        return None  # a Unix socket, or no address at all
    # An IPv4 client of a dual-stack socket arrives as ::ffff:10.0.0.5.
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def refusal(remote_addr: str | None, authorization: str | None) -> str | None:
    """Why a client at `remote_addr`, with this Authorization header, may not read the metrics; None if it may."""
    token = framework_settings.METRICS_TOKEN
    scheme, _, given = (authorization or "").partition(" ")
    given = given.strip() if scheme.lower() == "bearer" else ""
    if token and given and hmac.compare_digest(given.encode(), token.encode()):
        return None
    address = _address(remote_addr)
    if address is not None:
        if settings.DEBUG and address.is_loopback:
            return None
        if any(address in network for network in _networks(tuple(framework_settings.METRICS_ALLOWED_ADDRESSES))):
            return None
    return WRONG_TOKEN if token and given else CLOSED
