"""framework: a batteries-included framework for HTTP API services on Django."""

__version__ = "0.2.0"
