"""Which open transactions are the code's own, and which a test's: the one place that reads Django's internals for it.

Django's TestCase (and pytest-django's `db` fixture, which uses it) runs each test
inside atomic blocks that never commit, and marks them with the private attribute
`Atomic._from_testcase`, for its own check of durable blocks. No public API tells
them apart. Checked against Django 5.2 and 6.1; tests/testing/test_transactions.py
fails, naming this module, if a Django release changes it.
"""

from __future__ import annotations

from django.db import connections


def in_code_transaction(using: str) -> bool:
    """Whether the code under test has a transaction open on database `using`, not counting the test's own."""
    return any(not block._from_testcase for block in connections[using].atomic_blocks)
