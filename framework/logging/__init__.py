"""Logging: request ids now; structured logs and masking build on them."""
