"""Authentication and permissions: session, JWT and API-key backends, roles, rights, throttling.

Imports nothing on purpose: the settings read `framework.auth.choices`
before Django is set up.
"""
