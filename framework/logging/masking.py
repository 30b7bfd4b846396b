"""Masking sensitive values in what is logged: framework.conf's one masker, re-exported."""

from framework.conf.masking import MASK, SENSITIVE_KEYS, SENSITIVE_PARTS, Masker, mask_url, normalize

__all__ = ["MASK", "SENSITIVE_KEYS", "SENSITIVE_PARTS", "Masker", "mask_url", "normalize"]
