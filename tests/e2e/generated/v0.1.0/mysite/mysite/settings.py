"""Settings of mysite.

The framework supplies the defaults and reads the environment (and .env):
`python manage.py settings` shows every variable, its value and its source.
Add only what is particular to this project below.
"""

from framework.conf import configure

configure(globals())

INSTALLED_APPS += [  # noqa: F821 -- defined by configure()
    "notes",
]
