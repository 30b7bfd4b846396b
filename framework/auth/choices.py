"""The names the settings use for the built-in authentication backends and access policies.

Import-free, so that the settings schemas can read it before Django is set up.
"""

#: API_AUTHENTICATION names -> DRF authentication classes.
BACKENDS = {
    "session": "framework.auth.backends.session.SessionAuthentication",
    "jwt": "framework.auth.backends.jwt.JWTAuthentication",
    "api_key": "framework.auth.backends.api_key.APIKeyAuthentication",
    "basic": "framework.auth.backends.basic.BasicAuthentication",
}

#: API_DEFAULT_PERMISSIONS names -> DRF permission classes.
PERMISSIONS = {
    "authenticated": "rest_framework.permissions.IsAuthenticated",
    "authenticated_or_read_only": "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    "staff": "rest_framework.permissions.IsAdminUser",
    "anyone": "rest_framework.permissions.AllowAny",
}

#: The throttles every API view gets; the token endpoint adds its own.
THROTTLES = [
    "framework.auth.throttling.AnonRateThrottle",
    "framework.auth.throttling.UserRateThrottle",
]
