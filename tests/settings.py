"""Settings of the framework's own test project, configured the way a generated project is."""

from pathlib import Path

from framework.conf import configure

configure(globals(), base_dir=Path(__file__).resolve().parent)

INSTALLED_APPS += ["tests.testapp"]  # noqa: F821 -- defined by configure()
