"""HTTP basic authentication: a username and password on every request.

Off by default: it runs the password hasher (slow on purpose) on every
request, and sends the password each time.
"""

from __future__ import annotations

from rest_framework import authentication


class BasicAuthentication(authentication.BasicAuthentication):
    www_authenticate_realm = "api"
