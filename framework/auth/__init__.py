"""Authentication and permissions: session, JWT and API-key backends, roles, rights, throttling."""
