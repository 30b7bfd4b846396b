"""Logging: request ids, structured lines (JSON or console), the access log, masking of sensitive values."""
