"""Testing a framework project: pytest fixtures (a plugin loaded automatically) and assertions.

The fixtures live in `framework.testing.plugin`; `pytest --fixtures` lists them.
"""

from .assertions import assert_field_error, assert_page, assert_problem

__all__ = ["assert_field_error", "assert_page", "assert_problem"]
