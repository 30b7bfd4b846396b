"""Serving in production: gunicorn configured from the settings schema (`manage.py serve`)."""
