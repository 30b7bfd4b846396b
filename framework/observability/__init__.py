"""Seeing a service in production: the middleware order that logs every response, metrics and traces."""
