"""Email: `send_email` (through the task queue) and `send_now`, configured by EMAIL_URL."""

from .messages import InvalidEmail
from .sending import send_email, send_now

__all__ = ["InvalidEmail", "send_email", "send_now"]
