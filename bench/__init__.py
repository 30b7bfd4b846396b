"""The benchmark: the framework against plain Django + DRF and plain Celery (docs/performance.md)."""
